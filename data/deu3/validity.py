"""The DEU III validity study behind docs/validity.md, in two stages.

    .venv/bin/python data/deu3/validity.py develop   # fit on train, compare on dev
    .venv/bin/python data/deu3/validity.py test      # refit on train+dev, score test once

``develop`` never reads a test outcome: it scores the registered models on the train and
dev proposals, fits the candidates and the calibration on train, compares their variants
on dev and writes the choices to data/deu3/choices.json. ``test`` reads those choices,
refits on train+dev, scores every model and candidate on the test proposals once, and
writes data/deu3/fits.json and src/zopa/uncertainty/deu3_calibration.json. Both print
Markdown tables.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from zopa.backtest import BASELINES, run_backtest
from zopa.backtest.candidates import (
    ProceduralCompromise,
    WeightedSums,
    fit_convex_lad,
    fit_procedural,
)
from zopa.backtest.run import Case
from zopa.backtest.split import read_split
from zopa.backtest.validity import PartScore, score_parts
from zopa.io.deu import load_capabilities, load_deu, read_deu_columns
from zopa.models import available_models
from zopa.uncertainty.calibration import (
    LEVELS,
    calibration_to_json,
    fit_model_calibration,
    position_spread,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHOICES = HERE / "choices.json"
SEED = 0
N_BOOT = 2000
REFERENCE = "compromise"
STACK_VARIANTS: dict[str, tuple[str, ...]] = {
    "all": ("compromise", "median", "nash", "eum", "smp", "exchange", "unweighted_mean", "rp"),
    "small": ("compromise", "median", "rp"),
}
GAMMAS: tuple[float | None, ...] = (None, 5.0, 10.0, 20.0, 40.0)
BANDS = {0.8: (0.76, 0.84), 0.9: (0.86, 0.94)}


@dataclasses.dataclass
class Study:
    """Forecasts and per-issue facts of the whole dataset."""

    cases: list[Case]
    part: dict[str, str]
    proposal: dict[str, str]
    spread: dict[str, float]
    sums: dict[str, tuple[np.ndarray, np.ndarray, bool, float]]
    models: tuple[str, ...]


def load_study() -> Study:
    """Run every registered model on DEU III (grouped by proposal, Council weights)."""
    split = read_split(HERE / "split.csv")
    meta = read_deu_columns(HERE / "deu3.csv", ("prnr", "proc"))
    scenarios = load_deu(
        HERE / "deu3.csv", capabilities=load_capabilities(HERE / "council-votes.csv")
    )
    models = available_models()
    result = run_backtest(scenarios, models, n_boot=0, seed=SEED)
    spread: dict[str, float] = {}
    sums: dict[str, tuple[np.ndarray, np.ndarray, bool, float]] = {}
    for sc in scenarios:
        view = sc.arrays()
        sp = position_spread(view)[0]
        w = view.weight[0] * view.has_stance
        x = view.position[0]
        group = np.array([1 if a == "com" else 2 if a == "ep" else 0 for a in view.actor_ids])
        for k, issue in enumerate(sc.issues):
            spread[issue.id] = float(sp[k])
            s = np.array([(w[group == g, k] * x[group == g, k]).sum() for g in range(3)])
            ww = np.array([w[group == g, k].sum() for g in range(3)])
            rp = issue.status_quo if issue.status_quo is not None else float("nan")
            sums[issue.id] = (s, ww, meta[issue.id]["proc"] == "COD", rp)
    cases = []
    for c in result.cases:
        sq = c.forecasts["status_quo"]
        extra = {"rp": sq if np.isfinite(sq) else c.forecasts[REFERENCE]}
        cases.append(dataclasses.replace(c, forecasts={**c.forecasts, **extra}))
    return Study(
        cases=cases,
        part={i: split[m["prnr"]] for i, m in meta.items()},
        proposal={i: m["prnr"] for i, m in meta.items()},
        spread=spread,
        sums=sums,
        models=models,
    )


def subset(study: Study, parts: tuple[str, ...]) -> list[Case]:
    """Cases of the given parts."""
    return [c for c in study.cases if study.part[c.issue] in parts]


def weighted_sums(study: Study, cases: list[Case]) -> WeightedSums:
    """The procedural model's inputs for ``cases``."""
    rows = [study.sums[c.issue] for c in cases]
    return WeightedSums(
        sums=np.array([r[0] for r in rows]),
        weights=np.array([r[1] for r in rows]),
        codecision=np.array([r[2] for r in rows]),
        reference=np.array([r[3] for r in rows]),
    )


def with_forecasts(cases: list[Case], name: str, values: np.ndarray) -> list[Case]:
    """Cases with one more forecast column."""
    return [
        dataclasses.replace(c, forecasts={**c.forecasts, name: float(v)})
        for c, v in zip(cases, values, strict=True)
    ]


def stack_matrix(cases: list[Case], columns: tuple[str, ...]) -> np.ndarray:
    """(n, m) forecasts of the stacked columns."""
    return np.array([[c.forecasts[m] for m in columns] for c in cases])


def outcomes(cases: list[Case]) -> np.ndarray:
    """(n,) outcomes."""
    return np.array([c.outcome for c in cases])


def fit_candidates(
    study: Study, train: list[Case], stack_variant: str
) -> tuple[np.ndarray, ProceduralCompromise]:
    """Stacking weights and procedural parameters fitted on ``train``."""
    columns = STACK_VARIANTS[stack_variant]
    weights = fit_convex_lad(stack_matrix(train, columns), outcomes(train))
    procedural = fit_procedural(weighted_sums(study, train), outcomes(train))
    return weights, procedural


def add_candidates(
    study: Study,
    cases: list[Case],
    stacks: dict[str, np.ndarray],
    procedural: ProceduralCompromise,
) -> list[Case]:
    """Cases with the candidates' forecasts added."""
    for variant, weights in stacks.items():
        cases = with_forecasts(
            cases, f"stack_{variant}", stack_matrix(cases, STACK_VARIANTS[variant]) @ weights
        )
    return with_forecasts(cases, "procedural", procedural.predict(weighted_sums(study, cases)))


def table(scores: list[PartScore], title: str) -> str:
    """A Markdown table of part scores."""
    lines = [
        f"**{title}**",
        "",
        "| model | part | n | MAE [95% CI] | RMSE | median AE | within 10 "
        "| MAE − compromise [95% CI] |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scores:
        ci = s.ci["mae"]
        diff = (
            "—"
            if s.diff is None or s.diff_ci is None
            else f"{s.diff:+.2f} [{s.diff_ci.low:+.2f}, {s.diff_ci.high:+.2f}]"
        )
        lines.append(
            f"| {s.model} | {s.part} | {s.n} | {s.metrics['mae']:.2f} [{ci.low:.1f}, {ci.high:.1f}]"
            f" | {s.metrics['rmse']:.2f} | {s.metrics['median_ae']:.2f}"
            f" | {s.metrics['within_10']:.0%} | {diff} |"
        )
    return "\n".join(lines) + "\n"


def coverage(
    study: Study, fit_cases: list[Case], eval_cases: list[Case], model: str, gamma: float | None
) -> dict[float, tuple[float, float]]:
    """{level: (coverage, mean width)} of a calibration fitted and evaluated on cases."""
    err_fit = np.array([c.abs_error(model) for c in fit_cases])
    sp_fit = np.array([study.spread[c.issue] for c in fit_cases])
    cal = fit_model_calibration(model, err_fit, sp_fit, gamma=gamma)
    err = np.array([c.abs_error(model) for c in eval_cases])
    sp = np.array([study.spread[c.issue] for c in eval_cases])
    point = np.array([c.forecasts[model] for c in eval_cases])
    out = {}
    for level in LEVELS:
        half = cal.half_width(level, sp)
        low, high = np.maximum(point - half, 0.0), np.minimum(point + half, 100.0)
        ok = np.isfinite(err)
        out[level] = (float((err[ok] <= half[ok]).mean()), float((high - low)[ok].mean()))
    return out


def choose_gamma(results: dict[float | None, dict[float, tuple[float, float]]]) -> float | None:
    """Narrowest gamma whose coverage is in both bands; else the one nearest nominal."""
    inside = [
        g
        for g, r in results.items()
        if all(BANDS[lv][0] <= r[lv][0] <= BANDS[lv][1] for lv in LEVELS)
    ]
    if inside:
        return min(inside, key=lambda g: sum(results[g][lv][1] for lv in LEVELS))
    return min(results, key=lambda g: sum(abs(results[g][lv][0] - lv) for lv in LEVELS))


def develop(study: Study) -> None:
    """Scores on train and dev, candidate and calibration choices on dev."""
    train, dev = subset(study, ("train",)), subset(study, ("dev",))
    names = [*study.models, *BASELINES]
    common = {"cluster_of": study.proposal, "n_boot": N_BOOT, "seed": SEED}
    print(
        table(
            score_parts(train + dev, names, part_of=study.part, parts=("train", "dev"), **common),
            "Registered models, train and dev",
        )
    )
    stacks = {}
    for variant in STACK_VARIANTS:
        stacks[variant], procedural = fit_candidates(study, train, variant)
    both = add_candidates(study, train + dev, stacks, procedural)
    cand_names = [REFERENCE, *(f"stack_{v}" for v in STACK_VARIANTS), "procedural"]
    print(
        table(
            score_parts(both, cand_names, part_of=study.part, parts=("train", "dev"), **common),
            "Candidates fitted on train",
        )
    )
    for variant, w in stacks.items():
        print(
            f"stack_{variant} weights:",
            dict(zip(STACK_VARIANTS[variant], np.round(w, 3).tolist(), strict=True)),
        )
    print("procedural:", procedural)
    dev_mae = {
        v: float(
            np.nanmean([c.abs_error(f"stack_{v}") for c in both if study.part[c.issue] == "dev"])
        )
        for v in STACK_VARIANTS
    }
    stack_choice = min(dev_mae, key=lambda v: dev_mae[v])
    print("\nstack variant chosen on dev:", stack_choice, dev_mae)
    gammas: dict[str, Any] = {}
    print("\n| model | gamma | dev coverage 80% | width 80% | dev coverage 90% | width 90% |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for model in study.models:
        results = {g: coverage(study, train, dev, model, g) for g in GAMMAS}
        for g, r in results.items():
            print(
                f"| {model} | {g} | {r[0.8][0]:.1%} | {r[0.8][1]:.1f} "
                f"| {r[0.9][0]:.1%} | {r[0.9][1]:.1f} |"
            )
        gammas[model] = choose_gamma(results)
    print("\ngamma chosen on dev:", gammas)
    CHOICES.write_text(
        json.dumps({"stack_variant": stack_choice, "gamma": gammas}, indent=2) + "\n",
        encoding="utf-8",
    )


def test(study: Study) -> None:
    """Refit on train+dev with the recorded choices, score the test part once."""
    choices = json.loads(CHOICES.read_text(encoding="utf-8"))
    fit = subset(study, ("train", "dev"))
    tst = subset(study, ("test",))
    variant = choices["stack_variant"]
    weights, procedural = fit_candidates(study, fit, variant)
    cases = add_candidates(study, tst, {variant: weights}, procedural)
    names = [*study.models, *BASELINES, f"stack_{variant}", "procedural"]
    common = {"cluster_of": study.proposal, "n_boot": N_BOOT, "seed": SEED}
    print(
        table(
            score_parts(cases, names, part_of=study.part, parts=("test",), **common),
            "Test proposals (scored once)",
        )
    )
    calibrations = {}
    print(
        "| model | gamma | n (train+dev) | test coverage 80% | width 80% "
        "| test coverage 90% | width 90% |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for model in study.models:
        gamma = choices["gamma"][model]
        err = np.array([c.abs_error(model) for c in fit])
        sp = np.array([study.spread[c.issue] for c in fit])
        calibrations[model] = fit_model_calibration(model, err, sp, gamma=gamma)
        r = coverage(study, fit, tst, model, gamma)
        print(
            f"| {model} | {gamma} | {calibrations[model].n} | {r[0.8][0]:.1%} "
            f"| {r[0.8][1]:.1f} | {r[0.9][0]:.1%} | {r[0.9][1]:.1f} |"
        )
    meta = {
        "data": "DEU III (Arregui & Perarnaud 2021, CC BY 4.0), data/deu3/deu3.csv",
        "fitted_on": "train and dev proposals of data/deu3/split.csv",
        "capabilities": "data/deu3/council-votes.csv, institutions: largest-member",
        "method": "split-conformal, score |error| / (spread + gamma), or |error| if gamma is null",
        "script": "data/deu3/validity.py test",
    }
    (ROOT / "src" / "zopa" / "uncertainty" / "deu3_calibration.json").write_text(
        calibration_to_json(calibrations, meta), encoding="utf-8"
    )
    fits = {
        "fitted_on": "train and dev proposals of data/deu3/split.csv",
        f"stack_{variant}": dict(
            zip(STACK_VARIANTS[variant], weights.round(6).tolist(), strict=True)
        ),
        "procedural": dataclasses.asdict(procedural),
    }
    (HERE / "fits.json").write_text(json.dumps(fits, indent=2) + "\n", encoding="utf-8")
    print("\nfits:", fits)


if __name__ == "__main__":
    stage = sys.argv[1] if len(sys.argv) > 1 else ""
    if stage not in ("develop", "test"):
        raise SystemExit("usage: validity.py develop|test")
    study = load_study()
    develop(study) if stage == "develop" else test(study)
