"""`hiring backup` and `hiring restore`: an online copy of the SQLite database, restored
and compared table by table; refusals that leave every file as it was."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from hiring import create_app
from hiring.db import make_engine, upgrade
from tests.conftest import TEST_SECRET_KEY


def _app(url: str) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": url})


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding the demo data, made once for the module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    engine = make_engine(make_url(f"sqlite:///{path}"))
    upgrade(engine)
    engine.dispose()
    app = _app(f"sqlite:///{path}")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    app.extensions["hiring.engine"].dispose()
    return path


@pytest.fixture
def live(demo_file: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on a SQLite database file of its own, holding the demo data."""
    shutil.copyfile(demo_file, tmp_path / "live.sqlite")
    app = _app(f"sqlite:///{tmp_path / 'live.sqlite'}")
    yield app
    app.extensions["hiring.engine"].dispose()


def _hiring(app: Flask, *args: str, answer: str | None = None) -> Any:
    return app.test_cli_runner().invoke(args=list(args), input=answer)


def _snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with app.extensions["hiring.engine"].connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def _live_file(app: Flask) -> Path:
    return Path(str(make_url(app.config["DATABASE_URL"]).database))


def test_a_backup_restores_to_exactly_what_was_backed_up(live: Flask, tmp_path: Path) -> None:
    before = _snapshot(live)
    assert len(before["scorecards"]) > 50 and len(before["ratings"]) > 100

    result = _hiring(live, "backup", str(tmp_path / "hiring-backup.sqlite"))
    assert result.exit_code == 0, result.output
    assert (
        f"Backed up to {tmp_path / 'hiring-backup.sqlite'}: 9 users, 64 candidates" in result.output
    )
    assert not (tmp_path / "hiring-backup.sqlite-wal").exists()  # one self-contained file
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []

    changed = _hiring(
        live, "users", "add", "late@example.com", "--role", "admin", "--password-stdin",
        answer="a-fresh-passphrase\n",
    )  # fmt: skip
    assert changed.exit_code == 0, changed.output
    with sqlite3.connect(_live_file(live)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM candidates WHERE id IN (SELECT id FROM candidates LIMIT 5)")
    assert _snapshot(live) != before

    result = _hiring(live, "restore", str(tmp_path / "hiring-backup.sqlite"), "--yes")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "db upgrade" not in result.output
    assert _snapshot(live) == before


def test_a_backup_runs_while_a_writer_holds_a_transaction(live: Flask, tmp_path: Path) -> None:
    """Online: an uncommitted write neither blocks the backup nor ends up in it."""
    writer = sqlite3.connect(_live_file(live), timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE users SET name = 'uncommitted' WHERE id = 1")
    try:
        result = _hiring(live, "backup", str(tmp_path / "during.sqlite"))
    finally:
        writer.commit()
        writer.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "during.sqlite") as copy:
        names = [row[0] for row in copy.execute("SELECT name FROM users")]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(names) == 9 and "uncommitted" not in names


def test_backup_refuses_to_overwrite_without_force(live: Flask, tmp_path: Path) -> None:
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    result = _hiring(live, "backup", str(target))
    assert result.exit_code == 1
    assert "already exists: choose a new name, or add --force" in result.output
    assert target.read_text() == "keep me"
    assert _hiring(live, "backup", str(target), "--force").exit_code == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM users").fetchone() == (9,)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing-folder/backup.sqlite", "does not exist: create it first"),
        (".", "is a folder: give a file name"),
        ("live.sqlite", "is the live database itself"),
    ],
)
def test_backup_explains_a_bad_target(
    live: Flask, tmp_path: Path, target: str, message: str
) -> None:
    result = _hiring(live, "backup", str(tmp_path / target))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_restore_refuses_what_is_not_a_hiring_backup_and_changes_nothing(
    live: Flask, tmp_path: Path
) -> None:
    before = _snapshot(live)
    (tmp_path / "notes.txt").write_text("not a database at all\n" * 100)
    with sqlite3.connect(tmp_path / "other.sqlite") as other:
        other.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    cases = [
        ("notes.txt", "is not a SQLite database"),
        ("other.sqlite", "is not a hiring database"),
        ("absent.sqlite", "does not exist: give the file `hiring backup` wrote"),
    ]
    for name, message in cases:
        result = _hiring(live, "restore", str(tmp_path / name), "--yes")
        assert result.exit_code == 1, name
        assert message in result.output, result.output
    assert _snapshot(live) == before


def test_restore_asks_first_and_stops_on_no(live: Flask, tmp_path: Path) -> None:
    assert _hiring(live, "backup", str(tmp_path / "b.sqlite")).exit_code == 0
    _hiring(live, "users", "disable", "rita@example.com")
    before = _snapshot(live)
    result = _hiring(live, "restore", str(tmp_path / "b.sqlite"), answer="n\n")
    assert result.exit_code == 1
    assert "Replace every record in" in result.output and "Aborted" in result.output
    assert _snapshot(live) == before


def test_restoring_an_older_schema_says_to_upgrade(live: Flask, tmp_path: Path) -> None:
    assert _hiring(live, "backup", str(tmp_path / "old.sqlite")).exit_code == 0
    with sqlite3.connect(tmp_path / "old.sqlite") as old:
        old.execute("UPDATE alembic_version SET version_num = '0004'")
    result = _hiring(live, "restore", str(tmp_path / "old.sqlite"), "--yes")
    assert result.exit_code == 0
    assert "schema is at revision 0004: run `hiring db upgrade`" in result.output


def test_postgresql_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    app = _app("postgresql+psycopg://hiring:secret@db.internal:5432/hiring")
    for command in (["backup", str(tmp_path / "b.dump")], ["restore", str(tmp_path / "b.dump")]):
        result = _hiring(app, *command)
        assert result.exit_code == 1
        assert "pg_dump --format=custom" in result.output
        assert "pg_restore" in result.output
    assert list(tmp_path.iterdir()) == []
