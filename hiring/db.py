"""Engines, the request-scoped session, Alembic migrations and database error messages."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# A process's SQLite writers checkpoint the WAL after this many write transactions, out of
# the write queue and ahead of SQLite's own checkpoint at 1,000 pages (a scorecard submit
# writes some 25).
CHECKPOINT_EVERY = 20
# Execution option naming how SQLite opens a transaction; see `make_engine`.
SQLITE_BEGIN = "hiring_sqlite_begin"


def make_engine(url: URL) -> Engine:
    """Create the engine for `url`.

    On SQLite every connection runs in WAL mode with a busy timeout, and the
    driver's own transaction handling is switched off so that SQLAlchemy emits
    BEGIN itself: `BEGIN IMMEDIATE` by default, so a writer takes the write lock
    up front and concurrent writers wait for each other instead of failing with
    "database is locked"; `BEGIN DEFERRED` for `read_only(engine)`, so readers
    never queue behind writers. Writers of this app wait in a `WriteQueue`
    rather than in SQLite's busy handler, and copy the WAL back into the database
    mostly once out of it (`QueuedConnection`).
    """
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    queue_path = _queue_path(url)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "factory": QueuedConnection},
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_sqlite(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
        dbapi_connection = connection.connection.dbapi_connection
        if mode == "IMMEDIATE" and queue_path is not None:
            try:
                dbapi_connection.join(write_queue(queue_path))
            except sqlite3.OperationalError as error:  # as SQLite itself would have failed
                raise OperationalError("BEGIN IMMEDIATE", None, error) from None
        try:  # on the driver's connection: SQLAlchemy's execute costs more than the BEGIN
            dbapi_connection.execute(f"BEGIN {mode}").close()
        except sqlite3.OperationalError as error:
            dbapi_connection.leave()
            raise OperationalError(f"BEGIN {mode}", None, error) from None
        except BaseException:
            dbapi_connection.leave()
            raise

    return engine


class WriteQueue:
    """The app's SQLite writers, in every process, in line for the write lock.

    Left to SQLite, a writer that finds the database locked sleeps and tries again, for
    up to 100 ms at a time, and the lock sits idle while the waiting writers sleep: under
    load (gunicorn workers of several threads) most of a write's time went there. Here a
    writer takes a POSIX lock on a file beside the database before `BEGIN IMMEDIATE` and
    gives it back when its transaction ends: the kernel wakes the next writer at once, and
    frees the lock of a process that dies. POSIX locks belong to a process, so the
    threads of one process take turns on a thread lock first, waiting at most the busy
    timeout (then "database is locked", as before); the one thread in line for the file
    lock waits as long as the other process's transaction lasts.
    """

    def __init__(self, path: str) -> None:
        self.path, self.pid = path, os.getpid()
        self.threads = threading.Lock()
        self.fd: int | None = None
        self.writes = 0  # write transactions ended since this process last checkpointed

    def acquire(self) -> None:
        if not self.threads.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self.fd is None:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.lockf(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.threads.release()
            raise

    def release(self) -> bool:
        """Leave the queue; True when the WAL is due a checkpoint."""
        assert self.fd is not None
        self.writes += 1
        due = self.writes >= CHECKPOINT_EVERY
        if due:
            self.writes = 0
        fcntl.lockf(self.fd, fcntl.LOCK_UN)
        self.threads.release()
        return due


_QUEUES: dict[str, WriteQueue] = {}
_QUEUES_LOCK = threading.Lock()


def write_queue(path: str) -> WriteQueue:
    """This process's queue for the database whose lock file is `path`."""
    with _QUEUES_LOCK:
        queue = _QUEUES.get(path)
        if queue is None or queue.pid != os.getpid():  # a forked process has its own
            queue = _QUEUES[path] = WriteQueue(path)
        return queue


def _reset_after_fork() -> None:
    global _QUEUES_LOCK
    _QUEUES_LOCK = threading.Lock()  # another thread may have held it at the fork
    _QUEUES.clear()


os.register_at_fork(after_in_child=_reset_after_fork)


def _queue_path(url: URL) -> str | None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None  # in memory, or a URI: SQLite's own locking alone
    return os.path.abspath(database) + "-writers"


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection that leaves its WriteQueue when its transaction ends.

    SQLite checkpoints the WAL (copies it back into the database file, some milliseconds
    of work) inside the COMMIT that fills it to 1,000 pages, while every other writer waits
    in the queue. So a connection that ends a process's CHECKPOINT_EVERY-th write
    transaction checkpoints once it has left the queue, PASSIVE, which lets other writers
    on: SQLite's own checkpoint then finds little left to copy. That one stays, because
    only a checkpoint that no writer overtakes lets the next writer start the WAL over:
    without it, under steady concurrent writes, the WAL file would grow without end.
    """

    queue: WriteQueue | None = None

    def join(self, queue: WriteQueue) -> None:
        if self.queue is None:
            queue.acquire()
            self.queue = queue

    def leave(self, closing: bool = False) -> None:
        if self.queue is not None and (closing or not self.in_transaction):
            queue, self.queue = self.queue, None
            if queue.release() and not closing:
                with suppress(sqlite3.Error):  # another process checkpointing: it does it
                    self.execute("PRAGMA wal_checkpoint(PASSIVE)").close()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave(closing=True)


def read_only(engine: Engine) -> Engine:
    """The same engine, for transactions that only read (deferred locking on SQLite)."""
    return engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"})


def new_session(engine: Engine) -> Session:
    """A session whose objects stay readable after commit (views render them afterwards)."""
    return Session(engine, expire_on_commit=False)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (default: the newest)."""
    command.upgrade(_alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ("base" removes every table)."""
    command.downgrade(_alembic_config(engine), revision)


def schema_revisions(engine: Engine) -> tuple[str | None, str | None]:
    """The database's current revision and the newest one the code knows."""
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def describe_error(error: DBAPIError, url: URL) -> str:
    """One line telling a person what went wrong with the database and what to do."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    shown = url.render_as_string(hide_password=True)
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"the database {shown} is missing tables ({reason}): run `hiring db upgrade`"
    if url.get_backend_name() == "sqlite":
        return (
            f"cannot use the SQLite database {url.database}: {reason}. Check that its folder "
            "exists and is writable, or set DATABASE_URL"
        )
    return (
        f"cannot use the database {shown}: {reason}. Check DATABASE_URL and that the "
        "server is running and reachable"
    )


def may_race(session: Session) -> AbstractContextManager[Any]:
    """Around a write that a concurrent transaction may have made first (an INSERT that
    a unique constraint refuses): a savepoint, so that the IntegrityError leaves the rest
    of the transaction usable. SQLite's write transactions run one at a time, so nothing
    races there and no savepoint is spent."""
    if session.get_bind().dialect.name == "sqlite":
        return nullcontext()
    return session.begin_nested()


def lock_name(session: Session, name: str) -> None:
    """Hold a lock called `name` until the transaction ends, so that transactions that
    check something and then write under the same name run one after the other. SQLite's
    write transactions already do; on PostgreSQL it is an advisory lock."""
    if session.get_bind().dialect.name == "sqlite":
        return
    lock_id = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def lock_row(session: Session, model: Any, row_id: int) -> None:
    """Lock a row until the transaction ends (`SELECT ... FOR UPDATE`). On SQLite, whose
    write transactions already run one at a time, there is nothing to do."""
    if session.get_bind().dialect.name == "sqlite":
        return
    session.execute(select(model.id).where(model.id == row_id).with_for_update())


# Each dialect's INSERT, which can take ON CONFLICT DO UPDATE (an upsert), by dialect name.
UPSERTS: dict[str, Callable[[Any], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def upsert(session: Session, model: Any) -> Any:
    """An INSERT of `model` that can take ON CONFLICT DO UPDATE, on SQLite as on PostgreSQL."""
    return UPSERTS[session.get_bind().dialect.name](model)
