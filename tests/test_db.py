"""The database layer: SQLite locking, migrations that match the models."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel, select

from hiring.db import (
    CHECKPOINT_EVERY,
    downgrade,
    make_engine,
    new_session,
    read_only,
    schema_revisions,
    upgrade,
)
from hiring.models import User
from tests.helpers import make_user


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """A fresh, migrated SQLite database of its own."""
    engine = make_engine(make_url(f"sqlite:///{tmp_path / 'hiring.sqlite'}"))
    upgrade(engine)
    return engine


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_concurrent_sqlite_writers_wait_for_each_other(sqlite_engine: Engine) -> None:
    """Two read-modify-write transactions at once: both land, none fails as locked.

    With SQLite's default deferred BEGIN, the second writer would fail with
    "database is locked" (or lose the first writer's change).
    """
    with new_session(sqlite_engine) as session:
        make_user(session, email="shared@example.com", name="n")
        session.commit()
    errors: list[BaseException] = []
    both_read = threading.Barrier(2, timeout=5)

    def append(letter: str) -> None:
        try:
            with new_session(sqlite_engine) as session:
                user = session.exec(select(User)).one()
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=0.5)  # the other writer is blocked at BEGIN
                time.sleep(0.2)
                user.name += letter
                session.commit()
        except BaseException as error:  # reported below, on the main thread
            errors.append(error)

    threads = [threading.Thread(target=append, args=(letter,)) for letter in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with new_session(sqlite_engine) as session:
        assert sorted(session.exec(select(User)).one().name) == ["a", "b", "n"]


def test_readers_do_not_queue_behind_a_writer(sqlite_engine: Engine) -> None:
    with new_session(sqlite_engine) as session:
        make_user(session, email="reader@example.com")
        session.commit()
    with sqlite_engine.connect() as writer:
        writer.exec_driver_sql("UPDATE users SET name = 'writing'")  # holds the write lock
        with new_session(read_only(sqlite_engine)) as reader:
            assert reader.exec(select(User)).one().email == "reader@example.com"
        writer.rollback()


@pytest.mark.parametrize("threads", [1, 4])
def test_the_wal_is_checkpointed_mostly_outside_the_write_queue(
    sqlite_engine: Engine, tmp_path: Path, threads: int
) -> None:
    """A process checkpoints after each CHECKPOINT_EVERY write transactions, out of the
    queue, ahead of SQLite's own checkpoint (inside the COMMIT that fills the WAL to 1,000
    pages, while every other writer waits). Writing alone, that keeps the WAL well under
    SQLite's 4 MB; with writers overlapping, SQLite's checkpoint still bounds it (the WAL
    can only start over after a checkpoint no writer overtook). The rows reach the
    database either way."""
    with sqlite_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (body TEXT NOT NULL)")
    writes, row = 10 * CHECKPOINT_EVERY * threads, "x" * 12_000  # some four 4 KB pages a write

    def write(count: int) -> None:
        for _ in range(count):
            with sqlite_engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO notes (body) VALUES (?)", (row,))

    workers = [threading.Thread(target=write, args=(writes // threads,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wal, database = tmp_path / "hiring.sqlite-wal", tmp_path / "hiring.sqlite"
    bound = 3 * CHECKPOINT_EVERY * len(row) if threads == 1 else 6 * 2**20
    assert wal.stat().st_size < bound
    assert database.stat().st_size > writes * len(row)
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM notes").scalar() == writes


def test_migrations_build_exactly_the_models_schema(app: Flask) -> None:
    engine = app.extensions["hiring.engine"]
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    current, head = schema_revisions(engine)
    assert current == head


def test_downgrade_and_upgrade_round_trip(sqlite_engine: Engine) -> None:
    assert {"users", "api_tokens"} <= set(inspect(sqlite_engine).get_table_names())
    downgrade(sqlite_engine, "base")
    assert set(inspect(sqlite_engine).get_table_names()) == {"alembic_version"}
    assert schema_revisions(sqlite_engine)[0] is None
    upgrade(sqlite_engine)
    assert {"users", "api_tokens"} <= set(inspect(sqlite_engine).get_table_names())


def test_upgrading_to_0004_indexes_the_ratings_already_submitted(sqlite_engine: Engine) -> None:
    downgrade(sqlite_engine, "0003")
    with sqlite_engine.begin() as connection:
        for statement in (
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at)"
            " VALUES (1, 'ivan@example.com', 'Ivan', 'interviewer', '!', 1, '2026-11-01')",
            "INSERT INTO candidates (id, name, email, rubric_id, status, created_at)"
            " VALUES (1, 'Sam', 'sam@example.org', 'product-manager', 'active', '2026-11-01')",
            "INSERT INTO rubric_versions (id, rubric_id, version, content_hash, title, content,"
            " first_seen_at) VALUES (1, 'product-manager', 1, 'h', 'PM', '{}', '2026-11-01')",
            "INSERT INTO interviews (id, candidate_id, interviewer_id, focus, created_at)"
            " VALUES (1, 1, 1, '[]', '2026-11-01'), (2, 1, 1, '[]', '2026-11-01')",
            "INSERT INTO scorecards (id, interview_id, rubric_version_id, status, version,"
            " ratings, anti_patterns, takeaways, created_at, updated_at) VALUES"
            ' (1, 1, 1, \'submitted\', 1, \'{"high-agency": {"rating": 3, "evidence": "e"},'
            ' "high-eq": {"rating": null, "evidence": "n"}}\', \'[]\', \'\', \'2026-11-01\','
            " '2026-11-01'),"
            ' (2, 2, 1, \'draft\', 1, \'{"high-eq": {"rating": 1, "evidence": ""}}\', \'[]\','
            " '', '2026-11-01', '2026-11-01')",
        ):
            connection.exec_driver_sql(statement)
    upgrade(sqlite_engine)
    with sqlite_engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT scorecard_id, candidate_id, interviewer_id, rubric_id, competency_id, rating"
            " FROM ratings"
        ).all()
    assert rows == [(1, 1, 1, "product-manager", "high-agency", 3)]  # drafts are not indexed
