"""The statistics of rollups and calibration: agreement, reliability and interviewer leniency.

Pure functions over numbers; each is tested against published reference values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np
import pandas as pd
from scipy import sparse

AlphaLevel = Literal["interval", "ordinal"]
ICC_NAMES = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")


def uniform_variance(scale: Sequence[int]) -> float:
    """The variance of a uniform distribution over the scale's values: (A^2 - 1) / 12 for
    A consecutive points (James, Demaree and Wolf, 1984)."""
    values = np.asarray(scale, dtype=float)
    return float(values.var())


def rwg(ratings: Sequence[float], scale: Sequence[int]) -> float | None:
    """Within-group agreement r_wg = 1 - s^2 / sigma^2_EU (James, Demaree and Wolf, 1984).

    s^2 is the sample variance of the ratings; sigma^2_EU the variance of a uniform
    distribution over the scale. Undefined (None) below two ratings; an observed variance
    above the uniform's is reported as 0, no agreement, as James et al. advise.
    """
    if len(ratings) < 2:
        return None
    observed = float(np.var(np.asarray(ratings, dtype=float), ddof=1))
    return max(0.0, 1.0 - observed / uniform_variance(scale))


def alpha(value_counts: np.ndarray, scale: Sequence[int], level: AlphaLevel) -> float | None:
    """Krippendorff's alpha from a units x scale-values matrix of counts.

    Each row says how many coders gave each scale value to one unit; units with fewer
    than two values are not pairable and drop out, as Krippendorff defines. None when
    alpha is undefined: fewer than two pairable values, or no variation at all.
    """
    counts = np.asarray(value_counts, dtype=float)
    pairable = counts[counts.sum(axis=1) >= 2] if counts.size else counts
    if pairable.size == 0 or pairable.sum() < 2:
        return None
    if np.count_nonzero(pairable.sum(axis=0)) < 2:
        return None  # every value the same: no expected disagreement
    return float(
        krippendorff.alpha(
            value_counts=pairable, value_domain=list(scale), level_of_measurement=level
        )
    )


def icc(matrix: np.ndarray) -> dict[str, float] | None:
    """The six intraclass correlations of Shrout and Fleiss (1979) for a complete
    targets x raters matrix (every target rated by the same k raters).

    None when they are undefined: fewer than two targets or raters, or no variance.
    """
    ratings = np.asarray(matrix, dtype=float)
    n, k = ratings.shape if ratings.ndim == 2 else (0, 0)
    if n < 2 or k < 2 or np.isnan(ratings).any():
        return None
    grand = ratings.mean()
    ss_targets = k * ((ratings.mean(axis=1) - grand) ** 2).sum()
    ss_raters = n * ((ratings.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((ratings - grand) ** 2).sum()
    bms = ss_targets / (n - 1)  # between targets
    wms = (ss_total - ss_targets) / (n * (k - 1))  # within targets
    jms = ss_raters / (k - 1)  # between raters
    ems = (ss_total - ss_targets - ss_raters) / ((n - 1) * (k - 1))  # residual
    denominators = (
        bms + (k - 1) * wms,
        bms + (k - 1) * ems + k * (jms - ems) / n,
        bms + (k - 1) * ems,
        bms,
        bms + (jms - ems) / n,
        bms,
    )
    numerators = (bms - wms, bms - ems, bms - ems, bms - wms, bms - ems, bms - ems)
    if any(math.isclose(d, 0.0, abs_tol=1e-12) for d in denominators):
        return None
    return {
        name: float(top / bottom)
        for name, top, bottom in zip(ICC_NAMES, numerators, denominators, strict=True)
    }


def alpha_band(value: float | None) -> str | None:
    """Krippendorff's reading of alpha: below .667 unreliable, up to .800 tentative."""
    if value is None:
        return None
    if value < 0.667:
        return "unreliable"
    return "tentative" if value < 0.8 else "reliable"


def icc_band(value: float | None) -> str | None:
    """Koo and Li's (2016) reading of an ICC: poor, moderate, good, excellent."""
    if value is None:
        return None
    if value < 0.5:
        return "poor"
    if value < 0.75:
        return "moderate"
    return "good" if value < 0.9 else "excellent"


@dataclass(frozen=True)
class Effects:
    """The additive model's estimates, each a Series indexed by its id."""

    candidate: pd.Series
    interviewer: pd.Series
    competency: pd.Series


def leniency(ratings: pd.DataFrame) -> Effects:
    """Fit rating = candidate + interviewer + competency effect + error by least squares.

    `ratings` has columns candidate, interviewer, competency, rating. Interviewer effects
    sum to zero and so do competency effects, which puts candidate effects on the rating
    scale: a candidate's expected rating from an average interviewer on an average
    competency. The candidate effects are absorbed (Frisch-Waugh-Lovell), so the system
    solved has one row per interviewer and competency, whatever the number of candidates.
    """
    c_index, candidates = pd.factorize(ratings["candidate"])  # by hashing: O(n)
    i_index, interviewers = pd.factorize(ratings["interviewer"])
    k_index, competencies = pd.factorize(ratings["competency"])
    y = ratings["rating"].to_numpy(dtype=float)
    n_c, n_i, n_k = len(candidates), len(interviewers), len(competencies)
    columns = np.concatenate([i_index, n_i + k_index])  # each rating: its two dummy columns
    # X'X and X'y of the interviewer and competency dummies, counted directly.
    crossed = np.bincount(i_index * n_k + k_index, minlength=n_i * n_k).reshape(n_i, n_k)
    gram = np.diag(np.bincount(columns, minlength=n_i + n_k).astype(float))
    gram[:n_i, n_i:] = crossed
    gram[n_i:, :n_i] = crossed.T
    right = np.bincount(columns, weights=np.concatenate([y, y]), minlength=n_i + n_k)
    # Minus the projection on the candidate dummies: sum over candidates of s s' / n.
    sums = sparse.csr_matrix(
        (np.ones(2 * len(y)), (np.concatenate([c_index, c_index]), columns)),
        shape=(n_c, n_i + n_k),
    )
    per_candidate = np.bincount(c_index, minlength=n_c).astype(float)
    inverse = sparse.diags(1.0 / per_candidate)
    normal = gram - (sums.T @ inverse @ sums).toarray()
    right = right - sums.T @ (np.bincount(c_index, weights=y, minlength=n_c) / per_candidate)
    solution = np.linalg.lstsq(normal, right, rcond=None)[0]
    interviewer = solution[:n_i] - solution[:n_i].mean()
    competency = solution[n_i:] - solution[n_i:].mean() if n_k else solution[n_i:]
    residual = y - interviewer[i_index] - competency[k_index]
    candidate = np.bincount(c_index, weights=residual, minlength=n_c) / per_candidate
    return Effects(
        candidate=pd.Series(candidate, index=candidates, name="candidate"),
        interviewer=pd.Series(interviewer, index=interviewers, name="interviewer"),
        competency=pd.Series(competency, index=competencies, name="competency"),
    )
