"""Scorecards: checked against their rubric, saved without loss, audited, kept independent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from sqlalchemy import CursorResult, Table, bindparam, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hiring.db import may_race
from hiring.models import (
    AuditEntry,
    Interview,
    Recommendation,
    Role,
    Scorecard,
    ScorecardStatus,
    User,
    utcnow,
)
from hiring.ratings import record_ratings
from hiring.rubric_versions import record_version, snapshot_by_id, snapshot_rubric
from hiring.rubrics import Rubric
from hiring.validation import InvalidInput, whole_number

EVIDENCE_MAX_LENGTH = 10_000
DUE_AFTER = timedelta(hours=24)
Evidence = Annotated[str, Field(max_length=EVIDENCE_MAX_LENGTH)]
# Built once: building a statement costs more than running it on SQLite.
_SCORECARD = select(Scorecard).where(col(Scorecard.interview_id) == bindparam("interview_id"))
_LOCKED_SCORECARD = _SCORECARD.with_for_update()
_SCORECARDS: Table = Scorecard.__table__  # type: ignore[attr-defined]
_INSERT_SCORECARD = _SCORECARDS.insert()
_UPDATE_SCORECARD = _SCORECARDS.update().where(  # only from the version it was read at
    _SCORECARDS.c.id == bindparam("scorecard_id"),
    _SCORECARDS.c.version == bindparam("read_version"),
)
_INSERT_AUDIT_ENTRY = insert(AuditEntry.__table__)  # type: ignore[attr-defined]
_COLUMNS = [column.name for column in _SCORECARDS.columns if column.name != "id"]


class RatingInput(BaseModel):
    """A competency's rating (None: not assessed) and the evidence behind it."""

    model_config = ConfigDict(extra="forbid")
    rating: Annotated[StrictInt | None, BeforeValidator(whole_number)] = None
    evidence: Evidence = ""


class AntiPatternInput(BaseModel):
    """An anti-pattern the interviewer saw, with the evidence."""

    model_config = ConfigDict(extra="forbid")
    id: str
    evidence: Evidence = ""


class ScorecardInput(BaseModel):
    """What an interviewer writes: the JSON API's body, and the web form once parsed."""

    model_config = ConfigDict(extra="forbid")
    ratings: dict[str, RatingInput] = {}
    anti_patterns: list[AntiPatternInput] = []
    recommendation: Recommendation | None = None
    takeaways: Evidence = ""
    submit: StrictBool = False


class StaleScorecard(Exception):
    """The scorecard changed since the writer last saw it; `current` is the newer one."""

    def __init__(self, current: Scorecard) -> None:
        self.current = current
        super().__init__(f"the scorecard is at version {current.version}")


class NotAllowed(PermissionError):
    """The user may not do this; the message says why."""


def check_against_rubric(
    data: ScorecardInput, rubric: Rubric, focus: list[str], submitting: bool
) -> dict[str, str]:
    """Field-level problems of `data` for this rubric; completeness only when submitting."""
    problems: dict[str, str] = {}
    scale = [point.value for point in rubric.scale]
    for competency_id, given in data.ratings.items():
        where = f"ratings.{competency_id}"
        if competency_id not in focus:
            problems[where] = f"not a focus competency of this interview ({', '.join(focus)})"
        elif given.rating is not None and given.rating not in scale:
            problems[f"{where}.rating"] = (
                f"{given.rating} is not on the scale ({', '.join(map(str, scale))})"
            )
        elif submitting and given.rating is not None and not given.evidence.strip():
            problems[f"{where}.evidence"] = (
                "evidence is required for every rating: what did the candidate say or do?"
            )
    known = {pattern.id for pattern in rubric.anti_patterns}
    seen: set[str] = set()
    for index, ticked in enumerate(data.anti_patterns):
        where = f"anti_patterns.{index}"
        if ticked.id not in known:
            problems[f"{where}.id"] = f"{ticked.id!r} is not an anti-pattern of {rubric.id}"
        elif ticked.id in seen:
            problems[f"{where}.id"] = f"{ticked.id!r} is listed twice"
        elif submitting and not ticked.evidence.strip():
            problems[f"{where}.evidence"] = "say what you saw: evidence is required when ticked"
        seen.add(ticked.id)
    if submitting and data.recommendation is None:
        problems["recommendation"] = "choose an overall recommendation"
    if submitting and not any(r.rating is not None for r in data.ratings.values()):
        problems["ratings"] = "rate at least one competency before submitting"
    return problems


def content(scorecard: Scorecard) -> dict[str, Any]:
    """A scorecard's content, flattened to the fields the audit log names."""
    fields: dict[str, Any] = {}
    for competency_id, given in sorted(scorecard.ratings.items()):
        fields[f"ratings.{competency_id}.rating"] = given.get("rating")
        fields[f"ratings.{competency_id}.evidence"] = given.get("evidence", "")
    for ticked in scorecard.anti_patterns:
        fields[f"anti_patterns.{ticked['id']}"] = ticked.get("evidence", "")
    fields["recommendation"] = scorecard.recommendation.value if scorecard.recommendation else None
    fields["takeaways"] = scorecard.takeaways
    return fields


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    empty = (None, "")
    return {
        field: {"before": before.get(field), "after": after.get(field)}
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
        and not (before.get(field) in empty and after.get(field) in empty)
    }


def scorecard_for(
    *, session: Session, interview: Interview, lock: bool = False
) -> Scorecard | None:
    """The interview's scorecard, if one was started (locked for update when `lock`)."""
    statement = _LOCKED_SCORECARD if lock else _SCORECARD
    return session.exec(statement, params={"interview_id": interview.id}).first()


def rubric_of(*, session: Session, scorecard: Scorecard) -> Rubric:
    """The rubric exactly as it was when the scorecard was started."""
    snapshot = snapshot_by_id(session=session, version_id=scorecard.rubric_version_id)
    assert snapshot is not None
    return snapshot_rubric(snapshot)


@dataclass
class PreparedSave:
    """A save worked out from the scorecard as it was read: `write_save` writes it, on
    condition that the scorecard is still at `read_version`."""

    scorecard: Scorecard  # as it is to be saved (a new object: the one read is left alone)
    read_version: int  # the version it was read at (0: none was started)
    interview: Interview
    rubric_id: str
    audit: dict[str, Any] | None  # the audit entry, without its scorecard: when submitted
    replacing: bool  # the rating rows of an earlier submission are replaced
    writes: bool  # False: an amendment that changes nothing


class Overtaken(Exception):
    """Another save wrote the scorecard between reading it and writing it."""


def save_scorecard(
    *,
    session: Session,
    interview: Interview,
    author: User,
    data: ScorecardInput,
    current_rubric: Rubric,
    expected_version: int | None = None,
    at: datetime | None = None,
    current_version_id: int | None = None,
) -> Scorecard:
    """Save a draft, submit, or amend a submitted scorecard; the caller commits.

    `expected_version` is the version the writer started from (0: none yet); a newer
    one raises StaleScorecard. Submitting and amending write the audit log in the
    same transaction; draft saves do not. `at` is when it happens (now, except for the
    demo's history). `current_version_id` is the stored snapshot of `current_rubric`,
    when the caller looked it up before the write (`rubric_versions.stored_version`).
    """
    prepared = prepare_save(
        session=session,
        interview=interview,
        author=author,
        data=data,
        current_rubric=current_rubric,
        expected_version=expected_version,
        at=at,
        current_version_id=current_version_id,
        lock=True,
    )
    try:
        return write_save(session=session, prepared=prepared)
    except Overtaken:  # on PostgreSQL, another tab's first save inserted it first
        raise StaleScorecard(_reload(session, interview)) from None


def prepare_save(
    *,
    session: Session,
    interview: Interview,
    author: User,
    data: ScorecardInput,
    current_rubric: Rubric,
    expected_version: int | None = None,
    at: datetime | None = None,
    current_version_id: int | None = None,
    lock: bool = False,
) -> PreparedSave:
    """Check a save against the scorecard as `session` reads it (locked when `lock`) and
    work out what it writes, without writing: a read-only session can prepare it before
    the write transaction starts. Raises as `save_scorecard` does.

    Without `lock`, a first save needs `current_version_id`: storing a new rubric
    snapshot is a write.
    """
    now = at or utcnow()
    if author.id != interview.interviewer_id:
        raise NotAllowed("only the assigned interviewer may write this scorecard")
    found = scorecard_for(session=session, interview=interview, lock=lock)
    read_version = found.version if found else 0
    if expected_version is not None and expected_version != read_version:
        if found is None:
            raise InvalidInput(
                {
                    "version": f"version {expected_version} does not exist: nothing is saved yet, "
                    "so start from version 0"
                }
            )
        raise StaleScorecard(found)
    rubric = rubric_of(session=session, scorecard=found) if found else current_rubric
    was_submitted = found is not None and found.status == ScorecardStatus.SUBMITTED
    problems = check_against_rubric(data, rubric, interview.focus, data.submit or was_submitted)
    if problems:
        raise InvalidInput(problems)
    if found is None:
        if not lock and current_version_id is None:
            raise ValueError("a first save prepared without the lock needs current_version_id")
        assert interview.id is not None
        version_id = record_version(session=session, rubric=rubric, known=current_version_id)
        scorecard = _new_scorecard(interview.id, version_id, now)
    else:
        scorecard = Scorecard(id=found.id, **_row(found))
    before = content(found) if found is not None and was_submitted else {}
    _apply(scorecard, data)
    after = content(scorecard)
    changes = _changes(before, after)
    if was_submitted and not changes:
        # An amendment that changes nothing writes nothing: it is answered with the
        # scorecard as read, at the version it was read at, whatever comes after.
        assert found is not None
        return PreparedSave(found, read_version, interview, rubric.id, None, False, False)
    scorecard.version += 1
    scorecard.updated_at = now
    if data.submit and not was_submitted:
        scorecard.status = ScorecardStatus.SUBMITTED
        scorecard.submitted_at = now
    audit = None
    if scorecard.status == ScorecardStatus.SUBMITTED:
        action = "amended" if was_submitted else "submitted"
        audit = {"actor_id": author.id, "action": action, "changes": changes, "at": now}
    return PreparedSave(scorecard, read_version, interview, rubric.id, audit, was_submitted, True)


def write_save(*, session: Session, prepared: PreparedSave) -> Scorecard:
    """Write a prepared save in the caller's transaction and return the scorecard as saved.

    Raises Overtaken, having written nothing the caller keeps (it rolls back), when the
    scorecard is no longer at the version it was prepared from.
    """
    scorecard = prepared.scorecard
    if not prepared.writes:
        return scorecard
    row = _row(scorecard)
    if prepared.read_version == 0:
        try:
            with may_race(session):  # a plain INSERT: the unit of work costs more than it
                new = session.execute(_INSERT_SCORECARD, row)
        except IntegrityError:  # another save inserted it first
            raise Overtaken from None
        key = cast(CursorResult[Any], new).inserted_primary_key
        assert key is not None
        scorecard.id = key[0]
    else:
        params = {**row, "scorecard_id": scorecard.id, "read_version": prepared.read_version}
        if cast(CursorResult[Any], session.execute(_UPDATE_SCORECARD, params)).rowcount != 1:
            raise Overtaken
        loaded = session.identity_map.get(session.identity_key(Scorecard, scorecard.id))
        if loaded is not None:  # as read before this save: not to be used or saved
            session.expunge(loaded)
    if prepared.audit is not None:
        session.execute(_INSERT_AUDIT_ENTRY, {**prepared.audit, "scorecard_id": scorecard.id})
        record_ratings(
            session=session,
            scorecard=scorecard,
            interview=prepared.interview,
            rubric_id=prepared.rubric_id,
            replacing=prepared.replacing,
        )
    return scorecard


def _reload(session: Session, interview: Interview) -> Scorecard:
    found = scorecard_for(session=session, interview=interview)
    assert found is not None
    return found


def _new_scorecard(interview_id: int, version_id: int, now: datetime) -> Scorecard:
    # Every field given: a default factory costs pydantic a signature check at each call.
    return Scorecard(
        interview_id=interview_id,
        rubric_version_id=version_id,
        status=ScorecardStatus.DRAFT,
        version=0,
        ratings={},
        anti_patterns=[],
        recommendation=None,
        takeaways="",
        created_at=now,
        updated_at=now,
        submitted_at=None,
    )


def _row(scorecard: Scorecard) -> dict[str, Any]:
    return {column: getattr(scorecard, column) for column in _COLUMNS}


def _apply(scorecard: Scorecard, data: ScorecardInput) -> None:
    scorecard.ratings = {
        competency_id: {"rating": given.rating, "evidence": given.evidence.strip()}
        for competency_id, given in data.ratings.items()
        if given.rating is not None or given.evidence.strip()
    }
    scorecard.anti_patterns = [
        {"id": ticked.id, "evidence": ticked.evidence.strip()} for ticked in data.anti_patterns
    ]
    scorecard.recommendation = data.recommendation
    scorecard.takeaways = data.takeaways.strip()


def has_submitted_for(*, session: Session, user: User, candidate_id: int) -> bool:
    """Whether `user` has submitted a scorecard for this candidate."""
    statement = (
        select(Scorecard.id)
        .join(Interview, col(Interview.id) == col(Scorecard.interview_id))
        .where(
            Interview.candidate_id == candidate_id,
            Interview.interviewer_id == user.id,
            Scorecard.status == ScorecardStatus.SUBMITTED,
        )
    )
    return session.exec(statement).first() is not None


def may_see_panel(*, session: Session, user: User, candidate_id: int) -> bool:
    """Independence: interviewers see colleagues' scorecards only after submitting their own."""
    if user.role in (Role.RECRUITER, Role.ADMIN):
        return True
    return has_submitted_for(session=session, user=user, candidate_id=candidate_id)


def interview_state(interview: Interview, scorecard: Scorecard | None, now: datetime) -> str:
    """upcoming, due (within 24 hours of the interview), overdue, or submitted."""
    if scorecard is not None and scorecard.status == ScorecardStatus.SUBMITTED:
        return "submitted"
    if interview.scheduled_at is None or now < interview.scheduled_at:
        return "upcoming"
    return "due" if now <= interview.scheduled_at + DUE_AFTER else "overdue"


def audit_trail(*, session: Session, scorecard: Scorecard) -> list[AuditEntry]:
    """The scorecard's audit log, oldest first."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.scorecard_id == scorecard.id)
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    return list(session.exec(statement).all())
