"""The command line, through Flask's CLI runner (as `hiring ...` and `flask --app hiring ...`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import select

from hiring import create_app
from hiring.cli import rubrics
from hiring.db import new_session
from hiring.demo import DEMO_PASSWORD, DEMO_TEAM
from hiring.models import Role, User
from tests.conftest import TEST_SECRET_KEY, AuthActions
from tests.rubric_samples import VALID_RUBRIC


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
    assert "0 account(s) and 0 candidate(s) added" in second.output
    assert "9 account(s) and 64 candidate(s) added" in first.output
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


def test_serve_refuses_a_database_that_is_not_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_serve(**_: object) -> None:
        raise AssertionError("serve started on a database that is not upgraded")

    monkeypatch.setattr("hiring.cli.serve", must_not_serve)
    app = create_app(
        {"SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": f"sqlite:///{tmp_path}/new.db"}
    )
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5999"])
    assert result.exit_code == 1
    assert "run `hiring db upgrade` first" in result.output


def test_commands_on_a_database_without_tables_say_to_upgrade(tmp_path: Path) -> None:
    app = create_app(
        {"SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": f"sqlite:///{tmp_path}/new.db"}
    )
    result = app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 1
    assert "is missing tables (no such table: users): run `hiring db upgrade`" in result.output


def test_unknown_revisions_are_one_line(runner: FlaskCliRunner) -> None:
    for args in (["db", "upgrade", "nosuch"], ["db", "downgrade", "0099"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ")
        assert "see `hiring db current`" in result.output
        assert result.output.count("\n") == 1


def test_demo_refuses_a_database_with_real_accounts(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code == 1
    assert "this database has accounts of its own (ada@example.com" in refused.output
    assert len(_users(app)) == 4
    forced = runner.invoke(args=["demo", "--force"])
    assert forced.exit_code == 0, forced.output
    emails = {user.email for user in _users(app)}
    assert emails >= {login.email for login in DEMO_TEAM} | {"ada@example.com", "ivan@example.com"}


def test_rubrics_check_passes_on_the_shipped_rubrics(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rubrics", "check"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(("rubrics/product-manager.yaml: product-manager v", "/")) for line in lines
    )
    assert all(" ok, 4-point scale, " in line for line in lines)


def test_rubrics_check_reports_every_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(VALID_RUBRIC)
    (tmp_path / "bad.yaml").write_text(
        VALID_RUBRIC.replace("id: test-role", "id: other")
        .replace("severity: high", "severity: x")
        .replace("3: Made a plan., ", "")
    )
    result = runner.invoke(args=["rubrics", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "test-role v1 ok" in result.stdout
    errors = result.stderr.splitlines()
    assert errors[0].endswith(
        "bad.yaml: competencies[1] (ambiguity).anchors: missing anchor for scale value 3"
    )
    assert errors[1].endswith(
        "bad.yaml: anti_patterns[0] (needs-swim-lanes).severity: Input should be 'low', "
        "'medium' or 'high'"
    )
    assert errors[2] == "Error: 2 error(s) in 1 file(s)"
    assert "Traceback" not in result.output

    single = runner.invoke(args=["rubrics", "check", str(tmp_path / "good.yaml")])
    assert single.exit_code == 0
    missing = runner.invoke(args=["rubrics", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert "nope.yaml: no such file or folder" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = runner.invoke(args=["rubrics", "check", str(empty)])
    assert nothing.exit_code == 1
    assert "no rubric files (*.yaml or *.yml) in" in nothing.stderr


def test_rubrics_list(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rubrics", "list"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["ID", "VERSION", "COMPETENCIES", "TITLE"]
    assert "product-manager" in result.stdout


def test_the_committed_json_schema_is_current(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rubrics", "schema"])
    assert result.exit_code == 0
    committed = (Path(__file__).parent.parent / "rubrics" / "schema.json").read_text()
    assert json.loads(result.stdout) == json.loads(committed), (
        "rubrics/schema.json is out of date: run `hiring rubrics schema > rubrics/schema.json`"
    )


def test_hiring_rubrics_needs_no_app_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "x.yaml").write_text(VALID_RUBRIC)
    before = sorted(tmp_path.rglob("*"))
    env = {
        **os.environ,
        "DATABASE_URL": "garbage",
        "HIRING_INSTANCE_PATH": str(tmp_path / "a-file" / "instance"),  # cannot be created
        "HIRING_RUBRICS_DIR": "rubrics",
    }

    def hiring(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(Path(sys.executable).with_name("hiring")), "rubrics", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    check = hiring("check", "rubrics", "rubrics/x.yaml", "./rubrics/x.yaml")
    assert (check.returncode, check.stderr) == (0, "")
    [summary] = check.stdout.splitlines()  # one file, however often it is named
    assert summary.startswith("rubrics/x.yaml: test-role v1 ok, 4-point scale")
    listed = hiring("list")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout.splitlines()[1].split() == ["test-role", "1", "2", "Test", "role"]
    assert json.loads(hiring("schema").stdout)["title"] == "hiring rubric"
    assert sorted(tmp_path.rglob("*")) == before


def test_the_rubric_folder_comes_from_the_environment_then_the_instance_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("from-file", "from-environment"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "role.yaml").write_text(
            VALID_RUBRIC.replace("id: test-role", f"id: {name}")
        )
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setenv("HIRING_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("HIRING_RUBRICS_DIR", raising=False)

    def listed_ids() -> list[str]:
        result = CliRunner().invoke(rubrics, ["list"])
        assert result.exit_code == 0, result.output
        return [line.split()[0] for line in result.output.splitlines()[1:]]

    assert "product-manager" in listed_ids()  # set nowhere: the shipped rubrics
    (instance / "config.py").write_text(f"HIRING_RUBRICS_DIR = {str(tmp_path / 'from-file')!r}\n")
    assert listed_ids() == ["from-file"]
    monkeypatch.setenv("HIRING_RUBRICS_DIR", str(tmp_path / "from-environment"))
    assert listed_ids() == ["from-environment"]
    monkeypatch.delenv("HIRING_RUBRICS_DIR")
    (instance / "config.py").write_text("HIRING_RUBRICS_DIR = (\n")
    broken = CliRunner().invoke(rubrics, ["list"])
    assert broken.exit_code == 1
    assert broken.output.startswith(f"Error: cannot load {instance / 'config.py'}: SyntaxError")
    assert broken.output.count("\n") == 1


def test_rubrics_commands_explain_a_missing_or_empty_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIRING_RUBRICS_DIR", str(tmp_path / "nowhere"))
    for command in ("list", "check"):
        missing = CliRunner().invoke(rubrics, [command])
        assert (missing.exit_code, missing.output) == (
            1,
            f"Error: the rubric folder {tmp_path / 'nowhere'} does not exist: "
            "set HIRING_RUBRICS_DIR or create it\n",
        )
    monkeypatch.setenv("HIRING_RUBRICS_DIR", str(tmp_path))
    empty = CliRunner().invoke(rubrics, ["list"])
    assert (empty.exit_code, empty.output) == (
        0,
        f"No rubric files (*.yaml or *.yml) in {tmp_path}.\n",
    )


def test_flask_rubrics_commands_use_the_apps_rubric_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HIRING_RUBRICS_DIR", raising=False)
    (tmp_path / "role.yaml").write_text(VALID_RUBRIC)
    app = create_app(
        {
            "SECRET_KEY": TEST_SECRET_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path}/new.db",
            "HIRING_RUBRICS_DIR": str(tmp_path),
        }
    )
    with app.app_context():  # `flask --app hiring` runs the app's commands in its context
        result = app.test_cli_runner().invoke(args=["rubrics", "list"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["test-role"]
