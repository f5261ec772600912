"""Checking a scorecard CSV file against the rubrics: one streaming pass that keeps each
scorecard compactly and notes every problem with its line and column."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, TypeVar

from hiring.accounts import AccountError, normalise_email
from hiring.models import Recommendation
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric, listed
from hiring.scorecard_csv_format import HEADER, parse_time, read_records, unescape
from hiring.scoring import EVIDENCE_MAX_LENGTH

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
SHOWN_LENGTH = 60  # characters of a cell that a message quotes
RECOMMENDATIONS = tuple(r.value for r in Recommendation)
RECOMMENDATION_CHOICES = f"{', '.join(RECOMMENDATIONS[:-1])} or {RECOMMENDATIONS[-1]}"

Problem = tuple[int, str, str]  # line (0: the whole file), column, what is wrong and what to do
T = TypeVar("T")


@dataclass(slots=True)
class FileCandidate:
    """A candidate as the file gives them: name and rubric from the first row that has them."""

    line: int
    name: str | None
    rubric_id: str | None


@dataclass(slots=True)
class FileScorecard:
    """One interviewer's scorecard of one candidate: the rows sharing both emails."""

    candidate: str
    interviewer: str
    line: int
    recommendation: str | None = None  # None: no valid value seen yet; "": left empty
    anti_patterns: tuple[str, ...] | None = None
    submitted_at: datetime | None = None
    rated: bool = False  # some row has a rating, valid or not
    ratings: dict[str, tuple[int | None, str]] = field(default_factory=dict)


@dataclass
class ScorecardFile:
    """What a file holds once read: candidates, interviewers and scorecards by email, and
    every problem found without the database."""

    candidates: dict[str, FileCandidate] = field(default_factory=dict)
    interviewers: set[str] = field(default_factory=set)
    scorecards: dict[tuple[str, str], FileScorecard] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_scorecard_file(*, stream: BinaryIO, rubrics: RubricSet, now: datetime) -> ScorecardFile:
    """Read and check a scorecard CSV file in one pass; an empty submitted_at means `now`."""
    reader = _Reader(rubrics, now)
    for line, cells in read_records(stream, reader.report):
        if any(cells):  # spreadsheets leave blank rows behind
            reader.row(line, cells)
    reader.finish()
    return reader.file


class _Reader:
    """The state of one pass: what was seen so far, and caches so that each distinct email
    or anti-pattern list is checked once, however many rows repeat it."""

    def __init__(self, rubrics: RubricSet, now: datetime) -> None:
        self.rubrics = rubrics.rubrics
        self.now = now
        self.file = ScorecardFile()
        self._emails: dict[str, str | AccountError] = {}
        self._patterns: dict[tuple[str, str], tuple[str, ...] | str] = {}
        self._last_time: tuple[str, datetime | str] = ("", now)
        self._scales = {
            r.id: {str(p.value): p.value for p in r.scale} for r in self.rubrics.values()
        }
        # the rubric's own strings, so that a million rows share a few competency ids
        self._competencies = {
            r.id: {c.id: c.id for c in r.competencies} for r in self.rubrics.values()
        }

    def report(self, line: int, column: str, message: str) -> None:
        self.file.problems.append((line, column, message))

    def row(self, line: int, cells: list[str]) -> None:
        """Check one data row and add it to its candidate and its scorecard."""
        if len(cells) != len(HEADER):
            self.report(
                line,
                "",
                f"{len(cells)} cell(s) where the header has {len(HEADER)}: "
                'is a comma missing or extra, or a quote (") left open?',
            )
            return
        email, name, rubric_id, interviewer, competency, rating, evidence, *rest = [
            unescape(cell).strip() for cell in cells
        ]
        candidate = self._email(line, "candidate_email", email)
        rubric = self._rubric(line, rubric_id)
        self._candidate(line, candidate, name, rubric)
        author = self._email(line, "interviewer_email", interviewer)
        rated = self._rating(line, rubric, competency, rating, evidence)
        fields = (
            self._recommendation(line, rest[0]),
            self._anti_patterns(line, rubric, rest[1]),
            self._submitted_at(line, rest[2]),
        )
        if candidate is not None and author is not None:
            self.file.interviewers.add(author)
            card = self._scorecard(line, candidate, author, fields)
            card.rated = card.rated or bool(rating)
            self._add_rating(line, card, rated)

    def finish(self) -> None:
        """The checks of whole scorecards, once every row is read."""
        for card in self.file.scorecards.values():
            whose = f"the scorecard of {card.interviewer} for {card.candidate}"
            if not card.rated:
                self.report(
                    card.line, "rating", f"{whose} has no rating: rate at least one competency"
                )

    def _email(self, line: int, column: str, text: str) -> str | None:
        found = self._emails.get(text)
        if found is None and len(text) > EMAIL_MAX_LENGTH:
            found = AccountError(f"{_quoted(text)} is longer than {EMAIL_MAX_LENGTH} characters")
        if found is None:
            try:
                found = normalise_email(text)
            except AccountError as error:
                found = error
            self._emails[text] = found
        if isinstance(found, str):
            return found
        self.report(
            line,
            column,
            f"{str(found).rstrip('.')}: correct the address"
            if text
            else "empty: give an email address",
        )
        return None

    def _rubric(self, line: int, text: str) -> Rubric | None:
        rubric = self.rubrics.get(text)
        if rubric is None:
            known = listed(sorted(self.rubrics)) or "none is valid, see `hiring rubrics check`"
            self.report(line, "rubric", f"no rubric has the id {_quoted(text)}: use one of {known}")
        return rubric

    def _candidate(self, line: int, email: str | None, name: str, rubric: Rubric | None) -> None:
        if not name or len(name) > NAME_MAX_LENGTH:
            self.report(
                line,
                "candidate_name",
                f"{'too long' if name else 'empty'}: give the candidate's full name, "
                f"up to {NAME_MAX_LENGTH} characters",
            )
        if email is None:
            return
        checked = name if name and len(name) <= NAME_MAX_LENGTH else None
        rubric_id = rubric.id if rubric else None
        known = self.file.candidates.get(email)
        if known is None:
            self.file.candidates[email] = FileCandidate(line, checked, rubric_id)
            return
        where = f"the rows of {email} from line {known.line}"
        known.name = self._agree(line, "candidate_name", known.name, checked, where)
        known.rubric_id = self._agree(line, "rubric", known.rubric_id, rubric_id, where)

    def _agree(
        self, line: int, column: str, first: T | None, value: T | None, where: str
    ) -> T | None:
        """The first value given; a problem when a later row gives another."""
        if first is None:
            return value
        if value is not None and value != first:
            self.report(
                line,
                column,
                f"{self._shown(value)} differs from {self._shown(first)} on {where}: "
                f"give the same {column} on each of them",
            )
        return first

    def _shown(self, value: object) -> str:
        if value is self.now or value in ("", ()):
            return "(empty)"
        if isinstance(value, tuple):
            return repr(";".join(value))
        return repr(value.isoformat() if isinstance(value, datetime) else value)

    def _rating(
        self, line: int, rubric: Rubric | None, competency: str, text: str, evidence: str
    ) -> tuple[str, int | None, str] | None:
        if len(evidence) > EVIDENCE_MAX_LENGTH:
            self.report(
                line,
                "evidence",
                f"{len(evidence)} characters: shorten it to {EVIDENCE_MAX_LENGTH} at most",
            )
        if rubric is None:
            return None
        scale = self._scales[rubric.id]
        rating = scale.get(text)
        if text and rating is None:
            self.report(
                line,
                "rating",
                f"{_not_on_scale(text, rubric.id)}: use one of {listed(scale)}, or leave it "
                "empty when the competency was not assessed",
            )
        elif rating is not None and not evidence:
            self.report(
                line, "evidence", "empty: every rating needs evidence, what did they say or do?"
            )
        known = self._competencies[rubric.id]
        if competency not in known:
            self.report(
                line,
                "competency",
                f"{rubric.id} has no competency {_quoted(competency)}: use one of {listed(known)}",
            )
            return None
        return known[competency], rating, evidence

    def _recommendation(self, line: int, text: str) -> str | None:
        if text == "" or text in RECOMMENDATIONS:
            return text
        self.report(
            line,
            "recommendation",
            f"{_quoted(text)} is not a recommendation: use {RECOMMENDATION_CHOICES}",
        )
        return None

    def _anti_patterns(self, line: int, rubric: Rubric | None, text: str) -> tuple[str, ...] | None:
        if not text:
            return ()
        if rubric is None:
            return None
        found = self._patterns.get((rubric.id, text))
        if found is None:
            found = self._patterns[rubric.id, text] = _check_patterns(rubric, text)
        if isinstance(found, str):
            self.report(line, "anti_patterns", found)
            return None
        return found

    def _submitted_at(self, line: int, text: str) -> datetime | None:
        if not text:
            return self.now
        if self._last_time[0] != text:  # a scorecard's rows usually come together
            self._last_time = (text, parse_time(text))
        found = self._last_time[1]
        if isinstance(found, str):
            self.report(line, "submitted_at", found)
            return None
        return found

    def _scorecard(
        self,
        line: int,
        candidate: str,
        interviewer: str,
        fields: tuple[str | None, tuple[str, ...] | None, datetime | None],
    ) -> FileScorecard:
        card = self.file.scorecards.get((candidate, interviewer))
        if card is None:
            card = self.file.scorecards[candidate, interviewer] = FileScorecard(
                candidate, interviewer, line
            )
        where = f"the rows of this scorecard from line {card.line}"
        recommendation, patterns, submitted_at = fields
        card.recommendation = self._agree(
            line, "recommendation", card.recommendation, recommendation, where
        )
        card.anti_patterns = self._agree(line, "anti_patterns", card.anti_patterns, patterns, where)
        card.submitted_at = self._agree(
            line, "submitted_at", card.submitted_at, submitted_at, where
        )
        return card

    def _add_rating(
        self, line: int, card: FileScorecard, rated: tuple[str, int | None, str] | None
    ) -> None:
        if rated is None:
            return
        competency, rating, evidence = rated
        if competency in card.ratings:
            self.report(
                line,
                "competency",
                f"{competency} is listed twice in the scorecard of {card.interviewer} for "
                f"{card.candidate} (from line {card.line}): keep one row per competency",
            )
        else:
            card.ratings[competency] = (rating, evidence)


def _check_patterns(rubric: Rubric, text: str) -> tuple[str, ...] | str:
    ids = tuple(part.strip() for part in text.split(";") if part.strip())
    known = [pattern.id for pattern in rubric.anti_patterns]
    unknown = [i for i in ids if i not in known]
    if unknown:
        return (
            f"{listed(map(_quoted, unknown))}: not an anti-pattern of {rubric.id}; use "
            f"{listed(known) or 'none (it has no anti-patterns)'}, separated by ;"
        )
    twice = [i for i, count in Counter(ids).items() if count > 1]
    if twice:
        return f"{listed(twice)} listed twice: give each anti-pattern once"
    return ids


def _not_on_scale(text: str, rubric_id: str) -> str:
    try:
        int(text)
    except ValueError:  # also for more than 4,300 digits
        return f"{_quoted(text)} is not a whole number"
    shown = text if len(text) <= SHOWN_LENGTH else _quoted(text)
    return f"{shown} is not on the scale of {rubric_id}"


def _quoted(text: str) -> str:
    """`text` quoted for a message, cut short: a cell may hold 100,000 characters."""
    return repr(text if len(text) <= SHOWN_LENGTH else f"{text[: SHOWN_LENGTH - 3]}...")
