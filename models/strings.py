"""A compact on-disk column of strings: one UTF-8 blob plus offsets, memory-mapped on load."""

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import overload

import numpy as np

from models.mapped import load_mapped


class StringColumn(Sequence[str]):
    """Read-only strings backed by a byte blob and an offsets array (cheap for millions of rows)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets

    @classmethod
    def from_strings(cls, strings: Iterable[str]) -> "StringColumn":
        """Pack Python strings into a column."""
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(blob, offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, end = self._offsets[i], self._offsets[i + 1]
        return self._blob[start:end].tobytes().decode("utf-8")

    def save(self, path: Path) -> None:
        """Write `<path>.blob.npy` and `<path>.offsets.npy`."""
        np.save(f"{path}.blob.npy", self._blob)
        np.save(f"{path}.offsets.npy", self._offsets)

    @classmethod
    def load(cls, path: Path) -> "StringColumn":
        """Memory-map a column written by `save`."""
        return cls(load_mapped(f"{path}.blob.npy"), load_mapped(f"{path}.offsets.npy"))
