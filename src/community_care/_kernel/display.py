"""Characters that must not reach a terminal or a page raw: controls and direction overrides.

A registry is pasted from web pages and spreadsheets, so its text can hold ESC (which
starts a terminal escape sequence: a data file could retitle a terminal or clear a line),
BEL, a carriage return that overwrites what was printed, or a bidirectional override
(U+202E) that shows a line in another order than it is stored. The text report shows
them escaped (``\\u001b``, a form that is also a valid JSON escape, so a plan printed as
JSON stays valid); the HTML report drops them.
"""

from __future__ import annotations

import re

__all__ = ["escape_controls", "strip_controls"]

# C0 controls except tab and line feed, DEL, C1 controls, the Unicode line and paragraph
# separators, the bidirectional marks, embeddings, overrides and isolates, and lone
# surrogates (JSON text can hold them; no terminal encoding can show them).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff]"
)


def escape_controls(text: str) -> str:
    r"""``text`` with every unsafe character written as a ``\uXXXX`` escape.

    Examples:
        >>> escape_controls("王\x1b]0;x\x07 ok\n")
        '王\\u001b]0;x\\u0007 ok\n'
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def strip_controls(text: str) -> str:
    """``text`` without its unsafe characters.

    Examples:
        >>> strip_controls("abc\u202edef")
        'abcdef'
    """
    return _UNSAFE.sub("", text)
