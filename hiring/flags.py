"""Anti-pattern flags: which of the rubric's warning signs the panel's scorecards point to.

Pure functions over a candidate's panel. A flag records the rules that raised it:
`ticked` (an interviewer ticked it, with evidence) and `low_score` (the linked
competencies' mean rating is at or below the anti-pattern's threshold).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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

    @property
    def submitted(self) -> bool:
        return self.state == "submitted"


def raise_flags(
    rubric: Rubric, panel: Sequence[PanelScorecard], means: Mapping[str, float]
) -> list[dict[str, Any]]:
    """The anti-pattern flags of a candidate, most severe first.

    `means` is each assessed competency's mean rating. A flag ticked by two or more
    interviewers is `confirmed`; any other flag is a `signal`.
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
        rules = ["ticked"] if ticks else []
        linked_mean = _linked_mean(pattern, means)
        if linked_mean is not None and linked_mean <= (pattern.threshold or 0):
            rules.append("low_score")
        if not rules:
            continue
        raised.append(
            {
                "id": pattern.id,
                "name": pattern.name,
                "severity": pattern.severity,
                "status": "confirmed" if len(ticks) >= 2 else "signal",
                "rules": rules,
                "linked_mean": linked_mean,
                "interviewers": [scorecard.interviewer_email for scorecard, _ in ticks],
                "evidence": [
                    {"interviewer": scorecard.interviewer_email, "text": ticked.get("evidence", "")}
                    for scorecard, ticked in ticks
                ],
            }
        )
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(raised, key=lambda flag: (flag["status"] != "confirmed", order[flag["severity"]]))


def _linked_mean(pattern: AntiPattern, means: Mapping[str, float]) -> float | None:
    if pattern.threshold is None:
        return None
    assessed = [means[c] for c in pattern.competencies if c in means]
    return sum(assessed) / len(assessed) if assessed else None
