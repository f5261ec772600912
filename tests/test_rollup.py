"""Per-candidate rollups: the statistics per competency, the weighted and leniency-adjusted
overall, the tally, coverage, splits and flags; and the rating rows behind them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from flask import Flask
from sqlmodel import Session, col, select

from hiring.candidate_list import refresh_stale_rollups, stale_candidates
from hiring.db import new_session
from hiring.flags import PanelScorecard
from hiring.models import CandidateRollup, Rating, User, utcnow
from hiring.rollup import candidate_rollups, summarise
from hiring.rubric_loader import RubricSet, parse_rubric
from hiring.stats import leniency
from hiring.web import rubric_set
from tests.helpers import make_candidate, submit_scorecard
from tests.rubric_samples import VALID_RUBRIC

RUBRIC, _ = parse_rubric(VALID_RUBRIC, "test-role.yaml")  # agency (weight 2), ambiguity
assert RUBRIC is not None
CANDIDATE = {"id": 1, "email": "sam@example.org", "name": "Sam", "stage_profile": None}


def scorecard(interviewer: int, ratings: dict[str, int], **fields: Any) -> PanelScorecard:
    """A submitted scorecard of interviewer number `interviewer`."""
    values: dict[str, Any] = {
        "interview_id": interviewer,
        "interviewer_id": interviewer,
        "interviewer_email": f"i{interviewer}@example.com",
        "interviewer_name": f"Interviewer {interviewer}",
        "state": "submitted",
        "scorecard_id": interviewer,
        "ratings": ratings,
        "recommendation": "yes",
    }
    return PanelScorecard(**(values | fields))


def rollup(*panel: PanelScorecard, leniency: dict[int, float] | None = None, **candidate: Any):
    return summarise(
        candidate=CANDIDATE | candidate, rubric=RUBRIC, panel=panel, leniency=leniency or {}
    )


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in result["competencies"]}


def test_statistics_per_competency() -> None:
    result = rollup(
        scorecard(1, {"agency": 2, "ambiguity": 3}),
        scorecard(2, {"agency": 4, "ambiguity": 3}),
        scorecard(3, {"agency": 3}),
    )
    agency, ambiguity = by_id(result)["agency"], by_id(result)["ambiguity"]
    assert (agency["n"], agency["mean"], agency["median"]) == (3, 3.0, 3.0)
    assert (agency["sd"], agency["min"], agency["max"]) == (1.0, 2, 4)
    # r_wg = 1 - s^2 / ((A^2 - 1) / 12) = 1 - 1 / 1.25 on a 4-point scale.
    assert agency["rwg"] == pytest.approx(0.2)
    assert agency["split"] is True and ambiguity["split"] is False
    assert (ambiguity["n"], ambiguity["sd"], ambiguity["rwg"]) == (2, 0.0, 1.0)
    assert result["splits"] == ["agency"]


def test_one_rating_has_no_spread_or_agreement() -> None:
    entry = by_id(rollup(scorecard(1, {"agency": 3})))["agency"]
    assert (entry["n"], entry["sd"], entry["rwg"], entry["split"]) == (1, None, None, False)


def test_a_spread_of_one_point_is_not_a_split() -> None:
    result = rollup(scorecard(1, {"agency": 2}), scorecard(2, {"agency": 3}))
    assert result["splits"] == [] and by_id(result)["agency"]["rwg"] == pytest.approx(0.6)


def test_overall_uses_the_weights_or_the_stage_profile() -> None:
    panel = (scorecard(1, {"agency": 4, "ambiguity": 2}), scorecard(2, {"agency": 3}))
    # agency mean 3.5 (weight 2), ambiguity 2 (weight 1)
    assert rollup(*panel)["overall"] == pytest.approx((3.5 * 2 + 2) / 3)
    # early-stage weighs agency 3
    assert rollup(*panel, stage_profile="early-stage")["overall"] == pytest.approx(
        (3.5 * 3 + 2) / 4
    )


def test_not_assessed_competencies_are_listed_and_left_out_of_the_overall() -> None:
    result = rollup(scorecard(1, {"agency": 3}))
    assert result["not_assessed"] == ["ambiguity"]
    assert result["overall"] == 3.0
    assert rollup()["overall"] is None and rollup()["not_assessed"] == ["agency", "ambiguity"]


def test_adjusted_overall_subtracts_each_interviewers_leniency() -> None:
    panel = (scorecard(1, {"agency": 4, "ambiguity": 4}), scorecard(2, {"agency": 2}))
    result = rollup(*panel, leniency={1: 1.0, 2: -0.5})
    agency = by_id(result)["agency"]
    assert agency["mean"] == 3.0 and agency["adjusted_mean"] == pytest.approx((3 + 2.5) / 2)
    assert result["adjusted_overall"] == pytest.approx((2.75 * 2 + 3) / 3)
    assert [entry["leniency"] for entry in result["panel"]] == [1.0, -0.5]


def test_without_leniency_estimates_the_adjusted_score_is_the_raw_one() -> None:
    result = rollup(scorecard(1, {"agency": 4}), scorecard(2, {"agency": 2, "ambiguity": 3}))
    assert result["adjusted_overall"] == result["overall"]


def test_on_a_complete_panel_with_equal_weights_adjusted_is_the_model_candidate_effect() -> None:
    ratings = {  # candidate: {interviewer: (agency, ambiguity)}
        1: {1: (4, 4), 2: (3, 3), 3: (3, 2)},
        2: {1: (3, 4), 2: (2, 2), 3: (2, 1)},
        3: {1: (4, 3), 2: (3, 3), 3: (1, 2)},
    }
    frame = pd.DataFrame(
        [
            (candidate, interviewer, competency, given[index])
            for candidate, panel in ratings.items()
            for interviewer, given in panel.items()
            for index, competency in enumerate(["agency", "ambiguity"])
        ],
        columns=["candidate", "interviewer", "competency", "rating"],
    )
    effects = leniency(frame)
    equal = RUBRIC.model_copy(
        update={"competencies": [c.model_copy(update={"weight": 1.0}) for c in RUBRIC.competencies]}
    )
    for candidate, panel in ratings.items():
        cards = [scorecard(i, {"agency": a, "ambiguity": b}) for i, (a, b) in panel.items()]
        result = summarise(
            candidate=CANDIDATE | {"id": candidate},
            rubric=equal,
            panel=cards,
            leniency=effects.interviewer.to_dict(),
        )
        assert result["adjusted_overall"] == pytest.approx(effects.candidate[candidate])


def test_recommendation_tally_and_coverage() -> None:
    result = rollup(
        scorecard(1, {"agency": 3}, recommendation="strong_yes"),
        scorecard(2, {"agency": 2}, recommendation="no"),
        scorecard(3, {"agency": 3}, recommendation="yes"),
        scorecard(4, {}, state="overdue", scorecard_id=None),
        scorecard(5, {}, state="due", draft=True, recommendation=None),
        scorecard(6, {}, state="upcoming", scorecard_id=None, recommendation=None),
    )
    assert result["recommendations"] == {"strong_no": 0, "no": 1, "yes": 1, "strong_yes": 1}
    assert result["coverage"] == {
        "expected": 6,
        "submitted": 3,
        "drafts": 1,
        "overdue": 1,
        "not_started": 2,
    }


def test_unsubmitted_scorecards_count_for_nothing() -> None:
    draft = scorecard(
        1,
        {"agency": 1},
        state="due",
        draft=True,
        anti_patterns=[{"id": "needs-swim-lanes", "evidence": "wants lanes"}],
    )
    result = rollup(draft)
    assert result["competencies"] == [] and result["flags"] == []
    assert result["recommendations"]["yes"] == 0


SWIM_LANES = {"id": "needs-swim-lanes", "evidence": "Asked who owns what before starting."}


def test_a_flag_ticked_once_is_a_signal_twice_confirmed() -> None:
    once = rollup(scorecard(1, {"ambiguity": 3}, anti_patterns=[SWIM_LANES]))["flags"]
    assert [(f["id"], f["status"], f["rules"]) for f in once] == [
        ("needs-swim-lanes", "signal", ["ticked"])
    ]
    assert once[0]["evidence"] == [
        {"interviewer": "i1@example.com", "rule": "ticked", "text": SWIM_LANES["evidence"]}
    ]
    twice = rollup(
        scorecard(1, {"ambiguity": 3}, anti_patterns=[SWIM_LANES]),
        scorecard(2, {"ambiguity": 3}, anti_patterns=[SWIM_LANES]),
    )["flags"]
    assert twice[0]["status"] == "confirmed"
    assert twice[0]["interviewers"] == ["i1@example.com", "i2@example.com"]


def test_a_low_score_on_the_linked_competencies_raises_the_flag() -> None:
    # needs-swim-lanes links ambiguity, threshold 2: at or below fires, above does not.
    low = rollup(scorecard(1, {"ambiguity": 2}), scorecard(2, {"ambiguity": 2}))["flags"]
    assert [(f["id"], f["rules"], f["linked_mean"]) for f in low] == [
        ("needs-swim-lanes", ["low_score"], 2.0)
    ]
    assert rollup(scorecard(1, {"ambiguity": 2}), scorecard(2, {"ambiguity": 3}))["flags"] == []
    assert rollup(scorecard(1, {"agency": 1}))["flags"] == []  # linked competency not rated


# The rating rows and list summaries, through the real services and database.


@pytest.fixture
def role_app(make_app: Any, tmp_path: Path) -> Flask:
    (tmp_path / "test-role.yaml").write_text(VALID_RUBRIC)
    return make_app(HIRING_RUBRICS_DIR=str(tmp_path))


@contextmanager
def _session(app: Flask) -> Iterator[tuple[Session, RubricSet]]:
    with app.app_context(), new_session(app.extensions["hiring.engine"]) as session:
        yield session, rubric_set()


def test_submitting_writes_rating_rows_and_the_rollup_reads_them(
    role_app: Flask, users: dict[str, User]
) -> None:
    with _session(role_app) as (session, rubrics):
        candidate = make_candidate(session, rubrics, "sam@example.org")
        submit_scorecard(
            session, rubrics, candidate, users["interviewer"], [SWIM_LANES], agency=4, ambiguity=2
        )
        submit_scorecard(
            session, rubrics, candidate, users["other_interviewer"], [SWIM_LANES], agency=2
        )
        session.commit()
        rows = session.exec(select(Rating).order_by(col(Rating.id))).all()
        assert [(r.competency_id, r.rating, r.rubric_id) for r in rows] == [
            ("agency", 4, "test-role"),
            ("ambiguity", 2, "test-role"),
            ("agency", 2, "test-role"),
        ]
        [result] = candidate_rollups(
            session=session, candidates=[candidate], rubrics=rubrics, now=utcnow()
        )
        assert result["splits"] == ["agency"]
        assert result["flags"][0]["status"] == "confirmed"
        assert [entry["interviewer_email"] for entry in result["panel"]] == [
            "ivan@example.com",
            "olga@example.com",
        ]


def test_list_summaries_are_dropped_on_submit_and_recomputed(
    role_app: Flask, users: dict[str, User]
) -> None:
    with _session(role_app) as (session, rubrics):
        candidate = make_candidate(session, rubrics, "sam@example.org")
        assert stale_candidates(session=session, rubrics=rubrics, limit=10) == [candidate]
        assert refresh_stale_rollups(session=session, rubrics=rubrics, now=utcnow()) == 1
        summary = session.get(CandidateRollup, candidate.id)
        assert summary is not None and summary.overall is None
        submit_scorecard(
            session, rubrics, candidate, users["interviewer"], [SWIM_LANES], agency=4, ambiguity=1
        )
        assert session.get(CandidateRollup, candidate.id) is None  # dropped by the submission
        assert refresh_stale_rollups(session=session, rubrics=rubrics, now=utcnow()) == 1
        summary = session.get(CandidateRollup, candidate.id)
        assert summary is not None
        assert (summary.overall, summary.yes, summary.flags) == (pytest.approx(3.0), 1, 1)
        assert refresh_stale_rollups(session=session, rubrics=rubrics, now=utcnow()) == 0
