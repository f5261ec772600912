"""The demo's content: panels that disagree where the evidence says why, and a hiring history
that gives calibration a lenient and a harsh interviewer, alpha everywhere and ICCs on the
fully crossed product-manager loops."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import col, select

from hiring import accounts
from hiring.calibration import MIN_RATINGS, calibration
from hiring.db import new_session
from hiring.demo_history import history_loops
from hiring.models import AuditEntry, Candidate, Interview, Scorecard, utcnow
from hiring.rollup import candidate_rollups
from hiring.rubric_loader import load_rubrics
from hiring.web import rubric_set

_hash = cache(accounts.hash_password)
ORDER = ["strong_no", "no", "yes", "strong_yes"]
RUBRICS = Path(__file__).parent.parent / "rubrics"
SHIPPED = load_rubrics([RUBRICS])


@pytest.fixture
def demo(app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The app with the demo loaded, hashing the demo password once rather than per account."""
    monkeypatch.setattr(accounts, "hash_password", _hash)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return app


def _calibration(app: Flask, rubric_id: str) -> dict[str, Any]:
    with app.app_context(), new_session(app.extensions["hiring.engine"]) as session:
        return calibration(session=session, rubric=rubric_set().rubrics[rubric_id])


def _rollups(app: Flask) -> dict[str, dict[str, Any]]:
    with app.app_context(), new_session(app.extensions["hiring.engine"]) as session:
        everyone = list(session.exec(select(Candidate)).all())
        found = candidate_rollups(
            session=session, candidates=everyone, rubrics=rubric_set(), now=utcnow()
        )
    return {rollup["candidate_name"]: rollup for rollup in found}


def _by_id(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in entries}


def test_calibration_finds_the_lenient_and_the_harsh_interviewer(demo: Flask) -> None:
    crossed = _calibration(demo, "product-manager")
    assert crossed["n_candidates"] == 26  # 24 past candidates, Alex Moreno and Jordan Blake
    for competency in crossed["competencies"]:
        assert competency["n_ratings"] == 3 * 26
        assert competency["alpha_interval"] is not None
        assert competency["icc"] is not None, competency["id"]
    varied = [_calibration(demo, r) for r in ("product-engineer", "research-engineer")]
    for result in varied:
        assert 14 <= result["n_candidates"] <= 20
        for competency in result["competencies"]:
            assert competency["alpha_interval"] is not None, competency["id"]
            assert competency["icc"] is None  # panels vary: not fully crossed
    for result in (crossed, *varied):
        leniency = {entry["email"]: entry for entry in result["interviewers"]}
        assert leniency["june@example.com"]["leniency"] > 0.5
        assert leniency["marcus@example.com"]["leniency"] < -0.4
        assert leniency["june@example.com"]["n_ratings"] >= MIN_RATINGS
        assert leniency["marcus@example.com"]["n_ratings"] >= MIN_RATINGS


def test_active_panels_overlap_split_and_keep_every_state(demo: Flask) -> None:
    rollups = _rollups(demo)
    alex, jordan, morgan = rollups["Alex Moreno"], rollups["Jordan Blake"], rollups["Morgan Lee"]
    assert alex["splits"] == ["decisiveness"]
    # Marcus ticked "CEO of product" and his evidence says it: confirmed. Priya's "rather
    # than waiting for a perfect launch" is a cue too, read in context by the committee.
    assert [(f["id"], f["status"], f["rules"]) for f in alex["flags"]] == [
        ("ceo-of-product", "confirmed", ["ticked", "cue"]),
        ("polish-over-shipping", "signal", ["cue"]),
    ]
    decisiveness = _by_id(alex["competencies"])["decisiveness"]
    assert (decisiveness["n"], decisiveness["min"], decisiveness["max"]) == (3, 2, 4)
    assert jordan["splits"] == ["leading-through-influence"]
    assert morgan["splits"] == ["product-tradeoffs"]
    for rollup in (alex, jordan):
        assert all(c["n"] == 3 and c["rwg"] is not None for c in rollup["competencies"])
    rated_twice = [entry for entry in rollups["Dana Whitfield"]["competencies"] if entry["n"] > 1]
    assert len(rated_twice) == 3
    # Marcus is harsh and on Dana's panel: her leniency-adjusted score is higher.
    assert rollups["Dana Whitfield"]["adjusted_overall"] > rollups["Dana Whitfield"]["overall"]
    states = {
        entry["state"]
        for rollup in rollups.values()
        for entry in rollup["panel"]
        if rollup["candidate_email"].endswith("@example.org")
    }
    assert states == {"submitted", "due", "overdue", "upcoming"}
    with new_session(demo.extensions["hiring.engine"]) as session:
        statuses = {candidate.status.value for candidate in session.exec(select(Candidate))}
        drafts = session.exec(select(Scorecard).where(Scorecard.status == "draft")).all()
    assert statuses == {"active", "hired", "rejected", "withdrawn"}
    assert len(drafts) == 2


def test_the_history_is_dated_in_the_past_and_audited_when_submitted(demo: Flask) -> None:
    statement = (
        select(Candidate, Interview, Scorecard, AuditEntry)
        .join(Interview, col(Interview.candidate_id) == col(Candidate.id))
        .join(Scorecard, col(Scorecard.interview_id) == col(Interview.id))
        .join(AuditEntry, col(AuditEntry.scorecard_id) == col(Scorecard.id))
        .where(col(Candidate.email).endswith("@example.net"))
    )
    with new_session(demo.extensions["hiring.engine"]) as session:
        rows = list(session.exec(statement).all())
    assert len(rows) > 140
    month_ago = utcnow() - timedelta(days=30)
    for candidate, interview, scorecard, audit in rows:
        assert candidate.status.value in ("hired", "rejected")
        assert interview.scheduled_at is not None and scorecard.submitted_at is not None
        assert candidate.created_at < interview.scheduled_at < scorecard.submitted_at < month_ago
        assert audit.at == scorecard.submitted_at == scorecard.updated_at
        assert audit.action == "submitted"


def test_history_recommendations_follow_each_interviewers_mean_rating() -> None:
    loops = history_loops(SHIPPED)
    assert loops == history_loops(load_rubrics([RUBRICS]))  # the same on every load
    means: dict[str, list[float]] = defaultdict(list)
    for loop in loops:
        for _, _, _, (_, ratings, _, recommendation, _) in loop["interviews"]:
            values = [rating for rating, _ in ratings.values()]
            means[recommendation].append(sum(values) / len(values))
    ranked = [means[choice] for choice in ORDER if means[choice]]
    assert len(ranked) == 4
    for lower, higher in pairwise(ranked):
        assert max(lower) < min(higher)


def test_history_evidence_is_specific_and_never_repeated_within_a_panel() -> None:
    for loop in history_loops(SHIPPED):
        written: dict[str, set[str]] = defaultdict(set)
        for _, focus, _, (_, ratings, _, _, takeaways) in loop["interviews"]:
            assert set(ratings) == set(focus) and takeaways
            for competency, (_, evidence) in ratings.items():
                assert "{" not in evidence and evidence.endswith(".")
                assert evidence not in written[competency], (loop["name"], competency)
                written[competency].add(evidence)
