"""Rubric pages: who sees what, errors shown to admins, the interview kit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hiring.models import User
from tests.conftest import AuthActions
from tests.rubric_samples import VALID_RUBRIC


@pytest.fixture
def rubric_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app whose rubric folder has one valid rubric and one broken file."""
    (tmp_path / "test-role.yaml").write_text(VALID_RUBRIC)
    (tmp_path / "broken.yaml").write_text(VALID_RUBRIC.replace("id: test-role", "id: Broken!"))
    return make_app(HIRING_RUBRICS_DIR=str(tmp_path))


@pytest.fixture
def rubric_client(rubric_app: Flask, users: dict[str, User]) -> FlaskClient:
    return rubric_app.test_client()


def _as(client: FlaskClient, email: str) -> FlaskClient:
    AuthActions(client).login(email)
    return client


def test_a_broken_rubric_does_not_take_the_app_down(rubric_client: FlaskClient) -> None:
    page = _as(rubric_client, "rita@example.com").get("/rubrics/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Test role" in text
    assert "1 rubric file failed validation" in text
    assert "is not a valid id" not in text  # recruiters are told, admins are shown


def test_admins_see_each_error_of_a_broken_rubric(rubric_client: FlaskClient) -> None:
    text = _as(rubric_client, "ada@example.com").get("/rubrics/").get_data(as_text=True)
    assert "broken.yaml: id: &#39;Broken!&#39; is not a valid id" in text


@pytest.mark.parametrize(
    ("email", "index", "detail", "kit"),
    [
        (None, 302, 302, 302),
        ("ivan@example.com", 403, 403, 200),
        ("rita@example.com", 200, 200, 200),
        ("ada@example.com", 200, 200, 200),
    ],
)
def test_who_may_see_rubrics(
    rubric_client: FlaskClient, email: str | None, index: int, detail: int, kit: int
) -> None:
    if email:
        _as(rubric_client, email)
    assert rubric_client.get("/rubrics/").status_code == index
    assert rubric_client.get("/rubrics/test-role").status_code == detail
    assert rubric_client.get("/rubrics/test-role/kit").status_code == kit


def test_the_rubric_page_shows_scale_anchors_questions_and_anti_patterns(
    rubric_client: FlaskClient,
) -> None:
    text = _as(rubric_client, "rita@example.com").get("/rubrics/test-role").get_data(as_text=True)
    for expected in (
        "Strong yes",
        "Fixed the problem and the system that caused it.",
        "Tell me about a problem you fixed that nobody asked you to fix.",
        "Needs structured swim lanes",
        "clearly defined scope",
        "average 2 or less",
        "early-stage",
        "No scorecard has used this rubric yet.",
    ):
        assert expected in text


def test_the_interview_kit_lists_questions_and_anchors(rubric_client: FlaskClient) -> None:
    text = (
        _as(rubric_client, "ivan@example.com").get("/rubrics/test-role/kit").get_data(as_text=True)
    )
    assert "Interview kit: Test role" in text
    assert "Tell me about a problem you fixed" in text
    assert "Waited to be told what to do." in text


def test_unknown_or_invalid_rubrics_are_404(rubric_client: FlaskClient) -> None:
    _as(rubric_client, "rita@example.com")
    assert rubric_client.get("/rubrics/no-such-role").status_code == 404
    assert rubric_client.get("/rubrics/broken").status_code == 404


def test_rubric_text_is_escaped(
    make_app: Callable[..., Flask], tmp_path: Path, users: dict[str, User]
) -> None:
    (tmp_path / "x.yaml").write_text(
        VALID_RUBRIC.replace("name: Agency", "name: <script>alert(1)</script>")
    )
    client = make_app(HIRING_RUBRICS_DIR=str(tmp_path)).test_client()
    text = _as(client, "rita@example.com").get("/rubrics/test-role").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
