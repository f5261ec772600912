"""Recruiters' candidate pages, through the real pages with CSRF tokens: who may use them,
adding a candidate, changing a status, assigning interviews, the list and its filter."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlmodel import Session, col, select

from hiring.db import new_session
from hiring.models import (
    Candidate,
    CandidateStatus,
    Interview,
    RubricVersion,
    Scorecard,
    ScorecardStatus,
    User,
)
from tests.conftest import AuthActions
from tests.helpers import csrf_token
from tests.rubric_samples import VALID_RUBRIC

# A second role whose rubric has no stage profile.
OTHER_RUBRIC = (
    VALID_RUBRIC.replace("id: test-role", "id: other-role")
    .replace("title: Test role", "title: Other role")
    .split("stage_profiles:")[0]
)
NEW_CANDIDATE = {
    "name": "Grace Hopper",
    "email": "Grace@Example.com",
    "rubric": "test-role",
    "stage_profile": "early-stage",
}


@pytest.fixture
def loop_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app whose rubric folder has two roles: test-role (with a stage profile) and other-role."""
    (tmp_path / "test-role.yaml").write_text(VALID_RUBRIC)
    (tmp_path / "other-role.yaml").write_text(OTHER_RUBRIC)
    return make_app(HIRING_RUBRICS_DIR=str(tmp_path))


@pytest.fixture
def web(loop_app: Flask, users: dict[str, User]) -> FlaskClient:
    return loop_app.test_client()


@contextmanager
def _session(app: Flask) -> Iterator[Session]:
    with new_session(app.extensions["hiring.engine"]) as session:
        yield session


def _as(client: FlaskClient, email: str) -> FlaskClient:
    assert AuthActions(client).login(email).status_code == 302
    return client


def _token(client: FlaskClient) -> str:
    """A CSRF token of the client's session (signed in or not)."""
    page = client.get("/", follow_redirects=True)
    return csrf_token(page.data)


def _add_candidate(app: Flask, **overrides: Any) -> int:
    values = {"name": "Alan Turing", "email": "alan@example.com", "rubric_id": "test-role"}
    with _session(app) as session:
        candidate = Candidate(**{**values, **overrides})
        session.add(candidate)
        session.commit()
        assert candidate.id is not None
        return candidate.id


def _add_interview(app: Flask, candidate_id: int, submitted: bool = False) -> int:
    with _session(app) as session:
        ivan = session.exec(select(User).where(User.email == "ivan@example.com")).one()
        assert ivan.id is not None
        interview = Interview(candidate_id=candidate_id, interviewer_id=ivan.id, focus=["agency"])
        session.add(interview)
        session.flush()
        assert interview.id is not None
        if submitted:
            snapshot = RubricVersion(
                rubric_id="test-role",
                version=1,
                content_hash="0" * 64,
                title="Test role",
                content={},
            )
            session.add(snapshot)
            session.flush()
            assert snapshot.id is not None
            session.add(
                Scorecard(
                    interview_id=interview.id,
                    rubric_version_id=snapshot.id,
                    status=ScorecardStatus.SUBMITTED,
                )
            )
        session.commit()
        return interview.id


def _candidates(app: Flask) -> list[Candidate]:
    with _session(app) as session:
        return list(session.exec(select(Candidate).order_by(col(Candidate.id))).all())


def _interviews(app: Flask) -> list[Interview]:
    with _session(app) as session:
        return list(session.exec(select(Interview).order_by(col(Interview.id))).all())


def _field_errors(page: str, field_id: str) -> list[str]:
    """The messages shown next to a field (the list its aria-describedby points to)."""
    found = re.search(rf'<ul class="field-errors" id="{field_id}-errors">(.*?)</ul>', page, re.S)
    return (
        [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []
    )


def _plain(fragment: str) -> str:
    """A table cell's text, without its tags and extra white space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# Access


@pytest.mark.parametrize(
    ("email", "expected"),
    [(None, 302), ("ivan@example.com", 403), ("rita@example.com", 200), ("ada@example.com", 200)],
)
@pytest.mark.parametrize("path", ["/candidates/", "/candidates/new", "/candidates/{id}"])
def test_who_may_open_the_candidate_pages(
    web: FlaskClient, loop_app: Flask, email: str | None, expected: int, path: str
) -> None:
    candidate_id = _add_candidate(loop_app)
    if email:
        _as(web, email)
    response = web.get(path.format(id=candidate_id))
    assert response.status_code == expected
    if expected == 302:
        assert response.location.startswith("/auth/login")


@pytest.mark.parametrize(
    ("email", "expected"),
    [(None, 302), ("ivan@example.com", 403), ("rita@example.com", 302), ("ada@example.com", 302)],
)
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/candidates/new", NEW_CANDIDATE),
        ("/candidates/{id}/status", {"status": "hired"}),
        ("/candidates/{id}/interviews", {"interviewer_email": "ivan@example.com"}),
    ],
)
def test_who_may_change_candidates(
    web: FlaskClient,
    loop_app: Flask,
    email: str | None,
    expected: int,
    path: str,
    data: dict[str, str],
) -> None:
    candidate_id = _add_candidate(loop_app)
    if email:
        _as(web, email)
    response = web.post(path.format(id=candidate_id), data={**data, "csrf_token": _token(web)})
    assert response.status_code == expected
    allowed = email in ("rita@example.com", "ada@example.com")
    if expected == 302:
        target = "/candidates/" if allowed else "/auth/login"
        assert response.location.startswith(target)
    stored = _candidates(loop_app)
    assert len(stored) == (2 if allowed and path.endswith("new") else 1)
    assert (stored[0].status == CandidateStatus.HIRED) == (allowed and path.endswith("status"))
    assert len(_interviews(loop_app)) == (1 if allowed and path.endswith("interviews") else 0)


@pytest.mark.parametrize(
    "path", ["/candidates/new", "/candidates/{id}/status", "/candidates/{id}/interviews"]
)
def test_a_post_without_csrf_token_is_refused(web: FlaskClient, loop_app: Flask, path: str) -> None:
    candidate_id = _add_candidate(loop_app)
    _as(web, "rita@example.com")
    data = {**NEW_CANDIDATE, "status": "hired", "interviewer_email": "ivan@example.com"}
    response = web.post(path.format(id=candidate_id), data=data)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert len(_candidates(loop_app)) == 1
    assert _candidates(loop_app)[0].status == CandidateStatus.ACTIVE
    assert _interviews(loop_app) == []


def test_an_unknown_candidate_is_404_with_a_message(web: FlaskClient) -> None:
    response = _as(web, "rita@example.com").get("/candidates/999")
    assert response.status_code == 404
    assert "No candidate has the id 999." in response.get_data(as_text=True)


def test_recruiters_find_candidates_in_the_navigation(web: FlaskClient) -> None:
    text = _text(_as(web, "rita@example.com"), "/candidates/")
    assert '<a href="/candidates/" aria-current="page">Candidates</a>' in text
    AuthActions(web).logout()
    assert 'href="/candidates/"' not in _text(_as(web, "ivan@example.com"), "/")


# Adding a candidate


def test_adding_a_candidate_stores_it_and_opens_its_page(web: FlaskClient, loop_app: Flask) -> None:
    _as(web, "rita@example.com")
    form = web.get("/candidates/new")
    assert '<option value="early-stage">early-stage</option>' in form.get_data(as_text=True)
    data = {**NEW_CANDIDATE, "csrf_token": csrf_token(form.data)}
    response = web.post("/candidates/new", data=data)
    [stored] = _candidates(loop_app)
    assert response.status_code == 302
    assert response.location == f"/candidates/{stored.id}"
    assert (stored.name, stored.email, stored.rubric_id, stored.stage_profile) == (
        "Grace Hopper",
        "grace@example.com",
        "test-role",
        "early-stage",
    )
    page = _text(web, response.location)
    assert "Candidate added." in page
    assert "<h1>Grace Hopper</h1>" in page
    assert "Test role" in page


def test_a_candidate_without_stage_profile_has_none(web: FlaskClient, loop_app: Flask) -> None:
    _as(web, "rita@example.com")
    data = {**NEW_CANDIDATE, "rubric": "other-role", "stage_profile": "", "csrf_token": _token(web)}
    assert web.post("/candidates/new", data=data).status_code == 302
    [stored] = _candidates(loop_app)
    assert (stored.rubric_id, stored.stage_profile) == ("other-role", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "grace-at-example"}, "email", "'grace-at-example' is not a valid email address"),
        ({"rubric": ""}, "rubric", "This field is required."),
        ({"rubric": "no-such-role"}, "rubric", "Not a valid choice."),
        ({"stage_profile": "late-stage"}, "stage_profile", "Not a valid choice."),
        (
            {"rubric": "other-role"},
            "stage_profile",
            "other-role has no stage profile 'early-stage' (this rubric has none)",
        ),
    ],
)
def test_bad_candidate_input_is_shown_next_to_its_field(
    web: FlaskClient, loop_app: Flask, changes: dict[str, str], field: str, message: str
) -> None:
    _as(web, "rita@example.com")
    data = {**NEW_CANDIDATE, **changes, "csrf_token": _token(web)}
    response = web.post("/candidates/new", data=data)
    assert response.status_code == 400
    [shown] = _field_errors(response.get_data(as_text=True), field)
    assert shown.startswith(message)
    assert _candidates(loop_app) == []


def test_a_second_candidate_with_the_same_email_is_refused(
    web: FlaskClient, loop_app: Flask
) -> None:
    _add_candidate(loop_app, email="grace@example.com")
    _as(web, "rita@example.com")
    response = web.post("/candidates/new", data={**NEW_CANDIDATE, "csrf_token": _token(web)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _field_errors(page, "email") == [
        "a candidate with the email grace@example.com already exists"
    ]
    assert 'value="Grace Hopper"' in page  # what was typed is kept
    assert len(_candidates(loop_app)) == 1


# Status


def test_changing_the_status(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _add_candidate(loop_app)
    _as(web, "rita@example.com")
    response = web.post(
        f"/candidates/{candidate_id}/status", data={"status": "hired", "csrf_token": _token(web)}
    )
    assert response.status_code == 302
    assert response.location == f"/candidates/{candidate_id}"
    assert _candidates(loop_app)[0].status == CandidateStatus.HIRED
    page = _text(web, response.location)
    assert "Status set to Hired." in page
    assert '<option selected value="hired">Hired</option>' in page


def test_an_unknown_status_is_refused(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _add_candidate(loop_app)
    _as(web, "rita@example.com")
    response = web.post(
        f"/candidates/{candidate_id}/status", data={"status": "promoted", "csrf_token": _token(web)}
    )
    assert response.status_code == 400
    assert _field_errors(response.get_data(as_text=True), "status") == ["Not a valid choice."]
    assert _candidates(loop_app)[0].status == CandidateStatus.ACTIVE


# Interviews


@pytest.mark.parametrize(
    ("offset", "stored"),
    [
        ("60", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("-300", datetime(2026, 12, 1, 15, 0, tzinfo=UTC)),
        ("330", datetime(2026, 12, 1, 4, 30, tzinfo=UTC)),
        ("", datetime(2026, 12, 1, 10, 0, tzinfo=UTC)),
    ],
)
def test_assigning_an_interview_stores_focus_and_the_utc_time(
    web: FlaskClient, loop_app: Flask, offset: str, stored: datetime
) -> None:
    candidate_id = _add_candidate(loop_app)
    _as(web, "rita@example.com")
    data = {
        "interviewer_email": "ivan@example.com",
        "focus": ["ambiguity"],
        "scheduled_at": "2026-12-01T10:00",
        "timezone_offset": offset,
        "csrf_token": csrf_token(web.get(f"/candidates/{candidate_id}").data),
    }
    response = web.post(f"/candidates/{candidate_id}/interviews", data=data)
    assert response.status_code == 302
    assert response.location == f"/candidates/{candidate_id}"
    [interview] = _interviews(loop_app)
    assert interview.focus == ["ambiguity"]
    assert interview.scheduled_at == stored
    page = _text(web, response.location)
    assert "Interview assigned to ivan@example.com." in page
    assert f'href="/interviews/{interview.id}/scorecard"' in page
    assert "Comfort with ambiguity" in page
    assert (
        f'<time datetime="{stored.isoformat()}" data-local>'
        f"{stored.strftime('%Y-%m-%d %H:%M')} UTC</time>"
    ) in page


def test_an_interview_with_no_focus_covers_every_competency(
    web: FlaskClient, loop_app: Flask
) -> None:
    candidate_id = _add_candidate(loop_app)
    _as(web, "ada@example.com")
    data = {"interviewer_email": "olga@example.com", "csrf_token": _token(web)}
    assert web.post(f"/candidates/{candidate_id}/interviews", data=data).status_code == 302
    [interview] = _interviews(loop_app)
    assert interview.focus == ["agency", "ambiguity"]
    assert interview.scheduled_at is None
    page = _text(web, f"/candidates/{candidate_id}")
    assert "Agency, Comfort with ambiguity" in page
    assert "Not scheduled" in page
    assert '<span class="badge badge-upcoming">upcoming</span>' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"interviewer_email": ""}, "interviewer_email", "This field is required."),
        ({"interviewer_email": "nobody@example.com"}, "interviewer_email", "Not a valid choice."),
        ({"focus": ["agency", "charm"]}, "focus", "'charm' is not a valid choice for this field."),
        ({"scheduled_at": "next tuesday"}, "scheduled_at", "Not a valid datetime value."),
        ({"timezone_offset": "CET"}, "scheduled_at", "your browser sent a time zone"),
        ({"timezone_offset": "1440"}, "scheduled_at", "your browser sent a time zone"),
    ],
)
def test_bad_interview_input_is_shown_next_to_its_field(
    web: FlaskClient, loop_app: Flask, changes: dict[str, Any], field: str, message: str
) -> None:
    candidate_id = _add_candidate(loop_app)
    _as(web, "rita@example.com")
    data = {
        "interviewer_email": "ivan@example.com",
        "focus": ["agency"],
        "scheduled_at": "2026-12-01T10:00",
        "timezone_offset": "60",
        **changes,
        "csrf_token": _token(web),
    }
    response = web.post(f"/candidates/{candidate_id}/interviews", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    [shown] = _field_errors(page, field)
    assert shown.startswith(message)
    assert "<h1>Alan Turing</h1>" in page  # the candidate's page, with the form as it was sent
    assert _interviews(loop_app) == []


def test_a_deactivated_interviewer_cannot_be_chosen(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _add_candidate(loop_app)
    with _session(loop_app) as session:
        olga = session.exec(select(User).where(User.email == "olga@example.com")).one()
        olga.active = False
        session.add(olga)
        session.commit()
    _as(web, "rita@example.com")
    page = _text(web, f"/candidates/{candidate_id}")
    assert '<option value="ivan@example.com">Ivan (interviewer)</option>' in page
    assert "olga@example.com" not in page
    data = {"interviewer_email": "olga@example.com", "csrf_token": _token(web)}
    response = web.post(f"/candidates/{candidate_id}/interviews", data=data)
    assert response.status_code == 400
    assert _interviews(loop_app) == []


def test_an_unavailable_rubric_is_named_and_blocks_new_interviews(
    web: FlaskClient, loop_app: Flask
) -> None:
    candidate_id = _add_candidate(loop_app, rubric_id="retired-role")
    _as(web, "rita@example.com")
    listing = _text(web, "/candidates/")
    assert "<code>retired-role</code>" in listing
    assert "(rubric unavailable)" in listing
    assert "Interviews cannot be assigned while the rubric" in _text(
        web, f"/candidates/{candidate_id}"
    )
    data = {"interviewer_email": "ivan@example.com", "csrf_token": _token(web)}
    response = web.post(f"/candidates/{candidate_id}/interviews", data=data)
    assert response.status_code == 400
    assert "the rubric &#39;retired-role&#39; is unavailable" in response.get_data(as_text=True)
    assert _interviews(loop_app) == []


def test_a_candidate_without_interviews_says_what_to_do(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _add_candidate(loop_app)
    page = _text(_as(web, "rita@example.com"), f"/candidates/{candidate_id}")
    assert "No interview is assigned yet." in page
    assert "<legend>Focus competencies (none ticked: all)</legend>" in page


# The list


def test_an_empty_list_links_to_adding_a_candidate(web: FlaskClient) -> None:
    page = _text(_as(web, "rita@example.com"), "/candidates/")
    assert "No candidates yet." in page
    assert '<a href="/candidates/new">Add the first candidate</a>' in page


def test_the_list_shows_each_candidate_and_their_loop(web: FlaskClient, loop_app: Flask) -> None:
    grace = _add_candidate(loop_app, name="Grace", email="grace@example.com", stage_profile="x-1")
    _add_interview(loop_app, grace, submitted=True)
    _add_interview(loop_app, grace)
    _add_candidate(loop_app, name="Alan", rubric_id="other-role")
    page = _text(_as(web, "rita@example.com"), "/candidates/")
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    cells = [[_plain(cell) for cell in re.findall(r"<td.*?>(.*?)</td>", row, re.S)] for row in rows]
    assert ["Alan", "alan@example.com", "Other role", "None", "Active", "No interviews"] in cells
    assert ["Grace", "grace@example.com", "Test role", "x-1", "Active", "1 of 2 submitted"] in cells
    assert f'href="/candidates/{grace}"' in page


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [("hired", ["Hired One"], ["Still Active"]), ("", ["Hired One", "Still Active"], [])],
)
def test_the_list_filters_by_status(
    web: FlaskClient, loop_app: Flask, status: str, shown: list[str], hidden: list[str]
) -> None:
    _add_candidate(loop_app, name="Hired One", email="h@example.com", status=CandidateStatus.HIRED)
    _add_candidate(loop_app, name="Still Active", email="a@example.com")
    page = _text(_as(web, "rita@example.com"), f"/candidates/?status={status}")
    assert all(f">{name}</a>" in page for name in shown)
    assert not any(name in page for name in hidden)
    if status:
        assert f'<option value="{status}" selected>' in page


def test_a_filter_that_matches_nobody_offers_the_whole_list(
    web: FlaskClient, loop_app: Flask
) -> None:
    _add_candidate(loop_app)
    page = _text(_as(web, "rita@example.com"), "/candidates/?status=withdrawn")
    assert "No candidate has the status withdrawn." in page
    assert "Alan Turing" not in page


def test_an_unknown_status_filter_is_a_400_naming_the_statuses(web: FlaskClient) -> None:
    response = _as(web, "rita@example.com").get("/candidates/?status=promoted")
    assert response.status_code == 400
    assert "active, hired, rejected, withdrawn" in response.get_data(as_text=True)


def test_the_list_takes_the_same_queries_for_one_candidate_or_many(
    web: FlaskClient, loop_app: Flask
) -> None:
    _as(web, "rita@example.com")
    engine = loop_app.extensions["hiring.engine"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    def queries() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert web.get("/candidates/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    _add_interview(loop_app, _add_candidate(loop_app))
    one = queries()
    for n in range(5):
        candidate_id = _add_candidate(loop_app, email=f"c{n}@example.com")
        _add_interview(loop_app, candidate_id, submitted=n == 0)
    assert queries() == one


def test_html_in_a_candidate_name_is_escaped(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _add_candidate(loop_app, name="<script>alert(1)</script>")
    _as(web, "rita@example.com")
    for path in ("/candidates/", f"/candidates/{candidate_id}"):
        page = _text(web, path)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
