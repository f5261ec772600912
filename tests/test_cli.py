"""The command line, through Flask's CLI runner (as `hiring ...` and `flask --app hiring ...`)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import select

from hiring import create_app
from hiring.db import new_session
from hiring.demo import DEMO_PASSWORD, DEMO_TEAM
from hiring.models import Role, User
from tests.conftest import TEST_SECRET_KEY, AuthActions


def _users(app: Flask) -> list[User]:
    with new_session(app.extensions["hiring.engine"]) as session:
        return list(session.exec(select(User).order_by(User.email)).all())


def test_users_add_reads_the_password_from_stdin(
    app: Flask, runner: FlaskCliRunner, auth: AuthActions
) -> None:
    result = runner.invoke(
        args=[
            "users",
            "add",
            "Grace@Example.com",
            "--role",
            "recruiter",
            "--name",
            "Grace Hopper",
            "--password-stdin",
        ],
        input="a-good-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added recruiter grace@example.com (Grace Hopper)." in result.output
    [user] = _users(app)
    assert (user.email, user.name, user.role) == (
        "grace@example.com",
        "Grace Hopper",
        Role.RECRUITER,
    )
    assert auth.login("grace@example.com", "a-good-passphrase").status_code == 302


def test_users_add_refuses_bad_input_in_one_line(app: Flask, runner: FlaskCliRunner) -> None:
    add = ["users", "add", "dup@example.com", "--role", "admin", "--password-stdin"]
    assert runner.invoke(args=add, input="first-password\n").exit_code == 0
    cases = [
        (add, "another-password\n", "a user with the email dup@example.com already exists"),
        (
            ["users", "add", "x@example.com", "--role", "boss", "--password-stdin"],
            "long-enough\n",
            "'boss' is not a role: use one of admin, recruiter, interviewer",
        ),
        (
            ["users", "add", "x@example.com", "--role", "admin", "--password-stdin"],
            "short\n",
            "the password must have at least 8 characters",
        ),
        (
            ["users", "add", "x@example.com", "--role", "admin", "--password-stdin"],
            "",
            "no password on standard input",
        ),
        (
            ["users", "add", "not-an-email", "--role", "admin", "--password-stdin"],
            "",
            "'not-an-email' is not a valid email address",
        ),
        (["users", "add", "x@example.com", "--role", "admin"], "", "add --password-stdin"),
    ]
    for args, stdin, message in cases:
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code == 1, (args, result.output)
        assert f"Error: {message}" in result.output
        assert "Traceback" not in result.output
    assert [user.email for user in _users(app)] == ["dup@example.com"]


def test_users_list(runner: FlaskCliRunner, users: dict[str, User]) -> None:
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["EMAIL", "ROLE", "ACTIVE", "NAME"]
    assert lines[1].split() == ["ada@example.com", "admin", "yes", "Ada"]
    assert len(lines) == 5


def test_users_token_prints_a_working_token_once(
    client: FlaskClient, runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    result = runner.invoke(args=["users", "token", "rita@example.com"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert "not shown again" in result.stderr
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.get_json()["email"] == "rita@example.com"

    revoked = runner.invoke(args=["users", "revoke-tokens", "rita@example.com"])
    assert "Revoked 1 token(s)" in revoked.output
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401

    unknown = runner.invoke(args=["users", "token", "nobody@example.com"])
    assert unknown.exit_code == 1
    assert "Error: no user has the email 'nobody@example.com'" in unknown.output


def test_users_password_sets_a_new_password(
    runner: FlaskCliRunner, auth: AuthActions, users: dict[str, User]
) -> None:
    result = runner.invoke(
        args=["users", "password", "ivan@example.com", "--password-stdin"], input="brand-new-pass\n"
    )
    assert result.exit_code == 0, result.output
    assert auth.login("ivan@example.com", "brand-new-pass").status_code == 302


def test_db_upgrade_is_repeatable_and_keeps_data(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    for _ in range(2):
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "Database schema at revision" in result.output
    assert len(_users(app)) == 4
    assert "up to date" in runner.invoke(args=["db", "current"]).output


def test_demo_is_idempotent_and_its_logins_work(
    app: Flask, runner: FlaskCliRunner, auth: AuthActions
) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert "0 account(s) added" in second.output
    for login in DEMO_TEAM:
        assert login.email in second.output
    assert len(_users(app)) == len(DEMO_TEAM) >= 6
    roles = [user.role for user in _users(app)]
    assert roles.count(Role.INTERVIEWER) >= 4 and Role.RECRUITER in roles
    assert auth.login(DEMO_TEAM[1].email, DEMO_PASSWORD).status_code == 302


def test_unreachable_database_is_one_clear_line() -> None:
    app = create_app(
        {"SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": "postgresql://u:secret@127.0.0.1:9/x"}
    )
    result = app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot use the database postgresql+psycopg://u:***@")
    assert "secret" not in result.output
    assert "Check DATABASE_URL" in result.output


def test_serve_refuses_a_database_that_is_not_upgraded(tmp_path: object) -> None:
    app = create_app(
        {"SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": f"sqlite:///{tmp_path}/new.db"}
    )
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5999"])
    assert result.exit_code == 1
    assert "run `hiring db upgrade` first" in result.output
