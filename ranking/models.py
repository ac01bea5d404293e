"""Statistical models: Plackett-Luce (rankings) and Bradley-Terry (pairwise choices).

Both maximise the penalised log-likelihood ``log L(theta) - alpha * ||theta||^2`` - exactly
the objective of choix's ``opt_rankings`` / ``opt_top1`` / ``opt_pairwise`` with the same
``alpha`` (default ``1e-6``, choix's default).  The penalty is what guarantees that the fit
exists even when a candidate never loses; it also fixes the scale so that
``sum(theta) == 0`` at the optimum.  Scores are the centred log-strengths ``theta``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .ballots import PairwiseProfile
from .profile import UNRANKED, Profile
from .result import Result, order_from_scores
from .types import FloatArray, IntArray

__all__ = ["plackett_luce", "bradley_terry", "ALPHA"]

#: Default L2 penalty, choix's default for its ``opt_*`` functions.
ALPHA = 1e-6


@dataclass(frozen=True)
class _Choices:
    """Ranked entries of all distinct ballots, sorted by ballot then position.

    Entry ``e`` is candidate ``cand[e]`` chosen, with weight ``weight[e]``, from all
    candidates not ranked at or above its tie-group plus itself.
    """

    cand: IntArray
    weight: FloatArray
    start: IntArray        # flat index of the first entry of the entry's ballot
    group_end: IntArray    # flat index of the last entry of the entry's tie-group
    group_start: IntArray  # flat index of the first entry of the entry's tie-group
    ballot_end: IntArray   # one past the flat index of the last entry of the entry's ballot
    m: int

    @classmethod
    def from_profile(cls, profile: Profile) -> _Choices:
        r = profile.ranks
        d, m = r.shape
        ranked = r != UNRANKED
        # Sort each ballot's entries by position; unranked entries (UNRANKED is the largest
        # value) go last and are dropped.
        order = np.argsort(r, axis=1, kind="stable")
        n_ranked = ranked.sum(axis=1)
        keep = np.arange(m)[None, :] < n_ranked[:, None]
        ballot = np.broadcast_to(np.arange(d)[:, None], (d, m))[keep]
        cand = order[keep]
        pos = r[ballot, cand].astype(np.int64)
        n = len(cand)
        flat = np.arange(n)
        new_ballot = np.ones(n, bool)
        new_ballot[1:] = ballot[1:] != ballot[:-1]
        new_group = new_ballot.copy()
        new_group[1:] |= pos[1:] != pos[:-1]
        start = np.maximum.accumulate(np.where(new_ballot, flat, 0))
        group_start = np.maximum.accumulate(np.where(new_group, flat, 0))
        end_flag = np.ones(n, bool)
        end_flag[:-1] = new_group[1:]
        group_end = np.minimum.accumulate(np.where(end_flag, flat, n)[::-1])[::-1]
        last_flag = np.ones(n, bool)
        last_flag[:-1] = new_ballot[1:]
        ballot_end = np.minimum.accumulate(np.where(last_flag, flat, n)[::-1])[::-1] + 1
        return cls(cand, profile.counts[ballot], start, group_end, group_start, ballot_end, m)

    def denominators(self, w: FloatArray) -> FloatArray:
        """Total strength of each entry's choice set."""
        cs = np.concatenate([[0.0], np.cumsum(w[self.cand])])
        prefix = cs[self.group_end + 1] - cs[self.start]
        return w.sum() - prefix + w[self.cand]

    def nll_grad(self, theta: FloatArray) -> tuple[float, FloatArray]:
        """Negative log-likelihood and its gradient, O(number of entries)."""
        shift = theta.max()
        w = np.exp(theta - shift)  # the likelihood is shift-invariant; this avoids overflow
        den = self.denominators(w)
        nll = -float(self.weight @ (theta[self.cand] - shift - np.log(den)))
        v = self.weight / den
        # d nll / d theta_x = -wins_x + w_x * sum of v over choice sets containing x.  A set
        # of x's own ballot misses x exactly when it is chosen at or below x's tie-group
        # (other than x's own choice); a reverse cumulative sum finds those per entry.
        rcs = np.concatenate([np.cumsum(v[::-1])[::-1], [0.0]])
        missing = rcs[self.group_start] - rcs[self.ballot_end] - v
        excluded = np.bincount(self.cand, weights=missing, minlength=self.m)
        wins = np.bincount(self.cand, weights=self.weight, minlength=self.m)
        grad = -wins + w * (v.sum() - excluded)
        return nll, grad


def _minimise(fun, m: int, alpha: float, scale: float, tol: float) -> tuple[FloatArray, dict]:
    """L-BFGS on the penalised objective divided by ``scale`` (keeps gradients O(1))."""

    def f(theta: FloatArray) -> tuple[float, FloatArray]:
        nll, grad = fun(theta)
        return ((nll + alpha * theta @ theta) / scale,
                (grad + 2 * alpha * theta) / scale)

    res = minimize(f, np.zeros(m), jac=True, method="L-BFGS-B",
                   options={"maxiter": 5000, "maxcor": 30, "gtol": tol, "ftol": 1e-15})
    theta = res.x - res.x.mean()
    return theta, {"converged": bool(res.success), "iterations": int(res.nit),
                   "message": str(res.message)}


def _model_result(method: str, profile, theta: FloatArray, **details: object) -> Result:
    order = order_from_scores(profile.candidates, theta)
    strengths = np.exp(theta - theta.max())
    strengths /= strengths.sum()
    return Result(method, profile.candidates, profile.names, order,
                  {c: float(t) for c, t in zip(profile.candidates, theta)}, list(order[0]),
                  {"strengths": {c: float(s) for c, s in zip(profile.candidates, strengths)},
                   **details})


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
    theta, info = _minimise(choices.nll_grad, profile.n_candidates, alpha, scale, tol)
    return _model_result("plackett-luce", profile, theta, alpha=alpha, **info)


def bradley_terry(
    profile: PairwiseProfile, *, alpha: float = ALPHA, ties: str = "ignore", tol: float = 1e-9
) -> Result:
    """Bradley-Terry strengths and win rates from pairwise choices [bradley-terry].

    ``P(i beats j) = 1 / (1 + exp(theta_j - theta_i))``, fitted as choix's ``opt_pairwise``
    with the same ``alpha``.  "Can't decide" answers are ignored by default
    (``ties="half"`` counts each as half a win for both sides).  ``details["win_rate"]`` is
    each candidate's share of won comparisons (ties counting one half), None if never shown.
    """
    wins = profile.win_matrix(ties=ties)
    pairs = wins + wins.T
    i, j = np.nonzero(wins)
    wij = wins[i, j]

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        diff = theta[i] - theta[j]
        nll = float(wij @ np.logaddexp(0.0, -diff))
        z = wij * (-0.5 * (1 - np.tanh(diff / 2)))  # = -wij * sigmoid(-diff), stable
        grad = np.bincount(i, weights=z, minlength=len(theta)) - np.bincount(
            j, weights=z, minlength=len(theta))
        return nll, grad

    scale = max(float(wins.sum()), 1.0)
    theta, info = _minimise(fun, profile.n_candidates, alpha, scale, tol)
    half = profile.win_matrix(ties="half")
    shown = (half + half.T).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = half.sum(axis=1) / shown
    win_rate = {c: (None if s == 0 else float(r))
                for c, r, s in zip(profile.candidates, rate, shown)}
    del pairs
    return _model_result("bradley-terry", profile, theta, alpha=alpha, ties=ties,
                         win_rate=win_rate, **info)
