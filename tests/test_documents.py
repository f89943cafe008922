"""The document readers: libyaml and PyYAML's own parser give the same documents, lines and
problems; JSON gets the lines YAML would give it; no check is lost on the fast path."""

from __future__ import annotations

import datetime as dt
import gc
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, ROOT
from zopa.io import check_scenario
from zopa.io.documents import parse_text
from zopa.io.field_paths import MAX_DEPTH
from zopa.io.json_lines import json_lines
from zopa.io.yaml_events import FAST_LOADER, PURE_LOADER, read_yaml

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")

YAML_FILES = sorted(
    [
        *FIXTURES.rglob("*.yaml"),
        *(ROOT / "scenarios").rglob("*.yaml"),
        *(ROOT / "src" / "zopa").rglob("*.yaml"),
    ]
)

TRICKY = {
    "aliases": 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n',
    "lone anchor": "a: &x 1\nb: 2\n",
    "undefined alias": "a: *nowhere\n",
    "six anchors": "".join(f"k{n}: &a{n} {n}\n" for n in range(6)),
    "alias, then a syntax error": "a: &x 1\nb: c: d\n",
    "python tag": "title: !!python/object:os.system ls\n",
    "local tags": "a: !secret x\nb: !foo [1, 2]\nc: !bar {d: 1}\ne: 3\n",
    "tag on a key": "!foo a: 1\nb: 2\n",
    "merge key": "<<: {a: 1}\n",
    "merge and value scalars": "a: <<\nb: =\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "duplicate keys": "title: a\ntitle: b\nx:\n  y: 1\n  y:\n    z: 2\n  w: 3\n",
    "duplicates in flow": "- {b: 1, b: 2}\n- {b: 3}\n",
    "non-scalar keys": "? [a]\n: 1\n? {b: 1}\n: [2]\nc: 3\n",
    "exponent floats": "a: 1e9\nb: -1.0E9\nc: '1e9'\nd: !!str 1e9\ne: ! 2.5e3\nf: 1.5e+3\n",
    "dates": "a: 2026-13-45\nb: 2026-01-02\nc: 2026-01-02 10:00:00\nd: '2026-01-02'\n",
    "date and number keys": "1: a\n'1': b\n1.5: c\nfalse: d\nnull: e\n2026-01-01: f\n",
    "numbers": "a: 0x1F\nb: 0o17\nc: 1_000\nd: .inf\ne: 1:30\nf: yes\ng: ~\n",
    "strings": "a: 'it''s'\nb: \"\\u00e9\"\nc: |\n  block\n  text\nd: >\n  folded\n",
    "empty": "",
    "comment only": "# nothing here\n",
    "empty document": "---\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "alias in the second document": "a: 1\n---\nb: &x 2\n",
    "syntax error": "a: b: c\n",
    "unclosed list": "a: 1\nb: [1, 2\nc: 3\n",
    "unclosed quote": "a: 'x\n",
    "bad indentation": "- a\nb: 1\n",
    "control character": "a: \x07\n",
    "tab indentation": "a:\n\t- 1\n",
    "reserved indicator": "a: @x\n",
    "root list": "[1, 2, 3]\n",
    "root text": "just text\n",
    "nested": "a: {b: [c, {d: e}]}\nf:\n  - g\n  - - h\n    - i\n",
    "null values": "a:\nb:\n  c:\n",
    "deep at the limit": "- " * MAX_DEPTH + "x\n",
    "deep past the limit": "- " * (MAX_DEPTH + 1) + "x\n",
    "deep block": "- " * 5_000 + "x\n",
    "deep flow": "[" * 2_000 + "]" * 2_000,
}


def _read(text: str, loader: Any) -> tuple[str, dict[Any, int], list[str]]:
    data, lines, problems = read_yaml("f.yaml", text, loader=loader)
    return repr(data), lines, [p.format() for p in problems]


@needs_libyaml
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_pure_python_read_every_shipped_file_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = _read(text, FAST_LOADER)
    assert fast == _read(text, PURE_LOADER)
    assert fast[1], "every field is located"


@needs_libyaml
@pytest.mark.parametrize("name", list(TRICKY))
def test_libyaml_and_pure_python_agree_on_tricky_input(name: str) -> None:
    assert _read(TRICKY[name], FAST_LOADER) == _read(TRICKY[name], PURE_LOADER)


@pytest.mark.parametrize("loader", [FAST_LOADER, PURE_LOADER], ids=["fast", "pure"])
class TestEachParser:
    def test_lines_of_every_field(self, loader: Any) -> None:
        data, lines, problems = read_yaml("f", TRICKY["nested"], loader=loader)
        assert problems == []
        assert data == {"a": {"b": ["c", {"d": "e"}]}, "f": ["g", ["h", "i"]]}
        assert lines == {
            (): 1,
            ("a",): 1,
            ("a", "b"): 1,
            ("a", "b", 0): 1,
            ("a", "b", 1): 1,
            ("a", "b", 1, "d"): 1,
            ("f",): 3,
            ("f", 0): 3,
            ("f", 1): 4,
            ("f", 1, 0): 4,
            ("f", 1, 1): 5,
        }

    def test_anchors_and_aliases_are_problems_never_expanded(self, loader: Any) -> None:
        data, lines, problems = read_yaml("f", TRICKY["aliases"], loader=loader)
        assert data is None
        assert lines == {}
        assert [(p.line, p.got) for p in problems] == [
            (1, "&a"),
            (2, "&b"),
            (2, "*a"),
            (2, "*a"),
            (3, "*b"),
        ]
        assert {p.message for p in problems} == {"YAML anchors and aliases are not allowed"}

    def test_an_alias_bomb_is_refused_at_once(self, loader: Any) -> None:
        bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join([f'*{chr(97 + k)}'] * 9)}]\n"
            for k in range(8)
        )
        data, _, problems = read_yaml("f", bomb, loader=loader)  # 9**9 strings if expanded
        assert data is None
        assert len(problems) == 5

    def test_a_syntax_error_comes_before_the_aliases(self, loader: Any) -> None:
        _, _, problems = read_yaml("f", TRICKY["alias, then a syntax error"], loader=loader)
        assert [(p.line, p.message) for p in problems] == [
            (2, "YAML syntax error: mapping values are not allowed here")
        ]

    def test_custom_tags_are_located(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["local tags"], loader=loader)
        assert data == {"a": None, "b": None, "c": None, "e": 3}
        assert [(p.line, p.path, p.got) for p in problems] == [
            (1, "a", "!secret"),
            (2, "b", "!foo"),
            (3, "c", "!bar"),
        ]
        assert {p.message for p in problems} == {"custom YAML tags are not allowed"}

    def test_a_tagged_key_cannot_be_read(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["tag on a key"], loader=loader)
        assert data is None
        assert [(p.line, p.message) for p in problems] == [
            (1, "YAML syntax error: could not determine a constructor for the tag '!foo'")
        ]

    def test_duplicate_keys_name_the_first(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["duplicate keys"], loader=loader)
        assert data == {"title": "a", "x": {"y": 1, "w": 3}}
        assert [(p.line, p.path, p.hint) for p in problems] == [
            (2, "title", "first given on line 1"),
            (5, "x.y", "first given on line 4"),
        ]

    def test_keys_must_be_plain_scalars(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["non-scalar keys"], loader=loader)
        assert data == {"c": 3}
        assert [(p.line, p.message) for p in problems] == [
            (1, "mapping keys must be plain scalars"),
            (3, "mapping keys must be plain scalars"),
        ]

    def test_exponent_floats_are_numbers_unless_quoted(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["exponent floats"], loader=loader)
        assert problems == []
        assert data == {"a": 1e9, "b": -1e9, "c": "1e9", "d": 1e9, "e": 2500.0, "f": 1500.0}

    def test_impossible_dates_stay_text(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["dates"], loader=loader)
        assert problems == []
        assert data == {
            "a": "2026-13-45",
            "b": dt.date(2026, 1, 2),
            "c": dt.datetime(2026, 1, 2, 10, 0),
            "d": "2026-01-02",
        }

    def test_keys_keep_their_yaml_types(self, loader: Any) -> None:
        data, lines, _ = read_yaml("f", TRICKY["date and number keys"], loader=loader)
        assert data == {1: "a", "1": "b", 1.5: "c", False: "d", "None": "e", "2026-01-01": "f"}
        assert lines[("2026-01-01",)] == 6

    @pytest.mark.parametrize("name", ["deep past the limit", "deep block", "deep flow"])
    def test_deep_nesting_is_not_read(self, loader: Any, name: str) -> None:
        data, _, problems = read_yaml("f", TRICKY[name], loader=loader)
        assert data is None
        assert [(p.line, p.message) for p in problems] == [(1, "nested too deeply to read")]

    def test_nesting_up_to_the_limit_is_read(self, loader: Any) -> None:
        data, _, problems = read_yaml("f", TRICKY["deep at the limit"], loader=loader)
        assert problems == []
        for _ in range(MAX_DEPTH):
            data = data[0]
        assert data == "x"

    def test_one_document_only(self, loader: Any) -> None:
        _, _, problems = read_yaml("f", TRICKY["two documents"], loader=loader)
        assert [(p.line, p.message) for p in problems] == [
            (2, "YAML syntax error: but found another document")
        ]

    def test_empty_file(self, loader: Any) -> None:
        for text in ("", "# nothing here\n"):
            _, _, problems = read_yaml("f", text, loader=loader)
            assert [(p.line, p.message) for p in problems] == [(1, "the file is empty")]


def _json_texts() -> list[tuple[str, str]]:
    texts = []
    for path in YAML_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(ROOT))
        texts.append((name, json.dumps(data, indent=2, default=str)))
        texts.append((name + " (one line)", json.dumps(data, default=str)))
    return texts


@pytest.mark.parametrize("text", [t for _, t in _json_texts()], ids=[n for n, _ in _json_texts()])
def test_json_lines_are_the_lines_yaml_finds(text: str) -> None:
    lines, problems = json_lines("f.json", text)
    assert problems == []
    assert lines == read_yaml("f.json", text)[1]


def test_json_lines_of_awkward_layout() -> None:
    text = '{"a":\n\n 1, "b": [\n"x",\n{"y" :\n2, "z": "q\\"uote"}], "c\\u0064": {}}'
    lines, problems = json_lines("f.json", text)
    assert problems == []
    assert lines == {
        (): 1,
        ("a",): 3,
        ("b",): 3,
        ("b", 0): 4,
        ("b", 1): 5,
        ("b", 1, "y"): 6,
        ("b", 1, "z"): 6,
        ("cd",): 6,
    }


def test_json_duplicate_keys_are_located() -> None:
    text = '{\n  "a": 1,\n  "b": {"c": [1], "c": {"d": 2}},\n  "a": 3\n}\n'
    document, problems = parse_text("f.json", text, json_format=True)
    assert document.data == {"a": 3, "b": {"c": {"d": 2}}}
    assert [(p.line, p.path, p.hint) for p in problems] == [
        (3, "b.c", "first given on line 3"),
        (4, "a", "first given on line 2"),
    ]
    assert ("b", "c", "d") not in document.lines  # the repeated value is not located


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_json_is_not_read(depth: int) -> None:
    document, problems = parse_text("f.json", "[" * depth + "]" * depth, json_format=True)
    assert document.data is None
    assert [(p.line, p.message) for p in problems] == [(1, "nested too deeply to read")]


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_scenario_leaves_the_cycle_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        scenario, _ = check_scenario(FIXTURES / "scenarios" / "three-actors.yaml")
        assert scenario is not None
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
