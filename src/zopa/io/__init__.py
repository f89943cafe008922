"""The boundary: reading, validating and writing user files.

Everything that parses files (YAML, JSON, CSV, XLSX) lives here; past this layer the code
may assume a valid :class:`~zopa.scenario.Scenario`.
"""

from zopa.io.atomic import atomic_write
from zopa.io.documents import MAX_FILE_BYTES, Document, read_document
from zopa.io.errors import Problem, ScenarioError
from zopa.io.scenario_file import (
    check_data,
    check_scenario,
    dump_scenario,
    load_scenario,
    save_scenario,
    scenario_to_data,
)
from zopa.io.schema import scenario_json_schema

__all__ = [
    "MAX_FILE_BYTES",
    "Document",
    "Problem",
    "ScenarioError",
    "atomic_write",
    "check_data",
    "check_scenario",
    "dump_scenario",
    "load_scenario",
    "read_document",
    "save_scenario",
    "scenario_json_schema",
    "scenario_to_data",
]
