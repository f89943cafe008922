"""A read-only mapping that pickles, compares with any mapping, and hashes when it can.

:class:`types.MappingProxyType` is read-only but cannot be pickled or hashed, so a frozen
result holding one cannot travel to another process or be cached. :class:`FrozenMap`
keeps a private copy of its items in a ``dict`` (so insertion order is kept), offers
only the read methods of :class:`~collections.abc.Mapping`, pickles as that ``dict``,
equals every mapping with the same items, and hashes like a ``frozenset`` of its items
when every value is hashable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only copy of a mapping; equal to any mapping with the same items.

    Args:
        data: A mapping, or an iterable of ``(key, value)`` pairs, copied on creation
            (``None`` for an empty map).
    """

    __slots__ = ("_data", "_hash")

    _data: dict[K, V]
    _hash: int | None

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] | None = None) -> None:
        """Copy ``data`` into a new read-only mapping."""
        self._data = {} if data is None else dict(data)
        self._hash = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        """Hash of the items as a set (``TypeError`` when a value is unhashable)."""
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return type(self), (self._data,)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


def freeze(data: Mapping[K, V] | Iterable[tuple[K, V]] | None = None) -> FrozenMap[K, V]:
    """``data`` as a :class:`FrozenMap` (returned as it is when it already is one)."""
    return data if isinstance(data, FrozenMap) else FrozenMap(data)
