"""What several concepts of the library share (private): checks, field builders, words.

Nothing here is public API. Each module holds one shared thing, defined once:

* ``checks``: the checks of a public function's arguments (API misuse), one wording;
* ``fields``: the field builders of the models: a field's check, message and schema;
* ``convert``: the one converter that reads plain data into models (inputs, policy changes);
* ``text``: every user-facing word in Chinese and English, one catalogue;
* ``lifecycle``: states, allowed moves and append-only events, one engine;
* ``frozen``: the read-only mapping that results hold, one that pickles;
* ``pii``: which fields are personal; ``display``: text made safe to show.
"""
