"""Login throttling: after too many failed sign-ins in a short window, for one account or
from one address, further attempts are refused for a while.

The failures are rows in the database, so every server process counts the same ones. An
attempt is counted as a failure before its password is checked (`start_attempt`), under a
lock on the account and on the address, and withdrawn if it succeeds: attempts sent at the
same moment cannot all pass a count taken before any of them failed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from hiring.db import lock_name
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


class Throttled(Exception):
    """Sign-in is locked for this account or address for `seconds` more."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"locked for {seconds} s")


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


def start_attempt(*, session: Session, policy: Policy, email: str, address: str) -> int:
    """Count a sign-in attempt as a failed one before its password is checked, or raise
    Throttled (counting nothing) if the account or the address is locked. Returns the
    attempt's row against the address, for `succeeded`. The caller commits."""
    keys = _keys(email, address)
    for scope, key in keys:  # always the account first: two attempts never wait on each other
        lock_name(session, f"sign-in\0{scope}\0{key}")
    wait = retry_after(session=session, policy=policy, email=email, address=address)
    if wait is not None:
        raise Throttled(wait)
    now = utcnow()
    session.exec(delete(LoginFailure).where(col(LoginFailure.at) < now - KEEP_FOR))
    failures = [LoginFailure(scope=scope, key=key, at=now) for scope, key in keys]
    session.add_all(failures)
    session.flush()
    attempt = failures[-1].id
    assert attempt is not None
    return attempt


def succeeded(*, session: Session, email: str, attempt: int) -> None:
    """The attempt signed in: its failure is withdrawn, and the account's earlier failures
    no longer count (the address's do: one person's success does not reset a guesser on
    the same network)."""
    scope, key = _keys(email, "")[0]
    session.exec(
        delete(LoginFailure).where(
            (col(LoginFailure.scope) == scope) & (col(LoginFailure.key) == key)
            | (col(LoginFailure.id) == attempt)
        )
    )
