"""The whole analysis of the flagship in one call, written out as report.md with its plots.

Run: .venv/bin/python examples/full_report.py [OUT_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from zopa import service
from zopa.report.document import write_report

ROOT = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "report"

result = service.report(
    ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml",
    models=["compromise", "median"],
    draws=100,
    tables={"bilateral": ["US", "RU"]},
)
written = write_report(result, out, pdf=False).files  # JSON, CSV, plots, HTML, report.md
print(f"wrote {len(written)} files; report: {written[-1]}")
