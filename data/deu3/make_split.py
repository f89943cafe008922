"""Make data/deu3/split.csv: a fixed split of the DEU III proposals into train/dev/test.

Run once, from the repository root: ``.venv/bin/python data/deu3/make_split.py``.
Whole proposals (``prnr``) go to one part, stratified by procedure (``proc``); 60 % train,
20 % dev, 20 % test of the proposals in each procedure, shuffled with the seed below.
Rerunning it reproduces the committed file byte for byte.
"""

from __future__ import annotations

import csv
from pathlib import Path

from zopa.backtest.split import split_groups, write_split

SEED = 20261206
"""Seed of the shuffle (the date the split was made)."""

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Read deu3.csv, split its proposals, write split.csv."""
    with (HERE / "deu3.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    procedure = {row["prnr"]: row["proc"] for row in rows}
    split = split_groups(list(procedure), procedure, fractions=(0.6, 0.2, 0.2), seed=SEED)
    counts = {
        part: (
            sum(1 for p in split.values() if p == part),
            sum(1 for row in rows if split[row["prnr"]] == part),
        )
        for part in ("train", "dev", "test")
    }
    header = "\n".join(
        [
            "Fixed split of the DEU III proposals (prnr) into train / dev / test.",
            f"Made by data/deu3/make_split.py with seed {SEED}; stratified by procedure;",
            "60/20/20 per cent of the proposals. Made before any model was fitted or chosen",
            "on this data. The test part is scored once per model version (docs/validity.md).",
            "proposals/issues: "
            + ", ".join(f"{part} {n_p}/{n_i}" for part, (n_p, n_i) in counts.items()),
        ]
    )
    write_split(HERE / "split.csv", split, header=header)


if __name__ == "__main__":
    main()
