"""Factories and small helpers for the tests (plain functions, as in CTFd's tests)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import Engine, MetaData
from sqlmodel import Session, SQLModel

from hiring.accounts import hash_password
from hiring.models import Role, User

PASSWORD = "correct-horse-battery"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@cache
def _hash(password: str) -> str:
    # Real argon2id hashes, computed once per password so the suite stays quick.
    return hash_password(password)


def make_user(session: Session, **overrides: Any) -> User:
    """Add a user (default: an interviewer with PASSWORD) and flush it."""
    password = overrides.pop("password", PASSWORD)
    email = overrides.pop("email", f"user{id(overrides)}@example.com")
    values: dict[str, Any] = {
        "email": email,
        "name": email.split("@")[0].title(),
        "role": Role.INTERVIEWER,
        "password_hash": _hash(password),
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def csrf_token(html: str | bytes) -> str:
    """The CSRF token embedded in a rendered form."""
    text = html.decode() if isinstance(html, bytes) else html
    match = CSRF_FIELD.search(text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def drop_everything(engine: Engine) -> None:
    """Drop every table in the database, whatever revision it is at."""
    existing = MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)


def empty_tables(engine: Engine) -> None:
    """Delete every row the app wrote, keeping the schema (and Alembic's revision)."""
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for name in tables:
                connection.exec_driver_sql(f'DELETE FROM "{name}"')
