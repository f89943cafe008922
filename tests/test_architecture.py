"""The boundaries the design relies on, checked."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import zopa
import zopa.service
from zopa.io.schema_export import schema_text

HEAVY = [
    "typer",
    "rich",
    "matplotlib",
    "yaml",
    "pydantic",
    "fastapi",
    "sqlalchemy",
    "openpyxl",
    "numba",  # compiled kernels load on a model's first forecast, not on import
]


def test_core_and_models_do_not_import_the_edges():
    code = (
        "import sys, zopa, zopa.models, zopa.scenario\n"
        f"heavy = {HEAVY!r}\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_start_up_imports_nothing_heavy():
    """The command line and the library's front door start without the heavy libraries."""
    code = (
        "import sys, zopa, zopa.service, zopa.cli\n"
        "heavy = ['numba', 'matplotlib', 'openpyxl', 'scipy', 'pandas', 'SALib',\n"
        "         'dask', 'distributed', 'pyarrow']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_imports_no_analysis():
    """``zopa --help`` loads no numeric or validation library at all."""
    code = (
        "import sys\n"
        "sys.argv = ['zopa', '--help']\n"
        "from zopa.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['numpy', 'pydantic', 'yaml', 'numba', 'matplotlib', 'scipy', 'dask',\n"
        "         'distributed', 'pyarrow']\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "[]"


def test_public_api():
    assert sorted(zopa.__all__) == sorted(
        [
            "Actor",
            "AnalysisFailed",
            "BadInput",
            "Confidence",
            "Issue",
            "Scale",
            "Scenario",
            "ScenarioArrays",
            "Source",
            "Stance",
            "__version__",
            "load_scenario",
            "service",
        ]
    )
    for name in zopa.__all__:
        assert hasattr(zopa, name)
    assert zopa.load_scenario is zopa.service.load_scenario
    assert sorted(zopa.service.__all__) == sorted(
        [
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
            "advise",
        ]
    )
    for name in ("backtest", "deals", "durability", "forecast", "report", "tables"):
        assert callable(getattr(zopa.service, name)), name


# Layers, lowest first: a module may import its own package and any lower layer only.
# Within the analysis layer the forecasting models come first: the deal space runs them
# on each table, sensitivity and backtests run them; durability scores deals with the
# deal space's utility. Simulated talks (negotiation) play over the deal space.
LAYERS = {
    "frozen": 0,  # the read-only mapping the core types hold
    "scenario": 0.5,
    "arrays": 0.5,  # the scenario's array view: one layer with it
    "execution": 0.7,  # where batched work runs (local pools, Dask); imports no zopa module
    "models": 1,
    "agreements": 1.1,
    "uncertainty": 1.1,
    "durability": 1.2,
    "advice": 1.2,  # advice for one party: runs the models and the deal space
    "backtest": 1.2,
    "negotiation": 1.2,  # simulated talks over the deal space (agreements, uncertainty)
    "io": 2,
    "llm": 2,  # language-model negotiators: talk to an endpoint, like the readers to files
    "service": 3,
    "report": 4,
    "web": 4.5,  # the web app, run by the command line's `zopa serve`
    "cli": 5,
}


def _zopa_imports(path: Path, module: str) -> set[str]:
    """Every ``zopa.*`` module a source file imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("zopa.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            if name.startswith("zopa."):
                found.add(name)
    return found


def test_layers(repo_root):
    """Imports point downward only: core < analysis < io < service < report < cli/web."""
    src = repo_root / "src"
    broken = []
    for path in sorted((src / "zopa").rglob("*.py")):
        module = ".".join(path.relative_to(src).with_suffix("").parts).removesuffix(".__init__")
        parts = module.split(".")
        if len(parts) < 2 or parts[1] in ("__main__",):
            continue  # the package's front door re-exports from every layer
        layer = LAYERS[parts[1]]
        for name in _zopa_imports(path, module):
            target = name.split(".")[1]
            if target == parts[1] or {target, parts[1]} == {"scenario", "arrays"}:
                continue
            if LAYERS[target] >= layer:
                broken.append(f"{module} imports {name}")
    assert not broken, "imports against the layers:\n" + "\n".join(broken)


def test_published_schema_is_current(repo_root):
    committed = (repo_root / "schema" / "scenario.schema.json").read_text()
    assert committed == schema_text(), "run `make schema` and commit the result"
    schema = json.loads(committed)
    assert set(schema["required"]) == {"zopa", "title", "actors", "issues", "stances"}


def test_every_schema_field_is_documented(repo_root):
    from zopa.io.schema import SECTION_MODELS, ScenarioFile

    doc = (repo_root / "docs" / "scenario-format.md").read_text()
    fields = set(ScenarioFile.model_fields)
    for model in SECTION_MODELS.values():
        fields |= set(model.model_fields)
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert not missing, f"undocumented fields in docs/scenario-format.md: {missing}"


def test_cli_reference_is_current(repo_root):
    from zopa.cli.reference import reference_text

    committed = (repo_root / "docs" / "cli.md").read_text()
    assert committed == reference_text(), "run `make docs` and commit docs/cli.md"


def test_every_command_and_option_is_in_the_reference(repo_root):
    from zopa.cli import command_names

    text = (repo_root / "docs" / "cli.md").read_text()
    for name in command_names():
        assert f"## zopa {name}" in text


def test_command_table_matches_the_modules():
    """The top-level table names exactly the commands each module registers."""
    from zopa.cli import COMMAND_MODULES, COMMANDS, module_commands

    registered = {name: module for module in COMMAND_MODULES for name in module_commands(module)}
    assert registered == COMMANDS


def test_a_command_loads_only_its_own_module():
    """`zopa forecast` imports no other command's module (they load on demand)."""
    code = (
        "import sys\n"
        "sys.argv = ['zopa', 'models']\n"
        "from zopa.cli import main, COMMAND_MODULES\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in COMMAND_MODULES if f'zopa.cli.{m}' in sys.modules]\n"
        "print(loaded, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "['forecast']"


def test_no_command_imports_another(repo_root):
    """Commands share only the helpers (common, parsing, views), never each other."""
    from zopa.cli import COMMAND_MODULES

    cli = repo_root / "src" / "zopa" / "cli"
    for name in COMMAND_MODULES:
        imported = _zopa_imports(cli / f"{name}.py", f"zopa.cli.{name}")
        commands = {i for i in imported if i.startswith("zopa.cli.") and i[9:] in COMMAND_MODULES}
        assert not commands, f"zopa.cli.{name} imports {commands}"


def test_validate_loads_no_numeric_library(repo_root):
    """Reading and checking a scenario needs no numpy: `zopa validate` starts quickly."""
    flagship = repo_root / "scenarios" / "ukraine-ceasefire-2026.yaml"
    code = (
        "import sys\n"
        f"sys.argv = ['zopa', 'validate', {str(flagship)!r}]\n"
        "from zopa.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['numpy', 'numba', 'matplotlib', 'scipy', 'openpyxl', 'pandas']\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "[]"


def _messages(tree: ast.AST) -> list[ast.Constant]:
    """String constants of a module that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_library_messages_name_no_command_line_option(repo_root):
    """Below the edges, messages say what to change; the command line adds its option."""
    import re

    flag = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
    src = repo_root / "src" / "zopa"
    found = []
    for path in sorted(src.rglob("*.py")):
        part = path.relative_to(src).parts[0]
        if part in ("cli", "web", "report"):
            continue
        for node in _messages(ast.parse(path.read_text(encoding="utf-8"))):
            if flag.search(node.value):
                found.append(f"{path.relative_to(src)}:{node.lineno}: {node.value[:70]!r}")
    assert not found, "command-line options in library messages:\n" + "\n".join(found)
