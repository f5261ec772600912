"""Calibration pages: who may open them, leniency per interviewer on data whose answer is
known by hand, agreement per competency, the ICCs of a fully crossed panel, the CSV."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hiring.db import new_session
from hiring.models import User
from hiring.tables import CALIBRATION_HEADER
from tests.conftest import AuthActions
from tests.helpers import make_user
from tests.rubric_samples import VALID_RUBRIC
from tests.test_candidate_views import (
    _add_candidate,
    _as,
    _csv,
    _plain,
    _text,
    submit_scorecard,
)


@pytest.fixture
def cal_app(make_app: Callable[..., Flask], tmp_path: Path, users: dict[str, User]) -> Flask:
    """An app whose rubric folder holds test-role (agency, ambiguity; scale 1 to 4)."""
    (tmp_path / "test-role.yaml").write_text(VALID_RUBRIC)
    return make_app(HIRING_RUBRICS_DIR=str(tmp_path))


@pytest.fixture
def web(cal_app: Flask) -> FlaskClient:
    return cal_app.test_client()


def _crossed_panel(app: Flask, candidates: int) -> list[int]:
    """Ivan and Olga rate both competencies of every candidate; Olga always one point
    higher. The additive model then puts Olga at +0.50 and Ivan at -0.50 (their effects
    sum to zero and differ by 1), and the design is fully crossed."""
    ids = []
    for n in range(candidates):
        candidate_id = _add_candidate(app, name=f"Cal {n}", email=f"cal{n}@example.com")
        ivan = {"agency": 1 + n % 3, "ambiguity": 1 + (n + 1) % 3}
        submit_scorecard(app, candidate_id, "ivan@example.com", ivan, "no")
        olga = {competency: rating + 1 for competency, rating in ivan.items()}
        submit_scorecard(app, candidate_id, "olga@example.com", olga, "yes")
        ids.append(candidate_id)
    return ids


def _rows(page: str, caption: str) -> list[list[str]]:
    """The body rows of the table whose caption starts with `caption`, as plain text."""
    found = re.search(rf"<caption[^>]*>{caption}.*?<tbody>(.*?)</tbody>", page, re.S)
    assert found, f"no table {caption!r}"
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    return [
        [_plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows
    ]


@pytest.mark.parametrize(
    ("email", "expected"),
    [(None, 302), ("ivan@example.com", 403), ("rita@example.com", 200), ("ada@example.com", 200)],
)
@pytest.mark.parametrize(
    "path", ["/calibration/", "/calibration/test-role", "/calibration/test-role/calibration.csv"]
)
def test_who_may_open_the_calibration_pages(
    web: FlaskClient, email: str | None, expected: int, path: str
) -> None:
    if email:
        _as(web, email)
    response = web.get(path)
    assert response.status_code == expected
    if expected == 302:
        assert response.location.startswith("/auth/login")


def test_recruiters_find_calibration_in_the_navigation(web: FlaskClient) -> None:
    page = _text(_as(web, "rita@example.com"), "/calibration/")
    assert '<a href="/calibration/" aria-current="page">Calibration</a>' in page
    assert 'href="/calibration/test-role"' in _text(web, "/rubrics/test-role")
    AuthActions(web).logout()
    assert 'href="/calibration/"' not in _text(_as(web, "ivan@example.com"), "/")


def test_an_unknown_rubric_is_a_404_naming_the_rubrics(web: FlaskClient) -> None:
    _as(web, "rita@example.com")
    for path in ("/calibration/no-such-role", "/calibration/no-such-role/calibration.csv"):
        response = web.get(path)
        assert response.status_code == 404
        assert "No rubric has the id &#39;no-such-role&#39; (available: test-role)." in (
            response.get_data(as_text=True)
        )


def test_the_index_counts_what_each_rubric_has(web: FlaskClient, cal_app: Flask) -> None:
    _crossed_panel(cal_app, 3)
    _add_candidate(cal_app, name="Not yet rated", email="later@example.com")
    page = _text(_as(web, "rita@example.com"), "/calibration/")
    assert _rows(page, "Rubrics") == [["Test role", "4", "3", "2", "12"]]
    assert '<a href="/calibration/test-role">Test role</a>' in page


def test_leniency_per_interviewer_matches_the_hand_computation(
    web: FlaskClient, cal_app: Flask
) -> None:
    _crossed_panel(cal_app, 10)  # 20 ratings each: enough to be applied
    page = _text(_as(web, "rita@example.com"), "/calibration/test-role")
    assert "40 ratings of 10 candidates" in page
    assert _rows(page, "Each interviewer") == [
        ["Olga olga@example.com", "+0.50 more lenient", "20", "Applied"],
        ["Ivan ivan@example.com", "-0.50 harsher", "20", "Applied"],
    ]


def test_a_fully_crossed_panel_gets_intraclass_correlations(
    web: FlaskClient, cal_app: Flask
) -> None:
    _crossed_panel(cal_app, 10)
    page = _text(_as(web, "rita@example.com"), "/calibration/test-role")
    agreement = _rows(page, "Krippendorff")
    assert [row[:3] for row in agreement] == [
        ["Agency", "10", "20"],
        ["Comfort with ambiguity", "10", "20"],
    ]
    assert all(
        re.fullmatch(r"-?\d\.\d\d (unreliable|tentative|reliable)", c) for c in agreement[0][3:]
    )
    iccs = {row[0]: row[1:] for row in _rows(page, "Shrout and Fleiss")}
    assert set(iccs) == {"Agency", "Comfort with ambiguity"}
    # Olga is Ivan plus one, always: perfectly consistent (ICC3), not in absolute agreement.
    assert iccs["Agency"][2] == "1.00 excellent"
    assert iccs["Agency"][5] == "1.00 excellent"
    assert not iccs["Agency"][1].startswith("1.00")
    assert "Intraclass correlations are not shown" not in page


def test_too_few_ratings_are_shown_but_not_applied(web: FlaskClient, cal_app: Flask) -> None:
    _crossed_panel(cal_app, 3)
    page = _text(_as(web, "rita@example.com"), "/calibration/test-role")
    rows = _rows(page, "Each interviewer")
    assert [row[1:] for row in rows] == [
        ["+0.50 more lenient", "6", "Too few ratings — not applied"],
        ["-0.50 harsher", "6", "Too few ratings — not applied"],
    ]
    assert "only for interviewers with at least 20 ratings on this rubric" in page


def test_panels_that_differ_get_a_sentence_instead_of_iccs(
    web: FlaskClient, cal_app: Flask
) -> None:
    first = _add_candidate(cal_app, name="First", email="first@example.com")
    second = _add_candidate(cal_app, name="Second", email="second@example.com")
    submit_scorecard(cal_app, first, "ivan@example.com", {"agency": 2})
    submit_scorecard(cal_app, first, "olga@example.com", {"agency": 3})
    submit_scorecard(cal_app, second, "ivan@example.com", {"agency": 3})
    submit_scorecard(cal_app, second, "ada@example.com", {"agency": 4})
    page = _text(_as(web, "rita@example.com"), "/calibration/test-role")
    assert "Shrout and Fleiss intraclass" not in page
    assert "Intraclass correlations are not shown: they need a fully crossed design" in page
    assert ["Comfort with ambiguity", "0", "0", "— not computable", "— not computable"] in (
        _rows(page, "Krippendorff")
    )


def test_a_rubric_without_ratings_says_what_is_needed(web: FlaskClient) -> None:
    page = _text(_as(web, "rita@example.com"), "/calibration/test-role")
    assert "No scorecard on this rubric is submitted yet." in page
    assert "0 ratings of 0 candidates" in page


def test_the_calibration_csv(web: FlaskClient, cal_app: Flask) -> None:
    _crossed_panel(cal_app, 10)
    response = _as(web, "rita@example.com").get("/calibration/test-role/calibration.csv")
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="calibration-test-role-'
    )
    header, *rows = _csv(response)
    assert header == CALIBRATION_HEADER
    assert [row[:5] for row in rows[:2]] == [
        ["test-role", "competency", "agency", "10", "20"],
        ["test-role", "competency", "ambiguity", "10", "20"],
    ]
    interviewers = [(row[2], round(float(row[13]), 6), row[14]) for row in rows[2:]]
    assert interviewers == [("olga@example.com", 0.5, "no"), ("ivan@example.com", -0.5, "no")]


def test_the_candidate_page_adjusts_for_leniency(web: FlaskClient, cal_app: Flask) -> None:
    _crossed_panel(cal_app, 10)
    candidate_id = _add_candidate(cal_app, name="Only Olga", email="olga.only@example.com")
    submit_scorecard(cal_app, candidate_id, "olga@example.com", {"agency": 3, "ambiguity": 3})
    page = _text(_as(web, "rita@example.com"), f"/candidates/{candidate_id}")
    scores = re.findall(
        r'<p class="score-label">(.*?)</p>\s*<p class="score-value">(.*?)</p>', page
    )
    assert scores == [("Overall", "3.00"), ("Adjusted for interviewer leniency", "2.50")]
    assert "Only interviewers with at least 20 ratings are adjusted." in page
    assert '<span class="rater-leniency">+0.50 more lenient</span>' in page


def test_html_in_an_interviewer_name_is_escaped(web: FlaskClient, cal_app: Flask) -> None:
    with new_session(cal_app.extensions["hiring.engine"]) as session:
        make_user(session, email="mal@example.com", name="<script>alert(1)</script>")
        session.commit()
    candidate_id = _add_candidate(cal_app, name="<script>alert(2)</script>", email="c@example.com")
    submit_scorecard(cal_app, candidate_id, "mal@example.com", {"agency": 3})
    _as(web, "rita@example.com")
    for path in ("/calibration/test-role", f"/candidates/{candidate_id}"):
        page = _text(web, path)
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the interviewer's name
