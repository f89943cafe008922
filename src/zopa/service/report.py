"""Everything at once: forecasts, deal space, tables and durability of one scenario.

:func:`report` reads each file once (the scenario, every deal file about it, the
durability parameters) and runs each analysis once; rendering the result into files is
the job of :func:`zopa.report.write_report`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.advise import AdviceResult, advise_problems
from zopa.service.deals import DealsResult, deals
from zopa.service.durability import DurabilityReport, assess
from zopa.service.errors import BadInput, argument_problem
from zopa.service.forecast import ForecastResult, forecast
from zopa.service.loading import DealFile, Loader, ScenarioFile
from zopa.service.overrides import Overrides, apply_overrides
from zopa.service.questions import Question, default_questions, load_questions
from zopa.service.results import Result
from zopa.service.simulate import SimulationResult, report_talks
from zopa.service.tables import TablesResult, table_problems, tables

if TYPE_CHECKING:
    from zopa.io.errors import Problem


@dataclass(frozen=True, eq=False)
class ReportResult(Result):
    """The analyses of one scenario, each run once.

    Attributes:
        source: The scenario file and its warnings.
        forecast: Every model's forecast with Monte Carlo ranges.
        deals: The deal space.
        tables: The table comparison (``None`` without tables).
        durability: The deals about this scenario compared (``None`` without deals).
        advice: Where each advised actor's effort pays (empty when none was asked for).
        talks: Simulated talks, one (label, simulation) per table played.
        questions: The user's questions, each answered by a section of the report.
        deal_search: Where deal files were looked for (``None`` when they were given).
        questions_file: The question file read (``None``: none).
    """

    source: ScenarioFile
    forecast: ForecastResult
    deals: DealsResult
    tables: TablesResult | None
    durability: DurabilityReport | None
    advice: tuple[AdviceResult, ...] = ()
    # simulated talks (zopa.service.simulate): (label, simulation) per table played
    talks: tuple[tuple[str, SimulationResult], ...] = ()
    questions: tuple[Question, ...] = ()
    deal_search: Path | None = None
    questions_file: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """Each part's documented JSON under its name (``tables``/``durability`` if run)."""
        out: dict[str, Any] = {
            "forecasts": self.forecast.to_dict(),
            "deals": self.deals.to_dict(),
        }
        if self.tables is not None:
            out["tables"] = self.tables.to_dict()
        if self.durability is not None:
            out["durability"] = self.durability.to_dict()
        if self.advice:
            out["advice"] = [a.to_dict() for a in self.advice]
        if self.talks:
            out["talks"] = {label: r.to_dict() for label, r in self.talks}
        return out

    def to_rows(self) -> list[dict[str, Any]]:
        """The forecasts' tidy rows (every part's are in :meth:`tidy_tables`)."""
        return self.forecast.to_rows()

    def tidy_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every part's tidy table by name: one observation per row, the same keys per table.

        ``forecasts`` (model, issue, point, low, high, ...), ``packages`` (package,
        issue, value), ``utilities`` (package, actor, utility, gain), ``tables`` (table,
        actor, utility, ...), ``durability`` (plan, year, p_hold, low, high, ...) and
        ``advice`` (advised, group, rank, actor, issue, ...), the last three only when run.
        """
        out = {
            "forecasts": self.forecast.to_rows(),
            "packages": self.deals.package_rows(),
            "utilities": self.deals.to_rows(),
        }
        if self.tables is not None:
            out["tables"] = self.tables.to_rows()
        if self.durability is not None:
            out["durability"] = self.durability.to_rows()
        if self.advice:
            out["advice"] = [
                {"advised": a.advice.actor, **row} for a in self.advice for row in a.to_rows()
            ]
        return out


DEAL_SUFFIXES = (".yaml", ".yml", ".json")
"""Files the report reads as deal files in the scenario's ``deals/`` folder."""


def default_deal_folder(scenario_path: Path | str) -> Path:
    """Where the report looks for deal files: ``<scenario folder>/deals/``."""
    return Path(scenario_path).parent / "deals"


def default_deals(scenario_path: Path | str) -> list[Path]:
    """Deal files in ``<scenario folder>/deals/``."""
    folder = default_deal_folder(Path(scenario_path).resolve())
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DEAL_SUFFIXES)


def report(
    scenario: ScenarioFile | Path | str,
    *,
    models: Sequence[str] | None = None,
    draws: int = 1000,
    tables: Mapping[str, Sequence[str]] | None = None,
    deal_files: Sequence[Path | str] | None = None,
    questions: Path | str | None = None,
    grid: int = 11,
    seed: int = 0,
    loader: Loader | None = None,
    on_checked: Callable[[], object] | None = None,
    advise: Sequence[str] = (),
    overrides: Overrides | None = None,
) -> ReportResult:
    """Analyse a scenario end to end.

    Args:
        scenario: A loaded scenario file, or its path (any known format).
        models: Models to run (default: all).
        draws: Monte Carlo draws for the forecast ranges (0: none); the durability
            analysis draws ten times as many parameters (at least 1,000).
        tables: Tables to compare, name -> actor ids (default: none).
        deal_files: Deal files to assess. ``None``: the scenario's ``deals/`` folder,
            skipping deals about other scenarios; given explicitly, a deal about another
            scenario is bad input.
        questions: A question file (default: ``<scenario name>.questions.yaml`` beside
            the scenario, when it exists).
        grid: Levels per issue of the deal space.
        seed: Seed of every random draw.
        loader: Reads files, each once (default: a new one).
        on_checked: Called once every input is checked, before any analysis runs (e.g.
            to prepare the output folder).
        advise: Actors to advise (:func:`zopa.service.advise`, its defaults, the top
            levers of each): their own moves and whom to work on.
        overrides: What-if changes to the scenario (positions, saliences, capabilities,
            actors dropped), checked like a file; every analysis runs with them.

    Raises:
        BadInput: Every problem of the files and arguments at once.
        AnalysisFailed: An analysis could not finish.
    """
    loader = loader or Loader()
    problems: list[Problem] = []
    source = scenario if isinstance(scenario, ScenarioFile) else loader.scenario(scenario)
    try:
        apply_overrides(source.scenario, overrides)  # checked before anything runs
    except BadInput as exc:
        problems += exc.problems
    if tables:
        problems += table_problems(tables, source.scenario.actor_ids)
    explicit = deal_files is not None
    paths = list(deal_files) if deal_files is not None else default_deals(source.path)
    chosen: list[DealFile] = []
    for path in paths:
        try:
            d = loader.deal(path)
        except BadInput as exc:
            problems += exc.problems
            continue
        if d.scenario_path == source.path.resolve():
            chosen.append(d)
        elif explicit:
            problems.append(
                argument_problem(
                    "deals",
                    f"a deal about {d.scenario_path}, not about {source.path}",
                    got=str(d.path),
                )
            )
    problems += _advice_problems(source, advise)
    questions_file = Path(questions) if questions is not None else None
    if questions_file is None:
        questions_file = default_questions(source.path)
    asked: tuple[Question, ...] = ()
    if questions_file is not None:
        try:
            asked = load_questions(questions_file, source.scenario)
        except BadInput as exc:
            problems += exc.problems
    if problems:
        raise BadInput(problems)
    if on_checked is not None:
        on_checked()
    forecasts = forecast(
        source.scenario,
        models=models,
        draws=draws,
        seed=seed,
        calibrated=True,
        overrides=overrides,
    )
    deal_space = deals(source.scenario, grid=grid, overrides=overrides)
    comparison = _tables(source, tables, grid, overrides) if tables else None
    durability = None
    if chosen:
        durability = assess(
            chosen,
            loader.parameters(),
            max(draws * 10, 1000),
            seed,
            compared=True,
            overrides=overrides,
        )
    changed = replace(source, scenario=apply_overrides(source.scenario, overrides))
    advice = _advice(changed, advise, grid)
    talks = report_talks(
        changed.scenario, tables or {}, draws=min(draws, 1000), seed=seed, grid=grid
    )
    search = None if explicit else default_deal_folder(source.path)
    return ReportResult(
        source,
        forecasts,
        deal_space,
        comparison,
        durability,
        advice,
        talks=talks,
        overrides=overrides or Overrides(),
        questions=asked,
        deal_search=search,
        questions_file=questions_file,
    )


# -- advice for some actors (a section of its own) -----------------------------------------
#: Levers of each group kept for the report.
ADVICE_TOP = 5


def _advice_problems(source: ScenarioFile, actors: Sequence[str]) -> list[Problem]:
    problems = []
    for actor in actors:
        problems += [
            argument_problem("advise", p.message, got=p.got, expected=p.expected)
            for p in advise_problems(
                source.scenario,
                actor=actor,
                position_step=10.0,
                salience_step=0.1,
                draws=0,
                rank_by="forecast",
                top=ADVICE_TOP,
                parties=None,
            )
        ]
    return problems


def _advice(source: ScenarioFile, actors: Sequence[str], grid: int) -> tuple[AdviceResult, ...]:
    """Each actor's advice; the deals of levers on a party's stance are found once for all."""
    from zopa.service.advise import advise

    shared: dict[tuple[object, ...], Any] = {}
    return tuple(
        advise(source.scenario, actor=a, grid=grid, top=ADVICE_TOP, deal_cache=shared)
        for a in dict.fromkeys(actors)
    )


def _tables(
    source: ScenarioFile,
    chosen: Mapping[str, Sequence[str]],
    grid: int,
    overrides: Overrides | None = None,
) -> TablesResult:
    return tables(source.scenario, chosen, grid=grid, overrides=overrides)
