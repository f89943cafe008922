"""Per-draw outcomes of a Monte Carlo run, in memory or spooled to a temporary file.

A run of D draws keeps, per model, one number per draw and issue: D x I doubles (the
flagship's 14 issues: 112 bytes a draw and model). A :class:`OutcomeCollector` receives
them block of draws by block of draws; while they fit its memory budget it keeps them in
memory, beyond that it writes them to an unnamed temporary file (deleted when closed),
each block issue by issue, so that one issue's column can be read back on its own. The
summaries (percentiles per issue) read one issue at a time: the memory they need grows
with D, not with D x I, and the file is read, never mapped.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import weakref
from typing import IO, TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

#: Memory the per-draw outcomes of one run may take before they go to a temporary file
#: (all models together; 256 MB is about 2.4 million draws of one model on 14 issues).
MEMORY_BUDGET = 256 * 2**20

_ITEM = np.dtype(np.float64).itemsize


class DrawOutcomes:
    """The (D, I) per-draw outcomes of one model, in memory or in a temporary file.

    Read-only. Pickling loads a spooled run into memory (the copy holds an array).
    """

    def __init__(
        self,
        n_issues: int,
        *,
        array: NDArray[np.float64] | None = None,
        spool: IO[bytes] | None = None,
        blocks: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Outcomes held in ``array``, or in ``spool`` as ``blocks`` of (draws, offset).

        Args:
            n_issues: I.
            array: (D, I) outcomes in memory.
            spool: The temporary file of a spooled run.
            blocks: Its blocks: (draws, byte offset), each written issue by issue.
        """
        self._n_issues = n_issues
        self._array = None
        if array is not None:
            self._array = np.asarray(array, dtype=np.float64).reshape(-1, n_issues)
            self._array.flags.writeable = False
        self._spool = spool
        self._blocks = tuple(blocks)
        if spool is not None:
            weakref.finalize(self, spool.close)  # the file goes when the outcomes go

    @classmethod
    def from_array(cls, array: NDArray[np.float64]) -> DrawOutcomes:
        """Outcomes held in memory: a (D, I) array."""
        return cls(int(np.shape(array)[1]), array=np.asarray(array, dtype=np.float64))

    def __reduce__(self) -> tuple[object, tuple[NDArray[np.float64]]]:
        return (DrawOutcomes.from_array, (self.to_array(),))

    @property
    def n_draws(self) -> int:
        """D, the number of draws."""
        if self._array is not None:
            return int(self._array.shape[0])
        return sum(n for n, _ in self._blocks)

    @property
    def n_issues(self) -> int:
        """I, the number of issues."""
        return self._n_issues

    @property
    def spooled(self) -> bool:
        """Whether the outcomes live in a temporary file rather than in memory."""
        return self._spool is not None

    def column(self, issue: int) -> NDArray[np.float64]:
        """The D outcomes of one issue (by its index), as a new array."""
        if self._array is not None:
            return self._array[:, issue].copy()
        assert self._spool is not None
        out = np.empty(self.n_draws)
        fd, done = self._spool.fileno(), 0
        for n, offset in self._blocks:
            data = os.pread(fd, n * _ITEM, offset + issue * n * _ITEM)
            out[done : done + n] = np.frombuffer(data, dtype=np.float64)
            done += n
        return out

    def to_array(self) -> NDArray[np.float64]:
        """All outcomes as one read-only (D, I) array (in memory)."""
        if self._array is not None:
            return self._array
        out = np.empty((self.n_draws, self._n_issues))
        for k in range(self._n_issues):
            out[:, k] = self.column(k)
        out.flags.writeable = False
        return out

    def percentiles(self, levels: Sequence[float]) -> NDArray[np.float64]:
        """(len(levels), I) percentiles per issue over the draws, NaN draws ignored.

        The same numbers as ``numpy.nanpercentile(outcomes, levels, axis=0)``, computed
        one issue at a time.
        """
        out = np.full((len(levels), self._n_issues), np.nan)
        if self.n_draws == 0:
            return out
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an issue no draw could forecast
            for k in range(self._n_issues):
                out[:, k] = np.nanpercentile(self.column(k), list(levels))
        return out


class OutcomeCollector:
    """Receives one model's outcomes block by block; spools those beyond a memory budget."""

    def __init__(self, n_draws: int, n_issues: int, budget: int = MEMORY_BUDGET) -> None:
        """A collector for ``n_draws`` x ``n_issues`` outcomes.

        Args:
            n_draws: D, the draws to come.
            n_issues: I.
            budget: Bytes the outcomes may take in memory; more go to a temporary file.
        """
        self._n_issues = n_issues
        self._array: NDArray[np.float64] | None = None
        self._spool: IO[bytes] | None = None
        self._closer: weakref.finalize[..., OutcomeCollector] | None = None
        if n_draws * n_issues * _ITEM <= budget:
            self._array = np.empty((n_draws, n_issues))
        else:
            self._spool = tempfile.TemporaryFile(prefix="zopa-draws-")  # noqa: SIM115
            # closed if the run stops before finish() hands the file on
            self._closer = weakref.finalize(self, self._spool.close)
        self._blocks: list[tuple[int, int]] = []
        self._done = 0
        self._end = 0

    def add(self, outcome: NDArray[np.float64]) -> None:
        """Append a block's (n, I) outcomes (the blocks in the order of their draws)."""
        block = np.asarray(outcome, dtype=np.float64).reshape(-1, self._n_issues)
        n = block.shape[0]
        if self._array is not None:
            self._array[self._done : self._done + n] = block
        else:
            assert self._spool is not None
            data = np.ascontiguousarray(block.T).tobytes()
            self._spool.write(data)
            self._blocks.append((n, self._end))
            self._end += len(data)
        self._done += n

    def finish(self) -> DrawOutcomes:
        """Every outcome received, in order."""
        if self._array is not None:
            return DrawOutcomes(self._n_issues, array=self._array[: self._done])
        assert self._spool is not None
        assert self._closer is not None
        self._spool.flush()
        self._closer.detach()
        return DrawOutcomes(self._n_issues, spool=self._spool, blocks=self._blocks)
