"""Submitted scorecards as CSV files, one row per rating: importing a file all or nothing,
and exporting every submitted scorecard in the same format (see README, "Importing and
exporting scorecards")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, BinaryIO, TextIO

import sqlalchemy as sa
from sqlmodel import Session, col, select

from hiring.models import Candidate, Interview, RubricVersion, Scorecard, ScorecardStatus, User
from hiring.rubric_loader import RubricSet
from hiring.scorecard_csv_check import Problem, ScorecardFile, read_scorecard_file
from hiring.scorecard_csv_format import HEADER, escape, time_text
from hiring.scorecard_csv_write import Known, Pair, chunks, write_file
from hiring.tables import write_csv


class ImportRefused(ValueError):
    """The file cannot be imported; `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote, or would write."""

    scorecards: int
    ratings: int
    new_candidates: int
    new_interviewers: list[str]
    reused_interviews: int
    candidate_ids: list[int] = field(default_factory=list)  # those written to, if any


@dataclass
class _Stored(Known):
    """Known, plus what the checks need: candidates' rubrics and pairs already scored."""

    rubrics: dict[str, str] = field(default_factory=dict)
    taken: dict[Pair, ScorecardStatus] = field(default_factory=dict)


def import_scorecards(
    *,
    session: Session,
    rubrics: RubricSet,
    stream: BinaryIO,
    source: str,
    now: datetime,
    dry_run: bool = False,
) -> ImportSummary:
    """Check a scorecard CSV file and, unless `dry_run`, write it; the caller commits, then
    recomputes the candidates' list summaries with `scorecard_csv_write.refresh_summaries`.

    Raises ImportRefused naming every problem (`source`, line, column) before writing anything.
    """
    found = read_scorecard_file(stream=stream, rubrics=rubrics, now=now)
    stored = _stored(session, found)
    problems = sorted(found.problems + _conflicts(found, stored), key=lambda p: p[0])
    if problems:
        raise ImportRefused([_message(source, problem) for problem in problems])
    cards = found.scorecards.values()
    summary = ImportSummary(
        scorecards=len(cards),
        ratings=sum(r is not None for card in cards for r, _ in card.ratings.values()),
        new_candidates=len(found.candidates.keys() - stored.candidates.keys()),
        new_interviewers=sorted(found.interviewers - stored.users.keys()),
        reused_interviews=sum(stored.pair(card) in stored.free for card in cards),
    )
    if dry_run:
        return summary
    written = write_file(session=session, found=found, known=stored, rubrics=rubrics, now=now)
    return replace(summary, candidate_ids=written)


def _message(source: str, problem: Problem) -> str:
    line, column, text = problem
    where = f"{source}:{line}" if line else source
    return f"{where}: {column}: {text}" if column else f"{where}: {text}"


def _stored(session: Session, found: ScorecardFile) -> _Stored:
    """What the database holds for the file's emails, looked up a chunk of emails at a time."""
    stored = _Stored(candidates={}, users={}, free={})
    for emails in chunks(list(found.candidates)):
        statement = select(Candidate.email, Candidate.id, Candidate.rubric_id)
        for email, candidate_id, rubric_id in session.exec(
            statement.where(col(Candidate.email).in_(emails))
        ):
            stored.candidates[email] = candidate_id or 0
            stored.rubrics[email] = rubric_id
    for emails in chunks(list(found.interviewers)):
        statement_users = select(User.email, User.id).where(col(User.email).in_(emails))
        stored.users.update(
            (email, user_id or 0) for email, user_id in session.exec(statement_users)
        )
    _add_interviews(session, found, stored)
    return stored


def _add_interviews(session: Session, found: ScorecardFile, stored: _Stored) -> None:
    """The interviews of the file's pairs of stored candidate and interviewer: those with a
    scorecard (taken), and the first without one (free, to fill)."""
    pairs = {stored.pair(card) for card in found.scorecards.values()}
    statement = (
        sa.select(
            col(Interview.id),
            col(Interview.candidate_id),
            col(Interview.interviewer_id),
            col(Interview.focus),
            col(Scorecard.status),
        )
        .outerjoin(Scorecard, col(Scorecard.interview_id) == col(Interview.id))
        .order_by(col(Interview.id))
    )
    for ids in chunks(sorted({candidate for candidate, _ in pairs if candidate})):
        rows = session.execute(statement.where(col(Interview.candidate_id).in_(ids)))
        for interview_id, candidate_id, interviewer_id, focus, status in rows:
            pair = (candidate_id, interviewer_id)
            if status is not None:
                stored.taken[pair] = status
            elif pair in pairs:
                stored.free.setdefault(pair, (interview_id, focus))


def _conflicts(found: ScorecardFile, stored: _Stored) -> list[Problem]:
    problems: list[Problem] = []
    for email, candidate in found.candidates.items():
        rubric_id = stored.rubrics.get(email)
        if rubric_id and candidate.rubric_id and rubric_id != candidate.rubric_id:
            problems.append(
                (
                    candidate.line,
                    "rubric",
                    f"{email} is already a candidate for {rubric_id}, not "
                    f"{candidate.rubric_id}: give {rubric_id} on each of their rows",
                )
            )
    for card in found.scorecards.values():
        status = stored.taken.get(stored.pair(card))
        if status is not None:
            kind, fix = (
                ("submitted", "amend it there")
                if status == ScorecardStatus.SUBMITTED
                else ("draft", "finish it there")
            )
            problems.append(
                (
                    card.line,
                    "interviewer_email",
                    f"{card.interviewer} already has a {kind} scorecard for {card.candidate} in "
                    f"the app: {fix}, or remove this scorecard's rows from the file",
                )
            )
    return problems


@dataclass
class ExportSummary:
    """What an export wrote; `repeated` counts scorecards whose candidate and interviewer are
    those of the scorecard before (the file cannot tell them apart, so import refuses them)."""

    scorecards: int = 0
    rows: int = 0
    repeated: int = 0


def export_scorecards(
    *, session: Session, stream: TextIO, rubric_id: str | None = None
) -> ExportSummary:
    """Write every submitted scorecard (or those of one rubric's candidates) as CSV, in the
    format import reads, formula-safe, ordered by candidate, interviewer and competency."""
    orders = {
        version_id: {c["id"]: index for index, c in enumerate(content["competencies"])}
        for version_id, content in session.exec(select(RubricVersion.id, RubricVersion.content))
    }
    # Byte order on every database, so that the same data always gives the same file.
    postgresql = session.get_bind().dialect.name == "postgresql"
    emails: list[Any] = [col(Candidate.email), col(User.email)]
    emails = [email.collate("C") for email in emails] if postgresql else emails
    statement = (
        sa.select(
            col(Candidate.email).label("candidate_email"),
            col(Candidate.name).label("candidate_name"),
            col(Candidate.rubric_id).label("rubric"),
            col(User.email).label("interviewer_email"),
            col(Scorecard.rubric_version_id),
            col(Scorecard.ratings),
            col(Scorecard.anti_patterns),
            col(Scorecard.recommendation),
            col(Scorecard.submitted_at),
        )
        .join(Interview, col(Interview.id) == col(Scorecard.interview_id))
        .join(Candidate, col(Candidate.id) == col(Interview.candidate_id))
        .join(User, col(User.id) == col(Interview.interviewer_id))
        .where(col(Scorecard.status) == ScorecardStatus.SUBMITTED)
        .order_by(*emails, col(Scorecard.submitted_at), col(Scorecard.id))
    )
    if rubric_id:
        statement = statement.where(col(Candidate.rubric_id) == rubric_id)
    summary = ExportSummary()
    rows = _rows(session.execute(statement.execution_options(yield_per=2_000)), orders, summary)
    write_csv(stream, HEADER, ([escape(cell) for cell in row] for row in rows))
    return summary


def _rows(
    result: Iterable[Any], orders: dict[Any, dict[str, int]], summary: ExportSummary
) -> Iterator[list[Any]]:
    previous = None
    for row in result:
        pair = (row.candidate_email, row.interviewer_email)
        summary.scorecards += 1
        summary.repeated += pair == previous
        previous = pair
        order = orders.get(row.rubric_version_id, {})
        common = [row.candidate_email, row.candidate_name, row.rubric, row.interviewer_email]
        tail = [
            row.recommendation.value if row.recommendation else "",
            ";".join(pattern["id"] for pattern in row.anti_patterns),
            time_text(row.submitted_at),
        ]
        for competency in sorted(row.ratings, key=lambda c: order.get(c, len(order))):
            given = row.ratings[competency]
            summary.rows += 1
            yield [*common, competency, given.get("rating"), given.get("evidence", ""), *tail]
