"""Backing up and restoring the embedded SQLite database while the app keeps serving.

SQLite's online backup API copies a consistent snapshot page by page without stopping
writers for long; the copy is checked and moved into place in one step, so a failed backup
never leaves a half-written file behind. PostgreSQL has its own tools (`pg_dump`).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing, suppress
from pathlib import Path

from sqlalchemy.engine import URL


class BackupError(Exception):
    """A backup or restore that cannot be carried out; the message says why and what to do."""


PG_DUMP_ADVICE = (
    "the database is PostgreSQL, which hiring does not copy itself: back it up with "
    "`pg_dump --format=custom --file=hiring.dump DBNAME` and restore it with "
    "`pg_restore --clean --if-exists --dbname=DBNAME hiring.dump` (see README, Backups)"
)
MIGRATIONS_TABLE = "alembic_version"  # Alembic's; every hiring database has it
PAGES_PER_STEP = 1024  # writers get a turn between steps of the copy


def sqlite_file(url: URL) -> Path:
    """The SQLite file behind `url`, or BackupError with the PostgreSQL advice."""
    if url.get_backend_name() != "sqlite":
        raise BackupError(PG_DUMP_ADVICE)
    assert url.database
    path = Path(url.database)
    if not path.is_file():
        raise BackupError(f"the database file {path} does not exist: run `hiring db upgrade` first")
    return path


def backup(url: URL, target: Path, *, overwrite: bool = False) -> dict[str, int]:
    """Copy the live database at `url` into `target`; returns the rows copied per table."""
    source_path = sqlite_file(url)
    target = target.expanduser()
    if target.resolve() == source_path.resolve():
        raise BackupError(f"{target} is the live database itself: choose another file")
    _check_target(target, overwrite=overwrite)
    draft = _draft_beside(target)
    try:
        with (
            closing(sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(draft)) as copy,
        ):
            source.backup(copy, pages=PAGES_PER_STEP)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            counts = _check_database(copy, draft)
        os.replace(draft, target)
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {source_path} to {target}: {error}") from None
    finally:
        with suppress(FileNotFoundError):
            os.unlink(draft)
    return counts


def restore(url: URL, source: Path) -> dict[str, int]:
    """Replace the database at `url` with the backup `source`, in one transaction: every
    connection sees either the old database or the restored one. Returns its row counts."""
    target_path = sqlite_file(url)
    source = source.expanduser()
    if not source.is_file():
        raise BackupError(
            f"the backup {source} does not exist: give the file `hiring backup` wrote"
        )
    try:
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_copy,
            closing(sqlite3.connect(target_path, timeout=30)) as live,
        ):
            counts = _check_database(backup_copy, source)
            backup_copy.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"cannot restore {source} into {target_path}: {error}") from None
    return counts


def _check_target(target: Path, *, overwrite: bool) -> None:
    if target.is_dir():
        raise BackupError(
            f"{target} is a folder: give a file name, such as {target / 'hiring.sqlite'}"
        )
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist: create it first")
    if target.exists() and not overwrite:
        raise BackupError(
            f"{target} already exists: choose a new name, or add --force to replace it"
        )


def _draft_beside(target: Path) -> str:
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise BackupError(f"cannot write in {target.parent}: {error.strerror}") from None
    os.close(handle)
    return name


def _check_database(connection: sqlite3.Connection, path: Path | str) -> dict[str, int]:
    """Row counts per table of a sound hiring database, or BackupError saying what is wrong."""
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged (integrity check: {verdict})")
    if MIGRATIONS_TABLE not in tables:
        raise BackupError(f"{path} is not a hiring database (it has no {MIGRATIONS_TABLE} table)")
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 (names from sqlite_master)
        for table in tables
    }
