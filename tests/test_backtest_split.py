"""The seeded split of groups into train / dev / test."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.backtest.split import read_split, split_groups, write_split

ROOT = Path(__file__).resolve().parents[1]


def test_split_sizes_per_stratum_and_reproducible() -> None:
    groups = [f"g{k:02d}" for k in range(20)]
    strata = {g: ("COD" if k < 10 else "CNS") for k, g in enumerate(groups)}
    split = split_groups(groups, strata, fractions=(0.6, 0.2, 0.2), seed=1)
    assert split == split_groups(list(reversed(groups)), strata, seed=1)
    for stratum in ("COD", "CNS"):
        parts = [split[g] for g in groups if strata[g] == stratum]
        assert (parts.count("train"), parts.count("dev"), parts.count("test")) == (6, 2, 2)
    assert split != split_groups(groups, strata, seed=2)


def test_split_rejects_bad_fractions() -> None:
    with pytest.raises(ValueError, match="fractions"):
        split_groups(["a"], fractions=(0.5, 0.2, 0.2), seed=0)


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "split.csv"
    write_split(path, {"b": "test", "a": "train"}, header="seed 3\nline two")
    assert path.read_text(encoding="utf-8").startswith("# seed 3\n# line two\ngroup;part\na;")
    assert dict(read_split(path)) == {"a": "train", "b": "test"}


def test_shipped_deu3_split_covers_every_proposal_once() -> None:
    split = read_split(ROOT / "data" / "deu3" / "split.csv")
    proposals = {
        line.split(";")[1]
        for line in (ROOT / "data" / "deu3" / "deu3.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
    }
    assert set(split) == proposals
    assert len(proposals) == 141


def test_shipped_split_is_what_the_recorded_seed_makes() -> None:
    import csv
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_split", ROOT / "data" / "deu3" / "make_split.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with (ROOT / "data" / "deu3" / "deu3.csv").open(encoding="utf-8") as handle:
        procedure = {row["prnr"]: row["proc"] for row in csv.DictReader(handle, delimiter=";")}
    remade = split_groups(list(procedure), procedure, fractions=(0.6, 0.2, 0.2), seed=module.SEED)
    assert remade == dict(read_split(ROOT / "data" / "deu3" / "split.csv"))
