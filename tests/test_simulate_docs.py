"""The Python snippet of docs/simulation.md runs and prints one line per pairing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_docs_snippet_runs(capsys):
    text = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    exec(
        compile(snippet, str(ROOT / "docs" / "simulation.md"), "exec"),
        {"__file__": str(ROOT / "docs" / "x")},
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("{'RU': 'boulware', 'UA': 'boulware'} True")
