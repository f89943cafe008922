"""Scores of a backtest per part of a fixed split, with proposal-level bootstrap intervals.

Issues of one legislative proposal are not independent, so the intervals here resample
whole proposals (a cluster bootstrap; Davison & Hinkley 1997, sec. 3.8), not issues: the
same resampled proposals for every model, so paired differences keep their pairing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.backtest.metrics import METRICS, Interval, metric_rows

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.backtest.run import Case


@dataclass(frozen=True, slots=True)
class PartScore:
    """One model's errors on one part of a split.

    Attributes:
        model: Model name.
        part: Part of the split (``train``, ``dev``, ``test``, or ``all``).
        n: Issues scored.
        metrics: ``{metric: value}`` for :data:`zopa.backtest.METRICS`.
        ci: 95 % cluster-bootstrap interval of each metric.
        diff: MAE minus the reference model's MAE on the same issues (None for the
            reference itself).
        diff_ci: Paired cluster-bootstrap interval of ``diff``.
    """

    model: str
    part: str
    n: int
    metrics: Mapping[str, float]
    ci: Mapping[str, Interval]
    diff: float | None
    diff_ci: Interval | None


def abs_errors(cases: Sequence[Case], model: str) -> NDArray[np.float64]:
    """Absolute errors (0-100 points) of ``model`` on ``cases`` (NaN where none)."""
    return np.array([c.abs_error(model) for c in cases], dtype=float)


def cluster_indices(
    clusters: Sequence[str], *, rng: np.random.Generator, n_boot: int
) -> list[NDArray[np.intp]]:
    """Case indices of ``n_boot`` replicates that resample whole clusters with replacement."""
    names = sorted(set(clusters))
    members: dict[str, list[int]] = {n: [] for n in names}
    for k, c in enumerate(clusters):
        members[c].append(k)
    arrays = [np.array(members[n], dtype=np.intp) for n in names]
    draws = rng.integers(0, len(names), size=(n_boot, len(names)))
    return [np.concatenate([arrays[j] for j in row]) for row in draws]


def _interval(values: NDArray[np.float64], level: float) -> Interval:
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return Interval(float(low), float(high))


def score_parts(
    cases: Sequence[Case],
    models: Sequence[str],
    *,
    part_of: Mapping[str, str],
    cluster_of: Mapping[str, str],
    parts: Sequence[str],
    reference: str = "compromise",
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> list[PartScore]:
    """Every model's metrics on each part, with paired differences against ``reference``.

    Args:
        cases: Scored issues (from :func:`zopa.backtest.run_backtest`).
        models: Models to score (the reference included).
        part_of: Part of each issue id (issues not listed are left out); ``"all"`` in
            ``parts`` takes every issue.
        cluster_of: Cluster (proposal) of each issue id, for the bootstrap.
        parts: Parts to score, in order.
        reference: Model the others are compared with.
        n_boot: Bootstrap replicates.
        level: Coverage of the intervals.
        seed: Seed of the bootstrap (one generator per part, seeded alike).

    Returns:
        One :class:`PartScore` per part and model that forecast at least one issue.
    """
    out: list[PartScore] = []
    for part in parts:
        chosen = [c for c in cases if part == "all" or part_of.get(c.issue) == part]
        if not chosen:
            continue
        rng = np.random.default_rng(seed)
        boots = cluster_indices([cluster_of[c.issue] for c in chosen], rng=rng, n_boot=n_boot)
        ref = abs_errors(chosen, reference)
        for model in models:
            err = abs_errors(chosen, model)
            ok = np.isfinite(err)
            if not ok.any():
                continue
            point = metric_rows(err[ok])
            reps = [metric_rows(err[b][np.isfinite(err[b])]) for b in boots]
            ci = {m: _interval(np.array([r[m] for r in reps]), level) for m in METRICS}
            diff = diff_ci = None
            if model != reference:
                both = ok & np.isfinite(ref)
                diff = float((err[both] - ref[both]).mean())
                d = err - ref
                reps_d = np.array([np.nanmean(d[b]) for b in boots])
                diff_ci = _interval(reps_d, level)
            out.append(
                PartScore(
                    model=model,
                    part=part,
                    n=int(ok.sum()),
                    metrics={m: float(v) for m, v in point.items()},
                    ci=ci,
                    diff=diff,
                    diff_ci=diff_ci,
                )
            )
    return out
