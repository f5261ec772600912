"""The app factory: configuration sources, secret key, database URL checks."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hiring import create_app
from hiring.config import ConfigError


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty instance folder, and an environment without hiring's variables."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("HIRING_INSTANCE_PATH", str(folder))
    for key in ("DATABASE_URL", "SECRET_KEY", "HIRING_RUBRICS_DIR"):
        monkeypatch.delenv(key, raising=False)
    return folder


def test_testing_flag_comes_from_test_config(instance: Path) -> None:
    assert not create_app().testing
    assert create_app({"TESTING": True, "SECRET_KEY": "x" * 40}).testing


def test_defaults_then_instance_file_then_environment(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert create_app().config["HIRING_RUBRICS_DIR"] == str(
        Path(__file__).parent.parent / "rubrics"
    )

    (instance / "config.py").write_text('HIRING_RUBRICS_DIR = "/from/file"\n')
    assert create_app().config["HIRING_RUBRICS_DIR"] == "/from/file"

    monkeypatch.setenv("HIRING_RUBRICS_DIR", "/from/environment")
    assert create_app().config["HIRING_RUBRICS_DIR"] == "/from/environment"


def test_secret_key_is_generated_once_into_the_instance_folder(instance: Path) -> None:
    first = create_app().config["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert key_file.read_text() == first
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert create_app().config["SECRET_KEY"] == first


def test_secret_key_from_environment_wins(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    assert create_app().config["SECRET_KEY"] == "k" * 48
    assert not (instance / "secret_key").exists()


def test_an_unreadable_secret_key_is_explained(instance: Path) -> None:
    (instance / "secret_key").mkdir(parents=True)
    with pytest.raises(ConfigError, match=r"cannot read or create the secret key .*set SECRET_KEY"):
        create_app()


def test_default_database_is_sqlite_in_the_instance_folder(instance: Path) -> None:
    url = create_app().extensions["hiring.database_url"]
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(instance / "hiring.sqlite")


def test_postgresql_urls_use_psycopg_3(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/hiring")
    url = create_app().extensions["hiring.database_url"]
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "db.internal"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a url", "DATABASE_URL is not a database URL"),
        ("postgresql+psycopg://u@host:notaport/db", "DATABASE_URL is not a database URL"),
        ("mysql://u@host/db", "which hiring does not support"),
        ("sqlite://", "in-memory SQLite database"),
    ],
)
def test_bad_database_url_is_explained(
    instance: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(ConfigError, match=message):
        create_app()


def test_instance_folder_that_cannot_be_created_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("HIRING_INSTANCE_PATH", str(blocker / "instance"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(
        ConfigError, match=r"cannot create the instance folder .*HIRING_INSTANCE_PATH"
    ):
        create_app()


def test_broken_instance_config_file_is_explained(instance: Path) -> None:
    instance.mkdir()
    (instance / "config.py").write_text("SECRET_KEY = (\n")
    with pytest.raises(ConfigError, match=r"cannot load .*config\.py: SyntaxError"):
        create_app()


def test_console_script_reports_configuration_errors_in_one_line(tmp_path: Path) -> None:
    hiring = Path(sys.executable).with_name("hiring")
    env = {**os.environ, "HIRING_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "mysql://x/y"}
    for args in (["users", "list"], ["--help"]):
        result = subprocess.run(
            [str(hiring), *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert "Traceback" not in result.stderr
        assert "Error: DATABASE_URL uses 'mysql'" in result.stderr
    assert result.returncode == 0  # --help still helps
    failing = subprocess.run(
        [str(hiring), "users", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failing.returncode == 1
    assert failing.stderr.strip().count("\n") == 0
