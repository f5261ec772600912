"""Per-candidate rollups: the panel's submitted ratings aggregated per competency (pandas),
the weighted overall score raw and adjusted for interviewer leniency, the recommendation
tally, coverage gaps, splits and anti-pattern flags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from hiring.flags import PanelScorecard, raise_flags
from hiring.leniency import interviewer_effects
from hiring.models import Candidate, Recommendation
from hiring.panel import load_panels
from hiring.ratings import COLUMNS
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric
from hiring.stats import uniform_variance

SPLIT_SPAN = 2  # scale points between the lowest and highest rating that mark a split


def competency_stats(ratings: pd.DataFrame, scale: Sequence[int]) -> pd.DataFrame:
    """Per candidate and competency: n, mean, median, sd, min, max, r_wg, split and the
    mean of the leniency-adjusted ratings, in one pandas pass over any number of candidates.

    `ratings` has the columns candidate, interviewer, competency, rating, adjusted. sd is
    the sample standard deviation (NaN below two ratings); r_wg is 1 - sample variance /
    variance of a uniform distribution over the scale (James, Demaree and Wolf, 1984),
    reported as 0 when the ratings vary more than that; a split is a spread of two or
    more scale points.
    """
    grouped = ratings.groupby(["candidate", "competency"], sort=False)
    # A list of reductions: several times quicker than named aggregation on small panels.
    table = grouped["rating"].agg(["count", "mean", "median", "std", "min", "max"])
    table.columns = pd.Index(["n", "mean", "median", "sd", "min", "max"])
    table["adjusted_mean"] = grouped["adjusted"].mean()
    table["rwg"] = np.clip(1 - table["sd"].to_numpy() ** 2 / uniform_variance(scale), 0, None)
    positions = pd.Index(scale)
    span = positions.get_indexer(table["max"]) - positions.get_indexer(table["min"])
    table["split"] = span >= SPLIT_SPAN
    return table


def panel_stats(
    rubric: Rubric, panels: Mapping[int, Sequence[PanelScorecard]], leniency: Mapping[int, float]
) -> dict[int, dict[str, dict[str, Any]]]:
    """Each candidate's competency statistics from their submitted scorecards, by
    candidate id then competency id; ratings of competencies the rubric no longer has, or
    off its current scale, are left out."""
    known = {c.id for c in rubric.competencies}
    scale = {point.value for point in rubric.scale}
    frame = pd.DataFrame(
        [
            (candidate, s.interviewer_id, c, rating, rating - leniency.get(s.interviewer_id, 0.0))
            for candidate, panel in panels.items()
            for s in panel
            if s.submitted
            for c, rating in s.ratings.items()
            if c in known and rating in scale
        ],
        columns=[*COLUMNS, "adjusted"],
    )
    table = competency_stats(frame, [point.value for point in rubric.scale])
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for (candidate, competency), row in zip(table.index, table.to_dict("records"), strict=True):
        found[candidate][competency] = row
    return found


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
    stats: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The rollup of one candidate (the JSON object of the API and `hiring rollup`).

    `candidate` has id, email, name and stage_profile; `leniency` maps interviewer ids to
    the leniency effects used for the adjusted score (interviewers missing from it are not
    adjusted); `stats` is the candidate's entry of `panel_stats`, computed here if not given.
    """
    if stats is None:
        stats = panel_stats(rubric, {candidate["id"]: panel}, leniency).get(candidate["id"], {})
    submitted = [scorecard for scorecard in panel if scorecard.submitted]
    weights = rubric.weights(candidate.get("stage_profile"))
    means = {c: row["mean"] for c, row in stats.items()}
    competencies = [
        _competency(c.id, c.name, weights[c.id], stats[c.id])
        for c in rubric.competencies
        if c.id in stats
    ]
    return {
        "candidate_id": candidate["id"],
        "candidate_email": candidate["email"],
        "candidate_name": candidate["name"],
        "rubric": rubric.id,
        "rubric_version": rubric.version,
        "stage_profile": candidate.get("stage_profile"),
        "overall": weighted_overall(means, weights),
        "adjusted_overall": weighted_overall(
            {c: row["adjusted_mean"] for c, row in stats.items()}, weights
        ),
        "recommendations": tally(s.recommendation for s in submitted),
        "competencies": competencies,
        "not_assessed": [c.id for c in rubric.competencies if c.id not in stats],
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
    competency_id: str, name: str, weight: float, row: Mapping[str, Any]
) -> dict[str, Any]:
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
        "adjusted_mean": _number(row["adjusted_mean"]),
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
    *,
    session: Session,
    candidates: Sequence[Candidate],
    rubrics: RubricSet,
    now: datetime,
    adjusted: bool = True,
) -> list[dict[str, Any]]:
    """The rollups of these candidates (those whose rubric is available), in a fixed
    number of queries and one pandas pass per rubric; adjusted scores use each rubric's
    current leniency estimates (unless `adjusted` is false: then they equal the raw ones)."""
    found = rollups_and_panels(
        session=session, candidates=candidates, rubrics=rubrics, now=now, adjusted=adjusted
    )
    return [rollup for rollup, _ in found]


def rollups_and_panels(
    *,
    session: Session,
    candidates: Sequence[Candidate],
    rubrics: RubricSet,
    now: datetime,
    adjusted: bool = True,
) -> list[tuple[dict[str, Any], list[PanelScorecard]]]:
    """`candidate_rollups`, each with the panel it was computed from (the debrief quotes it)."""
    panels = load_panels(session=session, candidate_ids=[c.id for c in candidates if c.id], now=now)
    chosen = [c for c in candidates if c.id is not None and c.rubric_id in rubrics.rubrics]
    results: dict[int, dict[str, Any]] = {}
    for rubric_id in dict.fromkeys(c.rubric_id for c in chosen):
        rubric = rubrics.rubrics[rubric_id]
        effects = interviewer_effects(session=session, rubric=rubric) if adjusted else {}
        group = {c.id: c for c in chosen if c.id is not None and c.rubric_id == rubric_id}
        stats = panel_stats(rubric, {i: panels.get(i, []) for i in group}, effects)
        for candidate_id, candidate in group.items():
            results[candidate_id] = summarise(
                candidate=candidate.model_dump(),
                rubric=rubric,
                panel=panels.get(candidate_id, []),
                leniency=effects,
                stats=stats.get(candidate_id, {}),
            )
    return [(results[c.id], panels.get(c.id, [])) for c in chosen if c.id in results]
