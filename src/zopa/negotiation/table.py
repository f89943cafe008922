"""The table: who negotiates, under which rules, over which packages, valuing them how.

The package space is the deal space's (:func:`zopa.agreements.build_space`: each issue
on a grid holding the red lines, the status quo and the anchors), the utilities are the
deal space's (:func:`zopa.agreements.issue_terms`), evaluated for every draw of the
stances, and no agreement is worth the status quo or, where given, a party's stated
alternative (a utility). Only the parties at the table act; actors outside it get the
outcome without a say, and their utilities are reported beside the parties'.

What each party is assumed to know: its own stances in each draw (its true utility) and
every party's *stated* stances (the scenario as written, public). With one draw the two
coincide (complete information).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.agreements.analysis import idle_issues, make_backend
from zopa.agreements.utility import issue_terms, status_quo_utility
from zopa.negotiation.candidates import ENUMERATE_UP_TO, MAX_POINTS, enumerate_packages, pareto_fold

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from zopa.agreements.space import DealSpace
    from zopa.arrays import ScenarioArrays


@dataclass(frozen=True, eq=False)
class Table:  # cached_property needs a __dict__: no slots
    """The public setting of a run, and every draw's utilities (the protocol's referee data).

    Attributes:
        space: The stated deal space (all actors, point estimate).
        parties: Actor ids at the table, in speaking order (P of them).
        party_index: (P,) their indices in ``space.actor_ids``.
        required: (P,) parties whose acceptance every agreement needs (veto players).
        quorum: Share of the other parties at the table whose acceptance is also needed.
        deadline: Number of rounds.
        terms: Per issue, (D, A, L_i) every actor's utility term per draw.
        no_deal: (D, A) every actor's utility of no agreement per draw.
        candidates: (N, I) the packages agents choose offers from.
        stated: (N, P) each party's stated utility of each candidate.
        inside: (N, P) whether each candidate lies inside each party's red lines.
        stated_no_deal: (P,) each party's stated utility of no agreement.
        idle: Issues no party at the table holds a stance on (left at the status quo).
        nash: (I,) the table's stated Nash package, or ``None``.
        kalai_smorodinsky: (I,) the stated Kalai-Smorodinsky package, or ``None``.
        no_deal_stated: (A,) every actor's stated utility of no agreement.
        solution_note: How the two were found (``"nash"``, or with colliding issues set aside).
    """

    space: DealSpace
    parties: tuple[str, ...]
    party_index: NDArray[np.intp]
    required: NDArray[np.bool_]
    quorum: float
    deadline: int
    terms: tuple[NDArray[np.float64], ...]
    no_deal: NDArray[np.float64]
    candidates: NDArray[np.intp]
    stated: NDArray[np.float64]
    inside: NDArray[np.bool_]
    stated_no_deal: NDArray[np.float64]
    idle: tuple[int, ...]
    nash: NDArray[np.intp] | None
    kalai_smorodinsky: NDArray[np.intp] | None
    no_deal_stated: NDArray[np.float64]
    solution_note: str

    @property
    def n_draws(self) -> int:
        """D."""
        return int(self.no_deal.shape[0])

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """Issue ids."""
        return self.space.issue_ids

    @property
    def n_levels(self) -> tuple[int, ...]:
        """Levels per issue."""
        return self.space.n_levels

    @cached_property
    def _padded_all(self) -> NDArray[np.float64]:
        """(A, D, I, Lmax) every actor's terms, zero-padded: one gather per evaluation."""
        d, a = self.no_deal.shape
        lmax = max(self.n_levels)
        out = np.zeros((a, d, len(self.terms), lmax))
        for i, t in enumerate(self.terms):
            out[:, :, i, : t.shape[2]] = np.moveaxis(t, 1, 0)
        return out

    @cached_property
    def _padded_parties(self) -> NDArray[np.float64]:
        """(P, D, I, Lmax) the parties' terms (contiguous)."""
        return np.ascontiguousarray(self._padded_all[self.party_index])

    @cached_property
    def _offsets(self) -> NDArray[np.intp]:
        """(D, I) flat offsets of each draw's and issue's row in one party's terms."""
        d = self.n_draws
        n_issues = len(self.terms)
        lmax = max(self.n_levels)
        out: NDArray[np.intp] = (np.arange(d)[:, None] * n_issues + np.arange(n_issues)) * lmax
        return out

    def value_of(self, packages: NDArray[np.intp], party: int) -> NDArray[np.float64]:
        """(D,) one party's true utility of one package per draw, given as (D, I) levels."""
        terms = self._padded_parties[party]
        pk = np.asarray(packages)
        if pk.size and (pk.min() < 0 or pk.max() >= terms.shape[2]):
            pk = np.clip(pk, 0, terms.shape[2] - 1)
        out: NDArray[np.float64] = terms.reshape(-1)[self._offsets + pk].sum(axis=1)
        return out

    def utilities(
        self,
        packages: NDArray[np.intp],
        *,
        everyone: bool = False,
        draw: int | None = None,
        party: int | None = None,
    ) -> NDArray[np.float64]:
        """(D, K, P) the parties' true utilities of packages.

        Args:
            packages: (K, I) packages shared by every draw, or (D, K, I) per draw.
            everyone: All A actors instead of the parties at the table.
            draw: Only this draw (D = 1 in the result).
            party: Only this party (index at the table; P = 1 in the result).
        """
        terms = self._padded_all if everyone else self._padded_parties
        if party is not None:
            terms = terms[party : party + 1]
        if draw is not None:
            terms = np.ascontiguousarray(terms[:, draw : draw + 1])
        a, d, n_issues, lmax = terms.shape
        pk = np.asarray(packages)
        if pk.size and (pk.min() < 0 or pk.max() >= lmax):
            pk = np.clip(pk, 0, lmax - 1)
        if pk.ndim == 2:
            pk = np.broadcast_to(pk, (d, *pk.shape))
        # flat index of terms[a, d, i, pk[d, k, i]], laid out as (D, K, A, I)
        base = (
            np.arange(a)[None, None, :, None] * d + np.arange(d)[:, None, None, None]
        ) * n_issues
        flat = (base + np.arange(n_issues)) * lmax + pk[:, :, None, :]
        out: NDArray[np.float64] = terms.reshape(-1)[flat].sum(axis=-1)
        return out

    def no_deal_of_parties(self) -> NDArray[np.float64]:
        """(D, P) the parties' utilities of no agreement."""
        out: NDArray[np.float64] = self.no_deal[:, self.party_index]
        return out

    @cached_property
    def _stated_padded(self) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.intp]]:
        """(P, I, Lmax) stated terms, (P, I, Lmax) red-line masks, (P, I) flat offsets."""
        p, n_issues, lmax = len(self.parties), len(self.terms), max(self.n_levels)
        terms = np.zeros((p, n_issues, lmax))
        allowed = np.zeros((p, n_issues, lmax), dtype=bool)
        for i, (t, al) in enumerate(zip(self.space.terms, self.space.allowed, strict=True)):
            terms[:, i, : t.shape[1]] = t[self.party_index]
            allowed[:, i, : al.shape[1]] = al[self.party_index]
        offsets = (np.arange(p)[:, None] * n_issues + np.arange(n_issues)) * lmax
        return terms, allowed, offsets

    def _flat_index(self, packages: NDArray[np.intp]) -> NDArray[np.intp]:
        """(..., P, I) flat indices into the padded stated arrays of (..., I) packages."""
        _, _, offsets = self._stated_padded
        pk = np.asarray(packages)
        lmax = max(self.n_levels)
        if pk.size and (pk.min() < 0 or pk.max() >= lmax):
            pk = np.clip(pk, 0, lmax - 1)
        out: NDArray[np.intp] = offsets + pk[..., None, :]
        return out

    def stated_utilities(self, packages: NDArray[np.intp]) -> NDArray[np.float64]:
        """(..., P) the parties' stated utilities of packages given as (..., I) levels."""
        terms, _, _ = self._stated_padded
        out: NDArray[np.float64] = terms.reshape(-1)[self._flat_index(packages)].sum(axis=-1)
        return out

    def within_red_lines(self, packages: NDArray[np.intp]) -> NDArray[np.bool_]:
        """(..., P) whether packages given as (..., I) levels lie inside each party's red lines."""
        _, allowed, _ = self._stated_padded
        out: NDArray[np.bool_] = np.asarray(
            allowed.reshape(-1)[self._flat_index(packages)].all(axis=-1)
        )
        return out

    def package_dict(self, levels: NDArray[np.intp]) -> dict[str, float]:
        """``{issue: value}`` of one package."""
        return {
            issue: float(self.space.levels[i][int(levels[i])])
            for i, issue in enumerate(self.issue_ids)
        }

    def levels_of(self, package: Mapping[str, float]) -> NDArray[np.intp]:
        """(I,) the level indices of a package given as ``{issue: value}`` (nearest level)."""
        out = np.empty(len(self.issue_ids), dtype=np.intp)
        for i, issue in enumerate(self.issue_ids):
            out[i] = int(np.argmin(np.abs(self.space.levels[i] - float(package[issue]))))
        return out


def draw_terms(
    space: DealSpace, view: ScenarioArrays
) -> tuple[tuple[NDArray[np.float64], ...], NDArray[np.float64]]:
    """Utility terms on the space's grid for every draw of ``view``.

    Returns per issue (D, A, L_i) the terms, and (D, A) the utility of no agreement.
    """
    lmax = max(space.n_levels)
    grid = np.full((lmax, space.n_issues), np.nan)
    for i, lv in enumerate(space.levels):
        grid[: lv.size, i] = lv
    t = issue_terms(
        grid[:, None, None, :],
        view.position,
        view.salience,
        view.scale_min,
        view.scale_max,
        loss=space.loss,
    )  # (L, D, A, I)
    terms = tuple(
        np.ascontiguousarray(np.moveaxis(t[: lv.size, :, :, i], 0, 2))
        for i, lv in enumerate(space.levels)
    )
    return terms, status_quo_utility(view, loss=space.loss)


def make_table(
    space: DealSpace,
    *,
    parties: Sequence[str],
    draws: ScenarioArrays | None = None,
    veto: Sequence[str] | None = None,
    quorum: float = 1.0,
    deadline: int = 50,
    no_deal: Mapping[str, float] | None = None,
    max_points: int = MAX_POINTS,
    like: Table | None = None,
    solutions: bool = True,
) -> Table:
    """Set a table over a stated deal space.

    Args:
        space: The stated deal space (:func:`zopa.agreements.build_space`).
        parties: Actor ids at the table, in speaking order.
        draws: The stances per draw (default: the stated stances, one draw).
        veto: Parties whose acceptance is required (default: the scenario's veto players
            at the table; every party when none of them is one).
        quorum: Share (0..1) of the other parties whose acceptance is also required.
        deadline: Rounds before the talks end without agreement.
        no_deal: Stated alternatives: actor id -> utility of no agreement (replaces the
            status quo's utility for that actor).
        max_points: Frontier thinning bound (see :mod:`zopa.negotiation.candidates`).
        like: A table over the same space, parties and alternatives whose candidates and
            stated solutions to reuse (e.g. the stated table when setting the draws').
        solutions: Find the table's stated Nash and Kalai-Smorodinsky packages (the
            Nash seeker and the distances need them; a bare run does not).
    """
    if len(set(parties)) != len(parties):
        raise ValueError("a party is listed twice at the table")
    unknown = [p for p in parties if p not in space.actor_ids]
    if unknown:
        raise KeyError(", ".join(unknown))
    if not 0.0 <= quorum <= 1.0:
        raise ValueError(f"quorum must lie in 0..1 (got {quorum})")
    if deadline < 1:
        raise ValueError(f"deadline must be at least 1 round (got {deadline})")
    idx = np.array([space.actor_ids.index(p) for p in parties], dtype=np.intp)
    if veto is None:
        req = np.asarray(space.veto[idx], dtype=bool)
        if not req.any():
            req = np.ones(len(parties), dtype=bool)
    else:
        bad = [v for v in veto if v not in parties]
        if bad:
            raise KeyError(", ".join(bad))
        req = np.isin(np.asarray(parties), np.asarray(list(veto)))
    if draws is None:
        terms = tuple(t[None] for t in space.terms)
        nd = space.sq_utility[None].copy()
    else:
        terms, nd = draw_terms(space, draws)
    stated_nd = space.sq_utility.copy()
    for actor, value in (no_deal or {}).items():
        a = space.actor_ids.index(actor)
        nd[:, a] = value
        stated_nd[a] = value
    party_salience = space.salience[idx]
    idle = tuple(
        i
        for i in range(space.n_issues)
        if not (party_salience[:, i] > 0).any() and not np.isnan(space.status_quo[i])
    )
    sq_level = _status_quo_levels(space)
    if like is not None:
        nash, ks, note, cand = (
            like.nash,
            like.kalai_smorodinsky,
            like.solution_note,
            like.candidates,
        )
    else:
        room = space.restrict(list(parties), parties=list(parties))
        nash, ks, note = (
            _solutions(room, stated_nd[idx]) if solutions else (None, None, "not computed")
        )
        cand = _candidates(space, idx, idle, sq_level, max_points, nash, ks)
    stated = np.zeros((cand.shape[0], len(parties)))
    inside = np.ones((cand.shape[0], len(parties)), dtype=bool)
    for i, t in enumerate(space.terms):
        stated += t[idx][:, cand[:, i]].T
        inside &= space.allowed[i][idx][:, cand[:, i]].T
    return Table(
        space=space,
        parties=tuple(parties),
        party_index=idx,
        required=req,
        quorum=float(quorum),
        deadline=int(deadline),
        terms=terms,
        no_deal=nd,
        candidates=cand,
        stated=stated,
        inside=inside,
        stated_no_deal=stated_nd[idx],
        idle=idle,
        nash=nash,
        kalai_smorodinsky=ks,
        no_deal_stated=stated_nd,
        solution_note=note,
    )


def colliding_issues(space: DealSpace, parties: Sequence[str]) -> list[str]:
    """Issues on which the parties' red lines collide (those ``zopa tables`` sets aside)."""
    from zopa.agreements.constraints import red_line_conflicts, space_constraints

    room = space.restrict(list(parties), parties=list(parties))
    constraints = space_constraints(room)
    hit = {constraints[k].issue_index for c in red_line_conflicts(room, constraints) for k in c}
    return [space.issue_ids[i] for i in sorted(hit)]


def _candidates(
    space: DealSpace,
    idx: NDArray[np.intp],
    idle: Sequence[int],
    sq_level: NDArray[np.intp],
    max_points: int,
    nash: NDArray[np.intp] | None,
    ks: NDArray[np.intp] | None,
) -> NDArray[np.intp]:
    if space.size <= ENUMERATE_UP_TO:
        cand = enumerate_packages(space.n_levels)
        for i in idle:
            cand = cand[cand[:, i] == sq_level[i]]
    else:
        cand = _frontier_candidates(space, idx, idle, sq_level, max_points)
    extra = [p for p in (nash, ks) if p is not None]
    if all(v >= 0 for v in sq_level):
        extra.append(sq_level)
    if extra:
        cand = np.unique(np.concatenate([cand, np.stack(extra)]), axis=0)
    return cand


def _status_quo_levels(space: DealSpace) -> NDArray[np.intp]:
    out = np.full(space.n_issues, -1, dtype=np.intp)
    for i, lv in enumerate(space.levels):
        sq = space.status_quo[i]
        if not np.isnan(sq):
            out[i] = int(np.argmin(np.abs(lv - sq)))
    return out


def _solutions(
    room: DealSpace, no_deal: NDArray[np.float64]
) -> tuple[NDArray[np.intp] | None, NDArray[np.intp] | None, str]:
    """The table's stated Nash and Kalai-Smorodinsky packages (as ``zopa tables`` finds them).

    The deal space's own computation paths (enumeration or MILP); issues no party holds
    a stance on stay at the status quo, and when red lines collide the colliding issues
    are set aside at the status quo, as the deal-space analysis does for its core deal.
    """
    from dataclasses import replace

    room = replace(room, sq_utility=no_deal)
    idle = idle_issues(room)
    if idle:
        room = room.set_aside(idle)
    picks = make_backend(room).solutions()
    note = "nash"
    if picks["nash"][0] is None:
        hit = colliding_issues(room, room.actor_ids)
        if hit:
            core = room.set_aside([room.issue_ids.index(i) for i in hit])
            picks = make_backend(core).solutions()
            note = "colliding issues set aside: " + ", ".join(hit)
    nash, why = picks["nash"]
    ks = picks["kalai_smorodinsky"][0]
    if nash is None:
        note = why or "no Nash package"
    return (
        None if nash is None else np.asarray(nash, dtype=np.intp),
        None if ks is None else np.asarray(ks, dtype=np.intp),
        note,
    )


def _frontier_candidates(
    space: DealSpace,
    idx: NDArray[np.intp],
    idle: Sequence[int],
    sq_level: NDArray[np.intp],
    max_points: int,
) -> NDArray[np.intp]:
    cap = space.capability[idx]
    out = []
    for k, a in enumerate(idx):
        others = np.delete(np.arange(idx.size), k)
        w = cap[others] if cap[others].sum() > 0 else np.ones(others.size)
        w = w / w.sum() if w.size else w
        own, other, allowed = [], [], []
        for i, t in enumerate(space.terms):
            own.append(t[a])
            other.append(w @ t[idx[others]] if others.size else np.zeros(t.shape[1]))
            mask = space.allowed[i][a].copy()
            if i in idle:
                mask = np.zeros_like(mask)
                mask[sq_level[i]] = True
            allowed.append(mask)
        out.append(pareto_fold(own, other, allowed, max_points=max_points))
    return np.unique(np.concatenate(out), axis=0)


def describe(table: Table) -> dict[str, Any]:
    """Plain data about a table (its parties, rules and candidate count)."""
    return {
        "parties": list(table.parties),
        "required": [p for p, r in zip(table.parties, table.required, strict=True) if r],
        "quorum": table.quorum,
        "deadline": table.deadline,
        "candidates": int(table.candidates.shape[0]),
        "idle_issues": [table.issue_ids[i] for i in table.idle],
    }
