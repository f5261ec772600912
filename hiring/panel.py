"""A candidate's panel as stored: interviews, interviewers and scorecards, read in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from hiring.flags import PanelScorecard
from hiring.models import Interview, Scorecard, ScorecardStatus, User
from hiring.scoring import DUE_AFTER, interview_state


def load_panels(
    *, session: Session, candidate_ids: Collection[int] | None, now: datetime
) -> dict[int, list[PanelScorecard]]:
    """Each candidate's panel (all candidates when `candidate_ids` is None), in one query.

    Drafts are marked as such but their content stays private to their author.
    """
    statement = (
        select(Interview, User, Scorecard)
        .join(User, col(User.id) == col(Interview.interviewer_id))
        .outerjoin(Scorecard, col(Scorecard.interview_id) == col(Interview.id))
        .order_by(col(Interview.candidate_id), col(Interview.scheduled_at), col(Interview.id))
    )
    if candidate_ids is not None:
        statement = statement.where(col(Interview.candidate_id).in_(candidate_ids))
    panels: dict[int, list[PanelScorecard]] = defaultdict(list)
    for interview, interviewer, scorecard in session.exec(statement):
        panels[interview.candidate_id].append(_entry(interview, interviewer, scorecard, now))
    return panels


def _entry(
    interview: Interview, interviewer: User, scorecard: Scorecard | None, now: datetime
) -> PanelScorecard:
    assert interview.id is not None and interviewer.id is not None
    state = interview_state(interview, scorecard, now)
    common = {
        "interview_id": interview.id,
        "interviewer_id": interviewer.id,
        "interviewer_email": interviewer.email,
        "interviewer_name": interviewer.name,
        "state": state,
        "scorecard_id": scorecard.id if scorecard else None,
        "draft": scorecard is not None and scorecard.status == ScorecardStatus.DRAFT,
        "due_at": (interview.scheduled_at + DUE_AFTER).isoformat()
        if interview.scheduled_at
        else None,
    }
    if scorecard is None or state != "submitted":
        return PanelScorecard(**common)  # type: ignore[arg-type]
    return PanelScorecard(
        **common,  # type: ignore[arg-type]
        ratings={
            c: given["rating"]
            for c, given in scorecard.ratings.items()
            if given.get("rating") is not None
        },
        evidence={c: given.get("evidence", "") for c, given in scorecard.ratings.items()},
        anti_patterns=scorecard.anti_patterns,
        recommendation=scorecard.recommendation.value if scorecard.recommendation else None,
        takeaways=scorecard.takeaways,
        submitted_at=scorecard.submitted_at.isoformat() if scorecard.submitted_at else None,
        amended_at=scorecard.updated_at.isoformat()
        if scorecard.submitted_at and scorecard.updated_at > scorecard.submitted_at
        else None,
    )
