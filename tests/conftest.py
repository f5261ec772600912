"""Fixtures in the style of Flask's tutorial: app, client, runner, auth.

Every database-touching test runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set (under CI=true it must be set: a skip is a failure).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from hiring import create_app
from hiring.db import make_engine, new_session, upgrade
from hiring.models import Role, User
from tests.helpers import PASSWORD, csrf_token, drop_everything, empty_tables, make_user

TEST_SECRET_KEY = "test-secret-key-not-for-production-0123456789"


def _postgresql_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run")
    pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped (.ci/run sets it)")


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to the newest schema, once per backend and test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hiring.sqlite'}"
    else:
        url = _postgresql_url()
    engine = make_engine(make_url(url))
    drop_everything(engine)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database with extra settings; tables are emptied afterwards."""
    apps: list[Flask] = []

    def build(**settings: Any) -> Flask:
        config = {"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": database_url}
        apps.append(create_app({**config, **settings}))
        return apps[-1]

    yield build
    for built in apps:
        if "debrief_pool" in built.extensions:
            built.extensions["debrief_pool"][0].close()
        engine = built.extensions["hiring.engine"]
        empty_tables(engine)
        engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app on a clean database, with the project's rubrics."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def users(app: Flask) -> dict[str, User]:
    """An admin, a recruiter and two interviewers, all with PASSWORD."""
    with new_session(app.extensions["hiring.engine"]) as session:
        people = {
            "admin": make_user(session, email="ada@example.com", name="Ada", role=Role.ADMIN),
            "recruiter": make_user(
                session, email="rita@example.com", name="Rita", role=Role.RECRUITER
            ),
            "interviewer": make_user(session, email="ivan@example.com", name="Ivan"),
            "other_interviewer": make_user(session, email="olga@example.com", name="Olga"),
        }
        session.commit()
    return people


class AuthActions:
    """Signs in and out through the real pages, CSRF tokens included."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str = "rita@example.com", password: str = PASSWORD) -> TestResponse:
        token = csrf_token(self._client.get("/auth/login").data)
        return self._client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self) -> TestResponse:
        token = csrf_token(self._client.get("/").data)
        return self._client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
