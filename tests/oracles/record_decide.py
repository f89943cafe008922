"""Record the Decide package's outputs that the oracle tests compare zopa against.

Decide (``decide-exchange-model`` 2022.1.28, import name ``decide``) pins numpy 1.23 and
cannot be installed with zopa, so the tests compare zopa against outputs recorded here;
the live comparisons still run (and check that these recordings are current) wherever
Decide is importable. Run from the repository root, in an environment where ``decide``
imports (``pip install --no-deps decide-exchange-model==2022.1.28``, see
docs/models/exchange.md)::

    PYTHONPATH=src python tests/oracles/record_decide.py

It writes, under tests/fixtures/oracles/decide/:

- ``exchange-equalgain.json``: for every case of ``exchange-cases.json``, Decide's
  equal-gain model run for the file's rounds with its cumulative-move check switched off
  and ties broken after ``random.seed(0)`` (see tests/decide_oracle.py): the outcome of
  every issue after every round, every executed exchange, how often Decide applied its
  outcome cap, and how many exact ties it met.
- ``decide-reader.json``: the file zopa's Decide writer writes for ``writer-input.yaml``,
  and what Decide's own reader (``decide.data.reader.InputDataFile``) reads from it.

The file is named so that pytest does not collect it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
OUT = TESTS / "fixtures" / "oracles" / "decide"
COMMAND = "PYTHONPATH=src python tests/oracles/record_decide.py"

sys.path.insert(0, str(TESTS))

from decide_oracle import decide_reads, load_exchange_cases, run_decide  # noqa: E402
from zopa.io import atomic_write, load_scenario  # noqa: E402
from zopa.io.formats import decide as decide_format  # noqa: E402


def _header(what: str, inputs: Path) -> dict[str, Any]:
    return {
        "what": what,
        "oracle": "decide-exchange-model (import name decide), GPL-3.0; only its outputs are kept",
        "decide_version": metadata.version("decide-exchange-model"),
        "recorded_on": dt.datetime.now(dt.UTC).date().isoformat(),
        "recorded_with": (f"Python {platform.python_version()}, numpy {metadata.version('numpy')}"),
        "command": COMMAND,
        "inputs": {
            "path": inputs.relative_to(ROOT).as_posix(),
            "sha256": hashlib.sha256(inputs.read_bytes()).hexdigest(),
        },
    }


def _dump(header: dict[str, Any], key: str, items: list[Any]) -> str:
    """Header fields indented, then one line per item of ``key`` (small diffs)."""
    body = json.dumps(header, indent=2, ensure_ascii=False)[:-2]
    rows = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items)
    return f'{body},\n  "{key}": [\n{rows}\n  ]\n}}\n'


def record_exchange() -> Path:
    """Run Decide's equal-gain model on every recorded case; write its outputs."""
    inputs = OUT / "exchange-cases.json"
    rounds, cases = load_exchange_cases(str(inputs))
    header = _header(
        "Decide's EqualGainModel on each case of the inputs: per-round outcomes (issue "
        "order of the case), executed exchanges [demander of p, demander of q, p, q, gain, "
        "move on p, move on q], cap applications and exact ties.",
        inputs,
    )
    header["settings"] = {
        "rounds": rounds,
        "cumulative_move_rule": False,
        "random_seed": 0,
        "issue_scale": [0, 100],
    }
    results = [
        run_decide(actors, issues, rounds, cumulative_move_rule=False) for actors, issues in cases
    ]
    path = OUT / "exchange-equalgain.json"
    atomic_write(path, _dump(header, "cases", results))
    return path


def record_reader() -> Path:
    """Write ``writer-input.yaml`` with zopa's Decide writer; record what Decide reads."""
    inputs = OUT / "writer-input.yaml"
    text = decide_format.dumps(load_scenario(inputs))
    with tempfile.TemporaryDirectory() as tmp:
        written = Path(tmp) / "written.txt"
        written.write_text(text, encoding="utf-8")
        read = decide_reads(str(written))
    header = _header(
        "The Decide input file zopa writes for the inputs (file, one string per line) and "
        "what Decide's InputDataFile reader reads from it (decide_read; #D numbers as "
        "Decide's exact decimal text).",
        inputs,
    )
    header["file"] = text.splitlines()
    header["decide_read"] = read
    path = OUT / "decide-reader.json"
    atomic_write(path, json.dumps(header, indent=2, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    """Record both fixtures and say where they went."""
    for path in (record_exchange(), record_reader()):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
