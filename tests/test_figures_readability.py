"""Figures fit to print: checked through matplotlib's artists, not by eye alone.

On the flagship and on small hand-made scenarios: no two texts overlap, no legend covers
plotted data, every axes has a title and axis titles, forecasts or curves that coincide
stay distinguishable, and 20 actors get 20 different (colour, marker) pairs.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from figure_checks import (
    assert_readable,
    legend_over_data,
    marker_points,
    missing_titles,
    shown_texts,
    text_overlaps,
)
from zopa.durability.simulate import DurabilityResult
from zopa.io import load_scenario
from zopa.models import make_model
from zopa.report.deal_intervals import intervals_figure, no_deal_intervals
from zopa.report.deals import table_composition_figure, utility_space_figure
from zopa.report.durability import deterrence_figure, survival_figure
from zopa.report.figures import (
    SERIES_COLOURS,
    coincident_groups,
    new_figure,
    render,
    series_style,
    spread,
)
from zopa.report.position_map import position_map_figure
from zopa.report.sensitivity import sensitivity_figure
from zopa.report.trajectory import trajectory_figure
from zopa.report.who_moved_whom import who_moved_whom_figure
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance
from zopa.service.deals import deals
from zopa.service.durability import compare
from zopa.service.sensitivity import sensitivity
from zopa.service.tables import tables

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEALS = ROOT / "scenarios" / "deals"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def compared():  # every flagship deal, few draws: the curves' shapes, not their precision
    return compare(sorted(DEALS.glob("*.yaml")), draws=200, seed=0)


# --- the helpers ------------------------------------------------------------------------


def test_twenty_actors_get_twenty_colours_and_distinct_pairs() -> None:
    styles = [series_style(k) for k in range(20)]
    assert len({colour for colour, _ in styles}) == 20
    assert len(set(styles)) == 20
    assert len(set(SERIES_COLOURS)) == len(SERIES_COLOURS) == 20
    # 20 colours x 13 markers (no common factor): 260 series before a pair repeats
    assert len({series_style(k) for k in range(260)}) == 260


def test_spread_keeps_labels_a_gap_apart_and_near_their_values() -> None:
    values = np.array([50.0, 50.0, 50.0, 49.8, 62.0, 58.4, 58.4])
    placed = spread(values, 3.0, 0.0, 100.0)
    ordered = np.sort(placed)
    assert np.all(np.diff(ordered) >= 3.0 - 1e-9)
    # a run of four labels at ~50 is centred on them: 45.5 .. 54.5 around their mean 49.95
    run = np.sort(placed[:4])
    assert run.mean() == pytest.approx(values[:4].mean(), abs=0.6)
    assert placed[4] >= 62.0 - 1e-9  # the lone top label stays at or above its value
    # squeezed against the top of the range: still inside, still apart
    top = spread(np.array([99.0, 99.5, 100.0]), 2.0, 0.0, 100.0)
    assert np.sort(top).tolist() == pytest.approx([96.0, 98.0, 100.0])


def test_coincident_groups() -> None:
    a = [0.0, 1.0, 2.0]
    groups = coincident_groups([a, [0.0, 1.001, 2.0], [5.0, 5.0, 5.0], a], tol=0.01)
    assert groups == [(0, 3), (1, 3), (0, 1), (2, 3)]


# --- position maps ----------------------------------------------------------------------


def test_position_map_of_the_flagship_reads_well(flagship: Scenario) -> None:
    # territory: status quo, eum, median and smp within 0.2 of 50 (as on the flagship)
    forecasts = {
        "compromise": 64.7,
        "exchange": 78.7,
        "eum": 50.0,
        "median": 50.0,
        "nash": 63.5,
        "smp": 49.8,
    }
    fig = position_map_figure(flagship, "territory", forecasts=forecasts)
    assert_readable(fig)
    ax = fig.axes[0]
    assert "0: Russian withdrawal to the 1991 borders" in " ".join(
        t.get_text().replace("\n", " ") for t in ax.texts
    )
    # every forecast has a marker of its own, on a row of its own
    rows = {}
    for line in ax.lines:
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) == 1 and line.get_marker() not in ("|", "None", ""):
            rows[float(y[0])] = (float(x[0]), line.get_marker())
    at_50 = [(y, m) for y, (x, m) in rows.items() if abs(x - 50) < 0.5]
    assert len(at_50) == 3  # eum, median, smp: three rows, three markers
    assert len({m for _, m in at_50}) == 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert {"forecast: eum", "forecast: median", "forecast: smp", "status quo"} <= set(labels)


def test_red_line_ticks_never_cover_actor_names(flagship: Scenario) -> None:
    # Russia's red line (80) sits 5 points left of its position (85), where a name
    # printed beside the marker used to run over it
    fig = position_map_figure(flagship, "territory")
    ax = fig.axes[0]
    names = {t.get_text() for t in ax.get_yticklabels()}
    assert "Russia (veto)" in names  # names sit on the axis, left of the scale
    renderer = render(fig)
    ticks = [ln for ln in ax.lines if ln.get_marker() == "|" and ln.get_color() == "#c0392b"]
    assert len(ticks) == 2  # Russia's and Ukraine's red lines
    boxes = [t.get_window_extent(renderer) for t in shown_texts(fig)]
    for tick in ticks:
        x, y = ax.transData.transform((tick.get_xdata()[0], tick.get_ydata()[0]))
        half = tick.get_markersize() / 72 * fig.dpi / 2
        assert not [b for b in boxes if b.x0 < x < b.x1 and b.y0 - half < y < b.y1 + half]


# --- trajectories and who moved whom -----------------------------------------------------


def _twenty() -> Scenario:
    actors = tuple(Actor(f"A{k}", f"Actor number {k}", 1.0 + k % 5) for k in range(20))
    issue = Issue(
        "i", "One issue", Scale(0, 100), anchors={0.0: "nothing", 100.0: "all"}, status_quo=50.0
    )
    # five blocs of four actors at the same position: lines that coincide throughout
    stances = tuple(
        Stance(a.id, "i", float(20 * (k % 5)), 0.5 + 0.1 * (k % 5)) for k, a in enumerate(actors)
    )
    return Scenario("twenty", actors, (issue,), stances)


def test_trajectory_of_twenty_actors_keeps_every_line_distinct_and_visible() -> None:
    sc = _twenty()
    fc = make_model("smp").forecast(sc.arrays())
    fig = trajectory_figure(sc, fc, "i")
    assert_readable(fig)
    ax = fig.axes[0]
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) > 1 and ln.get_marker() != "None"]
    assert len(lines) == 20
    assert len({(ln.get_color(), ln.get_marker()) for ln in lines}) == 20
    # lines that lie on top of each other put their markers at different points
    by_path: dict[tuple[float, ...], list[set[tuple[float, float]]]] = {}
    for ln in lines:
        by_path.setdefault(tuple(np.round(ln.get_ydata(), 6)), []).append(marker_points(ln))
    crowded = [group for group in by_path.values() if len(group) > 1]
    assert crowded, "the scenario has coinciding lines"
    for group in crowded:
        for a_points, b_points in itertools.pairwise(group):
            assert a_points != b_points


def test_trajectory_and_who_moved_whom_on_the_flagship(flagship: Scenario) -> None:
    fc = make_model("eum").forecast(flagship.arrays())
    assert_readable(trajectory_figure(flagship, fc, "territory"))
    assert_readable(who_moved_whom_figure(flagship, fc, "nato"))


# --- deals and tables --------------------------------------------------------------------


def test_deal_figures_of_the_flagship(flagship: Scenario) -> None:
    analysis = deals(flagship, grid=3).analysis  # red lines and anchors join the grid
    fig = intervals_figure(analysis)
    assert_readable(fig)
    title = fig._suptitle.get_text()
    assert "EMPTY" in title
    assert title.count("Territory / line of contact") == 1  # names, not ids; once
    assert "NATO" in title
    assert "Foreign reassurance force" in title
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert "Sanctions relief" in labels
    assert "sanctions" not in labels
    assert_readable(utility_space_figure(analysis, "RU", "UA"))
    comparison = tables(
        flagship,
        {"bilateral": ["US", "RU"], "with-ukraine": ["US", "RU", "UA"]},
        grid=3,
        forecasts=False,
    )
    assert_readable(table_composition_figure(comparison.comparison))


def test_no_deal_limit_by_hand() -> None:
    # two actors, two issues of equal salience, linear loss: A at 0 and 0, B at 100 and 100;
    # status quo 0 on x and 100 on y: each actor's no-deal utility is 0.5.
    sc = Scenario(
        "two",
        (Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)),
        (
            Issue("x", "X", Scale(0, 100), status_quo=0.0),
            Issue("y", "Y", Scale(0, 100), status_quo=100.0),
        ),
        (
            Stance("A", "x", 0.0, 0.5),
            Stance("B", "x", 100.0, 0.5),
            Stance("A", "y", 0.0, 0.5),
            Stance("B", "y", 100.0, 0.5),
        ),
    )
    limits = no_deal_intervals(deals(sc).analysis.space)
    # A gets at best 0.5 from y (y = 0); to beat 0.5 overall its x term must be >= 0:
    # every x passes. The same holds for B on x by symmetry, so each limit is the scale.
    np.testing.assert_allclose(limits[:, 0], [[0, 100], [0, 100]])
    # with A's best on y worth 0.5 and its no-deal value 0.5, nothing restricts A there
    np.testing.assert_allclose(limits[:, 1], [[0, 100], [0, 100]])


def test_no_deal_limit_cuts_an_issue_by_hand() -> None:
    # A cares 3:1 about x over y and stands at 0 on both; status quo x = 0, y = 100.
    # No deal gives A 0.75 (x term 0.75 * 1, y term 0.25 * 0). The best y gives 0.25,
    # so an x value passes only if 0.75 * (1 - x / 100) + 0.25 >= 0.75, i.e. x <= 33.3.
    sc = Scenario(
        "cut",
        (Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)),
        (
            Issue("x", "X", Scale(0, 100), status_quo=0.0),
            Issue("y", "Y", Scale(0, 100), status_quo=100.0),
        ),
        (
            Stance("A", "x", 0.0, 0.75),
            Stance("B", "x", 100.0, 0.5),
            Stance("A", "y", 0.0, 0.25),
            Stance("B", "y", 100.0, 0.5),
        ),
    )
    space = deals(sc, grid=31).analysis.space
    limits = no_deal_intervals(space)
    a = space.actor_ids.index("A")
    grid = space.levels[0]
    expected_high = grid[grid <= 100 / 3 + 1e-9].max()
    assert limits[a, 0, 0] == 0.0
    assert limits[a, 0, 1] == pytest.approx(expected_high)


# --- durability --------------------------------------------------------------------------


def test_durability_figures_of_the_flagship_deals(compared) -> None:
    params = compared.parameters
    results = [(a.deal.title, a.result) for a in compared.assessments]
    for fig in (survival_figure(results, note="200 draws"), deterrence_figure(results, params)):
        assert_readable(fig)


def test_coinciding_deals_stay_visible_and_are_named(compared) -> None:
    first = compared.assessments[0]
    twin: DurabilityResult = first.result
    results = [("Plan A", twin), ("Plan B, the same terms", twin)]
    fig = deterrence_figure(results, compared.parameters)
    top = fig.axes[0]
    lines = [ln for ln in top.lines if len(ln.get_xdata()) > 2 and ln.get_marker() != "None"]
    assert len(lines) == 2
    assert np.allclose(lines[0].get_ydata(), lines[1].get_ydata())
    assert lines[0].get_marker() != lines[1].get_marker()
    assert not marker_points(lines[0]) & marker_points(lines[1])
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("same curve as Plan B" in t for t in legend_texts)
    ylabel = top.get_ylabel().replace("\n", " ")
    assert "1 = each side's own forces at the ceasefire" in ylabel


# --- sensitivity -------------------------------------------------------------------------


def test_sensitivity_figure_reads_well(flagship: Scenario) -> None:
    report = sensitivity(flagship, method="morris", issues=["territory"], seed=1)
    fig = sensitivity_figure(flagship, report.result, "territory", labels=report.labels)
    assert fig is not None
    assert_readable(fig)


# --- the checks can fail -----------------------------------------------------------------


def test_the_checks_catch_what_they_look_for() -> None:
    fig: Figure = new_figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="data")
    ax.fill_between([0, 1], [0.0, 0.0], [1.0, 1.0], alpha=0.2)
    ax.legend(loc="center")
    ax.text(0.5, 0.5, "one label")
    ax.text(0.5, 0.5, "another label")
    assert missing_titles(fig) == [
        "axes 0: no title",
        "axes 0: no x-axis title",
        "axes 0: no y-axis title",
    ]
    assert ("one label", "another label") in text_overlaps(fig)
    assert legend_over_data(fig)


def test_an_empty_zone_from_a_no_deal_value_is_drawn_as_such() -> None:
    # B's red line keeps x >= 40. A gets 0.75 from no deal (x = 0 with salience 0.75, y = 100
    # against its 0): any x >= 40 gives it at most 0.75 * 0.6 + 0.25 = 0.7 < 0.75, so A
    # walks away from every package B accepts. Its no-deal limit on x is x <= 30 (grid 10):
    # 0.75 * 0.7 + 0.25 = 0.775 >= 0.75 while 0.75 * 0.6 + 0.25 = 0.7 is not.
    sc = Scenario(
        "walk away",
        (Actor("A", "Alpha", 1.0, veto=True), Actor("B", "Beta", 1.0, veto=True)),
        (
            Issue("x", "X", Scale(0, 100), status_quo=0.0),
            Issue("y", "Y", Scale(0, 100), status_quo=100.0),
        ),
        (
            Stance("A", "x", 0.0, 0.75),
            Stance("B", "x", 100.0, 0.75, red_line=40.0),
            Stance("A", "y", 0.0, 0.25),
            Stance("B", "y", 100.0, 0.25),
        ),
    )
    analysis = deals(sc).analysis
    assert analysis.zopa.empty
    assert no_deal_intervals(analysis.space)[0, 0].tolist() == [0.0, 30.0]
    fig = intervals_figure(analysis)
    assert_readable(fig)
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "Alpha would rather have no deal than any package within the red lines on X" in title
    assert "collide" not in title
    ax = fig.axes[0]
    gaps = [p for p in ax.patches if p.get_hatch()]
    assert [(p.get_x(), p.get_x() + p.get_width()) for p in gaps] == [(30.0, 40.0)]
