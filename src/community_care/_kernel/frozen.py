"""A read-only mapping that results can hold and still be pickled (private).

``types.MappingProxyType`` keeps a frozen result from being changed through its
mappings, but it cannot be pickled, so a plan holding one could not cross a
process (``multiprocessing``, ``concurrent.futures.ProcessPoolExecutor``, dask)
or be cached by a notebook. :class:`FrozenMapping` is read-only in the same way,
and pickles, copies and hashes.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import TypeVar, overload

__all__ = ["FrozenMapping"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenMapping(Mapping[_K, _V]):
    """A read-only mapping over its own copy of the items, in their order.

    It compares equal to any mapping with the same items (as ``dict`` and
    ``MappingProxyType`` do), hashes when its values do, and pickles. Its plain
    form (``unstructure``, ``to_json``) is the JSON object of its items.

    Examples:
        >>> m = FrozenMapping({"health": 3, "home": 1})
        >>> m["health"], len(m), m == {"home": 1, "health": 3}
        (3, 2, True)
        >>> m
        FrozenMapping({'health': 3, 'home': 1})
        >>> m["social"] = 2
        Traceback (most recent call last):
        ...
        TypeError: 'FrozenMapping' object does not support item assignment
    """

    __slots__ = ("_items",)

    _items: dict[_K, _V]

    @overload
    def __init__(self) -> None: ...

    @overload
    def __init__(self, items: Mapping[_K, _V] | Iterable[tuple[_K, _V]]) -> None: ...

    def __init__(self, items: Mapping[_K, _V] | Iterable[tuple[_K, _V]] = ()) -> None:
        # A copy: the caller's dict may change later, this mapping never does.
        object.__setattr__(self, "_items", dict(items))

    @classmethod
    def adopt(cls, items: dict[_K, _V]) -> FrozenMapping[_K, _V]:
        """Wrap a dict that nothing else holds, without copying it (for hot paths)."""
        new = object.__new__(cls)
        object.__setattr__(new, "_items", items)
        return new

    def __getitem__(self, key: _K) -> _V:
        return self._items[key]

    def __iter__(self) -> Iterator[_K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __reversed__(self) -> Iterator[_K]:
        return reversed(self._items)

    # The dict's own views: read-only, and faster than the ABC's.
    def keys(self) -> KeysView[_K]:
        """The keys, in order."""
        return self._items.keys()

    def values(self) -> ValuesView[_V]:
        """The values, in key order."""
        return self._items.values()

    def items(self) -> ItemsView[_K, _V]:
        """The ``(key, value)`` pairs, in order."""
        return self._items.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMapping):
            return self._items == other._items
        if isinstance(other, dict):
            return self._items == other
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        # Equal mappings hash alike whatever their order; unhashable values raise TypeError.
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenMapping[_K, _V]], tuple[dict[_K, _V]]]:
        # Rebuilt through ``__init__``, so an unpickled mapping owns a fresh dict.
        return (type(self), (self._items,))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__!r} object is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__!r} object is read-only")
