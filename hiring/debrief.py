"""The debrief: everything a hiring committee reads about one candidate, gathered from the
rollup, the anti-pattern flags, the interviewing-quality checks and the panel's own words.

Pure data for `templates/debrief/`; `hiring.pdf` turns the rendered HTML into the PDF.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hiring.flags import PanelScorecard
from hiring.models import (
    Candidate,
    Interview,
    Role,
    RubricVersion,
    Scorecard,
    ScorecardStatus,
    User,
)
from hiring.quality import BUILT_IN_LANGUAGE, Language, quality_checks
from hiring.rollup import rollups_and_panels
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric

PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Debrief:
    """One candidate's debrief: the rollup and the panel it comes from, the quality checks,
    the rubric versions the scorecards were written against, and a hash of it all."""

    candidate: dict[str, Any]
    rubric: Rubric
    rollup: dict[str, Any]
    panel: list[PanelScorecard]
    quality: list[dict[str, Any]]
    rubric_versions: list[int]
    generated_at: datetime
    content_hash: str

    @property
    def filename(self) -> str:
        """A file name that says whose debrief it is, unique per candidate."""
        name = re.sub(r"[^a-z0-9]+", "-", self.candidate["name"].lower()).strip("-")
        return f"debrief-{self.candidate['id']}-{name or 'candidate'}.pdf"

    @property
    def missing(self) -> list[PanelScorecard]:
        """The interviews whose scorecard is not submitted yet."""
        return [scorecard for scorecard in self.panel if not scorecard.submitted]

    @property
    def takeaways(self) -> list[PanelScorecard]:
        """The submitted scorecards, for each interviewer's key takeaways."""
        return [scorecard for scorecard in self.panel if scorecard.submitted]


def build_debriefs(
    *,
    session: Session,
    candidates: Sequence[Candidate],
    rubrics: RubricSet,
    now: datetime,
    language: Language = BUILT_IN_LANGUAGE,
) -> list[Debrief]:
    """The debriefs of these candidates whose rubric is available, in a fixed number of
    queries whatever their number."""
    found = rollups_and_panels(session=session, candidates=candidates, rubrics=rubrics, now=now)
    versions = _rubric_versions(session, [rollup["candidate_id"] for rollup, _ in found])
    by_id = {c.id: c for c in candidates}
    debriefs = []
    for rollup, panel in found:
        candidate = by_id[rollup["candidate_id"]]
        rubric = rubrics.rubrics[candidate.rubric_id]
        quality = quality_checks(
            rubric=rubric, panel=panel, competencies=rollup["competencies"], language=language
        )
        facts = {
            "id": candidate.id,
            "name": candidate.name,
            "email": candidate.email,
            "status": candidate.status.value,
            "role": rubric.title,
            "stage_profile": candidate.stage_profile,
        }
        used = versions.get(rollup["candidate_id"], [])
        content = {"candidate": facts, "rollup": rollup, "quality": quality, "versions": used}
        content["takeaways"] = [(s.interviewer_email, s.takeaways) for s in panel]
        debriefs.append(
            Debrief(
                candidate=facts,
                rubric=rubric,
                rollup=rollup,
                panel=panel,
                quality=quality,
                rubric_versions=used,
                generated_at=now,
                content_hash=content_hash(content),
            )
        )
    return debriefs


def content_hash(content: Any) -> str:
    """A SHA-256 of the debrief's content, the same for the same scorecards whenever it is
    generated: two printouts with the same hash say the same thing."""
    text = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _rubric_versions(session: Session, candidate_ids: Sequence[int]) -> dict[int, list[int]]:
    """The rubric versions each candidate's submitted scorecards were written against."""
    if not candidate_ids:
        return {}
    statement = (
        select(Interview.candidate_id, RubricVersion.version)
        .join(Scorecard, col(Scorecard.interview_id) == col(Interview.id))
        .join(RubricVersion, col(RubricVersion.id) == col(Scorecard.rubric_version_id))
        .where(col(Interview.candidate_id).in_(candidate_ids))
        .where(Scorecard.status == ScorecardStatus.SUBMITTED)
        .distinct()
    )
    found: dict[int, list[int]] = defaultdict(list)
    for candidate_id, version in session.exec(statement):
        found[candidate_id].append(version)
    return {candidate_id: sorted(versions) for candidate_id, versions in found.items()}


def may_read(*, session: Session, user: User, candidate: Candidate) -> bool:
    """Recruiters and admins read every debrief; an interviewer reads the debrief of a
    candidate once they have submitted their own scorecard for them, so that nobody reads
    a colleague's words before writing theirs."""
    if user.role in (Role.RECRUITER, Role.ADMIN):
        return True
    statement = (
        select(Scorecard.id)
        .join(Interview, col(Interview.id) == col(Scorecard.interview_id))
        .where(Interview.candidate_id == candidate.id, Interview.interviewer_id == user.id)
        .where(Scorecard.status == ScorecardStatus.SUBMITTED)
        .limit(1)
    )
    return session.exec(statement).first() is not None
