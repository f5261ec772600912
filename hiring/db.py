"""Engines, the request-scoped session, Alembic migrations and database error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Execution option naming how SQLite opens a transaction; see `make_engine`.
SQLITE_BEGIN = "hiring_sqlite_begin"


def make_engine(url: URL) -> Engine:
    """Create the engine for `url`.

    On SQLite every connection runs in WAL mode with a busy timeout, and the
    driver's own transaction handling is switched off so that SQLAlchemy emits
    BEGIN itself: `BEGIN IMMEDIATE` by default, so a writer takes the write lock
    up front and concurrent writers wait for each other instead of failing with
    "database is locked"; `BEGIN DEFERRED` for `read_only(engine)`, so readers
    never queue behind writers.
    """
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

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
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


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


def upsert(session: Session, model: Any) -> Any:
    """An INSERT of `model` that can take ON CONFLICT DO UPDATE, on SQLite as on PostgreSQL."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)
