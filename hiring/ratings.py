"""The rating rows of submitted scorecards, one per competency: written with each
submission, read by calibration in SQL without opening every scorecard."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from hiring.models import Candidate, CandidateRollup, Interview, Rating, Scorecard

COLUMNS = ["candidate", "interviewer", "competency", "rating"]


def record_ratings(*, session: Session, scorecard: Scorecard, interview: Interview) -> None:
    """Write the rating rows of a submitted scorecard, replacing any it had, and drop its
    candidate's list summary so the list recomputes it."""
    candidate = session.get(Candidate, interview.candidate_id)
    assert candidate is not None
    session.execute(delete(Rating).where(col(Rating.scorecard_id) == scorecard.id))
    session.execute(
        delete(CandidateRollup).where(col(CandidateRollup.candidate_id) == candidate.id)
    )
    rows = [
        {
            "scorecard_id": scorecard.id,
            "candidate_id": candidate.id,
            "interviewer_id": interview.interviewer_id,
            "rubric_id": candidate.rubric_id,
            "competency_id": competency_id,
            "rating": given["rating"],
        }
        for competency_id, given in scorecard.ratings.items()
        if given.get("rating") is not None
    ]
    if rows:
        session.execute(insert(Rating), rows)


def latest_rating_id(*, session: Session) -> int:
    """The newest rating row's id: it changes whenever any submitted rating changes."""
    return session.exec(select(func.max(col(Rating.id)))).one() or 0


def load_ratings(*, session: Session, rubric_id: str) -> pd.DataFrame:
    """Every submitted rating on a rubric: candidate, interviewer, competency, rating."""
    statement = select(
        col(Rating.candidate_id),
        col(Rating.interviewer_id),
        col(Rating.competency_id),
        col(Rating.rating),
    ).where(col(Rating.rubric_id) == rubric_id)
    rows = session.connection().execute(statement).all()
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    # A handful of competencies: as a category they are grouped and fitted on integer codes.
    frame["competency"] = frame["competency"].astype("category")
    return frame
