"""Factories and small helpers for the tests (plain functions, as in CTFd's tests)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Engine, MetaData
from sqlmodel import Session, SQLModel

from hiring.accounts import hash_password
from hiring.candidates import assign_interview, create_candidate
from hiring.models import Candidate, Role, Scorecard, User
from hiring.rubric_loader import RubricSet
from hiring.scoring import AntiPatternInput, RatingInput, ScorecardInput, save_scorecard

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


def make_candidate(
    session: Session, rubrics: RubricSet, email: str, rubric_id: str = "test-role"
) -> Candidate:
    """Add a candidate through the service, named after their email."""
    name = email.split("@")[0].title()
    return create_candidate(
        session=session, rubrics=rubrics, name=name, email=email, rubric_id=rubric_id
    )


def submit_scorecard(
    session: Session,
    rubrics: RubricSet,
    candidate: Candidate,
    who: User,
    anti_patterns: Sequence[dict[str, str]] = (),
    **ratings: int,
) -> Scorecard:
    """Assign `who` to the candidate and submit their scorecard with these ratings, through
    the real services; the recommendation follows the mean rating."""
    interview = assign_interview(
        session=session, rubrics=rubrics, candidate=candidate, interviewer_email=who.email
    )
    data = ScorecardInput(
        ratings={c: RatingInput(rating=r, evidence="what they did") for c, r in ratings.items()},
        anti_patterns=[AntiPatternInput(**ticked) for ticked in anti_patterns],
        recommendation="yes" if sum(ratings.values()) / len(ratings) >= 2.5 else "no",
        submit=True,
    )
    return save_scorecard(
        session=session,
        interview=interview,
        author=who,
        data=data,
        current_rubric=rubrics.rubrics[candidate.rubric_id],
    )
