"""Personal identifiers: resident ID numbers, mobile numbers and names.

Each is validated on the way in and masked on the way out: ``repr`` and ``str``
show only the masked form, so an identifier cannot leak into a log line, an
exception message or a report by accident. The JSON form keeps the whole value
(the data belongs to the caller); ask for it explicitly with ``.value``.

Rules (spec §1.1): resident ID numbers follow GB 11643-1999 (18 characters, a
check character by ISO 7064 MOD 11-2, a real birth date from 1900 on, a
mainland province-level code or 81/82/83); mobile numbers are mainland
11-digit numbers ``1[3-9]\\d{9}``.
"""

from __future__ import annotations

import enum
import re
from datetime import date

import attrs

from community_care.errors import InvalidInputError

__all__ = [
    "PhoneNumber",
    "ResidentId",
    "Sex",
    "check_character",
    "mask_name",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_PHONE_SHAPE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)

# Province-level codes of the mainland, and 81/82/83 for the residence permits of
# Hong Kong, Macao and Taiwan residents (GB/T 2260, as listed in spec §1.1).
_REGION_PREFIXES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 81, 82, 83}
)


class Sex(enum.StrEnum):
    """Sex as encoded in a resident ID number (character 17: odd male, even female)."""

    MALE = "male"
    FEMALE = "female"


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number.

    Args:
        first17: exactly 17 ASCII digits.

    Returns:
        One of ``0-9`` or ``X``.

    Raises:
        InvalidInputError: if ``first17`` is not 17 ASCII digits.

    Examples:
        >>> check_character("11010519491231002")
        'X'
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidInputError.at("$", f"expected 17 ASCII digits, got {len(first17)} characters")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _mask_id(text: str) -> str:
    return text[:3] + "*" * 11 + text[-4:]


def _describe_masked(text: str) -> str:
    """A safe description of an unparseable identifier: its length only, never its digits."""
    return f"a value of {len(text)} characters"


@attrs.frozen(repr=False, eq=True, order=False, hash=True)
class ResidentId:
    """A valid 18-character resident ID number (居民身份证号码, GB 11643-1999).

    Build one with :meth:`parse`. ``repr`` and ``str`` show only the masked form.

    Examples:
        >>> rid = ResidentId.parse("11010519491231002x")
        >>> rid
        ResidentId('110***********002X')
        >>> rid.birth_date, rid.sex.value, rid.region_code
        (datetime.date(1949, 12, 31), 'female', '110105')
        >>> rid.value
        '11010519491231002X'
    """

    value: str

    @classmethod
    def parse(cls, text: str, on: date | None = None) -> ResidentId:
        """Validate ``text`` as a resident ID number.

        Surrounding whitespace (Unicode included) is stripped and a lower-case
        ``x`` becomes ``X``; nothing else is normalised (full-width digits are
        invalid).

        Args:
            text: the number as written.
            on: if given, the encoded birth date must not be after it.

        Returns:
            The validated number.

        Raises:
            InvalidInputError: naming what is wrong; the message never repeats
                the number unmasked.
            InvalidArgumentError: ``on`` is neither ``None`` nor a date.
        """
        if on is not None:
            # Imported here: the checks render values with the field builders, which use
            # this module.
            from community_care._kernel.checks import check_date

            check_date("ResidentId.parse", "on", on)
        if not isinstance(text, str):
            raise InvalidInputError.at(
                "$", f"expected a resident ID number as a string, got {type(text).__name__}"
            )
        s = text.strip()
        if s[-1:] == "x":
            s = s[:-1] + "X"
        if len(s) != 18:
            raise InvalidInputError.at(
                "$",
                f"expected an 18-character resident ID number, got {_describe_masked(s)}"
                " (15-digit numbers and other documents are not accepted)",
            )
        if not _ID_SHAPE.fullmatch(s):
            raise InvalidInputError.at(
                "$",
                "expected 17 ASCII digits and a check character 0-9 or X in a resident ID"
                f" number, got {_mask_id(s)} (full-width digits are not accepted)",
            )
        if int(s[:2]) not in _REGION_PREFIXES:
            raise InvalidInputError.at(
                "$",
                f"resident ID number {_mask_id(s)} starts with {s[:2]!r}, which is not a"
                " province-level code (11-65) nor 81/82/83",
            )
        try:
            born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        except ValueError:
            raise InvalidInputError.at(
                "$", f"resident ID number {_mask_id(s)} encodes an impossible birth date"
            ) from None
        if born.year < 1900:
            raise InvalidInputError.at(
                "$", f"resident ID number {_mask_id(s)} encodes a birth date before 1900"
            )
        if on is not None and born > on:
            raise InvalidInputError.at(
                "$",
                f"resident ID number {_mask_id(s)} encodes a birth date after {on.isoformat()}",
            )
        if check_character(s[:17]) != s[17]:
            raise InvalidInputError.at(
                "$", f"resident ID number {_mask_id(s)} has a wrong check character"
            )
        return cls(s)

    @property
    def birth_date(self) -> date:
        """The birth date encoded in characters 7-14."""
        s = self.value
        return date(int(s[6:10]), int(s[10:12]), int(s[12:14]))

    @property
    def sex(self) -> Sex:
        """The sex encoded in character 17 (odd male, even female)."""
        return Sex.MALE if int(self.value[16]) % 2 else Sex.FEMALE

    @property
    def region_code(self) -> str:
        """The six-digit administrative division code of the first registration."""
        return self.value[:6]

    @property
    def masked(self) -> str:
        """First 3 and last 4 characters kept, 11 ``*`` between."""
        return _mask_id(self.value)

    def __repr__(self) -> str:
        return f"ResidentId({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


@attrs.frozen(repr=False, eq=True, order=False, hash=True)
class PhoneNumber:
    """A mainland mobile number (11 digits, ``1[3-9]`` then 9 digits).

    Examples:
        >>> p = PhoneNumber.parse(" 13812345678 ")
        >>> p, str(p), p.value
        (PhoneNumber('138****5678'), '138****5678', '13812345678')
    """

    value: str

    @classmethod
    def parse(cls, text: str) -> PhoneNumber:
        """Validate ``text`` as a mainland mobile number (whitespace around it is stripped).

        Raises:
            InvalidInputError: naming what is wrong; never repeating the number unmasked.
        """
        if not isinstance(text, str):
            raise InvalidInputError.at(
                "$", f"expected a mobile number as a string, got {type(text).__name__}"
            )
        s = text.strip()
        if not _PHONE_SHAPE.fullmatch(s):
            shown = s[:3] + "****" + s[-4:] if len(s) == 11 else _describe_masked(s)
            raise InvalidInputError.at(
                "$",
                f"expected a mainland mobile number of 11 ASCII digits like 138****5678,"
                f" got {shown}",
            )
        return cls(s)

    @property
    def masked(self) -> str:
        """First 3 and last 4 digits kept, 4 ``*`` between."""
        return self.value[:3] + "****" + self.value[-4:]

    def __repr__(self) -> str:
        return f"PhoneNumber({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


def mask_name(name: str) -> str:
    """Mask a personal name: its first character, then ``*`` for each other character.

    A one-character name becomes ``*``; an empty name stays empty.

    Examples:
        >>> mask_name("王小明"), mask_name("李"), mask_name("Ann")
        ('王**', '*', 'A**')
    """
    if not isinstance(name, str):
        # Imported here, on the error path only: the checks render values with the field
        # helpers, which import this module (and this function is called per name).
        from community_care._kernel.checks import check_text

        check_text("mask_name", "name", name, "'王小明'")
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)
