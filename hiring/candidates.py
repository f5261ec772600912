"""Candidates and the interviews of their loop."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hiring import accounts
from hiring.models import Candidate, CandidateStatus, Interview, Scorecard, ScorecardStatus, User
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric
from hiring.validation import MAX_ID, InvalidInput

_INTERVIEW_WITH_CANDIDATE = (  # built once: every scorecard save runs it
    select(Interview, Candidate)
    .join(Candidate, col(Candidate.id) == col(Interview.candidate_id))
    .where(col(Interview.id) == bindparam("id"))
)


def interview_with_candidate(
    *, session: Session, interview_id: int
) -> tuple[Interview, Candidate] | None:
    """An interview and its candidate, in one query; None if there is no such interview."""
    if interview_id > MAX_ID:  # beyond the INTEGER columns: PostgreSQL refuses to look
        return None
    found = session.exec(_INTERVIEW_WITH_CANDIDATE, params={"id": interview_id}).first()
    return (found[0], found[1]) if found else None


def rubric_for(candidate: Candidate, rubrics: RubricSet) -> Rubric:
    """The current rubric of a candidate's role, or InvalidInput if it is unavailable."""
    rubric = rubrics.rubrics.get(candidate.rubric_id)
    if rubric is None:
        problem = f"the rubric {candidate.rubric_id!r} is unavailable: see the rubrics page"
        raise InvalidInput({"rubric": problem})
    return rubric


def _check_rubric(rubric_id: str, stage_profile: str | None, rubrics: RubricSet) -> dict[str, str]:
    rubric = rubrics.rubrics.get(rubric_id)
    if rubric is None:
        known = ", ".join(sorted(rubrics.rubrics)) or "none is valid"
        return {"rubric": f"no rubric has the id {rubric_id!r} (available: {known})"}
    if stage_profile and stage_profile not in rubric.stage_profiles:
        known = ", ".join(rubric.stage_profiles) or "this rubric has none"
        return {"stage_profile": f"{rubric_id} has no stage profile {stage_profile!r} ({known})"}
    return {}


def create_candidate(
    *,
    session: Session,
    rubrics: RubricSet,
    name: str,
    email: str,
    rubric_id: str,
    stage_profile: str | None = None,
) -> Candidate:
    """Add a candidate to be assessed against a rubric."""
    details = _check_rubric(rubric_id, stage_profile or None, rubrics)
    if not name.strip():
        details["name"] = "the candidate's name is required"
    try:
        address = accounts.normalise_email(email)
    except accounts.AccountError as error:
        details["email"] = str(error)
        address = ""
    if address and session.exec(select(Candidate).where(Candidate.email == address)).first():
        details["email"] = f"a candidate with the email {address} already exists"
    if details:
        raise InvalidInput(details)
    candidate = Candidate(
        name=name.strip(), email=address, rubric_id=rubric_id, stage_profile=stage_profile or None
    )
    try:
        with session.begin_nested():
            session.add(candidate)
    except IntegrityError:
        raise InvalidInput(
            {"email": f"a candidate with the email {address} already exists"}
        ) from None
    return candidate


def set_status(*, session: Session, candidate: Candidate, status: str) -> Candidate:
    """Move a candidate to another status (active, hired, rejected, withdrawn)."""
    try:
        candidate.status = CandidateStatus(status)
    except ValueError:
        names = ", ".join(s.value for s in CandidateStatus)
        raise InvalidInput({"status": f"{status!r} is not a status: use one of {names}"}) from None
    session.add(candidate)
    return candidate


def assign_interview(
    *,
    session: Session,
    rubrics: RubricSet,
    candidate: Candidate,
    interviewer_email: str,
    focus: list[str] | None = None,
    scheduled_at: datetime | None = None,
) -> Interview:
    """Assign an interviewer to a candidate, on some of the rubric's competencies (default all)."""
    rubric = rubric_for(candidate, rubrics)
    details: dict[str, str] = {}
    interviewer = accounts.find_user(session=session, email=interviewer_email)
    if interviewer is None or not interviewer.active:
        details["interviewer_email"] = f"no active user has the email {interviewer_email!r}"
    competencies = [c.id for c in rubric.competencies]
    chosen = list(dict.fromkeys(focus)) if focus else competencies
    unknown = [c for c in chosen if c not in competencies]
    if unknown:
        details["focus"] = (
            f"{', '.join(map(repr, unknown))} not in the rubric {rubric.id} "
            f"(its competencies: {', '.join(competencies)})"
        )
    if scheduled_at is not None and scheduled_at.tzinfo is None:
        details["scheduled_at"] = "give a time zone, e.g. 2026-12-01T14:00:00+01:00"
    if details:
        raise InvalidInput(details)
    assert interviewer is not None and interviewer.id is not None and candidate.id is not None
    interview = Interview(
        candidate_id=candidate.id,
        interviewer_id=interviewer.id,
        focus=[c for c in competencies if c in chosen],
        scheduled_at=scheduled_at,
    )
    session.add(interview)
    session.flush()
    return interview


def list_candidates(*, session: Session, status: str | None = None) -> list[Candidate]:
    """Every candidate (or those with `status`), newest first."""
    statement = select(Candidate).order_by(
        col(Candidate.created_at).desc(), col(Candidate.id).desc()
    )
    if status:
        statement = statement.where(Candidate.status == CandidateStatus(status))
    return list(session.exec(statement).all())


def count_candidates(*, session: Session) -> int:
    """How many candidates there are."""
    return session.exec(select(func.count(col(Candidate.id)))).one()


def loop_progress(
    *, session: Session, candidate_ids: list[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Per candidate (all, or these): (scorecards submitted, interviews assigned), in one query."""
    submitted = and_(
        col(Scorecard.interview_id) == col(Interview.id),
        col(Scorecard.status) == ScorecardStatus.SUBMITTED,
    )
    statement = (
        select(
            col(Interview.candidate_id),
            func.count(col(Interview.id)),
            func.count(col(Scorecard.id)),
        )
        .outerjoin(Scorecard, submitted)
        .group_by(col(Interview.candidate_id))
    )
    if candidate_ids is not None:
        statement = statement.where(col(Interview.candidate_id).in_(candidate_ids))
    return {candidate: (done, assigned) for candidate, assigned, done in session.exec(statement)}


def interviewers(*, session: Session) -> list[User]:
    """Active users who can be assigned interviews (any role may interview)."""
    statement = select(User).where(col(User.active).is_(True)).order_by(col(User.name))
    return list(session.exec(statement).all())
