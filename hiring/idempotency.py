"""Idempotency keys: a retried API request returns the first response and writes nothing again."""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert
from sqlmodel import Session, col, select

from hiring.db import lock_name
from hiring.models import IdempotencyKey, User, utcnow
from hiring.validation import InvalidInput

KEY_MAX_LENGTH = 200
# Built once: building a statement costs more than running it on SQLite.
_STORED = select(
    col(IdempotencyKey.request_hash), col(IdempotencyKey.status_code), col(IdempotencyKey.body)
).where(
    col(IdempotencyKey.user_id) == bindparam("user_id"),
    col(IdempotencyKey.key) == bindparam("key"),
)
_REMEMBER = insert(IdempotencyKey.__table__)  # type: ignore[attr-defined]


class Stored(NamedTuple):
    """A response stored for its key."""

    request_hash: str
    status_code: int
    body: dict[str, Any]


class KeyReused(Exception):
    """The key was already used for a different request."""


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same request."""
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


def check_key(key: str) -> str:
    """The key, or InvalidInput if it is empty or too long."""
    if not key.strip() or len(key) > KEY_MAX_LENGTH:
        raise InvalidInput(
            {"Idempotency-Key": f"use a unique string of 1 to {KEY_MAX_LENGTH} characters"}
        )
    return key


def lock(*, session: Session, user: User, key: str) -> None:
    """Hold the key until the transaction ends, so that copies of one request write one
    after the other: every transaction that writes a keyed request's answer takes it
    before it writes (on SQLite, whose write transactions run one at a time, it is free)."""
    lock_name(session, f"idempotency\0{user.id}\0{key}")


def replay(*, session: Session, user: User, key: str, request_hash: str) -> Stored | None:
    """The stored response for this key, if the same request was made before.

    The key stays locked until the transaction ends: a retry sent while the first request
    is still being written waits for it, then replays its answer (rather than being told
    409 by the scorecard's version check, or writing a second time).
    """
    lock(session=session, user=user, key=key)
    return stored_answer(session=session, user=user, key=key, request_hash=request_hash)


def stored_answer(*, session: Session, user: User, key: str, request_hash: str) -> Stored | None:
    """The stored response for this key (without `replay`'s lock: for a retry of a request
    answered before), or KeyReused if the key was used for another request."""
    found = session.exec(_STORED, params={"user_id": user.id, "key": key}).first()
    if found is None:
        return None
    stored = Stored(*found)
    if stored.request_hash != request_hash:
        raise KeyReused(key)
    return stored


def remember(
    *, session: Session, user: User, key: str, request_hash: str, status: int, body: dict[str, Any]
) -> None:
    """Store the response, in the same transaction as the write it answers."""
    row = {"user_id": user.id, "key": key, "request_hash": request_hash, "status_code": status}
    session.execute(_REMEMBER, {**row, "body": body, "created_at": utcnow()})
