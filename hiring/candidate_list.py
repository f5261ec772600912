"""The recruiters' candidate list: a rollup summary per candidate, kept in the database so
that sorting, filtering and paging 10,000 candidates is one indexed query."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, func, not_, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from hiring.candidates import loop_progress
from hiring.models import Candidate, CandidateRollup, CandidateStatus
from hiring.panel import load_panels
from hiring.rollup import summarise
from hiring.rubric_loader import RubricSet

SORTS = {
    "newest": (col(Candidate.created_at).desc(), col(Candidate.id).desc()),
    "oldest": (col(Candidate.created_at), col(Candidate.id)),
    "name": (func.lower(col(Candidate.name)), col(Candidate.id)),
    "overall": (col(CandidateRollup.overall).desc().nulls_last(), col(Candidate.id)),
    "overall_low": (col(CandidateRollup.overall).nulls_last(), col(Candidate.id)),
    "flags": (col(CandidateRollup.flags).desc().nulls_last(), col(Candidate.id)),
    "splits": (col(CandidateRollup.splits).desc().nulls_last(), col(Candidate.id)),
}
PER_PAGE = 25
REFRESH_BATCH = 500
NO_STAGE = "none"


@dataclass(frozen=True)
class CandidateQuery:
    """What the recruiter asked to see: filters, a sort key and a page (from 1)."""

    rubric: str | None = None
    status: str | None = None
    stage: str | None = None
    flags: Literal["any", "none", "splits"] | None = None
    sort: str = "newest"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class CandidateRow:
    """One line of the list."""

    candidate: Candidate
    rollup: CandidateRollup | None
    submitted: int
    expected: int


@dataclass(frozen=True)
class CandidatePage:
    """One page of the list, with the total that matched the filters."""

    rows: list[CandidateRow]
    total: int
    page: int
    pages: int
    query: CandidateQuery = field(default_factory=CandidateQuery)


def candidate_page(*, session: Session, query: CandidateQuery) -> CandidatePage:
    """A page of candidates, filtered and sorted, in three queries whatever the total."""
    conditions = _conditions(query)
    total = session.exec(
        select(func.count(col(Candidate.id)))
        .select_from(Candidate)
        .outerjoin(CandidateRollup, col(CandidateRollup.candidate_id) == col(Candidate.id))
        .where(*conditions)
    ).one()
    pages = max(1, math.ceil(total / query.per_page))
    page = min(max(1, query.page), pages)
    statement = (
        select(Candidate, CandidateRollup)
        .outerjoin(CandidateRollup, col(CandidateRollup.candidate_id) == col(Candidate.id))
        .where(*conditions)
        .order_by(*SORTS[query.sort])
        .offset((page - 1) * query.per_page)
        .limit(query.per_page)
    )
    found = list(session.exec(statement).all())
    progress = loop_progress(session=session, candidate_ids=[c.id for c, _ in found if c.id])
    rows = [
        CandidateRow(candidate, rollup, *progress.get(candidate.id or 0, (0, 0)))
        for candidate, rollup in found
    ]
    return CandidatePage(rows=rows, total=total, page=page, pages=pages, query=query)


def _conditions(query: CandidateQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.rubric:
        conditions.append(col(Candidate.rubric_id) == query.rubric)
    if query.status:
        conditions.append(col(Candidate.status) == CandidateStatus(query.status))
    if query.stage == NO_STAGE:
        conditions.append(col(Candidate.stage_profile).is_(None))
    elif query.stage:
        conditions.append(col(Candidate.stage_profile) == query.stage)
    if query.flags == "any":
        conditions.append(col(CandidateRollup.flags) > 0)
    elif query.flags == "none":
        conditions.append(
            or_(col(CandidateRollup.flags).is_(None), col(CandidateRollup.flags) == 0)
        )
    elif query.flags == "splits":
        conditions.append(col(CandidateRollup.splits) > 0)
    return conditions


def stale_candidates(*, session: Session, rubrics: RubricSet, limit: int) -> list[Candidate]:
    """Candidates whose summary is missing or was computed with another rubric content."""
    current = [
        and_(
            col(Candidate.rubric_id) == rubric.id, col(CandidateRollup.rubric_hash) == content_hash
        )
        for rubric, content_hash in _hashes(rubrics)
    ]
    statement = (
        select(Candidate)
        .outerjoin(CandidateRollup, col(CandidateRollup.candidate_id) == col(Candidate.id))
        .where(col(Candidate.rubric_id).in_(list(rubrics.rubrics)))
        .where(or_(col(CandidateRollup.candidate_id).is_(None), not_(or_(*current))))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def refresh_rollups(
    *, session: Session, candidates: Sequence[Candidate], rubrics: RubricSet, now: datetime
) -> None:
    """Recompute the summaries of these candidates from their submitted scorecards."""
    panels = load_panels(session=session, candidate_ids=[c.id for c in candidates if c.id], now=now)
    hashes = {rubric.id: content_hash for rubric, content_hash in _hashes(rubrics)}
    rows = []
    for candidate in candidates:
        rubric = rubrics.rubrics.get(candidate.rubric_id)
        if rubric is None or candidate.id is None:
            continue
        result = summarise(
            candidate=candidate.model_dump(),
            rubric=rubric,
            panel=panels.get(candidate.id, []),
            leniency={},
        )
        rows.append(
            {
                "candidate_id": candidate.id,
                "rubric_hash": hashes[rubric.id],
                "overall": result["overall"],
                **result["recommendations"],
                "flags": len(result["flags"]),
                "splits": len(result["splits"]),
                "updated_at": now,
            }
        )
    if rows:
        _upsert(session, rows)


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(CandidateRollup)
    updated = {name: statement.excluded[name] for name in rows[0] if name != "candidate_id"}
    session.execute(
        statement.on_conflict_do_update(index_elements=["candidate_id"], set_=updated), rows
    )


def _hashes(rubrics: RubricSet) -> list[tuple[Any, str]]:
    return [(rubric, rubric.content_hash()) for rubric in rubrics.rubrics.values()]


def refresh_stale_rollups(*, session: Session, rubrics: RubricSet, now: datetime) -> int:
    """Recompute every missing or out-of-date summary, in batches; returns how many."""
    refreshed = 0
    while stale := stale_candidates(session=session, rubrics=rubrics, limit=REFRESH_BATCH):
        refresh_rollups(session=session, candidates=stale, rubrics=rubrics, now=now)
        refreshed += len(stale)
    return refreshed
