"""Glue between Flask and the database: the engine and the request's session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from flask import Flask, Response, abort, current_app, g, has_request_context, request
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlmodel import Session, SQLModel

from hiring import candidates
from hiring.db import new_session, read_only
from hiring.models import Candidate, Interview
from hiring.rubric_loader import RubricFolder, RubricSet
from hiring.validation import MAX_ID

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T", bound=SQLModel)


def init_app(app: Flask, engine: Engine, url: URL) -> None:
    """Attach the engine and the rubric folder to the app; close each request's session."""
    app.extensions["hiring.engine"] = engine
    app.extensions["hiring.read_engine"] = read_only(engine)  # built once: 40 us a time
    app.extensions["hiring.database_url"] = url
    app.extensions["hiring.rubrics"] = RubricFolder(Path(app.config["HIRING_RUBRICS_DIR"]))
    app.teardown_appcontext(_close_session)


def rubric_set() -> RubricSet:
    """The rubrics as their files are now (reloaded after an edit; looked at once a request)."""
    if has_request_context() and "rubric_set" in g:
        return g.rubric_set
    folder: RubricFolder = current_app.extensions["hiring.rubrics"]
    current = folder.current()
    if has_request_context():
        g.rubric_set = current
    return current


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["hiring.engine"]


def database_url() -> URL:
    """The current app's database URL."""
    return current_app.extensions["hiring.database_url"]


def db_session() -> Session:
    """The session of this request (or CLI command); the caller commits.

    Requests that only read (GET, HEAD, OPTIONS) open read-only transactions, which
    on SQLite never queue behind writers.
    """
    if "db_session" not in g:
        _end_read_first()
        g.db_session = new_session(_read_engine() if _reads_only() else engine())
    return g.db_session


def read_first() -> Session:
    """The read-only session of what a request reads before its own session starts (the
    API token's user, the interview a scorecard save checks): one transaction for all of
    it, ended when `db_session` is first called, so on SQLite the write transaction that
    follows holds the write lock for the writes only."""
    if "read_first" not in g:
        g.read_first = new_session(_read_engine())
    return g.read_first


def session_in_use() -> Session:
    """The request's session once it has started, else the read-only one of `read_first`:
    for an answer that reads a little more where the request was (an error refused on
    what it read first needs no write transaction)."""
    return g.db_session if "db_session" in g else read_first()


def _end_read_first() -> None:
    session = g.pop("read_first", None)
    if session is not None:
        session.close()


@contextmanager
def read_session() -> Iterator[Session]:
    """A short read-only session inside any request, for reads that must not hold the
    SQLite write lock while they work (such as checking a password hash)."""
    with new_session(_read_engine()) as session:
        yield session


@contextmanager
def write_session() -> Iterator[Session]:
    """A short write transaction inside any request, committed when the block succeeds:
    for a page that reads but must also bring something derived up to date."""
    with new_session(engine()) as session:
        yield session
        session.commit()


def csv_download(text: str, filename: str) -> Response:
    """A CSV file to download. It starts with a byte order mark so that spreadsheets
    read it as UTF-8 (accented names stay intact)."""
    return file_download("\ufeff" + text, filename, "text/csv")


def file_download(content: str | bytes, filename: str, mimetype: str) -> Response:
    """A file the browser saves under `filename` rather than shows."""
    disposition = f'attachment; filename="{filename}"'
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": disposition})


def reset_session() -> None:
    """Roll back the request's session after an error, so the error page can still query."""
    session = g.get("db_session")
    if session is not None:
        with suppress(Exception):  # the connection itself may be what failed
            session.rollback()


def found_or_404(model: type[T], object_id: int, what: str) -> T:
    """The row of `model` with this id, or a 404 naming what was not found (also for ids
    beyond the INTEGER columns, which PostgreSQL refuses to even look up)."""
    found = db_session().get(model, object_id) if object_id <= MAX_ID else None
    if found is None:
        abort(404, f"No {what} has the id {object_id}.")
    return found


def interview_or_404(
    interview_id: int, session: Session | None = None
) -> tuple[Interview, Candidate]:
    """The interview with this id and its candidate (read through `session`, by default
    the request's), or a 404."""
    found = candidates.interview_with_candidate(
        session=session or db_session(), interview_id=interview_id
    )
    if found is None:
        abort(404, f"No interview has the id {interview_id}.")
    return found


def _read_engine() -> Engine:
    return current_app.extensions["hiring.read_engine"]


def _reads_only() -> bool:
    return has_request_context() and request.method in SAFE_METHODS


def _close_session(_error: BaseException | None) -> None:
    _end_read_first()
    session = g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back whatever was not committed
