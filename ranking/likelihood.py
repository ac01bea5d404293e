"""Statistical models: Plackett-Luce (rankings) and Bradley-Terry (pairwise choices).

Both maximise the penalised log-likelihood ``log L(theta) - alpha * ||theta||^2`` - exactly
the objective of choix's ``opt_rankings`` / ``opt_top1`` / ``opt_pairwise`` with the same
``alpha`` (default ``1e-6``, choix's default).  The penalty is what guarantees that the fit
exists even when a candidate never loses; it also fixes the scale so that
``sum(theta) == 0`` at the optimum.  Scores are the centred log-strengths ``theta``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from .ballots import PairwiseProfile
from .profile import UNRANKED, BallotSet, Profile
from .result import Result, scored_result
from .types import FloatArray

__all__ = ["plackett_luce", "bradley_terry", "ALPHA"]

#: Default L2 penalty, choix's default for its ``opt_*`` functions.
ALPHA = 1e-6
#: Log-strengths closer than this are reported as tied.  When ballots separate candidates
#: completely, the likelihood is almost flat and the strengths run far out (log-strengths
#: of 10 and more), where L-BFGS leaves candidates that the data cannot tell apart a few
#: 1e-6 apart, depending on the order of the ballots.  1e-4 (strengths 0.01 % apart) is far
#: below any difference a survey supports, and far above that noise.
TIE_ATOL = 1e-4
#: Entries per block of the complete-ranking likelihood (temporaries stay in cache).
_COMPLETE_BLOCK = 2**19


@dataclass(frozen=True)
class _Choices:
    """Ranked entries of all distinct ballots in a padded ``(ballots, max_ranked)`` layout.

    Column ``j`` of row ``b`` is the candidate in position ``j`` of ballot ``b`` (``-1`` =
    padding).  It is chosen from every candidate not ranked in an earlier tie-group, except
    the other members of its own tie-group.  Per-row cumulative sums keep ballots apart, so
    no ballot's sums lose precision to another's.
    """

    cand: np.ndarray  # (d, K) int32, -1 padding
    group_start: np.ndarray  # (d, K) column of the first entry of the entry's tie-group
    group_end: np.ndarray  # (d, K) column of the last entry of the entry's tie-group
    complete: np.ndarray  # (d,) True if the ballot ranks every candidate
    weight: FloatArray  # (d,) effective weight of the ballot
    wins: FloatArray  # (m,) weighted number of times each candidate is chosen
    ranks: np.ndarray  # (d, m) the profile's ranks, for the unranked candidates
    m: int
    strict: bool = False  # no ballot has a tie: group boundaries are the columns
    k: int = 0  # columns of the padded layout (longest ballot)

    @classmethod
    def from_profile(cls, profile: Profile) -> _Choices:
        r = profile.ranks
        d, m = r.shape
        if profile.is_complete_strict and d:
            # Every ranking is a permutation: its order is the inverse permutation, and
            # every candidate is chosen once per ballot.  Only the suffix layout is needed.
            worst_first = np.empty((m, d), dtype=np.int32)
            step = max(1, 2**20 // max(m, 1))
            for s in range(0, d, step):
                rows = r[s : s + step]
                block = worst_first[:, s : s + step]
                block[m - 1 - rows.T, np.arange(rows.shape[0])[None, :]] = np.arange(
                    m, dtype=np.int32
                )[:, None]
            weight = profile.counts
            none = np.zeros((0, 0), np.int16)
            out = cls(
                np.zeros((d, 0), np.int32),
                none,
                none,
                np.ones(d, bool),
                weight,
                np.full(m, float(weight.sum())),
                r,
                m,
                True,
                k=m,
            )
            out.__dict__["worst_first"] = worst_first
            return out
        cand, pos = profile.ranked_order()  # int32 candidates, int16 positions
        k = cand.shape[1]
        valid = pos != UNRANKED
        n_ranked = valid.sum(axis=1)
        cand[~valid] = -1
        # Tie-group boundaries along each row, in small integer types (memory: these arrays
        # have one entry per ranked entry of every distinct ballot).
        idx_t = np.int16 if k < 2**15 else np.int32
        cols = np.arange(k, dtype=idx_t)
        new = np.ones((d, k), bool)
        new[:, 1:] = pos[:, 1:] != pos[:, :-1]
        del pos
        gstart = np.where(new, cols, idx_t(0))
        np.maximum.accumulate(gstart, axis=1, out=gstart)
        last = np.ones((d, k), bool)
        last[:, :-1] = new[:, 1:]
        del new
        gend = np.ascontiguousarray(
            np.minimum.accumulate(np.where(last, cols, idx_t(k))[:, ::-1], axis=1)[:, ::-1]
        )
        del last
        weight = profile.counts
        wins = np.zeros(m)
        step = max(1, 2**20 // k)
        for s in range(0, d, step):
            c, v = cand[s : s + step], valid[s : s + step]
            wins += np.bincount(
                c[v], weights=np.broadcast_to(weight[s : s + step, None], c.shape)[v], minlength=m
            )
        strict = bool((gstart == cols).all())
        return cls(cand, gstart, gend, n_ranked == m, weight, wins, r, m, strict, k=k)

    def nll_grad(self, theta: FloatArray) -> tuple[float, FloatArray]:
        """Negative log-likelihood and its gradient, O(number of ranked entries)."""
        if self.strict and self.k == self.m and bool(self.complete.all()):
            return self._nll_grad_complete(theta)
        return self._nll_grad_general(theta)

    @cached_property
    def worst_first(self) -> npt.NDArray[np.int32]:
        """``cand`` with positions reversed and transposed: row ``j`` holds the candidate
        in position ``k - 1 - j`` of every ballot (for the complete strict case)."""
        return np.ascontiguousarray(self.cand[:, ::-1].T)

    def _nll_grad_complete(self, theta: FloatArray) -> tuple[float, FloatArray]:
        """The same for complete strict rankings, where every choice set is a suffix of
        the ranking.  Rows are positions and columns ballots, so both cumulative sums are
        row-by-row vector additions (numpy's own cumsum along an axis is several times
        slower)."""
        shift = theta.max()
        w = np.exp(theta - shift)
        k, d = self.worst_first.shape
        ll = float(self.wins @ (theta - shift))
        in_sets = np.zeros(self.m)
        cols = max(1, _COMPLETE_BLOCK // max(k, 1))
        for s in range(0, d, cols):
            block = self.worst_first[:, s : s + cols]
            wt = self.weight[s : s + cols]
            den = w[block]  # den[j]: strength of the set chosen from at position k-1-j
            for j in range(1, k):
                np.add(den[j], den[j - 1], out=den[j])
            np.maximum(den, 1e-300, out=den)
            ll -= float(np.log(den).sum(axis=0) @ wt)
            np.divide(wt, den, out=den)
            # Candidate x is in the sets of positions 0..pos(x): a sum from the best.
            for j in range(k - 2, -1, -1):
                np.add(den[j], den[j + 1], out=den[j])
            in_sets += np.bincount(block.ravel(), weights=den.ravel(), minlength=self.m)
        grad = -self.wins + w * in_sets
        return -ll, grad

    def _nll_grad_general(self, theta: FloatArray) -> tuple[float, FloatArray]:
        shift = theta.max()
        w = np.exp(theta - shift)  # the likelihood is shift-invariant; this avoids overflow
        total_w = w.sum()
        d, k = self.cand.shape
        ll = 0.0
        in_sets = np.zeros(self.m)
        everyone = 0.0
        # Chunks keep the temporaries (and the unranked-mask product) small.
        rows = max(1, min(2**20 // k, 2**21 // max(self.m, 1)))
        for s in range(0, d, rows):
            c = self.cand[s : s + rows]
            n = c.shape[0]
            valid = c >= 0
            full = bool(valid.all())  # fast path: no padding in this chunk
            wc = w[c] if full else np.where(valid, w[c], 0.0)
            suffix = np.zeros((n, k + 1))
            suffix[:, :k] = np.cumsum(wc[:, ::-1], axis=1)[:, ::-1]
            if self.strict:
                after = suffix[:, 1:]
            else:
                after = np.take_along_axis(
                    suffix, self.group_end[s : s + rows].astype(np.int64) + 1, axis=1
                )
            complete = self.complete[s : s + rows]
            unranked = np.where(complete, 0.0, np.maximum(total_w - suffix[:, 0], 0.0))
            # Total minus ranked loses all precision when the unranked candidates are very
            # weak; sum those ballots' unranked strengths directly.
            weak = ~complete & (unranked < 1e-6 * total_w)
            if weak.any():
                unranked[weak] = (self.ranks[s : s + rows][weak] == UNRANKED) @ w
            den = np.maximum(unranked[:, None] + after + wc, 1e-300)
            if not full:
                den[~valid] = 1.0
            wt = self.weight[s : s + rows]
            terms = theta[c] - shift - np.log(den)
            if not full:
                terms[~valid] = 0.0
            ll += float(wt @ terms.sum(axis=1))
            # d nll / d theta_x = -wins_x + w_x * (sum of wt/den over choice sets holding x).
            # Sums are built only from the sets that hold x - never as "all minus the rest",
            # which would cancel catastrophically when a near-trivial last choice has a huge
            # 1/den.  On its own ballot x is in every set chosen before its tie-group and in
            # its own; on a ballot leaving it unranked, in every set.
            v = wt[:, None] / den
            if not full:
                v[~valid] = 0.0
            before = np.zeros((n, k + 1))
            before[:, 1:] = np.cumsum(v, axis=1)
            if self.strict:
                own = before[:, :-1] + v
            else:
                own = (
                    np.take_along_axis(
                        before, self.group_start[s : s + rows].astype(np.int64), axis=1
                    )
                    + v
                )
            if full:
                in_sets += np.bincount(c.ravel(), weights=own.ravel(), minlength=self.m)
            else:
                in_sets += np.bincount(c[valid], weights=own[valid], minlength=self.m)
            if not complete.all():
                # "All sets of the ballot minus those of ballots ranking x" is exact enough
                # unless the ballot's sets are tiny (huge 1/den); those few ballots use the
                # direct product with their unranked mask instead.
                vb = v.sum(axis=1)
                inc = ~complete
                safe = inc & (vb <= 1e6 * wt)
                unsafe = inc & ~safe
                everyone += float(vb[safe].sum())
                sel = safe[:, None] & valid
                in_sets -= np.bincount(
                    c[sel], weights=np.broadcast_to(vb[:, None], c.shape)[sel], minlength=self.m
                )
                if unsafe.any():
                    in_sets += vb[unsafe] @ (self.ranks[s : s + rows][unsafe] == UNRANKED)
        grad = -self.wins + w * (in_sets + everyone)
        return -ll, grad


Objective = Callable[[FloatArray], tuple[float, FloatArray]]


def _minimise(
    fun: Objective, m: int, alpha: float, scale: float, tol: float, polish: bool = True
) -> tuple[FloatArray, dict[str, Any]]:
    """Minimise the penalised objective divided by ``scale`` (keeps gradients O(1)).

    L-BFGS gets close; when ``polish`` is set a few Newton steps with a Hessian from finite
    differences of the exact gradient finish the job.  That matters when a candidate never
    loses: the optimum then sits far out on a very flat objective that only the small
    penalty curves, where L-BFGS alone stops early.
    """

    def f(theta: FloatArray) -> tuple[float, FloatArray]:
        nll, grad = fun(theta)
        return (float(nll + alpha * theta @ theta) / scale, (grad + 2 * alpha * theta) / scale)

    from scipy.optimize import minimize  # imported on use: scipy is slow to import

    res = minimize(
        f,
        np.zeros(m),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 5000, "maxcor": 30, "gtol": tol, "ftol": 1e-15},
    )
    theta = res.x - res.x.mean()
    newton = 0
    if polish:
        theta, newton = _newton(f, theta)
    value, grad = f(theta)
    # L-BFGS-B may stop with a line-search failure once it is at the precision limit of
    # the objective; judge convergence by the gradient itself.
    grad_max = float(np.abs(grad).max()) if m else 0.0
    return theta - theta.mean(), {
        "converged": bool(grad_max <= 1e-6),
        "iterations": int(res.nit) + newton,
        "gradient_max": grad_max,
    }


def _newton(f: Objective, theta: FloatArray, max_iter: int = 30) -> tuple[FloatArray, int]:
    m = len(theta)
    ones = np.full((m, m), 1.0 / max(m, 1))
    value, grad = f(theta)
    it = 0
    stalled = False
    for it in range(1, max_iter + 1):
        if np.abs(grad).max() < 1e-12 or (it > 3 and stalled):
            break
        h = 1e-4
        hess = np.empty((m, m))
        for i in range(m):
            step = np.zeros(m)
            step[i] = h
            hess[:, i] = (f(theta + step)[1] - f(theta - step)[1]) / (2 * h)
        hess = (hess + hess.T) / 2
        # The objective barely depends on the mean of theta; the extra rank-one term fixes
        # that direction (the gradient has no component along it at a centred point).
        try:
            direction = -np.linalg.solve(hess + ones * max(np.trace(hess) / m, 1e-12), grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-8:
            new_value, new_grad = f(theta + t * direction)
            # Near the optimum the objective changes below its rounding error; a smaller
            # gradient is then the better test of progress.
            g_old, g_new = np.abs(grad).max(), np.abs(new_grad).max()
            if g_new < g_old or (
                new_value < value + 1e-4 * t * (grad @ direction) and g_new < 10 * g_old
            ):
                break
            t /= 2
        else:
            break
        # Stop once steps no longer halve the gradient: its rounding floor is reached.
        stalled = np.abs(new_grad).max() > 0.5 * np.abs(grad).max()
        theta, value, grad = theta + t * direction, new_value, new_grad
    return theta, it


def _model_result(method: str, profile: BallotSet, theta: FloatArray, **details: object) -> Result:
    strengths = np.exp(theta - theta.max())
    strengths /= strengths.sum()
    return scored_result(
        method,
        profile,
        theta,
        # Equal strengths come out of the optimiser equal only to its precision.
        atol=TIE_ATOL,
        details={
            "strengths": {c: float(s) for c, s in zip(profile.candidates, strengths, strict=True)},
            **details,
        },
    )


def plackett_luce(profile: Profile, *, alpha: float = ALPHA, tol: float = 1e-9) -> Result:
    """Plackett-Luce maximum-likelihood strengths [plackett-luce].

    A ballot is read as successive choices: its first candidate is chosen from all
    candidates, the next from those not yet ranked, and so on; a truncated (top-k) ballot
    stops after its last ranked candidate - unranked candidates stay in every choice set.
    A tie-group ``G`` chosen from remaining set ``R`` counts as each member ``g`` being chosen
    from ``(R - G) + {g}`` (the strict case when ``|G| = 1``).  For strict ballots this is
    choix's ``opt_top1`` on ``(winner, remaining)`` choices, and for complete ballots choix's
    ``opt_rankings``.

    Parameters
    ----------
    profile : Profile
        Ranking ballots (weights multiply the log-likelihood terms).
    alpha : float
        L2 penalty on the log-strengths, as choix's ``alpha``.
    tol : float
        Gradient tolerance of the optimiser (on the objective divided by the total weight).

    Returns
    -------
    Result
        Scores are centred log-strengths; ``details["strengths"]`` are strengths summing to 1.
    """
    choices = _Choices.from_profile(profile)
    scale = max(float(profile.total_weight), 1.0)
    # Newton polishing costs m gradient evaluations per step: only for small problems
    # (large real profiles are informative enough for L-BFGS alone).
    polish = profile.n_candidates * choices.k * len(choices.weight) <= 2 * 10**7
    theta, info = _minimise(choices.nll_grad, profile.n_candidates, alpha, scale, tol, polish)
    return _model_result("plackett-luce", profile, theta, alpha=alpha, **info)


def bradley_terry(
    profile: PairwiseProfile, *, alpha: float = ALPHA, ties: str = "ignore", tol: float = 1e-9
) -> Result:
    """Bradley-Terry strengths and win rates from pairwise choices [bradley-terry].

    ``P(i beats j) = 1 / (1 + exp(theta_j - theta_i))``, fitted as choix's ``opt_pairwise``
    with the same ``alpha``.  "Can't decide" answers are ignored by default
    (``ties="half"`` counts each as half a win for both sides).  ``details["win_rate"]`` is
    each candidate's share of won comparisons (ties counting one half), None if never shown.

    Parameters
    ----------
    profile : PairwiseProfile
        The choices.
    alpha : float
        L2 penalty on the log-strengths, as choix's ``alpha``.
    ties : {"ignore", "half"}
        How "can't decide" answers count.
    tol : float
        Gradient tolerance of the optimiser.

    Returns
    -------
    Result
        Scores are centred log-strengths.
    """
    wins = profile.win_matrix(ties=ties)
    pairs = wins + wins.T
    i, j = np.nonzero(wins)
    wij = wins[i, j]

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        diff = theta[i] - theta[j]
        nll = float(wij @ np.logaddexp(0.0, -diff))
        z = wij * (-0.5 * (1 - np.tanh(diff / 2)))  # = -wij * sigmoid(-diff), stable
        grad = np.asarray(
            np.bincount(i, weights=z, minlength=len(theta))
            - np.bincount(j, weights=z, minlength=len(theta)),
            dtype=np.float64,
        )
        return nll, grad

    scale = max(float(wins.sum()), 1.0)
    theta, info = _minimise(
        fun,
        profile.n_candidates,
        alpha,
        scale,
        tol,
        polish=profile.n_candidates * max(len(wij), 1) <= 10**8,
    )
    half = profile.win_matrix(ties="half")
    shown = (half + half.T).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = half.sum(axis=1) / shown
    win_rate = {
        c: (None if s == 0 else float(r))
        for c, r, s in zip(profile.candidates, rate, shown, strict=True)
    }
    del pairs
    return _model_result(
        "bradley-terry", profile, theta, alpha=alpha, ties=ties, win_rate=win_rate, **info
    )
