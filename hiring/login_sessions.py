"""Server-side login sessions: created on sign-in, ended on sign-out, when an account is
disabled or its password changes, after inactivity and after an absolute lifetime.

The browser's signed cookie carries only a random token; the database row it names is
what keeps the session alive, so ending a session does not depend on the browser.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, or_, select

from hiring.models import LoginSession, User, utcnow

# last_seen_at is written at most this often per session, not on every request.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Lifetime:
    """How long a session lives: since its last request, and since sign-in."""

    idle: timedelta
    absolute: timedelta

    def expired(self, login: LoginSession, now: datetime) -> bool:
        return now - login.last_seen_at > self.idle or now - login.created_at > self.absolute


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(*, session: Session, user: User, lifetime: Lifetime) -> str:
    """Open a session for `user` and return the token for the cookie. Sessions that have
    expired, anyone's, are deleted on the way (sign-ins are rare enough to carry it)."""
    now = utcnow()
    session.exec(
        delete(LoginSession).where(
            or_(
                col(LoginSession.last_seen_at) < now - lifetime.idle,
                col(LoginSession.created_at) < now - lifetime.absolute,
            )
        )
    )
    token = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(LoginSession(user_id=user.id, token_hash=_digest(token), created_at=now))
    return token


def find(*, session: Session, token: str) -> LoginSession | None:
    """The session this cookie token names, if the server still has it."""
    statement = select(LoginSession).where(LoginSession.token_hash == _digest(token))
    return session.exec(statement).first()


def needs_touch(login: LoginSession, now: datetime) -> bool:
    """Whether the session's last request time is stale enough to write again."""
    return now - login.last_seen_at >= TOUCH_EVERY


def touch(*, session: Session, login_id: int, now: datetime) -> None:
    """Record a request on the session, keeping it alive for another idle period."""
    stored = session.get(LoginSession, login_id)
    if stored is not None:
        stored.last_seen_at = now
        session.add(stored)


def end(*, session: Session, token: str) -> None:
    """End the session this token names (signing out)."""
    session.exec(delete(LoginSession).where(col(LoginSession.token_hash) == _digest(token)))


def end_all(*, session: Session, user: User) -> int:
    """End every session of `user` (disabled, or a new password); returns how many."""
    result = session.exec(delete(LoginSession).where(col(LoginSession.user_id) == user.id))
    return result.rowcount or 0
