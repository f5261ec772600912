"""Signing in and out through the web pages."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from sqlmodel import select

from hiring.auth import INVALID_CREDENTIALS
from hiring.db import downgrade, make_engine, new_session, upgrade
from hiring.models import Role, User
from tests.conftest import AuthActions
from tests.helpers import PASSWORD, csrf_token, make_user


def test_login_page_has_a_csrf_protected_form(client: FlaskClient) -> None:
    response = client.get("/auth/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Sign in</h1>" in page
    assert csrf_token(page)
    assert 'autocomplete="current-password"' in page


def test_sign_in_and_out(client: FlaskClient, auth: AuthActions, users: dict[str, User]) -> None:
    response = auth.login("rita@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Rita" in home
    assert "recruiter" in home
    assert 'href="/rubrics/product-manager/kit"' in home

    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/").status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_wrong_password_and_unknown_email_look_the_same(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    wrong_password = auth.login("rita@example.com", "not-the-password")
    unknown_email = auth.login("nobody@example.com", PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert INVALID_CREDENTIALS in response.get_data(as_text=True)

    def page(response: object, email: str) -> str:
        text = response.get_data(as_text=True)  # type: ignore[attr-defined]
        return text.replace(csrf_token(text), "TOKEN").replace(email, "EMAIL")

    assert page(wrong_password, "rita@example.com") == page(unknown_email, "nobody@example.com")
    assert client.get("/").status_code == 302


def test_failed_sign_ins_are_logged(
    auth: AuthActions, users: dict[str, User], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        auth.login("rita@example.com", "not-the-password")
    assert "sign-in failed for 'rita@example.com'" in caplog.text


def test_sign_in_without_csrf_token_is_refused(client: FlaskClient, users: dict[str, User]) -> None:
    response = client.post("/auth/login", data={"email": "rita@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_out_needs_a_post_with_csrf_token(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.post("/auth/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/api/v1/me", "/api/v1/me"),
        ("//evil.example.com/", "/"),
        ("https://evil.example.com/", "/"),
        ("/\\evil.example.com", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_leads_to_this_site(
    client: FlaskClient, users: dict[str, User], target: str, expected: str
) -> None:
    token = csrf_token(client.get("/auth/login").data)
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "rita@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == expected


def test_disabled_users_cannot_sign_in_and_lose_their_session(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    assert client.get("/").status_code == 200
    with new_session(app.extensions["hiring.engine"]) as session:
        ivan = session.get(User, users["interviewer"].id)
        assert ivan is not None
        ivan.active = False
        session.commit()
    assert client.get("/").status_code == 302
    assert INVALID_CREDENTIALS in auth.login("ivan@example.com").get_data(as_text=True)


def test_sign_in_starts_a_new_session(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    client.get("/auth/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as after:
        assert "planted" not in after


def test_error_pages_are_friendly(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Not Found</h1>" in page
    assert "Traceback" not in page


def test_a_weaker_hash_is_upgraded_and_saved_at_sign_in(
    app: Flask, auth: AuthActions, users: dict[str, User]
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    engine = app.extensions["hiring.engine"]
    with new_session(engine) as session:
        make_user(session, email="old@example.com", password_hash=weak)
        session.commit()
    assert auth.login("old@example.com").status_code == 302
    with new_session(engine) as session:
        stored = session.exec(select(User).where(User.email == "old@example.com")).one()
        assert "m=65536,t=3,p=4" in stored.password_hash


def test_sign_out_clears_the_whole_session(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login()
    with client.session_transaction() as session:
        session["draft_note"] = "left behind"
    auth.logout()
    with client.session_transaction() as session:
        assert "draft_note" not in session
        assert "_user_id" not in session


def test_a_new_password_ends_other_sessions(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    assert client.get("/").status_code == 200
    result = app.test_cli_runner().invoke(
        args=["users", "password", "ivan@example.com", "--password-stdin"], input="a-new-pass\n"
    )
    assert result.exit_code == 0
    assert client.get("/").status_code == 302


@pytest.fixture
def own_sqlite_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app on a SQLite database of its own (tests here lock or drop it), with Rita."""
    url = f"sqlite:///{tmp_path / 'own.sqlite'}"
    upgrade(make_engine(make_url(url)))
    app = make_app(DATABASE_URL=url)
    with new_session(app.extensions["hiring.engine"]) as session:
        make_user(session, email="rita@example.com", role=Role.RECRUITER, name="Rita")
        session.commit()
    return app


def test_pages_that_only_read_do_not_queue_behind_a_writer(
    own_sqlite_app: Flask, tmp_path: Path
) -> None:
    """GET requests open deferred transactions on SQLite: a held write lock does not stop them."""
    client = own_sqlite_app.test_client()
    AuthActions(client).login()
    writer = sqlite3.connect(tmp_path / "own.sqlite", timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    try:
        assert client.get("/").status_code == 200
    finally:
        writer.rollback()
        writer.close()


def test_a_database_outage_gives_a_friendly_503_to_signed_in_users(
    own_sqlite_app: Flask,
) -> None:
    url = own_sqlite_app.config["DATABASE_URL"]
    client = own_sqlite_app.test_client()
    AuthActions(client).login()
    downgrade(make_engine(make_url(url)), "base")  # the tables vanish under a signed-in user
    response = client.get("/")
    assert response.status_code == 503
    assert "The database is unavailable right now" in response.get_data(as_text=True)
    api = client.get("/api/v1/me", headers={"Authorization": "Bearer hiring_x"})
    assert api.status_code == 503
    assert api.get_json()["status"] == 503
    upgrade(make_engine(make_url(url)))  # back, for the fixture's clean-up
