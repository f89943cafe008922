"""Imports inside the deal-space package point one way, and the solver loads on demand."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import zopa.agreements

PACKAGE = Path(zopa.agreements.__file__).resolve().parent


def imports_of(path: Path) -> set[str]:
    """Modules of ``zopa.agreements`` a file imports anywhere (functions included)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "zopa.agreements":
            names += [f"zopa.agreements.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return {n.split(".")[2] for n in names if n.startswith("zopa.agreements.")}


def test_the_modules_of_the_deal_space_import_each_other_without_a_cycle():
    graph = {p.stem: imports_of(p) - {p.stem} for p in PACKAGE.glob("*.py")}
    assert "backend" in graph["analysis"]
    assert "results" in graph["milp"]
    assert "results" in graph["enumeration"]
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join((*path, module))
        if module in done:
            return
        for dep in sorted(graph.get(module, set())):
            visit(dep, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
    assert "analysis" not in graph["milp"]
    assert "analysis" not in graph["results"]


def test_the_result_types_stay_importable_from_the_analysis():
    from zopa.agreements import analysis, backend, results

    assert analysis.ZopaSummary is results.ZopaSummary
    assert analysis.Solution is results.Solution
    assert analysis.Relaxation is results.Relaxation
    assert analysis.Move is results.Move
    assert analysis.Backend is backend.Backend
    assert analysis.METHODS == ("auto", "enumeration", "milp")
    assert analysis.MAX_ENUMERATION == 10_000_000


def test_importing_the_analysis_does_not_load_the_solver():
    code = (
        "import sys, zopa.agreements.analysis\n"
        "print(sorted(m for m in ('scipy.optimize', 'scipy.sparse') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
