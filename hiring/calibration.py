"""Calibration across a rubric's candidates: each interviewer's leniency, and the panel's
reliability per competency (Krippendorff's alpha; Shrout and Fleiss ICCs when fully crossed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session, col, select

from hiring import stats
from hiring.models import User
from hiring.ratings import load_ratings
from hiring.rubrics import Rubric

MIN_RATINGS = 20  # below this, an interviewer's leniency is reported but marked, not applied


def calibrate(
    *, ratings: pd.DataFrame, rubric: Rubric, emails: Mapping[int, str]
) -> dict[str, Any]:
    """The calibration of a rubric (the JSON object of the API and `hiring calibrate`).

    `ratings` has the columns candidate, interviewer, competency, rating; `emails` maps
    interviewer ids to their emails.
    """
    scale = [point.value for point in rubric.scale]
    given = len(ratings)
    ratings = on_scale(ratings, rubric)
    by_competency = dict(tuple(ratings.groupby("competency", sort=False)))
    competencies = [
        _reliability(c.id, c.name, by_competency.get(c.id, ratings.iloc[:0]), scale)
        for c in rubric.competencies
    ]
    return {
        "rubric": rubric.id,
        "rubric_version": rubric.version,
        "n_ratings": len(ratings),
        "n_candidates": int(ratings["candidate"].nunique()),
        "off_scale_ratings": given - len(ratings),
        "min_ratings": MIN_RATINGS,
        "competencies": competencies,
        "interviewers": _leniency(ratings, emails),
    }


def _reliability(
    competency_id: str, name: str, ratings: pd.DataFrame, scale: list[int]
) -> dict[str, Any]:
    counts = value_counts(ratings, scale)
    alpha_interval = stats.alpha(counts, scale, "interval")
    alpha_ordinal = stats.alpha(counts, scale, "ordinal")
    icc = stats.icc(_crossed(ratings)) if len(ratings) else None
    return {
        "id": competency_id,
        "name": name,
        "n_candidates": int(ratings["candidate"].nunique()),
        "n_ratings": len(ratings),
        "alpha_interval": alpha_interval,
        "alpha_interval_band": stats.alpha_band(alpha_interval),
        "alpha_ordinal": alpha_ordinal,
        "alpha_ordinal_band": stats.alpha_band(alpha_ordinal),
        "icc": icc,
        "icc_bands": {name: stats.icc_band(value) for name, value in icc.items()} if icc else None,
    }


def value_counts(ratings: pd.DataFrame, scale: list[int]) -> np.ndarray:
    """Candidates x scale values: how many ratings each candidate got of each value."""
    units = pd.factorize(ratings["candidate"])[0]
    positions = pd.Index(scale).get_indexer(ratings["rating"])
    cells = (units.max(initial=-1) + 1) * len(scale)
    counts = np.bincount(units * len(scale) + positions, minlength=cells)
    return counts.reshape(-1, len(scale)) if counts.size else np.zeros((0, len(scale)))


def _crossed(ratings: pd.DataFrame) -> np.ndarray:
    """The candidates x interviewers matrix when every candidate was rated by the same
    interviewers, once each (a fully crossed design); an empty matrix otherwise."""
    n_candidates = ratings["candidate"].nunique()
    n_interviewers = ratings["interviewer"].nunique()
    if len(ratings) != n_candidates * n_interviewers:  # cheap: most histories stop here
        return np.empty((0, 0))
    if ratings.duplicated(["candidate", "interviewer"]).any():
        return np.empty((0, 0))
    return ratings.pivot(index="candidate", columns="interviewer", values="rating").to_numpy()


def _leniency(ratings: pd.DataFrame, emails: Mapping[int, str]) -> list[dict[str, Any]]:
    if ratings.empty:
        return []
    effects = stats.leniency(ratings).interviewer
    counts = ratings["interviewer"].value_counts()
    return sorted(
        (
            {
                "email": emails.get(interviewer, str(interviewer)),
                "leniency": float(effect),
                "n_ratings": int(counts[interviewer]),
                "too_few_ratings": bool(counts[interviewer] < MIN_RATINGS),
            }
            for interviewer, effect in effects.items()
        ),
        key=lambda entry: (-entry["leniency"], entry["email"]),
    )


def calibration(*, session: Session, rubric: Rubric) -> dict[str, Any]:
    """Calibrate a rubric from the database."""
    ratings = load_ratings(
        session=session, rubric_id=rubric.id, competencies=competency_ids(rubric)
    )
    ids = [int(i) for i in ratings["interviewer"].unique()]
    emails = dict(session.exec(select(User.id, User.email).where(col(User.id).in_(ids))).all())
    return calibrate(ratings=ratings, rubric=rubric, emails=emails)  # type: ignore[arg-type]


def on_scale(ratings: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The ratings whose value is on the rubric's current scale (a scale edited since
    some scorecards were submitted leaves their off-scale ratings out)."""
    return ratings[ratings["rating"].isin([point.value for point in rubric.scale])]


def competency_ids(rubric: Rubric) -> list[str]:
    """The rubric's competency ids, in its order."""
    return [competency.id for competency in rubric.competencies]
