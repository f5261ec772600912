"""Writing a checked scorecard file: new interviewers, candidates, interviews, scorecards,
audit entries and rating rows, inserted in bulk (no ORM object per row); and, once that is
committed, the candidates' list summaries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from hiring import accounts
from hiring.candidate_list import refresh_rollups
from hiring.models import (
    AuditEntry,
    Candidate,
    CandidateRollup,
    CandidateStatus,
    Interview,
    Rating,
    Recommendation,
    Role,
    Scorecard,
    ScorecardStatus,
    User,
)
from hiring.ratings import bump_version
from hiring.rubric_loader import RubricSet
from hiring.rubric_versions import record_version
from hiring.scorecard_csv_check import FileScorecard, ScorecardFile

BATCH = 5_000  # rows per bulk insert
CHUNK = 500  # values per IN (...) list
T = TypeVar("T")
Pair = tuple[int, int]  # candidate id, interviewer id


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`values` in consecutive slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Known:
    """Ids by email of the candidates and users that exist, and each (candidate,
    interviewer) pair's interview without a scorecard: its id and focus."""

    candidates: dict[str, int]
    users: dict[str, int]
    free: dict[Pair, tuple[int, list[str]]]

    def pair(self, card: FileScorecard) -> Pair:
        """The ids of a scorecard's candidate and interviewer (0 while they are new)."""
        return self.candidates.get(card.candidate, 0), self.users.get(card.interviewer, 0)


@dataclass
class _Plan:
    rubrics: dict[str, str]  # candidate email -> rubric id
    versions: dict[str, int]  # rubric id -> id of its current snapshot
    order: dict[str, list[str]]  # rubric id -> its competencies, in rubric order


def write_file(
    *, session: Session, found: ScorecardFile, known: Known, rubrics: RubricSet, now: datetime
) -> list[int]:
    """Insert everything a checked file holds, in batches (the caller commits); `known` gains
    the new ids. Returns the ids of the file's candidates, whose list summaries are dropped
    until `refresh_summaries` recomputes them."""
    rubric_ids = {c.rubric_id or "" for c in found.candidates.values()}
    plan = _Plan(
        rubrics={email: c.rubric_id or "" for email, c in found.candidates.items()},
        versions={r: _version_id(session, rubrics, r) for r in rubric_ids},
        order={r: [c.id for c in rubrics.rubrics[r].competencies] for r in rubric_ids},
    )
    emails = sorted(found.interviewers - known.users.keys())
    new_users = _inserted(session, User, [_user_row(email, now) for email in emails], "email")
    known.users.update((email, user_id) for (email,), user_id in new_users.items())
    emails = [email for email in found.candidates if email not in known.candidates]
    rows = [_candidate_row(email, found, plan, now) for email in emails]
    new_candidates = _inserted(session, Candidate, rows, "email")
    known.candidates.update((email, new_id) for (email,), new_id in new_candidates.items())
    for batch in chunks(list(found.scorecards.values()), BATCH):
        _insert_scorecards(session, batch, known, plan)
    for rubric_id in sorted(rubric_ids):
        bump_version(session=session, rubric_id=rubric_id)
    affected = sorted(known.candidates[email] for email in found.candidates)
    for ids in chunks(affected):  # as `ratings.record_ratings` does: stale until recomputed
        session.execute(delete(CandidateRollup).where(col(CandidateRollup.candidate_id).in_(ids)))
    return affected


def refresh_summaries(
    *, session: Session, candidate_ids: Sequence[int], rubrics: RubricSet, now: datetime
) -> None:
    """Recompute these candidates' list summaries (the caller commits)."""
    candidates = session.exec(select(Candidate).where(col(Candidate.id).in_(candidate_ids))).all()
    refresh_rollups(session=session, candidates=candidates, rubrics=rubrics, now=now)
    session.expunge_all()  # the panels just read are ORM objects: keep memory flat


def _version_id(session: Session, rubrics: RubricSet, rubric_id: str) -> int:
    return record_version(session=session, rubric=rubrics.rubrics[rubric_id])


def _inserted(
    session: Session, model: type[Any], rows: list[dict[str, Any]], *key: str
) -> dict[tuple[Any, ...], int]:
    """Insert `rows` in bulk (Core, no ORM object per row); their new ids by the values of
    the `key` columns, which are unique among `rows`."""
    table = model.__table__
    statement = insert(table).returning(table.c.id, *(table.c[name] for name in key))
    ids: dict[tuple[Any, ...], int] = {}
    for batch in chunks(rows, BATCH):
        ids.update((tuple(keys), new_id) for new_id, *keys in session.execute(statement, batch))
    return ids


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for batch in chunks(rows, BATCH):
        session.execute(insert(model.__table__), batch)


def _user_row(email: str, now: datetime) -> dict[str, Any]:
    return {
        "email": email,
        "name": email.split("@")[0],
        "role": Role.INTERVIEWER,
        "password_hash": accounts.no_password_hash(),
        "active": True,
        "created_at": now,
    }


def _candidate_row(email: str, found: ScorecardFile, plan: _Plan, now: datetime) -> dict[str, Any]:
    name = found.candidates[email].name
    return {
        "email": email,
        "name": name,
        "rubric_id": plan.rubrics[email],
        "stage_profile": None,
        "status": CandidateStatus.ACTIVE,
        "created_at": now,
    }


def _insert_scorecards(
    session: Session, cards: Sequence[FileScorecard], known: Known, plan: _Plan
) -> None:
    pairs = [known.pair(card) for card in cards]
    focus = [
        [c for c in plan.order[plan.rubrics[card.candidate]] if c in card.ratings] for card in cards
    ]
    interviews = _interviews(session, cards, pairs, focus, known, plan)
    rows = [
        _scorecard_row(card, interview_id, plan, listed)
        for card, interview_id, listed in zip(cards, interviews, focus, strict=True)
    ]
    created = _inserted(session, Scorecard, rows, "interview_id")
    scorecard_ids = [created[interview_id,] for interview_id in interviews]
    audit: list[dict[str, Any]] = [
        {
            "scorecard_id": scorecard_id,
            "actor_id": pair[1],
            "action": "imported",
            "changes": {},
            "at": card.submitted_at,
        }
        for scorecard_id, pair, card in zip(scorecard_ids, pairs, cards, strict=True)
    ]
    _insert(session, AuditEntry, audit)
    ratings = [
        {
            "scorecard_id": scorecard_id,
            "candidate_id": pair[0],
            "interviewer_id": pair[1],
            "rubric_id": plan.rubrics[card.candidate],
            "competency_id": competency,
            "rating": rating,
        }
        for scorecard_id, pair, card in zip(scorecard_ids, pairs, cards, strict=True)
        for competency, (rating, _) in card.ratings.items()
        if rating is not None
    ]
    _insert(session, Rating, ratings)


def _scorecard_row(
    card: FileScorecard, interview_id: int, plan: _Plan, focus: list[str]
) -> dict[str, Any]:
    """As `scoring.save_scorecard` stores a submission: a competency not assessed is kept
    only with its evidence."""
    ratings = {c: {"rating": card.ratings[c][0], "evidence": card.ratings[c][1]} for c in focus}
    return {
        "interview_id": interview_id,
        "rubric_version_id": plan.versions[plan.rubrics[card.candidate]],
        "status": ScorecardStatus.SUBMITTED,
        "version": 1,
        "ratings": {
            c: given
            for c, given in ratings.items()
            if given["rating"] is not None or given["evidence"]
        },
        "anti_patterns": [{"id": i, "evidence": ""} for i in card.anti_patterns or ()],
        "recommendation": Recommendation(card.recommendation) if card.recommendation else None,
        "takeaways": "",
        "created_at": card.submitted_at,
        "updated_at": card.submitted_at,
        "submitted_at": card.submitted_at,
    }


def _interviews(
    session: Session,
    cards: Sequence[FileScorecard],
    pairs: list[Pair],
    focus: list[list[str]],
    known: Known,
    plan: _Plan,
) -> list[int]:
    """Each scorecard's interview: the pair's interview without a scorecard, its focus
    widened to the competencies listed, or else a new one."""
    new = [
        {
            "candidate_id": pair[0],
            "interviewer_id": pair[1],
            "focus": listed,
            "scheduled_at": None,
            "created_at": card.submitted_at,
        }
        for card, pair, listed in zip(cards, pairs, focus, strict=True)
        if pair not in known.free
    ]
    created = _inserted(session, Interview, new, "candidate_id", "interviewer_id")
    widened = []
    for card, pair, listed in zip(cards, pairs, focus, strict=True):
        interview_id, had = known.free.get(pair, (0, listed))
        if not set(listed) <= set(had):
            order = plan.order[plan.rubrics[card.candidate]]
            merged = sorted(
                {*had, *listed}, key=lambda c: (order.index(c) if c in order else len(order), c)
            )
            widened.append({"id": interview_id, "focus": merged})
    if widened:
        session.execute(update(Interview), widened)
    return [known.free[pair][0] if pair in known.free else created[pair] for pair in pairs]
