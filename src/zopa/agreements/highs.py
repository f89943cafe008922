"""One mixed-integer programme solved by HiGHS through :mod:`highspy`.

HiGHS: Huangfu & Hall 2018, "Parallelizing the dual revised simplex method", Math.
Prog. Comp. 10:119-142. The options are those ``scipy.optimize.milp`` passed before, so
the optima are the same; a known feasible point may be passed as a start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: The options ``scipy.optimize.milp`` passed with ``mip_rel_gap=1e-10, presolve=True``;
#: everything else is HiGHS's default (``mip_abs_gap`` 1e-6, feasibility tolerances 1e-7
#: on rows and 1e-6 on integrality).
OPTIONS: dict[str, bool | int | float | str] = {
    "output_flag": False,
    "mip_rel_gap": 1e-10,
    "presolve": "on",
    "threads": 1,
}


def solve_milp(
    a: NDArray[np.float64],
    row_lo: NDArray[np.float64],
    row_hi: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    n_int: int,
    cost: NDArray[np.float64],
    *,
    start: NDArray[np.float64] | None = None,
) -> NDArray[np.float64] | None:
    """Minimise ``cost @ x`` with ``row_lo <= a @ x <= row_hi``; the first ``n_int`` integer.

    Args:
        a: (rows, columns) constraint matrix.
        row_lo: Row lower bounds (``-inf`` for none).
        row_hi: Row upper bounds (``inf`` for none).
        lower: Column lower bounds.
        upper: Column upper bounds.
        n_int: The first ``n_int`` columns are integer, the rest continuous.
        cost: The objective.
        start: A feasible point HiGHS starts from (its incumbent before the search);
            it changes how fast the optimum is proved, not the tolerances.

    Returns:
        The optimal column values, or ``None`` when the programme is infeasible.
    """
    import highspy
    from scipy.sparse import csc_array

    inf = highspy.kHighsInf
    m = csc_array(a)
    lp = highspy.HighsLp()
    lp.num_col_ = a.shape[1]
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = cost
    lp.col_lower_ = np.where(np.isinf(lower), -inf, lower)
    lp.col_upper_ = np.where(np.isinf(upper), inf, upper)
    lp.row_lower_ = np.where(np.isinf(row_lo), -inf, row_lo)
    lp.row_upper_ = np.where(np.isinf(row_hi), inf, row_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = m.indptr
    lp.a_matrix_.index_ = m.indices
    lp.a_matrix_.value_ = m.data
    kind = [highspy.HighsVarType.kInteger] * n_int
    lp.integrality_ = kind + [highspy.HighsVarType.kContinuous] * (a.shape[1] - n_int)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    for key, value in OPTIONS.items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.asarray(start, dtype=float)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS did not solve the programme: {h.modelStatusToString(status)}")
    return np.asarray(h.getSolution().col_value, dtype=float)
