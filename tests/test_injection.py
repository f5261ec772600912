"""Injection: what people type is shown as the text they typed on every page that shows it
(HTML and JavaScript escaped), and reaches the database through bound parameters only."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from hiring.candidates import create_candidate
from hiring.db import new_session
from hiring.models import Candidate, Interview, Role
from hiring.web import rubric_set
from tests.conftest import AuthActions
from tests.helpers import make_user
from tests.test_debrief import submit

SCRIPT = "<script>alert('x')</script>"
ATTRIBUTE = '"><svg onload=alert(1)>'
SQL = "Robert'); DROP TABLE candidates;--"


def _hostile_panel(app: Flask) -> tuple[int, int]:
    """A candidate whose name, and whose interviewer's every free-text field, is hostile."""
    with new_session(app.extensions["hiring.engine"]) as session, app.app_context():
        rubrics = rubric_set()
        ivan = make_user(session, email="ivan@example.com", name=f"Ivan {ATTRIBUTE}")
        make_user(session, email="rita@example.com", name="Rita", role=Role.RECRUITER)
        candidate = create_candidate(
            session=session,
            rubrics=rubrics,
            name=f"{SQL} {SCRIPT}",
            email="robert@example.com",
            rubric_id="product-manager",
        )
        competencies = [c.id for c in rubrics.rubrics["product-manager"].competencies]
        said = {
            c: f"{SCRIPT} {ATTRIBUTE} said {c}, with a full example of what happened."
            for c in competencies
        }
        submit(
            session,
            rubrics,
            candidate,
            ivan,
            dict.fromkeys(competencies, 3),
            said=said,
            ticked=({"id": "needs-swim-lanes", "evidence": f"Swim lanes {SCRIPT}"},),
            takeaways=f"Takeaways {ATTRIBUTE} {SCRIPT}",
        )
        session.commit()
        interview = session.exec(select(Interview)).one()
        assert candidate.id is not None and interview.id is not None
        return candidate.id, interview.id


def _pages(client: FlaskClient, paths: list[str]) -> dict[str, str]:
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.get_data(as_text=True)
    return pages


def test_hostile_text_is_escaped_on_every_page_that_shows_it(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    candidate_id, interview_id = _hostile_panel(app)
    auth.login("rita@example.com")
    pages = _pages(
        client,
        [
            "/candidates/",
            f"/candidates/{candidate_id}",
            f"/candidates/{candidate_id}/debrief",
            "/calibration/product-manager",
        ],
    )
    auth.logout()
    auth.login("ivan@example.com")
    pages |= _pages(client, ["/", "/interviews/", f"/interviews/{interview_id}/scorecard"])
    for path, html in pages.items():
        assert SCRIPT not in html, path
        assert "<svg onload" not in html, path
    escaped_script = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
    for path in ("/candidates/", f"/candidates/{candidate_id}", "/interviews/"):
        assert escaped_script in pages[path], path  # shown, as text
    detail = pages[f"/candidates/{candidate_id}/debrief"]
    assert "Takeaways &#34;&gt;&lt;svg onload=alert(1)&gt;" in detail
    assert f"Swim lanes {escaped_script}" in detail
    assert "Robert&#39;); DROP TABLE candidates;--" in pages[f"/candidates/{candidate_id}"]


def test_sql_in_text_is_stored_as_text(app: Flask) -> None:
    _hostile_panel(app)
    with new_session(app.extensions["hiring.engine"]) as session:
        [stored] = session.exec(select(Candidate)).all()  # the table is still there
    assert stored.name == f"{SQL} {SCRIPT}"


def test_sql_in_list_filters_is_refused_by_name(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _hostile_panel(app)
    auth.login("rita@example.com")
    response = client.get("/candidates/", query_string={"status": "active' OR '1'='1", "sort": SQL})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "is not a" in page and "Traceback" not in page
