"""The recruiters' candidate list: a rollup summary per candidate, kept in the database so
that sorting, filtering and paging 10,000 candidates is one indexed query."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

import sqlalchemy as sa
from sqlalchemy import and_, func, not_, or_
from sqlmodel import Session, col, select

from hiring.candidates import loop_progress
from hiring.db import upsert
from hiring.models import Candidate, CandidateRollup, CandidateStatus, Rating
from hiring.rollup import candidate_rollups
from hiring.rubric_loader import RubricSet
from hiring.validation import InvalidInput

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
FLAG_LABELS = {"any": "Any flag", "none": "No flags", "splits": "The panel splits"}
FLAG_FILTERS = tuple(FLAG_LABELS)
SORT_LABELS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "name": "Name, A to Z",
    "overall": "Highest overall score",
    "overall_low": "Lowest overall score",
    "flags": "Most flags",
    "splits": "Most splits",
}
DEFAULT_SORT = "newest"
_WHAT = {  # each query parameter, as its error message names it
    "rubric": "rubric",
    "status": "status",
    "stage": "stage profile",
    "flags": "flags filter",
    "sort": "sort order",
}


@dataclass(frozen=True)
class CandidateQuery:
    """What the recruiter asked to see: filters, a sort key and a page (from 1)."""

    rubric: str | None = None
    status: str | None = None
    stage: str | None = None
    flags: Literal["any", "none", "splits"] | None = None
    sort: str = DEFAULT_SORT
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


def stage_profiles(rubrics: RubricSet) -> list[str]:
    """Every stage profile name used by any rubric, in order of first appearance."""
    names = (name for rubric in rubrics.rubrics.values() for name in rubric.stage_profiles)
    return list(dict.fromkeys(names))


def query_choices(rubrics: RubricSet) -> dict[str, list[str]]:
    """The values each filter and the sort accept (an empty value means all)."""
    return {
        "rubric": list(rubrics.rubrics),
        "status": [status.value for status in CandidateStatus],
        "stage": [NO_STAGE, *stage_profiles(rubrics)],
        "flags": list(FLAG_FILTERS),
        "sort": list(SORTS),
    }


def parse_query(args: Mapping[str, str], rubrics: RubricSet) -> CandidateQuery:
    """The query a URL's parameters ask for; InvalidInput names each unknown value and
    the accepted ones. A page that is not a whole number from 1 is read as page 1."""
    choices = query_choices(rubrics)
    given = {name: args.get(name, "").strip() for name in choices}
    problems = {
        name: f"{value!r} is not a {_WHAT[name]}: choose one of "
        + (", ".join(choices[name]) or "none is available")
        for name, value in given.items()
        if value and value not in choices[name]
    }
    if problems:
        raise InvalidInput(problems)
    return CandidateQuery(
        rubric=given["rubric"] or None,
        status=given["status"] or None,
        stage=given["stage"] or None,
        flags=cast(Literal["any", "none", "splits"] | None, given["flags"] or None),
        sort=given["sort"] or DEFAULT_SORT,
        page=_page_number(args.get("page", "")),
    )


def _page_number(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        return 1
    return max(1, int(digits) if len(digits) < 19 else 10**18)  # candidate_page clamps it


def candidate_page(*, session: Session, query: CandidateQuery) -> CandidatePage:
    """A page of candidates, filtered and sorted, in three queries whatever the total."""
    total = session.exec(
        _filtered(select(func.count(col(Candidate.id))).select_from(Candidate), query)
    ).one()
    pages = max(1, math.ceil(total / query.per_page))
    page = min(max(1, query.page), pages)
    statement = (
        _filtered(select(Candidate, CandidateRollup), query)
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


def matching_candidates(*, session: Session, query: CandidateQuery) -> list[Candidate]:
    """Every candidate the query's filters match, in its sort order, unpaged (downloads)."""
    statement = _filtered(select(Candidate), query).order_by(*SORTS[query.sort])
    return list(session.exec(statement).all())


@dataclass(frozen=True)
class RubricCounts:
    """How much a rubric's calibration has to go on."""

    candidates: int
    rated_candidates: int
    interviewers: int
    ratings: int


def rubric_counts(*, session: Session) -> dict[str, RubricCounts]:
    """Per rubric id with candidates: candidates, those with submitted ratings, the
    interviewers who rated them and the ratings, in one query."""
    statement = (
        sa.select(
            col(Candidate.rubric_id),
            func.count(func.distinct(col(Candidate.id))),
            func.count(func.distinct(col(Rating.candidate_id))),
            func.count(func.distinct(col(Rating.interviewer_id))),
            func.count(col(Rating.id)),
        )
        .outerjoin(Rating, col(Rating.candidate_id) == col(Candidate.id))
        .group_by(col(Candidate.rubric_id))
    )
    rows = session.execute(statement).all()
    return {rubric_id: RubricCounts(*counts) for rubric_id, *counts in rows}


def _filtered(statement: Any, query: CandidateQuery) -> Any:
    """`statement` joined to the summaries and restricted to what the query's filters match."""
    joined = statement.outerjoin(
        CandidateRollup, col(CandidateRollup.candidate_id) == col(Candidate.id)
    )
    return joined.where(*_conditions(query))


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
    if _all_fresh(session, rubrics):
        return []
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


def _all_fresh(session: Session, rubrics: RubricSet) -> bool:
    """Two index-only counts: every candidate with an available rubric has a summary
    computed with that rubric's current content (the usual case, checked on each page)."""
    expected = session.exec(
        select(func.count()).where(col(Candidate.rubric_id).in_(list(rubrics.rubrics)))
    ).one()
    hashes = [content_hash for _, content_hash in _hashes(rubrics)]
    fresh = session.exec(
        select(func.count()).where(col(CandidateRollup.rubric_hash).in_(hashes))
    ).one()
    return bool(expected == fresh)


def refresh_rollups(
    *, session: Session, candidates: Sequence[Candidate], rubrics: RubricSet, now: datetime
) -> None:
    """Recompute the summaries of these candidates from their submitted scorecards.

    The candidates are locked first (in id order), as submissions lock theirs: on
    PostgreSQL a submission committing meanwhile is either seen or waits for this.
    """
    ids = sorted(c.id for c in candidates if c.id is not None)
    session.exec(
        select(col(Candidate.id))
        .where(col(Candidate.id).in_(ids))
        .order_by(col(Candidate.id))
        .with_for_update()
    ).all()
    hashes = {rubric.id: content_hash for rubric, content_hash in _hashes(rubrics)}
    rows = [
        {
            "candidate_id": result["candidate_id"],
            "rubric_hash": hashes[result["rubric"]],
            "overall": result["overall"],
            **result["recommendations"],
            "flags": len(result["flags"]),
            "splits": len(result["splits"]),
            "updated_at": now,
        }
        for result in candidate_rollups(
            session=session, candidates=candidates, rubrics=rubrics, now=now, adjusted=False
        )
    ]
    if rows:
        _upsert(session, rows)


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    statement = upsert(session, CandidateRollup)
    updated = {name: statement.excluded[name] for name in rows[0] if name != "candidate_id"}
    session.execute(
        statement.on_conflict_do_update(index_elements=["candidate_id"], set_=updated), rows
    )


def _hashes(rubrics: RubricSet) -> list[tuple[Any, str]]:
    return [(rubric, rubric.content_hash) for rubric in rubrics.rubrics.values()]


def refresh_stale_rollups(*, session: Session, rubrics: RubricSet, now: datetime) -> int:
    """Recompute every missing or out-of-date summary, in batches; returns how many."""
    refreshed = 0
    while stale := stale_candidates(session=session, rubrics=rubrics, limit=REFRESH_BATCH):
        refresh_rollups(session=session, candidates=stale, rubrics=rubrics, now=now)
        refreshed += len(stale)
    return refreshed
