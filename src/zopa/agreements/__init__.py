"""Deal-space analysis: which packages every party accepts, and which ones to propose.

A pure analysis package (no I/O). Start with :func:`analyse_deals`; the utility function
shared with the forecasting models is :func:`package_utility`.
"""

from zopa.agreements.analysis import DealAnalysis, analyse_deals, analyse_space
from zopa.agreements.frontier import issue_frontier, nondominated
from zopa.agreements.logrolls import Logroll, find_logrolls
from zopa.agreements.results import Relaxation, Solution, ZopaSummary
from zopa.agreements.space import DealSpace, build_space
from zopa.agreements.utility import (
    LOSSES,
    Loss,
    issue_terms,
    package_utility,
    status_quo_utility,
    utility,
)

__all__ = [
    "LOSSES",
    "DealAnalysis",
    "DealSpace",
    "Logroll",
    "Loss",
    "Relaxation",
    "Solution",
    "ZopaSummary",
    "analyse_deals",
    "analyse_space",
    "build_space",
    "find_logrolls",
    "issue_frontier",
    "issue_terms",
    "nondominated",
    "package_utility",
    "status_quo_utility",
    "utility",
]
