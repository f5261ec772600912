"""Sessions held by the server, login throttling shared by every process, password policy,
security headers and cookies, and the log of refusals (OWASP ASVS level 2 where it applies)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from hiring import accounts
from hiring.config import ConfigError, from_environment
from hiring.db import new_session
from hiring.models import LoginFailure, LoginSession, User, utcnow
from tests.conftest import AuthActions
from tests.helpers import PASSWORD, csrf_token

TOO_MANY = "Too many failed sign-ins"


def _engine(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["hiring.engine"]


def _login_sessions(app: Flask) -> list[LoginSession]:
    with new_session(_engine(app)) as session:
        return list(session.exec(select(LoginSession)).all())


def _copy_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of `client`'s session cookie (a stolen cookie)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


# Sessions ------------------------------------------------------------------------------


def test_sign_in_stores_a_session_on_the_server_and_sign_out_ends_it(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    [stored] = _login_sessions(app)
    assert stored.user_id == users["interviewer"].id
    with client.session_transaction() as cookie:
        assert len(cookie["login"]) >= 40  # the cookie holds a token, the row only its digest
        assert cookie["login"] not in stored.token_hash
    thief = _copy_cookie(app, client)
    assert thief.get("/").status_code == 200

    auth.logout()
    assert _login_sessions(app) == []
    assert thief.get("/").status_code == 302  # the copied cookie is worth nothing now


def test_disabling_a_user_ends_their_sessions_on_the_server(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    thief = _copy_cookie(app, client)
    result = app.test_cli_runner().invoke(args=["users", "disable", "ivan@example.com"])
    assert result.exit_code == 0, result.output
    assert "ended 1 session(s)" in result.output
    assert _login_sessions(app) == []
    assert client.get("/").status_code == 302
    assert thief.get("/").status_code == 302

    result = app.test_cli_runner().invoke(args=["users", "enable", "ivan@example.com"])
    assert result.exit_code == 0, result.output
    assert auth.login("ivan@example.com").status_code == 302
    assert client.get("/").status_code == 200


def test_disabling_an_unknown_user_is_explained(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "disable", "nobody@example.com"])
    assert result.exit_code == 1
    assert "no user has the email 'nobody@example.com'" in result.output
    assert "Traceback" not in result.output


def _age_session(app: Flask, *, since_sign_in: timedelta, since_last_request: timedelta) -> None:
    with new_session(_engine(app)) as session:
        stored = session.exec(select(LoginSession)).one()
        stored.created_at = utcnow() - since_sign_in
        stored.last_seen_at = utcnow() - since_last_request
        session.add(stored)
        session.commit()


def test_a_session_ends_after_inactivity(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    _age_session(app, since_sign_in=timedelta(minutes=40), since_last_request=timedelta(minutes=29))
    assert client.get("/").status_code == 200  # 29 minutes idle: still signed in
    _age_session(app, since_sign_in=timedelta(minutes=40), since_last_request=timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert _login_sessions(app) == []  # the expired row is gone too


def test_a_session_ends_after_its_absolute_lifetime_however_busy(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    _age_session(app, since_sign_in=timedelta(hours=11, minutes=59), since_last_request=timedelta())
    assert client.get("/").status_code == 200
    _age_session(app, since_sign_in=timedelta(hours=12, minutes=1), since_last_request=timedelta())
    assert client.get("/").status_code == 302


def test_requests_keep_a_session_alive_without_writing_on_every_one(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login("ivan@example.com")
    [fresh] = _login_sessions(app)
    client.get("/")
    [same] = _login_sessions(app)
    assert same.last_seen_at == fresh.last_seen_at  # touched at most once a minute

    _age_session(app, since_sign_in=timedelta(minutes=20), since_last_request=timedelta(minutes=20))
    client.get("/")
    [touched] = _login_sessions(app)
    assert utcnow() - touched.last_seen_at < timedelta(seconds=30)


def test_a_background_save_after_expiry_is_told_so_in_json(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    """The scorecard's autosave gets a 401 it can show, not a sign-in page it cannot read."""
    auth.login("ivan@example.com")
    token = csrf_token(client.get("/").data)
    _age_session(app, since_sign_in=timedelta(hours=1), since_last_request=timedelta(hours=1))
    response = client.post(
        "/interviews/1/scorecard/autosave",
        data={"csrf_token": token},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert response.status_code == 401
    assert "You are signed out" in response.get_json()["error"]
    page = client.get("/interviews/")
    assert page.status_code == 302
    assert page.headers["Location"] == "/auth/login?next=%2Finterviews%2F"


def test_session_lifetimes_come_from_the_settings(
    make_app: Callable[..., Flask], users: dict[str, User]
) -> None:
    app = make_app(SESSION_IDLE_MINUTES=5)
    client = app.test_client()
    AuthActions(client).login("ivan@example.com")
    _age_session(app, since_sign_in=timedelta(minutes=6), since_last_request=timedelta(minutes=6))
    assert client.get("/").status_code == 302


# Cookies and headers ---------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over plain http by `make run`


def test_over_https_cookies_are_secure_with_hsts_and_http_is_redirected(
    make_app: Callable[..., Flask], users: dict[str, User]
) -> None:
    app = make_app(HIRING_HTTPS=True)
    plain = app.test_client().get("/auth/login")
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("https://")

    client = app.test_client()
    page = client.get("/auth/login", base_url="https://localhost")
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.post(
        "/auth/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},  # Flask-WTF checks it over HTTPS
        data={
            "email": "rita@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.data),
        },
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_hsts_over_plain_http(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers


@pytest.mark.parametrize(
    "path", ["/auth/login", "/no-such-page", "/api/v1/me", "/static/hiring.css"]
)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles_the_policy_would_block(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login()
    for path in ("/", "/candidates/", "/rubrics/", "/calibration/", "/candidates/new"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "<style" not in page and " style=" not in page, path
        assert " onclick=" not in page and "javascript:" not in page, path


def test_behind_a_proxy_the_forwarded_address_is_the_one_throttled(
    make_app: Callable[..., Flask], users: dict[str, User]
) -> None:
    app = make_app(HIRING_PROXIES=1, LOGIN_MAX_FAILURES=2)
    client = app.test_client()
    for address in ("203.0.113.7", "203.0.113.7"):
        _fail(client, "nobody@example.com", headers={"X-Forwarded-For": address})
    assert _fail(client, "nobody2@example.com", {"X-Forwarded-For": "203.0.113.7"}) == 429
    assert _fail(client, "nobody3@example.com", {"X-Forwarded-For": "198.51.100.2"}) == 200


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HIRING_HTTPS", "maybe", "HIRING_HTTPS must be true or false"),
        ("HIRING_PROXIES", "two", "HIRING_PROXIES must be a whole number"),
    ],
)
def test_bad_environment_settings_are_explained(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        from_environment()


def test_environment_settings_are_read_as_what_they_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIRING_HTTPS", "yes")
    monkeypatch.setenv("HIRING_PROXIES", "2")
    settings = from_environment()
    assert settings["HIRING_HTTPS"] is True
    assert settings["HIRING_PROXIES"] == 2


@pytest.mark.parametrize(
    ("setting", "value"),
    [("LOGIN_MAX_FAILURES", 0), ("SESSION_IDLE_MINUTES", "30"), ("HIRING_HTTPS", "yes")],
)
def test_bad_security_settings_are_refused_by_name(
    make_app: Callable[..., Flask], setting: str, value: object
) -> None:
    with pytest.raises(ConfigError, match=setting):
        make_app(**{setting: value})


# Throttling ------------------------------------------------------------------------------


def _fail(
    client: FlaskClient,
    email: str,
    headers: dict[str, str] | None = None,
) -> int:
    page = client.get("/auth/login", headers=headers)
    response = client.post(
        "/auth/login",
        headers=headers,
        data={"email": email, "password": "wrong-password", "csrf_token": csrf_token(page.data)},
    )
    return response.status_code


def _sign_in_from(client: FlaskClient, address: str, email: str) -> int:
    """Sign in with the right password from another address; the response's status."""
    elsewhere = {"REMOTE_ADDR": address}
    page = client.get("/auth/login", environ_base=elsewhere)
    response = client.post(
        "/auth/login",
        environ_base=elsewhere,
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page.data)},
    )
    return response.status_code


def test_five_failures_in_a_minute_lock_the_account_even_for_the_right_password(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    for _ in range(5):
        assert _fail(client, "ivan@example.com") == 200
    response = auth.login("ivan@example.com", PASSWORD)
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)
    assert 290 <= int(response.headers["Retry-After"]) <= 300
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_account_lock_holds_from_any_address(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for _ in range(5):
        _fail(client, "ivan@example.com")
    assert _sign_in_from(client, "198.51.100.9", "IVAN@example.com ") == 429


def test_five_failures_from_one_address_lock_that_address_for_every_account(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    for number in range(5):
        assert _fail(client, f"guess{number}@example.com") == 200
    assert auth.login("rita@example.com").status_code == 429
    assert _sign_in_from(client, "198.51.100.9", "rita@example.com") == 302  # not locked


def test_four_failures_do_not_lock_and_a_success_clears_the_account_count(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    for _ in range(4):
        _fail(client, "ivan@example.com", {"X-Forwarded-For": "ignored"})
    assert auth.login("ivan@example.com").status_code == 302
    auth.logout()
    with new_session(_engine(client.application)) as session:
        scopes = [failure.scope for failure in session.exec(select(LoginFailure)).all()]
    assert scopes == ["address"] * 4  # the account's failures were forgotten


def test_failures_spread_over_more_than_a_minute_do_not_lock(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    for _ in range(5):
        _fail(client, "ivan@example.com")
    with new_session(_engine(app)) as session:
        failures = session.exec(select(LoginFailure).order_by(LoginFailure.id)).all()
        for failure in failures[:4]:  # the first four, two minutes ago; the fifth, now
            failure.at = utcnow() - timedelta(minutes=2)
            session.add(failure)
        session.commit()
    assert auth.login("ivan@example.com").status_code == 302


def test_the_lock_ends_after_the_lockout(
    app: Flask, client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    for _ in range(5):
        _fail(client, "ivan@example.com")
    assert auth.login("ivan@example.com").status_code == 429
    with new_session(_engine(app)) as session:
        for failure in session.exec(select(LoginFailure)).all():
            failure.at -= timedelta(minutes=5, seconds=1)
            session.add(failure)
        session.commit()
    assert auth.login("ivan@example.com").status_code == 302


def test_throttling_is_shared_by_every_server_process(
    make_app: Callable[..., Flask], users: dict[str, User]
) -> None:
    """Two apps on one database stand for two gunicorn processes: their counts add up."""
    first, second = make_app().test_client(), make_app().test_client()
    for _ in range(3):
        assert _fail(first, "ivan@example.com") == 200
    for _ in range(2):
        assert _fail(second, "ivan@example.com") == 200
    assert AuthActions(first).login("ivan@example.com").status_code == 429
    assert AuthActions(second).login("ivan@example.com").status_code == 429


def test_attempts_at_the_same_moment_cannot_all_pass_the_count(
    make_app: Callable[..., Flask], users: dict[str, User]
) -> None:
    """Twelve wrong passwords sent at once, through two server processes: each attempt is
    counted before its password is checked, so five are checked and seven refused."""
    apps = [make_app(), make_app()]
    ready = threading.Barrier(12)
    statuses: list[int] = []

    def attempt(number: int) -> None:
        client = apps[number % 2].test_client()
        page = client.get("/auth/login")
        form = {"email": "ivan@example.com", "password": "wrong-password"}
        ready.wait()
        response = client.post("/auth/login", data={**form, "csrf_token": csrf_token(page.data)})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200] * 5 + [429] * 7


def test_throttled_attempts_are_logged(
    client: FlaskClient, users: dict[str, User], caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(6):
        _fail(client, "ivan@example.com")
    messages = [record.getMessage() for record in caplog.records]
    assert sum("sign-in failed for 'ivan@example.com'" in m for m in messages) == 5
    assert any("sign-in throttled for 'ivan@example.com'" in m for m in messages)


# Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["password1", "Password1", "qwertyuiop", "iloveyou1"])
def test_common_passwords_are_refused(password: str) -> None:
    with pytest.raises(accounts.AccountError, match="one of the most common passwords"):
        accounts.check_password_policy(password)


@pytest.mark.parametrize(
    ("password", "allowed"),
    [
        ("seven77", False),
        ("eight888x", True),
        ("x" * 63 + "!", True),
        ("y" * 256, True),
        ("z" * 257, False),
    ],
)
def test_password_lengths(password: str, allowed: bool) -> None:
    if allowed:
        accounts.check_password_policy(password)
    else:
        with pytest.raises(accounts.AccountError, match="characters"):
            accounts.check_password_policy(password)


def test_the_cli_refuses_a_common_password_and_writes_nothing(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "add", "new@example.com", "--role", "interviewer", "--password-stdin"],
        input="password123\n",
    )
    assert result.exit_code == 1
    assert "one of the most common passwords" in result.output
    with new_session(_engine(app)) as session:
        assert session.exec(select(User)).all() == []


# Logging ---------------------------------------------------------------------------------


def test_refused_authorizations_and_authentications_are_logged(
    client: FlaskClient,
    auth: AuthActions,
    users: dict[str, User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    assert (
        client.get("/api/v1/me", headers={"Authorization": "Bearer hiring_forged"}).status_code
        == 401
    )
    auth.login("ivan@example.com")
    assert client.get("/candidates/new").status_code == 403
    messages = [record.getMessage() for record in caplog.records]
    assert any("refused GET /api/v1/me (401) to anonymous" in m for m in messages), messages
    assert any(
        "refused GET /candidates/new (403) to ivan@example.com (interviewer)" in m for m in messages
    ), messages
