"""Calibration from the database: leniency per interviewer, reliability per competency, the
leniency applied to adjusted scores; `hiring rollup`, `hiring calibrate` and their API twins."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import col, select

from hiring import leniency
from hiring.calibration import MIN_RATINGS, calibration
from hiring.candidates import create_candidate
from hiring.db import new_session
from hiring.leniency import interviewer_effects
from hiring.models import Interview, Role, User, utcnow
from hiring.rollup import candidate_rollups
from hiring.scoring import RatingInput, ScorecardInput, save_scorecard
from hiring.tables import ROLLUP_HEADER
from hiring.web import rubric_set
from tests.helpers import make_candidate, make_user, submit_scorecard
from tests.rubric_samples import VALID_RUBRIC

# Ten candidates' true (agency, ambiguity); Ivan rates everyone one point higher than
# Olga and Uma, who agree. Each interviewer rates all ten on both: 20 ratings each.
TRUE = [(2, 3), (1, 2), (3, 3), (2, 1), (3, 2), (1, 1), (2, 2), (3, 1), (1, 3), (2, 3)]
TRUE_IDS = ("agency", "ambiguity")


@pytest.fixture
def role_app(make_app: Any, tmp_path: Path) -> Flask:
    (tmp_path / "test-role.yaml").write_text(VALID_RUBRIC)
    return make_app(HIRING_RUBRICS_DIR=str(tmp_path))


@pytest.fixture
def panel(role_app: Flask, users: dict[str, User]) -> dict[str, User]:
    """The crossed design above, stored through the real services."""
    with role_app.app_context(), new_session(role_app.extensions["hiring.engine"]) as session:
        uma = make_user(session, email="uma@example.com", name="Uma", role=Role.INTERVIEWER)
        rubrics = rubric_set()
        raters = [(users["interviewer"], 1), (users["other_interviewer"], 0), (uma, 0)]
        for number, (agency, ambiguity) in enumerate(TRUE):
            candidate = create_candidate(
                session=session,
                rubrics=rubrics,
                name=f"Candidate {number}",
                email=f"c{number:02}@example.org",
                rubric_id="test-role",
            )
            for who, extra in raters:
                submit_scorecard(
                    session,
                    rubrics,
                    candidate,
                    who,
                    agency=agency + extra,
                    ambiguity=ambiguity + extra,
                )
        session.commit()
        return {"ivan": users["interviewer"], "olga": users["other_interviewer"], "uma": uma}


def _calibration(app: Flask) -> dict[str, Any]:
    with app.app_context(), new_session(app.extensions["hiring.engine"]) as session:
        return calibration(session=session, rubric=rubric_set().rubrics["test-role"])


def test_leniency_is_each_interviewers_distance_from_the_average(
    role_app: Flask, panel: dict[str, User]
) -> None:
    result = _calibration(role_app)
    leniency = {entry["email"]: entry for entry in result["interviewers"]}
    # Balanced design: the effect is the interviewer's mean minus the grand mean.
    assert leniency["ivan@example.com"]["leniency"] == pytest.approx(2 / 3)
    assert leniency["olga@example.com"]["leniency"] == pytest.approx(-1 / 3)
    assert leniency["uma@example.com"]["leniency"] == pytest.approx(-1 / 3)
    assert {entry["n_ratings"] for entry in leniency.values()} == {MIN_RATINGS}
    assert not any(entry["too_few_ratings"] for entry in leniency.values())
    assert (result["n_ratings"], result["n_candidates"]) == (60, 10)


def test_reliability_per_competency_in_a_fully_crossed_design(
    role_app: Flask, panel: dict[str, User]
) -> None:
    agency = _calibration(role_app)["competencies"][0]
    assert (agency["id"], agency["n_candidates"], agency["n_ratings"]) == ("agency", 10, 30)
    # Ivan's ratings are the others' plus one: perfectly consistent (ICC3 = 1) but not in
    # absolute agreement (ICC1, ICC2 and alpha below 1).
    assert agency["icc"]["ICC3"] == pytest.approx(1.0)
    assert agency["icc"]["ICC3k"] == pytest.approx(1.0)
    assert agency["icc"]["ICC1"] < agency["icc"]["ICC2"] < 1
    assert agency["icc_bands"]["ICC3"] == "excellent"
    assert 0 < agency["alpha_interval"] < 1 and 0 < agency["alpha_ordinal"] < 1
    assert agency["alpha_interval_band"] in {"unreliable", "tentative", "reliable"}


def test_icc_is_null_when_the_design_is_not_crossed(
    role_app: Flask, panel: dict[str, User]
) -> None:
    with role_app.app_context(), new_session(role_app.extensions["hiring.engine"]) as session:
        rubrics = rubric_set()
        extra = make_candidate(session, rubrics, "late@example.org")
        submit_scorecard(session, rubrics, extra, panel["olga"], agency=3, ambiguity=3)
        session.commit()
    competencies = _calibration(role_app)["competencies"]
    assert [entry["icc"] for entry in competencies] == [None, None]
    assert competencies[0]["alpha_interval"] is not None


def test_leniency_is_applied_to_adjusted_scores_and_refitted_after_a_change(
    role_app: Flask, panel: dict[str, User]
) -> None:
    with role_app.app_context(), new_session(role_app.extensions["hiring.engine"]) as session:
        rubrics = rubric_set()
        rubric = rubrics.rubrics["test-role"]
        effects = interviewer_effects(session=session, rubric=rubric)
        assert effects[panel["ivan"].id] == pytest.approx(2 / 3)
        newcomer = make_candidate(session, rubrics, "new@example.org")
        submit_scorecard(session, rubrics, newcomer, panel["ivan"], agency=4, ambiguity=4)
        submit_scorecard(session, rubrics, newcomer, panel["olga"], agency=1, ambiguity=1)
        session.commit()
        refitted = interviewer_effects(session=session, rubric=rubric)
        ivan, olga = refitted[panel["ivan"].id], refitted[panel["olga"].id]
        assert ivan > 2 / 3 + 0.01  # fitted again: the new ratings widen the gap
        [result] = candidate_rollups(
            session=session, candidates=[newcomer], rubrics=rubrics, now=utcnow()
        )
        # Each rating loses its interviewer's leniency before the means are taken.
        assert result["overall"] == 2.5
        assert result["adjusted_overall"] == pytest.approx((4 - ivan + 1 - olga) / 2)
        assert [entry["leniency"] for entry in result["panel"]] == [ivan, olga]


def test_interviewers_with_too_few_ratings_are_marked_and_not_applied(
    role_app: Flask, users: dict[str, User]
) -> None:
    with role_app.app_context(), new_session(role_app.extensions["hiring.engine"]) as session:
        rubrics = rubric_set()
        candidate = make_candidate(session, rubrics, "sam@example.org")
        submit_scorecard(session, rubrics, candidate, users["interviewer"], agency=4, ambiguity=4)
        submit_scorecard(
            session, rubrics, candidate, users["other_interviewer"], agency=2, ambiguity=2
        )
        session.commit()
        assert interviewer_effects(session=session, rubric=rubrics.rubrics["test-role"]) == {}
        [result] = candidate_rollups(
            session=session, candidates=[candidate], rubrics=rubrics, now=utcnow()
        )
        assert result["adjusted_overall"] == result["overall"] == 3.0
    marked = _calibration(role_app)["interviewers"]
    assert [(entry["email"], entry["too_few_ratings"]) for entry in marked] == [
        ("ivan@example.com", True),
        ("olga@example.com", True),
    ]


def test_an_empty_rubric_calibrates_to_nothing(role_app: Flask, users: dict[str, User]) -> None:
    result = _calibration(role_app)
    assert result["interviewers"] == [] and result["n_ratings"] == 0
    assert [entry["alpha_interval"] for entry in result["competencies"]] == [None, None]


# The command line.


def test_calibrate_json_and_table(
    role_app: Flask, panel: dict[str, User], runner: FlaskCliRunner
) -> None:
    runner = role_app.test_cli_runner()
    as_json = runner.invoke(args=["calibrate", "--rubric", "test-role", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.output)
    assert set(document) >= {"rubric", "competencies", "interviewers"}
    assert set(document["competencies"][0]) >= {
        "id",
        "n_candidates",
        "n_ratings",
        "alpha_interval",
        "alpha_ordinal",
        "icc",
    }
    assert set(document["competencies"][0]["icc"]) == {
        "ICC1",
        "ICC2",
        "ICC3",
        "ICC1k",
        "ICC2k",
        "ICC3k",
    }
    assert set(document["interviewers"][0]) >= {"email", "leniency", "n_ratings"}
    table = runner.invoke(args=["calibrate", "--rubric", "test-role"])
    assert table.exit_code == 0
    assert "ivan@example.com  +0.67     20" in table.output
    assert "test-role v1: 60 ratings of 10 candidates" in table.output


def test_rollup_json_csv_and_table(role_app: Flask, panel: dict[str, User]) -> None:
    runner = role_app.test_cli_runner()
    as_json = runner.invoke(args=["rollup", "--candidate", "C00@Example.org", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    [only] = json.loads(as_json.output)
    assert set(only) >= {
        "candidate_email",
        "candidate_name",
        "rubric",
        "overall",
        "adjusted_overall",
        "recommendations",
        "competencies",
        "not_assessed",
        "flags",
    }
    assert only["candidate_email"] == "c00@example.org"
    assert set(only["competencies"][0]) >= {"id", "n", "mean", "median", "sd", "min", "max", "rwg"}
    as_csv = runner.invoke(args=["rollup", "--format", "csv"])
    rows = list(csv.reader(io.StringIO(as_csv.output)))
    assert rows[0] == ROLLUP_HEADER
    assert len(rows) == 1 + 10 * 2  # a row per candidate and competency
    table = runner.invoke(args=["rollup", "--rubric", "test-role"])
    assert table.exit_code == 0 and "Candidate 9 <c09@example.org>" in table.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rollup", "--candidate", "nobody@example.org"], "no candidate has the email"),
        (["rollup", "--candidate", "not-an-email"], "email"),
        (["rollup", "--rubric", "nope"], "no rubric has the id 'nope' (available: test-role)"),
        (["calibrate", "--rubric", "nope"], "no rubric has the id 'nope'"),
        (["calibrate"], "Missing option '--rubric'"),
        (["rollup", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_command_errors_are_one_line(
    role_app: Flask, users: dict[str, User], args: list[str], message: str
) -> None:
    result = role_app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_amending_the_newest_scorecard_fits_leniency_again(
    role_app: Flask, panel: dict[str, User]
) -> None:
    with role_app.app_context(), new_session(role_app.extensions["hiring.engine"]) as session:
        rubrics = rubric_set()
        rubric = rubrics.rubrics["test-role"]
        uma = panel["uma"]
        assert interviewer_effects(session=session, rubric=rubric)[uma.id] == pytest.approx(-1 / 3)
        newest = session.exec(
            select(Interview)
            .where(Interview.interviewer_id == uma.id)
            .order_by(col(Interview.id).desc())
        ).first()
        assert newest is not None
        # Her last ratings were (2, 3) for candidate 9: she now gives (4, 4).
        save_scorecard(
            session=session,
            interview=newest,
            author=uma,
            data=ScorecardInput(
                ratings={c: RatingInput(rating=4, evidence="re-read my notes") for c in TRUE_IDS},
                recommendation="yes",
                submit=True,
            ),
            current_rubric=rubric,
        )
        session.commit()
        assert interviewer_effects(session=session, rubric=rubric)[uma.id] > -1 / 3 + 0.05


def test_ratings_off_an_edited_scale_are_left_out(
    role_app: Flask, panel: dict[str, User], tmp_path: Path
) -> None:
    three_points = (
        VALID_RUBRIC.replace("version: 1", "version: 2")
        .replace("  - {value: 4, label: Strong yes}\n", "")
        .replace("      4: Fixed the problem and the system that caused it.\n", "")
        .replace(", 4: Thrived.}", "}")
    )
    (tmp_path / "test-role.yaml").write_text(three_points)
    result = _calibration(role_app)
    fours = sum(a + 1 == 4 for a, _ in TRUE) + sum(b + 1 == 4 for _, b in TRUE)
    assert result["off_scale_ratings"] == fours  # Ivan's ratings of 4
    assert result["n_ratings"] == 60 - fours
    runner = role_app.test_cli_runner()
    rollup = runner.invoke(args=["rollup", "--candidate", "c02@example.org", "--format", "json"])
    assert rollup.exit_code == 0, rollup.output
    agency = json.loads(rollup.output)[0]["competencies"][0]
    assert (agency["n"], agency["max"]) == (2, 3)  # Ivan's 4 is no longer on the scale


def test_a_large_rubric_is_fitted_again_in_the_background(
    role_app: Flask, panel: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leniency, "BACKGROUND_ABOVE", 10)  # our 60 ratings count as large
    with role_app.app_context(), new_session(role_app.extensions["hiring.engine"]) as session:
        rubrics = rubric_set()
        rubric = rubrics.rubrics["test-role"]
        before = interviewer_effects(session=session, rubric=rubric)
        newcomer = make_candidate(session, rubrics, "new@example.org")
        submit_scorecard(session, rubrics, newcomer, panel["ivan"], agency=4, ambiguity=4)
        submit_scorecard(session, rubrics, newcomer, panel["olga"], agency=1, ambiguity=1)
        session.commit()
        # The previous estimates answer at once while the new fit runs...
        assert interviewer_effects(session=session, rubric=rubric) == before
        deadline = time.monotonic() + 30
        while leniency.fitting() and time.monotonic() < deadline:
            time.sleep(0.01)
        # ...and the next request gets the new ones.
        after = interviewer_effects(session=session, rubric=rubric)
        assert after[panel["ivan"].id] > before[panel["ivan"].id] + 0.01
