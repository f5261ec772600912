"""Login throttling: after too many failed sign-ins in a short window, for one account or
from one address, further attempts are refused for a while.

The failures are rows in the database, so every server process counts the same ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from hiring.models import LoginFailure, utcnow

ACCOUNT = "account"
ADDRESS = "address"
KEEP_FOR = timedelta(days=1)  # failures older than this are deleted as new ones arrive


@dataclass(frozen=True)
class Policy:
    """`failures` failed sign-ins within `window` lock the account or address for `lockout`."""

    failures: int
    window: timedelta
    lockout: timedelta


def _keys(email: str, address: str) -> list[tuple[str, str]]:
    account = email.replace("\x00", "").strip().lower()[:254]  # PostgreSQL text holds no NUL
    return [(ACCOUNT, account), (ADDRESS, address[:254])]


def retry_after(*, session: Session, policy: Policy, email: str, address: str) -> int | None:
    """Seconds until sign-in may be tried again for this account and address, or None.

    Locked means: `policy.failures` failures fell within one `window`, and the last of them
    was less than `lockout` ago. Attempts refused while locked are not counted, so the
    lock ends on time however often someone keeps trying.
    """
    now = utcnow()
    locked_until = now
    for scope, key in _keys(email, address):
        times = session.exec(
            select(LoginFailure.at)
            .where(
                LoginFailure.scope == scope,
                LoginFailure.key == key,
                col(LoginFailure.at) > now - policy.window - policy.lockout,
            )
            .order_by(col(LoginFailure.at))
        ).all()
        # Every run of `failures` consecutive failures within one window locks until
        # `lockout` after its last failure.
        for first, last in zip(times, times[policy.failures - 1 :], strict=False):
            if last - first <= policy.window:
                locked_until = max(locked_until, last + policy.lockout)
    if locked_until <= now:
        return None
    return max(1, math.ceil((locked_until - now).total_seconds()))


def record_failure(*, session: Session, email: str, address: str) -> None:
    """Count a failed sign-in against the account and the address; forget old ones."""
    now = utcnow()
    session.exec(delete(LoginFailure).where(col(LoginFailure.at) < now - KEEP_FOR))
    for scope, key in _keys(email, address):
        session.add(LoginFailure(scope=scope, key=key, at=now))


def forget_account(*, session: Session, email: str) -> None:
    """After a successful sign-in, the account's earlier failures no longer count (the
    address's do: one person's success does not reset a guesser on the same network)."""
    scope, key = _keys(email, "")[0]
    session.exec(
        delete(LoginFailure).where(col(LoginFailure.scope) == scope, col(LoginFailure.key) == key)
    )
