"""``zopa sensitivity``: which inputs drive each issue's forecast (Sobol' or Morris)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    FullOption,
    OutputFormat,
    WideOption,
    console,
    fmt_number,
    load_or_exit,
    one_line,
    output_folder_or_exit,
    print_csv,
    print_overrides,
    print_result_json,
    service_errors,
)
from zopa.cli.parsing import DropOption, SetOption, parse_overrides, parse_params
from zopa.cli.progress import (
    EXECUTOR_FLAGS,
    DaskOption,
    ProgressOption,
    WorkersOption,
    progress_bar,
    wanted,
)
from zopa.cli.views.fit import Col, FitTable, set_wide

if TYPE_CHECKING:
    from zopa.service.sensitivity import SensitivityReport

FLAGS = {
    "models": "--model",
    "params": "--param",
    "issues": "--issue",
    "samples": "--samples",
    "inputs": "",
}
"""The option of ``zopa sensitivity`` behind each argument of the service call."""

CSV_HEADERS = {
    "sobol": ["issue", "input", "label", "S1", "S1_conf", "ST", "ST_conf"],
    "morris": ["issue", "input", "label", "mu_star", "mu_star_conf", "mu", "sigma"],
}


class SensitivityMethod(StrEnum):
    """Which SALib method to run."""

    sobol = "sobol"
    morris = "morris"


class InputDistribution(StrEnum):
    """How each input is spread over its range."""

    triangular = "triangular"
    uniform = "uniform"


def _share(value: float) -> str:
    """An index in words: estimates a little outside 0..1 (sampling error) read 0% or 100%."""
    return f"{min(max(value, 0.0), 1.0):.0%}"


def _percent(value: float, conf: float) -> str:
    return f"{fmt_number(100 * value, 0)}% ± {fmt_number(100 * conf, 0)}"


def _print_summary(report: SensitivityReport) -> None:
    """One row per issue: its forecast's spread and the input that drives it most."""
    result, labels = report.result, report.labels
    sobol = result.method == "sobol"
    share = "share alone / in total" if sobol else "mu*"
    table = FitTable(
        None,
        [
            Col("issue", key=True),
            Col("forecast ± sd", "right"),
            Col("leading input", wrap=True),
            Col(share, "right"),
        ],
    )
    for r in result.issues:
        spread = f"{fmt_number(r.mean)} ± {fmt_number(r.std)}"
        suffix = f" on {report.scenario.issue(r.issue).name}"

        def short(label: str, suffix: str = suffix) -> str:
            return label.removesuffix(suffix)

        if r.note is not None:
            table.add_row(r.issue, spread, r.note, "")
        elif r.sobol:
            lead = r.ranked_sobol()[0]
            table.add_row(
                r.issue,
                spread,
                short(labels[lead.input]),
                f"{_share(lead.first_order)} / {_share(lead.total_order)}",
            )
        else:
            lead_m = r.ranked_morris()[0]
            table.add_row(r.issue, spread, short(labels[lead_m.input]), fmt_number(lead_m.mu_star))
    table.print()
    console.print(
        "leading input: the one with the largest share of the forecast's variance (Sobol' "
        "S1 alone, ST with others); --full: each issue's leading inputs with confidence",
        markup=False,
    )


def _print_tables(report: SensitivityReport, top: int, *, full: bool) -> None:
    from zopa.uncertainty.sensitivity import shown_morris, shown_sobol

    scenario, result, labels, seconds = (
        report.scenario,
        report.result,
        report.labels,
        report.seconds,
    )
    design = (
        f"{result.method}, N = {result.samples}, {result.evaluations:,} runs of "
        f"{result.model} in {seconds:.1f} s; {len(result.inputs)} inputs, "
        f"{result.distribution} within their ranges; seed {result.seed}"
    )
    console.print(f"Sensitivity — {one_line(scenario.title)}", markup=False)
    console.print(design, markup=False)
    print_overrides(report.overrides)
    if not full:
        _print_summary(report)
        return
    for r in result.issues:
        name = scenario.issue(r.issue).name
        title = f"{r.issue} — {name}: forecast {fmt_number(r.mean)} ± {fmt_number(r.std)} (sd)"
        if r.note is not None:
            console.print(f"\n{title}: {r.note}", markup=False)
            continue
        if r.sobol:
            table = FitTable(
                title,
                [
                    Col("input", key=True, wrap=True),
                    Col("alone (S1)", "right"),
                    Col("in total (ST)", "right"),
                ],
            )
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
            table = FitTable(
                title,
                [
                    Col("input", key=True, wrap=True),
                    Col("mu* (mean |effect|)", "right"),
                    Col("mu (signed)", "right"),
                    Col("sigma", "right"),
                ],
            )
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
        rest = len(result.inputs) - len(table.rows)
        if rest:
            table.caption = f"+ {rest} other input(s) with smaller effects (all in --format json)"
        console.print()
        table.print()
        console.print(f"→ {sentence}", markup=False)
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
        typer.Option(
            "--param", "-p", metavar="NAME=VALUE", help="Model parameter NAME=VALUE (repeatable)."
        ),
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
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Which inputs drive each issue's forecast: Sobol' indices or Morris screening.

    Every position with a `range` varies within it (optionally saliences and capabilities
    too), the model runs on the design in blocks of rows (on every core, --workers, or
    on Dask, --dask), and SALib splits the variance of each
    issue's forecast among the inputs: S1 = share an input explains alone, ST = share it is
    involved in with others. Morris gives the mean absolute effect over an input's range.

    By default a summary: the issues whose forecast varies most, each with its leading
    inputs; --full prints every issue.

    \b
    Examples:
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --model median
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml -m compromise \\
            -i territory
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --method morris \\
            -f json
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --salience 0.1 \\
            --plot out/sens
        zopa sensitivity scenarios/ukraine-ceasefire-2026.yaml --drop US
    """
    from zopa import service

    set_wide(wide)
    overrides, override_flags = parse_overrides(sets, drops)
    params = parse_params(param or [])
    scenario = load_or_exit(file, quiet_warnings=True).scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    show = wanted(progress)
    flags = {**FLAGS, **EXECUTOR_FLAGS, **override_flags}
    with service_errors(flags), progress_bar("rows", show=show) as on_task:
        report = service.sensitivity(
            scenario,
            model=model,
            params=params,
            issues=issue,
            method=method.value,
            samples=samples,
            distribution=distribution.value,
            salience=salience,
            capability=capability,
            seed=seed,
            workers=workers,
            dask=dask,
            progress=on_task,
            overrides=overrides,
        )
    if output is OutputFormat.json:
        print_result_json(report)
    elif output is OutputFormat.csv:
        rows = report.to_rows()
        print_csv(CSV_HEADERS[report.result.method], [list(r.values()) for r in rows])
    else:
        _print_tables(report, top, full=full)
    if plot is not None:
        from zopa.report.sensitivity import plot_sensitivity

        written = plot_sensitivity(
            scenario, report.result, plot, labels=dict(report.labels), top=max(top, 10)
        )
        if output is OutputFormat.table:
            console.print(f"wrote {len(written)} plot(s) to {plot}/")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(sensitivity)
