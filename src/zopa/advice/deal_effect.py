"""What each lever does to the deal space: does the zone open, where does the Nash package go.

The deal is the one ``zopa deals`` and ``zopa tables`` report: the Nash package of the
zone of possible agreement (Nash 1950; capability-weighted as in
:mod:`zopa.agreements.solutions`); when the parties' red lines collide, the zone is empty
and the deal is the Nash package of the rest with the colliding issues set aside at their
status quo (the *core* deal). Issues no party holds a stance on stay at their status quo,
as in :func:`zopa.agreements.analysis.analyse_space`.

Only the parties' stances shape the deal space, so only levers on a party's stance are
computed here; for any other lever the deal is the stated one (and so for a party's
position on an issue the core deal sets aside: the issue stays at its status quo and its
term cancels out of every gain). Each such lever needs its
own package space and solver run (the solver takes one space at a time): this is the
loop of the analysis, over the parties' levers only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from zopa.agreements.analysis import idle_issues
from zopa.agreements.backend import make_backend
from zopa.agreements.constraints import red_line_conflicts, space_constraints
from zopa.agreements.space import build_space

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, MutableMapping, Sequence

    from zopa.advice.levers import Lever
    from zopa.agreements.space import DealSpace
    from zopa.agreements.utility import Loss
    from zopa.arrays import ScenarioArrays


@dataclass(frozen=True, slots=True)
class Deal:
    """The deal of one package space.

    Attributes:
        zone_open: Whether some package satisfies every party.
        package: The deal's issue values (status quo, NaN where none, on issues set
            aside), or ``None`` when there is no deal.
        set_aside: Issues set aside because red lines collide on them.
    """

    zone_open: bool
    package: tuple[float, ...] | None
    set_aside: tuple[str, ...] = ()


def with_lever(point: ScenarioArrays, lever: Lever) -> ScenarioArrays:
    """The point view with one lever applied (positions, saliences or red lines)."""
    a = point.actor_ids.index(lever.actor)
    i = point.issue_ids.index(lever.issue)
    if lever.kind == "red_line":
        red = point.red_line.copy()
        red[a, i] = lever.new
        red.setflags(write=False)
        return replace(point, red_line=red)
    field = point.position if lever.kind == "position" else point.salience
    values = field.copy()
    values[0, a, i] = lever.new
    return point.with_draws(**{lever.kind: values})


def space_deal(space: DealSpace, method: str = "auto") -> Deal:
    """The deal of a package space: its Nash package, or the core's when red lines collide."""
    idle = idle_issues(space)
    if idle:
        space = space.set_aside(idle)
    constraints = space_constraints(space)
    collide = sorted(
        {constraints[k].issue_index for c in red_line_conflicts(space, constraints) for k in c}
    )
    if collide:
        space = space.set_aside(collide)
    backend = make_backend(space, method)
    zone_open = not collide and backend.any_feasible()
    levels = backend.solutions()["nash"][0]
    if levels is None:
        return Deal(zone_open, None, ())
    values = space.values(np.asarray(levels)[None])[0]
    return Deal(
        zone_open, tuple(float(v) for v in values), tuple(space.issue_ids[i] for i in collide)
    )


def lever_deals(
    point: ScenarioArrays,
    levers: Sequence[Lever],
    *,
    parties: Sequence[str],
    grid: int,
    loss: Loss,
    extra_levels: Mapping[str, Sequence[float]] | None = None,
    method: str = "auto",
    cache: MutableMapping[tuple[object, ...], Deal] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Deal, list[Deal]]:
    """The stated deal, and the deal with each lever (the stated one for non-party levers).

    Args:
        point: The scenario's point view.
        levers: The levers.
        parties: The actors whose acceptance a deal needs.
        grid: Levels per issue.
        loss: The utility's loss.
        extra_levels: Per issue, more grid levels (the anchor points).
        method: The computation path.
        cache: Deals already found for *this scenario*, keyed by the options and the
            lever; advice for several actors of one scenario shares it, since a lever on
            a party's stance gives the same deal whoever is advised.
        progress: Called after each package space solved with (solved, to solve).
    """
    options = (grid, loss, method, tuple(parties))
    cache = {} if cache is None else cache

    def deal(view: ScenarioArrays, key: tuple[object, ...]) -> Deal:
        if key not in cache:
            space = build_space(
                view, grid=grid, loss=loss, parties=parties, extra_levels=extra_levels
            )
            cache[key] = space_deal(space, method)
        return cache[key]

    def lever_key(lever: Lever) -> tuple[object, ...]:
        new = "dropped" if lever.dropped else lever.new
        return (*options, lever.actor, lever.issue, lever.kind, new)

    def unchanged(lever: Lever) -> bool:
        # a non-party's stance does not enter the deal space; a party's position on an
        # issue set aside at its status quo leaves every gain, and so the deal, as it is
        # (its term there is the same in the package and in no agreement)
        return lever.actor not in parties or (
            lever.kind == "position" and lever.issue in stated.set_aside
        )

    stated = deal(point, (*options, "stated"))
    moving = {lever_key(lv): lv for lv in levers if not unchanged(lv)}
    new = [key for key in moving if key not in cache]
    for done, key in enumerate(new, 1):
        deal(with_lever(point, moving[key]), key)
        if progress is not None:
            progress(done, len(new))
    return stated, [stated if unchanged(lv) else cache[lever_key(lv)] for lv in levers]
