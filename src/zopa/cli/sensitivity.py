"""``zopa sensitivity``: which inputs drive each issue's forecast (Sobol' or Morris)."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from zopa.cli.common import (
    EXIT_ANALYSIS_FAILED,
    FormatOption,
    OutputFormat,
    console,
    fail,
    fmt_number,
    load_or_exit,
    output_folder_or_exit,
    print_csv,
    print_json,
)
from zopa.cli.forecast import parse_params, resolve_models
from zopa.models import make_model

if TYPE_CHECKING:
    from zopa.scenario import Scenario
    from zopa.uncertainty.sensitivity import SensitivityInput, SensitivityResult, SobolIndex


class SensitivityMethod(StrEnum):
    """Which SALib method to run."""

    sobol = "sobol"
    morris = "morris"


class InputDistribution(StrEnum):
    """How each input is spread over its range."""

    triangular = "triangular"
    uniform = "uniform"


DEFAULT_SAMPLES = {SensitivityMethod.sobol: 512, SensitivityMethod.morris: 64}


def input_label(scenario: Scenario, item: SensitivityInput) -> str:
    """An input in words: "Russia's position on Territory"."""
    name = scenario.actor(item.actor).name
    actor = f"{name}'" if name.endswith("s") else f"{name}'s"
    if item.kind == "capability":
        return f"{actor} capability"
    issue = scenario.issue(str(item.issue)).name
    noun = "position on" if item.kind == "position" else "salience of"
    return f"{actor} {noun} {issue}"


def sensitivity_json(
    scenario: Scenario, result: SensitivityResult, labels: dict[str, str], seconds: float
) -> dict[str, Any]:
    """The documented JSON result of ``zopa sensitivity``."""
    issues: dict[str, Any] = {}
    for r in result.issues:
        entry: dict[str, Any] = {
            "name": scenario.issue(r.issue).name,
            "mean": r.mean,
            "std": r.std,
            "note": r.note,
        }
        if r.sobol:
            entry["indices"] = [
                {
                    "input": s.input,
                    "label": labels[s.input],
                    "S1": s.first_order,
                    "S1_conf": s.first_order_conf,
                    "ST": s.total_order,
                    "ST_conf": s.total_order_conf,
                }
                for s in r.ranked_sobol()
            ]
        elif r.morris:
            entry["indices"] = [
                {
                    "input": m.input,
                    "label": labels[m.input],
                    "mu_star": m.mu_star,
                    "mu_star_conf": m.mu_star_conf,
                    "mu": m.mu,
                    "sigma": m.sigma,
                }
                for m in r.ranked_morris()
            ]
        issues[r.issue] = entry
    return {
        "scenario": scenario.title,
        "model": result.model,
        "method": result.method,
        "distribution": result.distribution,
        "samples": result.samples,
        "evaluations": result.evaluations,
        "seed": result.seed,
        "seconds": round(seconds, 3),
        "inputs": [
            {
                "name": x.name,
                "label": labels[x.name],
                "kind": x.kind,
                "actor": x.actor,
                "issue": x.issue,
                "low": x.low,
                "mode": x.mode,
                "high": x.high,
            }
            for x in result.inputs
        ],
        "issues": issues,
    }


def _csv_rows(
    result: SensitivityResult, labels: dict[str, str]
) -> tuple[list[str], list[list[Any]]]:
    if result.method == "sobol":
        header = ["issue", "input", "label", "S1", "S1_conf", "ST", "ST_conf"]
        rows = [
            [r.issue, s.input, labels[s.input], *_sobol_values(s)]
            for r in result.issues
            for s in r.ranked_sobol()
        ]
    else:
        header = ["issue", "input", "label", "mu_star", "mu_star_conf", "mu", "sigma"]
        rows = [
            [r.issue, m.input, labels[m.input], m.mu_star, m.mu_star_conf, m.mu, m.sigma]
            for r in result.issues
            for m in r.ranked_morris()
        ]
    return header, rows


def _sobol_values(s: SobolIndex) -> list[float]:
    return [s.first_order, s.first_order_conf, s.total_order, s.total_order_conf]


def _share(value: float) -> str:
    """An index in words: estimates a little outside 0..1 (sampling error) read 0% or 100%."""
    return f"{min(max(value, 0.0), 1.0):.0%}"


def _percent(value: float, conf: float) -> str:
    return f"{fmt_number(100 * value, 0)}% ± {fmt_number(100 * conf, 0)}"


def _print_tables(
    scenario: Scenario,
    result: SensitivityResult,
    labels: dict[str, str],
    top: int,
    seconds: float,
) -> None:
    from zopa.uncertainty.sensitivity import shown_morris, shown_sobol

    design = (
        f"{result.method}, N = {result.samples}, {result.evaluations:,} runs of "
        f"{result.model} in {seconds:.1f} s; {len(result.inputs)} inputs, "
        f"{result.distribution} within their ranges; seed {result.seed}"
    )
    console.print(f"Sensitivity — {scenario.title}", markup=False)
    console.print(design, markup=False)
    for r in result.issues:
        name = scenario.issue(r.issue).name
        title = f"{r.issue} — {name}: forecast {fmt_number(r.mean)} ± {fmt_number(r.std)} (sd)"
        if r.note is not None:
            console.print(f"\n{title}: {r.note}", markup=False)
            continue
        table = Table(title=title, title_justify="left")
        table.add_column("input")
        if r.sobol:
            table.add_column("alone (S1)", justify="right")
            table.add_column("in total (ST)", justify="right")
            for s in shown_sobol(r, top):
                table.add_row(
                    labels[s.input],
                    _percent(s.first_order, s.first_order_conf),
                    _percent(s.total_order, s.total_order_conf),
                )
            lead = r.ranked_sobol()[0]
            sentence = (
                f"{labels[lead.input]} drives {_share(lead.total_order)} of the variance of the "
                f"{result.model} forecast ({_share(lead.first_order)} on its own)."
            )
        else:
            table.add_column("mu* (mean |effect|)", justify="right")
            table.add_column("mu (signed)", justify="right")
            table.add_column("sigma", justify="right")
            for m in shown_morris(r, top):
                table.add_row(
                    labels[m.input],
                    f"{fmt_number(m.mu_star)} ± {fmt_number(m.mu_star_conf)}",
                    fmt_number(m.mu),
                    fmt_number(m.sigma),
                )
            lead_m = r.ranked_morris()[0]
            sentence = (
                f"Moving {labels[lead_m.input]} across its range moves the {result.model} "
                f"forecast by {lead_m.mu_star:.1f} points on average."
            )
        rest = len(result.inputs) - table.row_count
        if rest:
            table.caption = f"+ {rest} other input(s) with smaller effects (all in --format json)"
            table.caption_justify = "left"
        console.print()
        console.print(table)
        console.print(sentence, markup=False)
    if result.method == "sobol":
        console.print(
            "\nS1: share of the forecast's variance the input explains on its own; ST: share it "
            "is involved in, alone or with others (ST - S1 = interactions). ± = 95% confidence.",
            markup=False,
        )
    else:
        console.print(
            "\nmu*: mean absolute change of the forecast (scale points) when the input moves "
            "over its range; sigma large next to mu*: non-linear or interacting. "
            "± = 95% confidence.",
            markup=False,
        )


def sensitivity(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON or a table format).")],
    model: Annotated[
        str, typer.Option("--model", "-m", help="Model whose forecasts are analysed.")
    ] = "median",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Model parameter NAME=VALUE (repeatable)."),
    ] = None,
    issue: Annotated[
        list[str] | None,
        typer.Option("--issue", "-i", help="Issue to analyse (repeatable; default all)."),
    ] = None,
    method: Annotated[
        SensitivityMethod,
        typer.Option("--method", help="sobol (variance shares) or morris (cheaper screening)."),
    ] = SensitivityMethod.sobol,
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples",
            "-n",
            min=2,
            help="Sobol': base samples N, a power of 2 (default 512; N (k+2) runs for k "
            "inputs). Morris: trajectories (default 64; N (k+1) runs).",
        ),
    ] = None,
    distribution: Annotated[
        InputDistribution,
        typer.Option(
            "--distribution",
            help="Spread of each input over its range: triangular (mode at the stated value, "
            "as in forecast --draws) or uniform.",
        ),
    ] = InputDistribution.triangular,
    salience: Annotated[
        float,
        typer.Option("--salience", min=0.0, help="Also vary every salience by ± this (e.g. 0.1)."),
    ] = 0.0,
    capability: Annotated[
        float,
        typer.Option(
            "--capability",
            min=0.0,
            help="Also vary every capability by ± this fraction of itself (e.g. 0.2 = ±20%).",
        ),
    ] = 0.0,
    top: Annotated[int, typer.Option("--top", min=1, help="Inputs shown per issue.")] = 5,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the design and bootstrap.")
    ] = 0,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Write a bar chart per issue here (sensitivity-MODEL-METHOD-ISSUE.png)."
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Which inputs drive each issue's forecast: Sobol' indices or Morris screening.

    Every position with a `range` varies within it (optionally saliences and capabilities
    too), the model runs once on the whole design, and SALib splits the variance of each
    issue's forecast among the inputs: S1 = share an input explains alone, ST = share it is
    involved in with others. Morris gives the mean absolute effect over an input's range.

    Examples:
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --model median
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml -m compromise -i territory
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --method morris --format json
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --salience 0.1 --plot out/sens
    """
    from zopa.uncertainty.sensitivity import analyse_sensitivity, sensitivity_inputs

    scenario = load_or_exit(file, quiet_warnings=True)
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    (name,) = resolve_models([model])
    params = parse_params(param or [], [name])[name]
    try:
        forecaster = make_model(name, **params)
    except (TypeError, ValueError) as exc:
        fail(f"model {name}: {exc}")
    unknown = [i for i in issue or [] if i not in scenario.issue_ids]
    if unknown:
        known = ", ".join(scenario.issue_ids)
        fail(f"--issue: unknown issue(s) {', '.join(unknown)}; known: {known}")
    n = DEFAULT_SAMPLES[method] if samples is None else samples
    if method is SensitivityMethod.sobol and n & (n - 1):
        fail(f"--samples: Sobol' needs a power of 2 (e.g. 256, 512, 1024), got {n}")
    view = scenario.arrays()
    inputs = sensitivity_inputs(view, salience_spread=salience, capability_spread=capability)
    if not inputs:
        fail(
            "nothing varies: give stances a `range` (or vary saliences with --salience, "
            "capabilities with --capability)"
        )
    started = time.perf_counter()
    try:
        result = analyse_sensitivity(
            view,
            forecaster,
            inputs=inputs,
            method=method.value,
            samples=n,
            seed=seed,
            distribution=distribution.value,
            issues=list(dict.fromkeys(issue)) if issue else None,
        )
    except (ValueError, ArithmeticError) as exc:
        fail(f"sensitivity analysis of {name} failed: {exc}", EXIT_ANALYSIS_FAILED)
    seconds = time.perf_counter() - started

    labels = {x.name: input_label(scenario, x) for x in result.inputs}
    if output is OutputFormat.json:
        print_json(sensitivity_json(scenario, result, labels, seconds))
    elif output is OutputFormat.csv:
        print_csv(*_csv_rows(result, labels))
    else:
        _print_tables(scenario, result, labels, top, seconds)
    if plot is not None:
        from zopa.report.sensitivity import plot_sensitivity

        written = plot_sensitivity(scenario, result, plot, labels=labels, top=max(top, 10))
        if output is OutputFormat.table:
            console.print(f"wrote {len(written)} plot(s) to {plot}/")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(sensitivity)
