"""Accounts: password hashing that meets OWASP ASVS, users, API tokens."""

from __future__ import annotations

import re
import threading
import time

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session, select

from hiring import accounts
from hiring.db import new_session
from hiring.models import ApiToken, Role, User
from tests.helpers import PASSWORD, make_user


@pytest.fixture
def session(app: Flask) -> Session:
    with new_session(app.extensions["hiring.engine"]) as session:
        yield session


def test_password_hash_is_argon2id_above_the_owasp_minimum() -> None:
    stored = accounts.hash_password("a long passphrase")
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", stored)
    assert match, stored
    memory_kib, passes, lanes = map(int, match.groups())
    # OWASP ASVS 4.0 2.4.1 / Password Storage Cheat Sheet: argon2id, 19 MiB, 2 passes, 1 lane.
    assert memory_kib >= 19 * 1024 and passes >= 2 and lanes >= 1
    assert accounts.password_matches(stored, "a long passphrase")
    assert not accounts.password_matches(stored, "a long passphrasE")
    assert accounts.hash_password("a long passphrase") != stored  # salted


def test_create_user_normalises_the_email(session: Session) -> None:
    user = accounts.create_user(
        session=session, email="  Grace.Hopper@Example.COM ", role="Recruiter", password=PASSWORD
    )
    assert (user.email, user.role, user.name) == (
        "grace.hopper@example.com",
        Role.RECRUITER,
        "grace.hopper",
    )
    assert user.password_hash != PASSWORD


@pytest.mark.parametrize(
    ("email", "role", "password", "message"),
    [
        ("dup@example.com", "admin", PASSWORD, "already exists"),
        ("DUP@example.com", "admin", PASSWORD, "already exists"),
        ("new@example.com", "boss", PASSWORD, "'boss' is not a role: use one of admin"),
        ("not-an-email", "admin", PASSWORD, "not a valid email address"),
        ("new@example.com", "admin", "short", "at least 8 characters"),
        ("new@example.com", "admin", "x" * 257, "at most 256 characters"),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(
    session: Session, email: str, role: str, password: str, message: str
) -> None:
    make_user(session, email="dup@example.com")
    session.commit()
    with pytest.raises(accounts.AccountError, match=message):
        accounts.create_user(session=session, email=email, role=role, password=password)
    session.rollback()
    assert [u.email for u in session.exec(select(User)).all()] == ["dup@example.com"]


def test_long_passwords_are_allowed(session: Session) -> None:
    passphrase = "correct horse battery staple " * 4
    user = accounts.create_user(
        session=session, email="long@example.com", role="admin", password=passphrase
    )
    assert accounts.authenticate(session=session, email=user.email, password=passphrase) == user


def test_authenticate(session: Session) -> None:
    user = make_user(session, email="ivan@example.com")
    assert (
        accounts.authenticate(session=session, email="IVAN@example.com", password=PASSWORD) == user
    )
    assert accounts.authenticate(session=session, email=user.email, password="wrong-pass") is None
    assert (
        accounts.authenticate(session=session, email="nobody@example.com", password=PASSWORD)
        is None
    )
    user.active = False
    assert accounts.authenticate(session=session, email=user.email, password=PASSWORD) is None


def test_weaker_hashes_are_upgraded_at_sign_in(app: Flask, session: Session) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    user = make_user(session, email="old@example.com", password_hash=weak)
    session.commit()
    signed_in = accounts.authenticate(session=session, email=user.email, password=PASSWORD)
    assert signed_in is not None
    accounts.refresh_hash(session=session, user=signed_in, password=PASSWORD)
    session.commit()
    with new_session(app.extensions["hiring.engine"]) as fresh:
        stored = fresh.get(User, user.id)
        assert stored is not None
        assert "m=65536,t=3,p=4" in stored.password_hash
        assert accounts.password_matches(stored.password_hash, PASSWORD)


def test_unknown_emails_cost_a_password_check_too(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(password))
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "PASSWORD_HASHER", CountingHasher())
    unknown = accounts.authenticate(session=session, email="nobody@example.com", password="guess")
    assert unknown is None
    assert checked == ["guess"]


def test_two_processes_adding_the_same_email_get_a_clear_refusal(app: Flask) -> None:
    engine = app.extensions["hiring.engine"]
    outcome: list[BaseException] = []

    def add_second() -> None:
        with new_session(engine) as second:
            try:
                accounts.create_user(
                    session=second, email="race@example.com", role="admin", password=PASSWORD
                )
                second.commit()
            except BaseException as error:  # reported on the main thread
                outcome.append(error)

    with new_session(engine) as first:
        accounts.create_user(
            session=first, email="race@example.com", role="admin", password=PASSWORD
        )
        first.flush()
        racer = threading.Thread(target=add_second)
        racer.start()
        time.sleep(0.5)  # the second add now waits on the first's uncommitted row or lock
        first.commit()
    racer.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], accounts.AccountError)
    assert str(outcome[0]) == "a user with the email race@example.com already exists"


def test_api_tokens_are_stored_hashed(session: Session) -> None:
    user = make_user(session, email="bot@example.com", role=Role.RECRUITER)
    token = accounts.issue_token(session=session, user=user)
    session.commit()
    assert token.startswith("hiring_") and len(token) > 40
    stored = session.exec(select(ApiToken)).one()
    assert token not in stored.token_hash
    dump = " ".join(str(row) for row in session.execute(text("SELECT * FROM api_tokens")))
    assert token not in dump
    assert accounts.user_for_token(session=session, token=token) == user
    assert accounts.user_for_token(session=session, token=token + "x") is None
    assert accounts.user_for_token(session=session, token="not-a-token") is None


def test_revoked_or_disabled_tokens_stop_working(session: Session) -> None:
    user = make_user(session, email="bot@example.com")
    first = accounts.issue_token(session=session, user=user)
    second = accounts.issue_token(session=session, user=user)
    assert accounts.user_for_token(session=session, token=first) == user
    user.active = False
    session.flush()
    assert accounts.user_for_token(session=session, token=second) is None
    user.active = True
    assert accounts.revoke_tokens(session=session, user=user) == 2
    session.flush()
    assert accounts.user_for_token(session=session, token=first) is None
