"""Recruiters' candidate pages, through the real pages with CSRF tokens: who may use them,
adding a candidate, changing a status, assigning interviews, the list with its filters,
sorting, pages and CSV, and a candidate's rollup."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlmodel import Session, col, select

from hiring import candidate_views, candidates, scoring
from hiring.db import new_session
from hiring.models import (
    Candidate,
    CandidateStatus,
    Interview,
    Recommendation,
    RubricVersion,
    Scorecard,
    ScorecardStatus,
    User,
)
from hiring.scoring import AntiPatternInput, RatingInput, ScorecardInput
from hiring.tables import ROLLUP_HEADER
from hiring.web import rubric_set
from tests.conftest import AuthActions
from tests.helpers import csrf_token
from tests.rubric_samples import VALID_RUBRIC

# A second role whose rubric has no stage profile.
OTHER_RUBRIC = (
    VALID_RUBRIC.replace("id: test-role", "id: other-role")
    .replace("title: Test role", "title: Other role")
    .split("stage_profiles:")[0]
)
EN_DASH = "\N{EN DASH}"  # between numbers of a range, as the pages write it
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


def submit_scorecard(
    app: Flask,
    candidate_id: int,
    email: str,
    ratings: dict[str, int],
    recommendation: str = "yes",
    anti_patterns: dict[str, str] | None = None,
) -> int:
    """Assign `email` an interview of the candidate two hours ago and submit their
    scorecard, through the same services as the pages; returns the interview's id."""
    with app.app_context(), _session(app) as session:
        rubrics = rubric_set()
        candidate = session.get(Candidate, candidate_id)
        author = session.exec(select(User).where(User.email == email)).one()
        assert candidate is not None
        interview = candidates.assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email=email,
            scheduled_at=datetime.now(UTC) - timedelta(hours=2),
        )
        data = ScorecardInput(
            ratings={
                c: RatingInput(rating=r, evidence=f"Saw {c} at {r}.") for c, r in ratings.items()
            },
            anti_patterns=[
                AntiPatternInput(id=i, evidence=e) for i, e in (anti_patterns or {}).items()
            ],
            recommendation=Recommendation(recommendation),
            submit=True,
        )
        scoring.save_scorecard(
            session=session,
            interview=interview,
            author=author,
            data=data,
            current_rubric=candidates.rubric_for(candidate, rubrics),
        )
        session.commit()
        assert interview.id is not None
        return interview.id


def _rated(app: Flask, name: str, ratings: dict[str, int], **overrides: Any) -> int:
    """A candidate with Ivan's submitted scorecard (none when `ratings` is empty)."""
    email = overrides.pop("email", f"{name.lower().replace(' ', '.')}@example.com")
    candidate_id = _add_candidate(app, name=name, email=email, **overrides)
    if ratings:
        submit_scorecard(app, candidate_id, "ivan@example.com", ratings)
    return candidate_id


def _listed(page: str) -> list[str]:
    """The candidates' names in the order the list shows them."""
    return [
        html.unescape(name)
        for name in re.findall(r'<th scope="row"><a href="/candidates/\d+">(.*?)</a>', page)
    ]


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so that spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def count_queries(app: Flask, client: FlaskClient, path: str) -> int:
    """How many SQL statements the database runs while `client` opens `path`."""
    engine = app.extensions["hiring.engine"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


# Access


@pytest.mark.parametrize(
    ("email", "expected"),
    [(None, 302), ("ivan@example.com", 403), ("rita@example.com", 200), ("ada@example.com", 200)],
)
@pytest.mark.parametrize(
    "path",
    [
        "/candidates/",
        "/candidates/new",
        "/candidates/{id}",
        "/candidates/rollups.csv",
        "/candidates/{id}/rollup.csv",
    ],
)
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
        ({"name": ""}, "name", "Enter the candidate's full name."),
        ({"name": "   "}, "name", "Enter the candidate's full name."),
        ({"email": ""}, "email", "Enter the candidate's email address."),
        ({"email": "grace-at-example"}, "email", "'grace-at-example' is not a valid email address"),
        ({"rubric": ""}, "rubric", "Choose the role they interview for."),
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
    link = f'href="/interviews/{interview.id}/scorecard"><span class="visually-hidden">'
    assert f"{link}Scorecard of </span>Ivan</a>" in page  # the interviewer's name
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
        ({"interviewer_email": ""}, "interviewer_email", "Choose who interviews the candidate."),
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
    assert "Download CSV" not in page


def test_the_list_shows_each_candidate_and_their_rollup(web: FlaskClient, loop_app: Flask) -> None:
    grace = _add_candidate(loop_app, name="Grace", email="grace@example.com", stage_profile="x-1")
    submit_scorecard(
        loop_app,
        grace,
        "ivan@example.com",
        {"agency": 1, "ambiguity": 2},
        recommendation="no",
        anti_patterns={"needs-swim-lanes": "Asked for swim lanes."},
    )
    submit_scorecard(loop_app, grace, "olga@example.com", {"agency": 4}, "strong_yes")
    _add_interview(loop_app, grace)
    _add_candidate(loop_app, name="Alan", rubric_id="other-role")
    page = _text(_as(web, "rita@example.com"), "/candidates/")
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    cells = [[_plain(c) for c in re.findall(r"<t[hd].*?>(.*?)</t[hd]>", row, re.S)] for row in rows]
    assert cells == [  # the first cell is the box to tick for the debriefs ZIP
        ["", "Alan", "Other role", "None", "Active", "— No score yet",
         "— No score yet", "0", "0", "No interviews"],
        ["", "Grace", "Test role", "x-1", "Active", "2.33",  # (2.5 x 2 + 2 x 1) / 3
         "0 strong no 1 no 0 yes 1 strong yes", "1", "1", "2 of 3 submitted"],
    ]  # fmt: skip
    assert f'href="/candidates/{grace}"' in page


def test_the_list_filters_by_status(web: FlaskClient, loop_app: Flask) -> None:
    _add_candidate(loop_app, name="Hired One", email="h@example.com", status=CandidateStatus.HIRED)
    _add_candidate(loop_app, name="Still Active", email="a@example.com")
    _as(web, "rita@example.com")
    page = _text(web, "/candidates/?status=hired")
    assert _listed(page) == ["Hired One"]
    assert '<option value="hired" selected>' in page
    assert '<a class="clear-filters" href="/candidates/">Clear filters</a>' in page
    assert _listed(_text(web, "/candidates/?status=")) == ["Still Active", "Hired One"]


@pytest.fixture
def varied(loop_app: Flask, users: dict[str, User]) -> dict[str, int]:
    """Five candidates, oldest first: rated or not, flagged or not, split or not."""
    ids = {
        "Ben": _rated(loop_app, "Ben", {"agency": 2}, stage_profile="early-stage"),
        "Ada": _rated(loop_app, "Ada", {"agency": 4}, status=CandidateStatus.HIRED),
        "Cy": _rated(loop_app, "Cy", {}, rubric_id="other-role"),
        "Dee": _rated(loop_app, "Dee", {"agency": 3, "ambiguity": 3}),
        "Eve": _rated(loop_app, "Eve", {"agency": 1}, rubric_id="other-role"),
    }
    submit_scorecard(loop_app, ids["Dee"], "olga@example.com", {"agency": 1})  # a split
    submit_scorecard(
        loop_app,
        ids["Ben"],
        "olga@example.com",
        {"ambiguity": 2},
        "no",
        {"needs-swim-lanes": "Lanes."},
    )
    return ids


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Eve", "Dee", "Cy", "Ada", "Ben"]),
        ("newest", ["Eve", "Dee", "Cy", "Ada", "Ben"]),
        ("oldest", ["Ben", "Ada", "Cy", "Dee", "Eve"]),
        ("name", ["Ada", "Ben", "Cy", "Dee", "Eve"]),
        ("overall", ["Ada", "Dee", "Ben", "Eve", "Cy"]),  # 4, 2.67, 2, 1, none last
        ("overall_low", ["Eve", "Ben", "Dee", "Ada", "Cy"]),
        ("flags", ["Ben", "Ada", "Cy", "Dee", "Eve"]),  # ties by id
        ("splits", ["Dee", "Ben", "Ada", "Cy", "Eve"]),
    ],
)
def test_the_list_sorts(
    web: FlaskClient, varied: dict[str, int], sort: str, expected: list[str]
) -> None:
    page = _text(_as(web, "rita@example.com"), f"/candidates/?sort={sort}")
    assert _listed(page) == expected
    if sort:
        assert f'<option value="{sort}" selected>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rubric=other-role", ["Eve", "Cy"]),
        ("rubric=test-role&status=hired", ["Ada"]),
        ("stage=none", ["Eve", "Dee", "Cy", "Ada"]),
        ("stage=early-stage", ["Ben"]),
        ("flags=any", ["Ben"]),
        ("flags=none", ["Eve", "Dee", "Cy", "Ada"]),
        ("flags=splits", ["Dee"]),
        ("flags=splits&rubric=other-role", []),
    ],
)
def test_the_list_filters(
    web: FlaskClient, varied: dict[str, int], query: str, expected: list[str]
) -> None:
    page = _text(_as(web, "rita@example.com"), f"/candidates/?{query}")
    assert _listed(page) == expected
    for pair in query.split("&"):
        name, value = pair.split("=")
        assert f'<select id="{name}-filter" name="{name}">' in page
        assert f'<option value="{value}" selected>' in page
    if not expected:
        assert "No candidate matches these filters." in page
        assert '<a href="/candidates/">Clear the filters</a>' in page


def test_sorting_by_a_column_header_keeps_the_filters(
    web: FlaskClient, varied: dict[str, int]
) -> None:
    page = _text(_as(web, "rita@example.com"), "/candidates/?rubric=test-role&sort=overall")
    headers = re.findall(r'<th scope="col"( aria-sort="\w+")?>\s*<a href="([^"]+)">(\w+)', page)
    links = {label: (html.unescape(href), sort) for sort, href, label in headers}
    assert links["Name"] == ("/candidates/?rubric=test-role&sort=name", "")
    assert links["Overall"] == (  # a second click sorts lowest first
        "/candidates/?rubric=test-role&sort=overall_low",
        ' aria-sort="descending"',
    )
    assert links["Flags"][0] == "/candidates/?rubric=test-role&sort=flags"


def test_the_list_has_pages_of_25_that_keep_the_filters(web: FlaskClient, loop_app: Flask) -> None:
    for n in range(30):
        _add_candidate(loop_app, name=f"Person {n:02}", email=f"p{n}@example.com")
    _add_candidate(loop_app, name="Hired", email="hired@example.com", status=CandidateStatus.HIRED)
    _as(web, "rita@example.com")
    first = _text(web, "/candidates/?status=active&sort=name")
    assert _listed(first) == [f"Person {n:02}" for n in range(25)]
    assert f"1{EN_DASH}25 of 30 candidates matching the filters" in first
    assert 'href="/candidates/?status=active&amp;sort=name&amp;page=2" rel="next"' in first
    assert "Page 1 of 2" in first
    second = _text(web, "/candidates/?status=active&sort=name&page=2")
    assert _listed(second) == [f"Person {n:02}" for n in range(25, 30)]
    assert f"26{EN_DASH}30 of 30" in second
    assert 'href="/candidates/?status=active&amp;sort=name" rel="prev"' in second
    assert 'rel="next"' not in second


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", 1), ("0", 1), ("-2", 1), ("²", 1), ("9" * 5000, 2), ("99", 2)]
)
def test_a_page_out_of_range_shows_the_nearest(
    web: FlaskClient, loop_app: Flask, page: str, shown: int
) -> None:
    for n in range(26):
        _add_candidate(loop_app, name=f"Person {n:02}", email=f"p{n}@example.com")
    text = _text(_as(web, "rita@example.com"), f"/candidates/?sort=name&page={page}")
    assert f"Page {shown} of 2" in text
    assert len(_listed(text)) == (25 if shown == 1 else 1)


def test_a_filter_that_matches_nobody_offers_the_whole_list(
    web: FlaskClient, loop_app: Flask
) -> None:
    _add_candidate(loop_app)
    page = _text(_as(web, "rita@example.com"), "/candidates/?status=withdrawn")
    assert "No candidate matches these filters." in page
    assert '<a href="/candidates/">Clear the filters</a>' in page
    assert "Alan Turing" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=promoted", "'promoted' is not a status: choose one of active, hired, rejected,"),
        ("rubric=nope", "'nope' is not a rubric: choose one of other-role, test-role."),
        ("stage=late", "'late' is not a stage profile: choose one of none, early-stage."),
        ("flags=maybe", "'maybe' is not a flags filter: choose one of any, none, splits."),
        ("sort=age", "'age' is not a sort order: choose one of newest, oldest, name, overall,"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/candidates/", "/candidates/rollups.csv"])
def test_an_unknown_filter_or_sort_is_a_400_naming_the_choices(
    web: FlaskClient, query: str, message: str, path: str
) -> None:
    response = _as(web, "rita@example.com").get(f"{path}?{query}")
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))


def test_the_list_takes_the_same_queries_for_few_candidates_or_many(
    web: FlaskClient, loop_app: Flask
) -> None:
    _as(web, "rita@example.com")

    def add(names: range) -> None:
        for n in names:
            candidate_id = _rated(loop_app, f"C{n}", {"agency": 1 + n % 4})
            submit_scorecard(loop_app, candidate_id, "olga@example.com", {"ambiguity": 2})

    add(range(3))
    few = count_queries(loop_app, web, "/candidates/")  # summaries computed
    few_again = count_queries(loop_app, web, "/candidates/")  # summaries up to date
    add(range(3, 40))
    assert count_queries(loop_app, web, "/candidates/") == few
    assert count_queries(loop_app, web, "/candidates/") == few_again
    assert count_queries(loop_app, web, "/candidates/?page=2&sort=overall") == few_again


def test_a_new_scorecard_shows_in_the_list(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _rated(loop_app, "Grace", {"agency": 2})
    _as(web, "rita@example.com")
    assert ">2.00</td>" in _text(web, "/candidates/")
    submit_scorecard(loop_app, candidate_id, "olga@example.com", {"agency": 4})
    page = _text(web, "/candidates/")
    assert ">3.00</td>" in page
    assert "2 of 2 <span" in page


def test_a_backlog_of_summaries_is_refreshed_a_batch_per_page_load(
    web: FlaskClient, loop_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(candidate_views, "REFRESH_LIMIT", 2)
    for n in range(3):
        _rated(loop_app, f"C{n}", {"agency": n + 1})
    _as(web, "rita@example.com")
    overall = re.compile(r'<td class="numeric" data-label="Overall">(.*?)</td>')
    first = _text(web, "/candidates/?sort=name")
    assert "reload the page to update the next batch" in first
    assert [_plain(cell) for cell in overall.findall(first)].count("— No score yet") == 1
    second = _text(web, "/candidates/?sort=name")
    assert "reload the page" not in second
    assert [_plain(cell) for cell in overall.findall(second)] == ["1.00", "2.00", "3.00"]


def test_the_list_csv_has_the_rollups_of_every_match(
    web: FlaskClient, loop_app: Flask, varied: dict[str, int]
) -> None:
    for n in range(26):  # more than a page
        _add_candidate(loop_app, name=f"Person {n:02}", email=f"p{n}@example.com")
    response = _as(web, "rita@example.com").get(
        "/candidates/rollups.csv?sort=name&rubric=test-role"
    )
    assert response.headers["Content-Disposition"].startswith('attachment; filename="candidates-')
    header, *rows = _csv(response)
    assert header == ROLLUP_HEADER
    names = list(dict.fromkeys(row[1] for row in rows))
    assert names == ["Ada", "Ben", "Dee"] + [f"Person {n:02}" for n in range(26)]
    dee = {row[14]: dict(zip(header, row, strict=True)) for row in rows if row[1] == "Dee"}
    assert set(dee) == {"agency", "ambiguity"}
    assert (dee["agency"]["mean"], dee["agency"]["min"], dee["agency"]["max"]) == ("2.0", "1", "3")
    assert dee["agency"]["split"] == "yes"
    assert dee["ambiguity"]["overall"] == repr((2.0 * 2 + 3.0) / 3)


def test_html_in_a_candidate_name_is_escaped(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _rated(
        loop_app, "<script>alert(1)</script>", {"agency": 3}, email="x@example.com"
    )
    _as(web, "rita@example.com")
    for path in ("/candidates/", f"/candidates/{candidate_id}"):
        page = _text(web, path)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# A candidate's rollup


@pytest.fixture
def split_panel(loop_app: Flask, users: dict[str, User]) -> dict[str, int]:
    """Grace: Ivan rates agency 1 and ambiguity 3, ticks swim lanes; Olga rates agency 4
    and ambiguity 3; Ada's interview is not started."""
    grace = _add_candidate(loop_app, name="Grace", email="grace@example.com")
    ivan = submit_scorecard(
        loop_app,
        grace,
        "ivan@example.com",
        {"agency": 1, "ambiguity": 3},
        "no",
        {"needs-swim-lanes": "Said: <b>give me clear swim lanes</b> first."},
    )
    olga = submit_scorecard(
        loop_app, grace, "olga@example.com", {"agency": 4, "ambiguity": 3}, "strong_yes"
    )
    with _session(loop_app) as session:
        ada = session.exec(select(User).where(User.email == "ada@example.com")).one()
        session.add(Interview(candidate_id=grace, interviewer_id=ada.id or 0, focus=["agency"]))
        session.commit()
    return {"candidate": grace, "ivan": ivan, "olga": olga}


def _grid(page: str) -> list[list[str]]:
    table = re.search(r'<table class="data compact rollup-grid">(.*?)</table>', page, re.S)
    assert table, "no grid on the page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    return [
        [_plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows
    ]


def test_the_candidate_page_shows_the_rollup(web: FlaskClient, split_panel: dict[str, int]) -> None:
    page = _text(_as(web, "rita@example.com"), f"/candidates/{split_panel['candidate']}")
    scores = re.findall(
        r'<p class="score-label">(.*?)</p>\s*<p class="score-value">(.*?)</p>', page
    )
    assert scores == [("Overall", "2.67"), ("Adjusted for interviewer leniency", "2.67")]
    assert "so nothing is adjusted" in page
    tally_list = re.search(r'<dl class="tally-list".*?</dl>', page, re.S)
    assert tally_list
    tally = re.findall(r"<dt>(.*?)</dt><dd>(\d+)</dd>", tally_list.group(0))
    assert tally == [("Strong no", "0"), ("No", "1"), ("Yes", "0"), ("Strong yes", "1")]
    assert _grid(page) == [
        ["Competency", "Scorecard of Ivan", "Scorecard of Olga", "n", "Mean", "Median", "SD",
         f"Min{EN_DASH}max", "r wg"],
        ["Agency Split ratings 3 points apart: discuss", "1 (Strong no)", "4 (Strong yes)", "2",
         "2.50", "2.5", "2.12", f"1{EN_DASH}4", "0.00"],
        ["Comfort with ambiguity", "3 (Yes)", "3 (Yes)", "2", "3.00", "3", "0.00",
         f"3{EN_DASH}3", "1.00"],
        ["Recommendation", "No", "Strong yes", ""],
    ]  # fmt: skip
    assert '<tr class="split-row">' in page
    assert '<span class="badge badge-split">Split</span>' in page
    assert "The panel disagrees by two or more scale points on Agency: discuss it" in page
    assert '<td class="grid-cell rating-tone-0">1<' in page  # colour by rating, number kept
    assert '<td class="grid-cell rating-tone-4">4<' in page
    for interview in (split_panel["ivan"], split_panel["olga"]):
        assert f'href="/interviews/{interview}/scorecard"><span class="visually-hidden">' in page


def test_the_candidate_page_charts_the_means_in_svg(
    web: FlaskClient, split_panel: dict[str, int]
) -> None:
    page = _text(_as(web, "rita@example.com"), f"/candidates/{split_panel['candidate']}")
    [svg] = re.findall(r"<svg .*?</svg>", page, re.S)
    label = "Mean rating of 2 competencies on the scale from 1 to 4"
    assert f'role="img" aria-label="{label}"' in svg
    assert f"<title>{label}</title>" in svg
    assert "Agency: mean 2.50, ratings from 1 to 4 (2 ratings), the panel splits." in svg
    assert "split: discuss" in svg
    assert "<script" not in svg and "href" not in svg  # nothing to load or run: fit for the PDF
    assert svg.count("<rect") == 4  # a track and a bar per competency


def test_the_candidate_page_shows_flags_and_coverage(
    web: FlaskClient, split_panel: dict[str, int]
) -> None:
    page = _text(_as(web, "rita@example.com"), f"/candidates/{split_panel['candidate']}")
    flag = _plain(re.search(r'<article class="card flag">(.*?)</article>', page, re.S).group(1))
    assert flag == (
        "Needs structured swim lanes high severity signal Ticked by 1 interviewer "
        "Said: <b>give me clear swim lanes</b> first. — Ivan"
    )
    assert "give me clear swim lanes" in page and "<b>give" not in page
    coverage = re.findall(r"<div><dt>(.*?)</dt><dd>(\d+)</dd></div>", page)
    assert coverage == [
        ("Scorecards expected", "3"),
        ("Submitted", "2"),
        ("Drafts", "0"),
        ("Overdue", "0"),
        ("Not started", "1"),
    ]
    assert "Every competency of the rubric has at least one rating." in page


def test_a_candidate_without_submitted_scorecards_says_what_comes(
    web: FlaskClient, loop_app: Flask
) -> None:
    candidate_id = _add_candidate(loop_app)
    _add_interview(loop_app, candidate_id)
    page = _text(_as(web, "rita@example.com"), f"/candidates/{candidate_id}")
    assert "No scorecard is submitted yet" in page
    assert "<svg" not in page and "rollup-grid" not in page
    assert "Not assessed by anyone yet:</strong> Agency, Comfort with ambiguity." in page


def test_the_candidate_csv_is_the_rollup(web: FlaskClient, split_panel: dict[str, int]) -> None:
    candidate_id = split_panel["candidate"]
    response = _as(web, "rita@example.com").get(f"/candidates/{candidate_id}/rollup.csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="candidate-{candidate_id}-rollup.csv"'
    )
    header, *rows = _csv(response)
    assert header == ROLLUP_HEADER
    assert [row[:4] + row[6:14] for row in rows] == [
        ["grace@example.com", "Grace", "test-role", "", "0", "1", "0", "1", "2", "3",
         "needs-swim-lanes", ""],
    ] * 2  # fmt: skip
    assert [row[14:] for row in rows] == [
        ["agency", "2", "2.5", "2.5", repr(2.1213203435596424), "1", "4", "0.0", "yes"],
        ["ambiguity", "2", "3.0", "3.0", "0.0", "3", "3", "1.0", "no"],
    ]


def test_an_unavailable_rubric_has_no_rollup(web: FlaskClient, loop_app: Flask) -> None:
    candidate_id = _add_candidate(loop_app, rubric_id="retired-role")
    _as(web, "rita@example.com")
    page = _text(web, f"/candidates/{candidate_id}")
    assert "The rollup cannot be computed while the rubric <code>retired-role</code>" in page
    response = web.get(f"/candidates/{candidate_id}/rollup.csv")
    assert response.status_code == 503
    assert "rubric is unavailable" in response.get_data(as_text=True)
