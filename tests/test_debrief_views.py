"""The debrief on the web and in the API: who may read it (recruiters, admins, and
interviewers once they have submitted), the preview, the PDF, the ZIP of the selected
candidates, and the errors a user can cause."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlmodel import select

from hiring import accounts
from hiring.db import new_session
from hiring.debrief_documents import rendering_pool
from hiring.models import Role, User
from tests.conftest import AuthActions
from tests.helpers import csrf_token, make_user
from tests.test_debrief import INJECTIONS, panel, read


@pytest.fixture
def dana(app: Flask) -> int:
    found: int = panel(app)["id"]
    return found


def _token(app: Flask, email: str) -> str:
    with new_session(app.extensions["hiring.engine"]) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        token = accounts.issue_token(session=session, user=user)
        session.commit()
    return token


def test_a_recruiter_previews_the_debrief_and_downloads_it(
    client: FlaskClient, auth: AuthActions, dana: int
) -> None:
    auth.login("rita@example.com")
    page = client.get(f"/candidates/{dana}/debrief")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Dana Okafor" in html and "Needs structured swim lanes" in html
    assert f'href="/candidates/{dana}/debrief.pdf"' in html
    for attempt in INJECTIONS:  # escaped on the page as in the PDF
        assert attempt not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html

    pdf = client.get(f"/candidates/{dana}/debrief.pdf?page_size=letter")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == (
        f'attachment; filename="debrief-{dana}-dana-okafor.pdf"'
    )
    reader, text = read(pdf.data)
    assert "Dana Okafor" in text
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_the_candidate_page_links_to_the_debrief(
    client: FlaskClient, auth: AuthActions, dana: int
) -> None:
    auth.login("rita@example.com")
    html = client.get(f"/candidates/{dana}").get_data(as_text=True)
    assert f'href="/candidates/{dana}/debrief"' in html


def test_an_interviewer_reads_it_only_after_submitting(
    client: FlaskClient, auth: AuthActions, dana: int
) -> None:
    auth.login("wes@example.com")  # assigned, nothing submitted
    assert f"/candidates/{dana}/debrief" not in client.get("/interviews/").get_data(as_text=True)
    assert client.get(f"/candidates/{dana}/debrief").status_code == 403
    refused = client.get(f"/candidates/{dana}/debrief.pdf")
    assert refused.status_code == 403
    assert "once you have submitted your own scorecard" in refused.get_data(as_text=True)
    auth.logout()
    auth.login("ivan@example.com")  # submitted: "My interviews" links to the debrief
    assert f'href="/candidates/{dana}/debrief"' in client.get("/interviews/").get_data(as_text=True)
    debrief = client.get(f"/candidates/{dana}/debrief")
    assert debrief.status_code == 200
    assert client.get(f"/candidates/{dana}/debrief.pdf").status_code == 200
    # ... and the debrief to each submitted scorecard of the panel, colleagues' read-only
    links = re.findall(
        r'href="(/interviews/\d+/scorecard)">([^<]+)</a>', debrief.get_data(as_text=True)
    )
    assert len(links) == 2 and sum(name.endswith("(yours)") for _, name in links) == 1
    for link, name in links:
        page = client.get(link).get_data(as_text=True)
        assert ("Save amendment" in page) == name.endswith("(yours)"), name  # others: read-only


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, dana: int) -> None:
    for path in (f"/candidates/{dana}/debrief", f"/candidates/{dana}/debrief.pdf"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_bad_requests_are_explained(client: FlaskClient, auth: AuthActions, dana: int) -> None:
    auth.login("rita@example.com")
    wrong = client.get(f"/candidates/{dana}/debrief.pdf?page_size=Tabloid")
    assert wrong.status_code == 400
    assert "page_size must be one of A4, Letter" in wrong.get_data(as_text=True)
    missing = client.get("/candidates/999/debrief")
    assert missing.status_code == 404
    assert "No candidate has the id 999." in missing.get_data(as_text=True)


def test_the_list_zips_the_debriefs_of_the_ticked_candidates(
    app: Flask, client: FlaskClient, auth: AuthActions, dana: int
) -> None:
    with new_session(app.extensions["hiring.engine"]) as session:
        make_user(session, email="ada@example.com", name="Ada", role=Role.ADMIN)
        session.commit()
    auth.login("rita@example.com")
    listing = client.get("/candidates/").get_data(as_text=True)
    assert f'name="candidate" value="{dana}"' in listing
    token = csrf_token(listing)
    response = client.post(
        "/candidates/debriefs.zip", data={"candidate": [str(dana)], "csrf_token": token}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == [f"debrief-{dana}-dana-okafor.pdf"]
    pdf = PdfReader(io.BytesIO(archive.read(archive.namelist()[0])))
    assert "Dana Okafor" in pdf.pages[0].extract_text()

    assert (
        client.post("/candidates/debriefs.zip", data={"candidate": [str(dana)]}).status_code == 400
    )
    nothing = client.post("/candidates/debriefs.zip", data={"csrf_token": token})
    assert nothing.status_code == 400
    assert "Tick at least one candidate" in nothing.get_data(as_text=True)
    bad = client.post("/candidates/debriefs.zip", data={"candidate": ["x"], "csrf_token": token})
    assert bad.status_code == 400
    unknown = client.post(
        "/candidates/debriefs.zip", data={"candidate": ["999"], "csrf_token": token}
    )
    assert unknown.status_code == 404


def test_interviewers_cannot_zip_debriefs(
    client: FlaskClient, auth: AuthActions, dana: int
) -> None:
    auth.login("ivan@example.com")
    token = csrf_token(client.get("/").data)
    response = client.post(
        "/candidates/debriefs.zip", data={"candidate": [str(dana)], "csrf_token": token}
    )
    assert response.status_code == 403


def test_the_api_serves_the_pdf_to_those_who_may_read_it(
    app: Flask, client: FlaskClient, dana: int
) -> None:
    path = f"/api/v1/candidates/{dana}/debrief.pdf"
    ok = client.get(path, headers={"Authorization": f"Bearer {_token(app, 'rita@example.com')}"})
    assert ok.status_code == 200 and ok.mimetype == "application/pdf"
    assert "Dana Okafor" in read(ok.data)[1]
    wes = {"Authorization": f"Bearer {_token(app, 'wes@example.com')}"}
    refused = client.get(path, headers=wes)
    assert refused.status_code == 403
    assert "submitted their scorecard" in refused.get_json()["error"]
    assert client.get(path).status_code == 401
    assert client.get("/api/v1/candidates/999/debrief.pdf", headers=wes).status_code == 404
    rita = {"Authorization": f"Bearer {_token(app, 'rita@example.com')}"}
    bad = client.get(f"{path}?page_size=A3", headers=rita)
    assert bad.status_code == 400
    assert "page_size must be one of A4, Letter" in bad.get_json()["error"]


def test_a_busy_renderer_answers_503_with_retry_after(make_app: Callable[..., Flask]) -> None:
    """With every rendering slot taken, a request is told to retry rather than queued."""
    app = make_app(DEBRIEF_QUEUE=1)
    candidate = panel(app)["id"]
    client = app.test_client()
    AuthActions(client).login("rita@example.com")
    with app.app_context():
        _, slots = rendering_pool()
        slots.acquire()
        try:
            busy = client.get(f"/candidates/{candidate}/debrief.pdf")
        finally:
            slots.release()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    assert "try again shortly" in busy.get_data(as_text=True)
