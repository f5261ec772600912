"""How candidates, interviews and scorecards look in JSON (the API's contract)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from hiring.models import Candidate, Interview, Scorecard, User, utcnow
from hiring.rubric_loader import RubricSet
from hiring.rubric_versions import label, version_label
from hiring.scoring import DUE_AFTER, interview_state


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def user_json(user: User) -> dict[str, Any]:
    """A user as the API shows it."""
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role.value}


def candidate_json(
    session: Session, candidate: Candidate, with_interviews: bool = True
) -> dict[str, Any]:
    """A candidate, with their interviews unless listing many."""
    body: dict[str, Any] = {
        "id": candidate.id,
        "name": candidate.name,
        "email": candidate.email,
        "rubric": candidate.rubric_id,
        "stage_profile": candidate.stage_profile,
        "status": candidate.status.value,
        "created_at": _time(candidate.created_at),
    }
    if with_interviews:
        statement = select(Interview).where(Interview.candidate_id == candidate.id)
        body["interviews"] = interviews_json(session, list(session.exec(statement).all()))
    return body


def interviews_json(session: Session, interviews: list[Interview]) -> list[dict[str, Any]]:
    """Interviews with their interviewer and scorecard state (three queries, whatever the count)."""
    user_ids = {i.interviewer_id for i in interviews}
    interview_ids = [i.id for i in interviews]
    people = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
    scorecards = {
        s.interview_id: s
        for s in session.exec(
            select(Scorecard).where(col(Scorecard.interview_id).in_(interview_ids))
        )
    }
    now = utcnow()
    rows = []
    for interview in interviews:
        scorecard = scorecards.get(interview.id)  # type: ignore[arg-type]
        rows.append(
            {
                "id": interview.id,
                "candidate_id": interview.candidate_id,
                "interviewer_email": people[interview.interviewer_id].email,
                "interviewer_name": people[interview.interviewer_id].name,
                "focus": interview.focus,
                "scheduled_at": _time(interview.scheduled_at),
                "due_at": _time(interview.scheduled_at + DUE_AFTER)
                if interview.scheduled_at
                else None,
                "state": interview_state(interview, scorecard, now),
                "scorecard_status": scorecard.status.value if scorecard else None,
            }
        )
    return rows


def scorecard_json(
    session: Session,
    scorecard: Scorecard | None,
    interview: Interview | None = None,
    rubrics: RubricSet | None = None,
) -> dict[str, Any]:
    """A scorecard as the API shows it; an empty draft (version 0) when none was started."""
    if scorecard is None:
        assert interview is not None and rubrics is not None
        candidate = session.get(Candidate, interview.candidate_id)
        rubric = rubrics.rubrics.get(candidate.rubric_id) if candidate else None
        return {
            "status": "draft",
            "version": 0,
            "ratings": {},
            "anti_patterns": [],
            "recommendation": None,
            "takeaways": "",
            "rubric": label(rubric) if rubric else None,
            "updated_at": None,
            "submitted_at": None,
        }
    return {
        "status": scorecard.status.value,
        "version": scorecard.version,
        "ratings": scorecard.ratings,
        "anti_patterns": scorecard.anti_patterns,
        "recommendation": scorecard.recommendation.value if scorecard.recommendation else None,
        "takeaways": scorecard.takeaways,
        "rubric": version_label(session=session, version_id=scorecard.rubric_version_id),
        "updated_at": _time(scorecard.updated_at),
        "submitted_at": _time(scorecard.submitted_at),
    }
