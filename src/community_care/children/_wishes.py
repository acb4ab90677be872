"""Micro-wishes (微心愿, spec §3): collected, published, adopted, fulfilled, confirmed."""

from __future__ import annotations

import enum
from datetime import date
from typing import Final

import attrs

from community_care._kernel.checks import check_date, check_text
from community_care._kernel.fields import (
    date_field,
    describe,
    enum_field,
    model_tuple_field,
    name_field,
    str_field,
)
from community_care._kernel.lifecycle import Lifecycle
from community_care.errors import (
    InputProblem,
    InvalidInputError,
)
from community_care.identity import mask_name

__all__ = ["MicroWish", "WishEvent", "WishStatus", "given_name"]


# --- micro-wishes (微心愿) ------------------------------------------------------------


class WishStatus(enum.StrEnum):
    """Where a micro-wish stands in its lifecycle."""

    COLLECTED = "collected"  # 收集
    PUBLISHED = "published"  # 发布
    ADOPTED = "adopted"  # 认领
    FULFILLED = "fulfilled"  # 圆梦（兑现）
    CONFIRMED = "confirmed"  # 确认（回访）
    WITHDRAWN = "withdrawn"  # 撤回


# The lifecycle: from each status, the moves (method names) allowed and where they lead.
_WISH_LIFECYCLE: Final = Lifecycle(
    "micro-wish",
    WishStatus.COLLECTED,
    {
        WishStatus.COLLECTED: {"publish": WishStatus.PUBLISHED, "withdraw": WishStatus.WITHDRAWN},
        WishStatus.PUBLISHED: {"adopt": WishStatus.ADOPTED, "withdraw": WishStatus.WITHDRAWN},
        WishStatus.ADOPTED: {
            "cancel_adoption": WishStatus.PUBLISHED,
            "fulfil": WishStatus.FULFILLED,
        },
        WishStatus.FULFILLED: {"confirm": WishStatus.CONFIRMED},
        WishStatus.CONFIRMED: {},
        WishStatus.WITHDRAWN: {},
    },
)
# The statuses in which a wish has its (one) live adopter.
_ADOPTED_STATUSES = frozenset({WishStatus.ADOPTED, WishStatus.FULFILLED, WishStatus.CONFIRMED})

# Common two-character Chinese surnames (复姓): their given name starts at the third character.
_COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文"}
    | {"司徒", "夏侯", "令狐", "端木", "轩辕", "西门", "南宫", "独孤", "申屠", "太史", "闻人"}
    | {"澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "赫连", "钟离", "呼延", "拓跋", "百里"}
    | {"东郭", "第五", "万俟", "司空", "左丘", "谷梁", "公羊", "梁丘", "段干"}
)


def given_name(name: str) -> str | None:
    """The given name (名) of a personal name, or ``None`` when it has none to show.

    A Chinese name is read surname first: a common two-character surname (欧阳,
    司马, ...) is dropped, otherwise the first character. A name written with
    spaces (pinyin, ``Wang Xiaoming``) drops its first word. A name that is all
    surname has no given name to show.

    Examples:
        >>> given_name("王小明"), given_name("欧阳娜娜"), given_name("李")
        ('小明', '娜娜', None)
        >>> given_name("Wang Xiao Ming")
        'Xiao Ming'
    """
    text = check_text("given_name", "name", name, "'王小明'").strip()
    words = text.split()
    if len(words) > 1:
        return " ".join(words[1:])
    surname = 2 if text[:2] in _COMPOUND_SURNAMES else 1
    rest = text[surname:]
    return rest or None


@attrs.frozen(kw_only=True)
class WishEvent:
    """One step of a micro-wish's lifecycle: when, from which status to which, by whom, why.

    Examples:
        >>> e = WishEvent(on=date(2026, 3, 2), from_status="collected", to_status="published",
        ...               actor="grid-3 party group")
        >>> e.to_status, e.note
        (<WishStatus.PUBLISHED: 'published'>, '')
    """

    on: date = date_field()
    from_status: WishStatus = enum_field(WishStatus)
    to_status: WishStatus = enum_field(WishStatus)
    actor: str = str_field()
    note: str = str_field(default="", non_empty=False)


@attrs.frozen(kw_only=True)
class MicroWish:
    """A child's micro-wish (微心愿) and its lifecycle (spec §3).

    ``collected → published → adopted → fulfilled → confirmed``; an adoption may be
    cancelled (``adopted → published``); a ``collected`` or ``published`` wish may be
    withdrawn. Each move is a method returning a new wish with the event appended to
    ``history``; the wish itself never changes. ``adopter`` is the id of the party
    that adopted it (a registry id, not a personal name), set while the wish is
    ``adopted``, ``fulfilled`` or ``confirmed``.

    ``child_name`` (optional) is shown masked in ``repr``; :meth:`view_for` shows the
    given name to the current adopter of an ``adopted`` wish only, who needs it to
    hand the gift over.

    A wish built from data must tell a consistent story: the history starts at
    ``collected`` on or after ``collected_on``, each event is a legal move from the
    previous status, dates never run backwards, and ``status`` and ``adopter`` are
    what the history says.

    Examples:
        >>> w = MicroWish(id="w1", child_id="c1", item="书包", collected_on=date(2026, 3, 1),
        ...               child_name="王小明", grid="g1")
        >>> w = w.publish(date(2026, 3, 2), "grid-1 party group")
        >>> w = w.adopt(date(2026, 3, 5), "unit-7")
        >>> w.status, w.adopter, len(w.history)
        (<WishStatus.ADOPTED: 'adopted'>, 'unit-7', 2)
        >>> "小明" in repr(w)
        False
        >>> w.view_for("unit-7")["child_name"], w.view_for("unit-8")["child_name"]
        ('小明', '王**')
        >>> w.fulfil(date(2026, 3, 4), "unit-7")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidInputError: invalid input: on: expected a date on or ...
        >>> w.publish(date(2026, 3, 6), "grid-1 party group")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        community_care.errors.InvalidTransitionError: micro-wish 'w1' is 'adopted'; cannot ...
    """

    id: str = str_field()
    child_id: str = str_field()
    item: str = str_field()
    collected_on: date = date_field()
    category: str = str_field(default="micro_wish")
    grid: str | None = str_field(default=None, optional=True)
    status: WishStatus = enum_field(WishStatus, default=WishStatus.COLLECTED)
    adopter: str | None = str_field(default=None, optional=True)
    history: tuple[WishEvent, ...] = model_tuple_field(WishEvent, default=())
    child_name: str | None = name_field()

    def __attrs_post_init__(self) -> None:
        problems: list[InputProblem] = []
        expected = _WISH_LIFECYCLE.initial
        last_adopter: str | None = None
        steps = ((e.on, e.to_status) for e in self.history)
        for step in _WISH_LIFECYCLE.replay(steps, self.collected_on):
            i, event = step.index, self.history[step.index]
            # A wish's event records the status it left as well: it must be where the
            # wish stood, and only then is the step itself judged.
            if event.from_status is not step.before:
                problems.append(
                    InputProblem(
                        f"$.history[{i}].from_status",
                        f"expected {step.before.value!r} (where the wish stood),"
                        f" got {event.from_status.value!r}",
                    )
                )
            elif not step.allowed:
                problems.append(
                    InputProblem(
                        f"$.history[{i}].to_status",
                        f"expected one of {_WISH_LIFECYCLE.allowed_text(step.before)},"
                        f" got {event.to_status.value!r}",
                    )
                )
            if step.early:
                problems.append(
                    InputProblem(
                        f"$.history[{i}].on",
                        f"expected a date on or after {step.floor.isoformat()}"
                        f" (dates never run backwards), got {event.on.isoformat()}",
                    )
                )
            if event.to_status is WishStatus.ADOPTED:
                last_adopter = event.actor
            expected = event.to_status
        if self.status is not expected:
            problems.append(
                InputProblem(
                    "$.status",
                    f"expected {expected.value!r} (the status the history ends in),"
                    f" got {self.status.value!r}",
                )
            )
        live = self.status in _ADOPTED_STATUSES
        if live and self.adopter != last_adopter:
            problems.append(
                InputProblem(
                    "$.adopter",
                    f"expected {describe(last_adopter)} (the actor of the last adoption),"
                    f" got {describe(self.adopter)}",
                )
            )
        if not live and self.adopter is not None:
            problems.append(
                InputProblem(
                    "$.adopter",
                    f"expected null for a {self.status.value} wish (no live adoption),"
                    f" got {describe(self.adopter)}",
                )
            )
        if problems:
            raise InvalidInputError(problems)

    @property
    def allowed_moves(self) -> tuple[str, ...]:
        """The names of the moves allowed from the current status (empty when final)."""
        return tuple(_WISH_LIFECYCLE.moves[self.status])

    @property
    def last_date(self) -> date:
        """The date of the last event, or ``collected_on`` when nothing has happened yet."""
        return self.history[-1].on if self.history else self.collected_on

    def publish(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Publish a collected wish so that parties can adopt it (发布).

        Args:
            on: the date of the move (not before the last event).
            actor: who publishes it (e.g. the grid party group).
            note: free text.

        Returns:
            The wish, ``published``, with the event appended.

        Raises:
            InvalidTransitionError: the wish is not ``collected``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("publish", on, actor, note)

    def adopt(self, on: date, adopter: str, note: str = "") -> MicroWish:
        """Record that a party adopts (认领) a published wish; one live adoption per wish.

        Args:
            on: the date of the move (not before the last event).
            adopter: the id of the adopting party; it becomes ``adopter`` and the actor.
            note: free text.

        Returns:
            The wish, ``adopted`` by ``adopter``.

        Raises:
            InvalidTransitionError: the wish is not ``published`` (an adopted wish
                cannot be adopted again).
            InvalidInputError: ``on`` before the last event, or an empty ``adopter``.
        """
        return self._move("adopt", on, adopter, note)

    def cancel_adoption(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Cancel the live adoption: the wish is ``published`` again, with no adopter.

        Args:
            on: the date of the move (not before the last event).
            actor: who cancels (the adopter or the committee).
            note: free text (why).

        Returns:
            The wish, ``published`` again.

        Raises:
            InvalidTransitionError: the wish is not ``adopted``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("cancel_adoption", on, actor, note)

    def fulfil(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Record that the adopter fulfilled the wish (圆梦: the gift was handed over).

        Args:
            on: the date of the move (not before the last event).
            actor: who records it.
            note: free text.

        Returns:
            The wish, ``fulfilled``; the adopter is kept.

        Raises:
            InvalidTransitionError: the wish is not ``adopted``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("fulfil", on, actor, note)

    def confirm(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Confirm a fulfilled wish (回访确认: the child or guardian confirms receipt).

        Args:
            on: the date of the move (not before the last event).
            actor: who confirms.
            note: free text.

        Returns:
            The wish, ``confirmed`` (final).

        Raises:
            InvalidTransitionError: the wish is not ``fulfilled``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("confirm", on, actor, note)

    def withdraw(self, on: date, actor: str, note: str = "") -> MicroWish:
        """Withdraw a wish that nobody has adopted yet (撤回).

        Args:
            on: the date of the move (not before the last event).
            actor: who withdraws it.
            note: free text (why).

        Returns:
            The wish, ``withdrawn`` (final).

        Raises:
            InvalidTransitionError: the wish is not ``collected`` or ``published``.
            InvalidInputError: ``on`` before the last event, or an empty ``actor``.
        """
        return self._move("withdraw", on, actor, note)

    def _move(self, move: str, on: date, actor: str, note: str) -> MicroWish:
        target = _WISH_LIFECYCLE.check(self.id, self.status, move)
        check_date(f"MicroWish.{move}", "on", on)
        if on < self.last_date:
            raise InvalidInputError.at(
                "on",
                f"expected a date on or after {self.last_date.isoformat()} (the last event of"
                f" micro-wish {self.id!r}), got {on.isoformat()}",
            )
        event = WishEvent(on=on, from_status=self.status, to_status=target, actor=actor, note=note)
        if target is WishStatus.ADOPTED:
            adopter: str | None = actor
        elif target in _ADOPTED_STATUSES:
            adopter = self.adopter
        else:
            adopter = None
        return attrs.evolve(self, status=target, adopter=adopter, history=(*self.history, event))

    def view_for(self, adopter_id: str) -> dict[str, str | None]:
        """What a party sees of the wish; only the live adopter sees the child's given name.

        The child's name is unmasked (given name only, e.g. ``小明`` of ``王小明``)
        when ``adopter_id`` is the adopter and the wish is ``adopted``, the window in
        which the gift is handed over; everyone else, and the adopter before and
        after, sees the masked name.

        Args:
            adopter_id: the id of the party asking.

        Returns:
            ``id``, ``child_id``, ``item``, ``category``, ``grid``, ``status`` and
            ``child_name`` (given name, masked name, or ``None`` when not recorded).

        Raises:
            InvalidArgumentError: ``adopter_id`` is not a string.
        """
        check_text("MicroWish.view_for", "adopter_id", adopter_id, "'unit-7'")
        shown: str | None = None
        if self.child_name is not None:
            shown = mask_name(self.child_name)
            if self.status is WishStatus.ADOPTED and adopter_id == self.adopter:
                shown = given_name(self.child_name) or shown
        return {
            "id": self.id,
            "child_id": self.child_id,
            "item": self.item,
            "category": self.category,
            "grid": self.grid,
            "status": self.status.value,
            "child_name": shown,
        }
