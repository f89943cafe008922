"""Property-based fuzzing of the API from its own /openapi.json (schemathesis).

Bounded and derandomised: a few examples per operation, the same ones every run. No
answer may be a server error, and every answer must match the schema it is documented
with (errors included: 422 with located problems, 404/409/... with a reason).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from web_helpers import make_app

EXAMPLES = 10
"""Examples per operation (the whole run takes seconds)."""


def test_no_server_errors_and_answers_match_the_schema(tmp_path):
    app = make_app(tmp_path, max_draws=200, time_limit=20)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = []
    for found in schema.get_all_operations():
        operation = found.ok()
        if operation.path.endswith("/report"):
            continue  # renders plots for every part: too slow to fuzz, tested on its own

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call()
            case.validate_response(
                response,
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            )

        check()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert len(checked) >= 20, checked
