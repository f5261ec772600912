"""Per-candidate rollups: the panel's submitted ratings aggregated per competency (pandas),
the weighted overall score raw and adjusted for interviewer leniency, the recommendation
tally, coverage gaps, splits and anti-pattern flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlmodel import Session

from hiring.calibration import interviewer_effects
from hiring.flags import PanelScorecard, raise_flags
from hiring.models import Candidate, Recommendation
from hiring.panel import load_panels
from hiring.ratings import COLUMNS
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric
from hiring.stats import uniform_variance

SPLIT_SPAN = 2  # scale points between the lowest and highest rating that mark a split


def competency_stats(ratings: pd.DataFrame, scale: Sequence[int]) -> pd.DataFrame:
    """Per candidate and competency: n, mean, median, sd, min, max, r_wg and split.

    `ratings` has the columns candidate, interviewer, competency, rating. sd is the
    sample standard deviation (None below two ratings); r_wg is 1 - sample variance /
    variance of a uniform distribution over the scale (James, Demaree and Wolf, 1984),
    reported as 0 when the ratings vary more than that; a split is a spread of two or
    more scale points.
    """
    grouped = ratings.groupby(["candidate", "competency"], sort=False)["rating"]
    table = grouped.agg(["count", "mean", "median", "std", "var", "min", "max"])
    table = table.rename(columns={"count": "n", "std": "sd"})
    rwg = (1 - table["var"] / uniform_variance(scale)).clip(lower=0)
    table["rwg"] = rwg.where(table["n"] >= 2)
    position = {value: index for index, value in enumerate(scale)}
    span = table["max"].map(position) - table["min"].map(position)
    table["split"] = span >= SPLIT_SPAN
    return table.drop(columns="var")


def weighted_overall(means: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    """The weighted mean of the assessed competencies' means (None if none is assessed)."""
    assessed = [c for c in means if c in weights]
    total = sum(weights[c] for c in assessed)
    if not assessed or total == 0:
        return None
    return sum(means[c] * weights[c] for c in assessed) / total


def summarise(
    *,
    candidate: Mapping[str, Any],
    rubric: Rubric,
    panel: Sequence[PanelScorecard],
    leniency: Mapping[int, float],
) -> dict[str, Any]:
    """The rollup of one candidate (the JSON object of the API and `hiring rollup`).

    `candidate` has id, email, name and stage_profile; `leniency` maps interviewer ids to
    the leniency effects used for the adjusted score (interviewers missing from it are not
    adjusted).
    """
    submitted = [scorecard for scorecard in panel if scorecard.submitted]
    known = {c.id for c in rubric.competencies}
    ratings = pd.DataFrame(
        [
            (candidate["id"], s.interviewer_id, competency, rating)
            for s in submitted
            for competency, rating in s.ratings.items()
            if competency in known
        ],
        columns=COLUMNS,
    )
    scale = [point.value for point in rubric.scale]
    stats = competency_stats(ratings, scale).droplevel("candidate")
    ratings["adjusted"] = ratings["rating"] - ratings["interviewer"].map(leniency).fillna(0.0)
    adjusted = ratings.groupby("competency")["adjusted"].mean()
    weights = rubric.weights(candidate.get("stage_profile"))
    means = stats["mean"].to_dict()
    competencies = [
        _competency(c.id, c.name, weights[c.id], stats, adjusted)
        for c in rubric.competencies
        if c.id in stats.index
    ]
    return {
        "candidate_id": candidate["id"],
        "candidate_email": candidate["email"],
        "candidate_name": candidate["name"],
        "rubric": rubric.id,
        "rubric_version": rubric.version,
        "stage_profile": candidate.get("stage_profile"),
        "overall": weighted_overall(means, weights),
        "adjusted_overall": weighted_overall(adjusted.to_dict(), weights),
        "recommendations": tally(s.recommendation for s in submitted),
        "competencies": competencies,
        "not_assessed": [c.id for c in rubric.competencies if c.id not in stats.index],
        "splits": [entry["id"] for entry in competencies if entry["split"]],
        "flags": raise_flags(rubric, panel, means),
        "coverage": coverage(panel),
        "panel": [_panel_entry(s, leniency) for s in panel],
    }


def tally(recommendations: Any) -> dict[str, int]:
    """How many scorecards recommend each of strong no, no, yes, strong yes."""
    counts = {choice.value: 0 for choice in Recommendation}
    for recommendation in recommendations:
        if recommendation in counts:
            counts[recommendation] += 1
    return counts


def coverage(panel: Sequence[PanelScorecard]) -> dict[str, int]:
    """Scorecards expected (one per interview), submitted, in draft, overdue, not started."""
    return {
        "expected": len(panel),
        "submitted": sum(s.submitted for s in panel),
        "drafts": sum(s.draft and not s.submitted for s in panel),
        "overdue": sum(s.state == "overdue" for s in panel),
        "not_started": sum(s.scorecard_id is None for s in panel),
    }


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _competency(
    competency_id: str, name: str, weight: float, stats: pd.DataFrame, adjusted: pd.Series
) -> dict[str, Any]:
    row = stats.loc[competency_id]
    return {
        "id": competency_id,
        "name": name,
        "weight": weight,
        "n": int(row["n"]),
        "mean": _number(row["mean"]),
        "median": _number(row["median"]),
        "sd": _number(row["sd"]),
        "min": int(row["min"]),
        "max": int(row["max"]),
        "rwg": _number(row["rwg"]),
        "split": bool(row["split"]),
        "adjusted_mean": _number(adjusted.get(competency_id)),
    }


def _panel_entry(scorecard: PanelScorecard, leniency: Mapping[int, float]) -> dict[str, Any]:
    return {
        "interview_id": scorecard.interview_id,
        "scorecard_id": scorecard.scorecard_id if scorecard.submitted else None,
        "interviewer_email": scorecard.interviewer_email,
        "interviewer_name": scorecard.interviewer_name,
        "state": scorecard.state,
        "recommendation": scorecard.recommendation,
        "ratings": dict(scorecard.ratings),
        "submitted_at": scorecard.submitted_at,
        "leniency": leniency.get(scorecard.interviewer_id),
    }


def candidate_rollups(
    *, session: Session, candidates: Sequence[Candidate], rubrics: RubricSet, now: datetime
) -> list[dict[str, Any]]:
    """The rollups of these candidates (those whose rubric is available), in a fixed
    number of queries; adjusted scores use each rubric's current leniency estimates."""
    panels = load_panels(session=session, candidate_ids=[c.id for c in candidates if c.id], now=now)
    effects: dict[str, dict[int, float]] = {}
    results = []
    for candidate in candidates:
        rubric = rubrics.rubrics.get(candidate.rubric_id)
        if rubric is None or candidate.id is None:
            continue
        if rubric.id not in effects:
            effects[rubric.id] = interviewer_effects(session=session, rubric=rubric)
        results.append(
            summarise(
                candidate=candidate.model_dump(),
                rubric=rubric,
                panel=panels.get(candidate.id, []),
                leniency=effects[rubric.id],
            )
        )
    return results
