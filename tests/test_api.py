"""The JSON API's bearer-token authentication."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from hiring import accounts
from hiring.db import new_session
from hiring.models import User
from tests.conftest import AuthActions


def _token_for(app: Flask, user: User) -> str:
    with new_session(app.extensions["hiring.engine"]) as session:
        token = accounts.issue_token(session=session, user=user)
        session.commit()
    return token


def test_requests_without_a_valid_token_get_401_json(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic cml0YTpw"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        body = response.get_json()
        assert body["status"] == 401
        assert body["details"] == {}
        assert "hiring users token" in body["error"]


def test_a_token_identifies_its_user(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    token = _token_for(app, users["recruiter"])
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json() == {
        "id": users["recruiter"].id,
        "email": "rita@example.com",
        "name": "Rita",
        "role": "recruiter",
    }


def test_a_browser_session_is_not_an_api_credential(
    client: FlaskClient, auth: AuthActions, users: dict[str, User]
) -> None:
    auth.login()
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_paths_answer_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"].startswith("The requested URL was not found")
