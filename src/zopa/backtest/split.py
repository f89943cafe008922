"""A fixed, seeded split of groups (e.g. legislative proposals) into train / dev / test.

Issues of one proposal share actors, timing and often the outcome's logic, so they are
not independent: a split of the *issues* would let a model see part of a proposal while
being scored on the rest. The split here assigns whole groups, within each stratum (e.g.
the legislative procedure) separately, so each part has about the same mix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np

PARTS: tuple[str, ...] = ("train", "dev", "test")


def split_groups(
    groups: Sequence[str],
    strata: Mapping[str, str] | None = None,
    *,
    fractions: tuple[float, float, float] = (0.6, 0.2, 0.2),
    seed: int,
) -> dict[str, str]:
    """Assign each group to ``train``, ``dev`` or ``test``.

    Within each stratum the groups are sorted, shuffled with
    ``numpy.random.default_rng(seed)`` (one generator, strata in sorted order) and cut
    at the cumulative fractions, rounded to the nearest whole group.

    Args:
        groups: Group names (duplicates are ignored).
        strata: Stratum of each group (all in one stratum when None).
        fractions: Shares of train, dev and test; must sum to 1.
        seed: Seed of the shuffle (record it next to the split).

    Returns:
        ``{group: part}``.
    """
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError("fractions must be three non-negative shares summing to 1")
    unique = sorted(set(groups))
    by_stratum: dict[str, list[str]] = {}
    for g in unique:
        by_stratum.setdefault(strata[g] if strata is not None else "", []).append(g)
    rng = np.random.default_rng(seed)
    out: dict[str, str] = {}
    for stratum in sorted(by_stratum):
        members = by_stratum[stratum]
        order = rng.permutation(len(members))
        n = len(members)
        cut1 = round(fractions[0] * n)
        cut2 = round((fractions[0] + fractions[1]) * n)
        for rank, k in enumerate(order):
            out[members[k]] = PARTS[0] if rank < cut1 else PARTS[1] if rank < cut2 else PARTS[2]
    return out


def write_split(path: Path | str, split: Mapping[str, str], *, header: str) -> None:
    """Write ``group;part`` lines after ``#`` comment lines holding ``header``."""
    buf = io.StringIO()
    for line in header.splitlines():
        buf.write(f"# {line}\n".replace("# \n", "#\n"))
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(["group", "part"])
    for group in sorted(split):
        writer.writerow([group, split[group]])
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


def read_split(path: Path | str) -> Mapping[str, str]:
    """Read a split written by :func:`write_split` as ``{group: part}``."""
    out: dict[str, str] = {}
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = csv.reader((line for line in lines if not line.startswith("#")), delimiter=";")
    header = next(rows, None)
    if header != ["group", "part"]:
        raise ValueError(f"{path}: expected the header 'group;part', got {header}")
    for row in rows:
        group, part = row[0].strip(), row[1].strip()
        if part not in PARTS:
            raise ValueError(f"{path}: unknown part {part!r} for {group!r}")
        out[group] = part
    return MappingProxyType(out)
