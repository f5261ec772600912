"""Anti-pattern flags: which of the rubric's warning signs the panel's scorecards point to.

Pure functions over a candidate's panel. A flag records the rules that raised it:
`ticked` (an interviewer ticked it, with evidence), `cue` (one of its cue phrases is in an
interviewer's words) and `low_score` (the linked competencies' mean rating is at or below
the anti-pattern's threshold).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hiring.cues import CueMatch, find_cues
from hiring.rubrics import AntiPattern, Rubric


@dataclass(frozen=True)
class PanelScorecard:
    """One interview of a candidate's loop, with its scorecard's content once submitted."""

    interview_id: int
    interviewer_id: int
    interviewer_email: str
    interviewer_name: str
    state: str  # upcoming, due, overdue, submitted
    scorecard_id: int | None = None
    draft: bool = False
    ratings: Mapping[str, int] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)
    anti_patterns: Sequence[Mapping[str, str]] = ()
    recommendation: str | None = None
    takeaways: str = ""
    submitted_at: str | None = None
    due_at: str | None = None  # 24 hours after the interview; None while it is unscheduled
    amended_at: str | None = None  # the last amendment after submission, if any

    @property
    def submitted(self) -> bool:
        return self.state == "submitted"


def raise_flags(
    rubric: Rubric, panel: Sequence[PanelScorecard], means: Mapping[str, float]
) -> list[dict[str, Any]]:
    """The anti-pattern flags of a candidate, confirmed first, then by severity.

    `means` is each assessed competency's mean rating. A flag ticked by two or more
    interviewers, or ticked and cued, is `confirmed`; any other flag is a `signal`.
    """
    submitted = [scorecard for scorecard in panel if scorecard.submitted]
    raised = []
    for pattern in rubric.anti_patterns:
        ticks = [
            (scorecard, ticked)
            for scorecard in submitted
            for ticked in scorecard.anti_patterns
            if ticked["id"] == pattern.id
        ]
        cued = [
            (scorecard, match)
            for scorecard in submitted
            for match in _cued(scorecard, pattern.cues)
        ]
        linked_mean = _linked_mean(pattern, means)
        low = linked_mean is not None and linked_mean <= (pattern.threshold or 0)
        rules = [
            rule for rule, fired in (("ticked", ticks), ("cue", cued), ("low_score", low)) if fired
        ]
        if not rules:
            continue
        quotes = [
            {"interviewer": s.interviewer_email, "rule": "ticked", "text": t.get("evidence", "")}
            for s, t in ticks
        ] + [
            {"interviewer": s.interviewer_email, "rule": "cue", "cue": m.cue, "text": m.sentence}
            for s, m in cued
        ]
        raised.append(
            {
                "id": pattern.id,
                "name": pattern.name,
                "severity": pattern.severity,
                "status": "confirmed" if len(ticks) >= 2 or (ticks and cued) else "signal",
                "rules": rules,
                "linked_mean": linked_mean,
                "interviewers": list(dict.fromkeys(q["interviewer"] for q in quotes)),
                "evidence": quotes,
            }
        )
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(raised, key=lambda flag: (flag["status"] != "confirmed", order[flag["severity"]]))


def _cued(scorecard: PanelScorecard, cues: Sequence[str]) -> list[CueMatch]:
    """The cues in one scorecard's evidence for its ratings and its takeaways, each sentence
    quoted once. The notes under ticked anti-patterns are left out: they already raise
    `ticked`, and the same words must not count twice."""
    found: dict[str, CueMatch] = {}
    for text in [*scorecard.evidence.values(), scorecard.takeaways]:
        for match in find_cues(text, cues):
            found.setdefault(match.sentence, match)
    return list(found.values())


def _linked_mean(pattern: AntiPattern, means: Mapping[str, float]) -> float | None:
    if pattern.threshold is None:
        return None
    assessed = [means[c] for c in pattern.competencies if c in means]
    return sum(assessed) / len(assessed) if assessed else None
