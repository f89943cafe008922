"""Backtests: score forecasting models on negotiations whose outcomes are known.

Pure analysis: takes scenarios (with ``Issue.outcome``) and model names, returns
metrics with bootstrap intervals and paired comparisons. Reading files is the job of
:mod:`zopa.io` (scenario files, the DEU CSV layout) and printing that of the CLI.
"""

from zopa.backtest.baselines import BASELINES, baseline, status_quo, unweighted_mean
from zopa.backtest.metrics import (
    METRICS,
    ErrorSummary,
    Interval,
    PairedComparison,
    metric_rows,
    paired_comparison,
    summarise,
)
from zopa.backtest.run import BacktestResult, Case, Failure, result_json, run_backtest

__all__ = [
    "BASELINES",
    "METRICS",
    "BacktestResult",
    "Case",
    "ErrorSummary",
    "Failure",
    "Interval",
    "PairedComparison",
    "baseline",
    "metric_rows",
    "paired_comparison",
    "result_json",
    "run_backtest",
    "status_quo",
    "summarise",
    "unweighted_mean",
]
