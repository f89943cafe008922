"""One function per analysis: what the command line, the web app and notebooks all call.

Each function takes already-loaded inputs (or paths, read through one :class:`Loader`),
runs its analysis, and returns a typed, frozen result with ``to_dict()`` (the documented
JSON), ``to_json()``, ``to_rows()`` and ``to_frame()`` (a tidy table). Only two
exceptions leave this layer: :class:`BadInput` (every located problem at once) and
:class:`AnalysisFailed` (one line saying why).

Example::

    from zopa import service

    flagship = service.load_scenario("scenarios/ukraine-ceasefire-2026.yaml").scenario
    result = service.forecast(flagship, models=["median", "nash"], draws=500, seed=1)
    print(result.to_frame())
"""

from zopa.service.advise import AdviceResult, advise
from zopa.service.backtest import BacktestReport, backtest, load_cases
from zopa.service.deals import DealsResult, deals
from zopa.service.durability import DurabilityReport, compare, durability
from zopa.service.errors import AnalysisFailed, BadInput
from zopa.service.forecast import ForecastResult, forecast
from zopa.service.loading import DealFile, Loader, ScenarioFile, load_deal, load_scenario
from zopa.service.overrides import Override, Overrides, with_overrides
from zopa.service.report import ReportResult, report
from zopa.service.runs import RunList, RunResult, list_runs, load_run
from zopa.service.sensitivity import SensitivityReport, sensitivity
from zopa.service.simulate import SimulationResult, simulate
from zopa.service.sweep import SweepResult, sweep
from zopa.service.tables import TablesResult, tables
from zopa.service.validation import ValidationResult, validate

__all__ = [
    "AdviceResult",
    "AnalysisFailed",
    "BacktestReport",
    "BadInput",
    "DealFile",
    "DealsResult",
    "DurabilityReport",
    "ForecastResult",
    "Loader",
    "Override",
    "Overrides",
    "ReportResult",
    "RunList",
    "RunResult",
    "ScenarioFile",
    "SensitivityReport",
    "SimulationResult",
    "SweepResult",
    "TablesResult",
    "ValidationResult",
    "advise",
    "backtest",
    "compare",
    "deals",
    "durability",
    "forecast",
    "list_runs",
    "load_cases",
    "load_deal",
    "load_run",
    "load_scenario",
    "report",
    "sensitivity",
    "simulate",
    "sweep",
    "tables",
    "validate",
    "with_overrides",
]
