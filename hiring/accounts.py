"""Accounts: password hashing, creating users, signing in, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hiring import login_sessions
from hiring.models import ApiToken, Role, User

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256  # OWASP ASVS 2.1.2 asks that at least 64 be allowed
TOKEN_PREFIX = "hiring_"  # noqa: S105 (a label, not a secret)

# Argon2id with RFC 9106's second recommended profile (64 MiB, 3 passes, 4 lanes):
# above OWASP ASVS 2.4.1's minimum for argon2id (19 MiB, 2 passes, 1 lane).
PASSWORD_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def hash_password(password: str) -> str:
    """Hash a password for storage (argon2id, salted)."""
    return PASSWORD_HASHER.hash(password)


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash`, in constant time."""
    try:
        return PASSWORD_HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Not an argon2 hash: no password matches it until `hiring users password` sets one.
NO_PASSWORD_PREFIX = "!no-password:"  # noqa: S105 (a marker, not a password)


def no_password_hash() -> str:
    """A stored hash no password matches: for accounts that cannot sign in until an admin
    sets a password (`hiring users password EMAIL`)."""
    return NO_PASSWORD_PREFIX + secrets.token_hex(16)


def has_password(user: User) -> bool:
    """Whether the user can sign in with a password at all."""
    return not user.password_hash.startswith(NO_PASSWORD_PREFIX)


def normalise_email(email: str) -> str:
    """The canonical form of an email address, or AccountError saying what is wrong."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"{email!r} is not a valid email address: {error}") from None
    return checked.normalized.lower()


def parse_role(role: str) -> Role:
    """The Role named `role`, or AccountError listing the valid names."""
    try:
        return Role(role.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise AccountError(f"{role!r} is not a role: use one of {names}") from None


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked password lists (zxcvbn's list).

    Imported on first use: zxcvbn's lists take 14 MB, and only the processes that set a
    password (the CLI) need them, not every web worker."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_policy(password: str) -> None:
    """Refuse passwords that are too short, too long, or among the most common ones."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(f"the password must have at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(f"the password must have at most {PASSWORD_MAX_LENGTH} characters")
    if password.lower() in common_passwords():
        raise AccountError(
            "that password is one of the most common passwords, which attackers try first: "
            "choose another (a few unrelated words make a strong one)"
        )


def find_user(*, session: Session, email: str) -> User | None:
    """The user with this email address, if any (compared in normalised form)."""
    try:
        address = normalise_email(email)
    except AccountError:
        return None
    return session.exec(select(User).where(User.email == address)).first()


def user_by_email(*, session: Session, email: str) -> User:
    """The user with this email address, or AccountError."""
    user = find_user(session=session, email=email)
    if user is None:
        raise AccountError(f"no user has the email {email!r}: see `hiring users list`")
    return user


def create_user(
    *, session: Session, email: str, role: str, password: str, name: str | None = None
) -> User:
    """Add a user; refuses a duplicate email, an unknown role or a weak password."""
    address = normalise_email(email)
    checked_role = parse_role(role)
    check_password_policy(password)
    if find_user(session=session, email=address) is not None:
        raise AccountError(f"a user with the email {address} already exists")
    user = User(
        email=address,
        name=(name or "").strip() or address.split("@")[0],
        role=checked_role,
        password_hash=hash_password(password),
    )
    try:
        with session.begin_nested():  # another process may have added the same email
            session.add(user)
    except IntegrityError:
        raise AccountError(f"a user with the email {address} already exists") from None
    return user


def set_password(*, session: Session, user: User, password: str) -> None:
    """Replace a user's password."""
    check_password_policy(password)
    user.password_hash = hash_password(password)
    session.add(user)
    login_sessions.end_all(session=session, user=user)


def set_active(*, session: Session, user: User, active: bool) -> int:
    """Enable or disable an account. Disabling ends its sessions at once (its API tokens
    stop working too, as they only serve active users); returns how many sessions ended."""
    user.active = active
    session.add(user)
    return 0 if active else login_sessions.end_all(session=session, user=user)


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    An unknown email costs the same hashing work as a wrong password, so the
    response time does not tell which accounts exist. Only reads: see `refresh_hash`.
    """
    decoy = _decoy_hash()  # computed on every process's first attempt, whoever it is for
    user = find_user(session=session, email=email)
    if user is None or not has_password(user):
        password_matches(decoy, password)  # the same work for accounts without a password
        return None
    if not password_matches(user.password_hash, password) or not user.active:
        return None
    return user


def refresh_hash(*, session: Session, user: User, password: str) -> User:
    """After a successful sign-in, re-hash a password stored with weaker parameters.

    Returns the user as `session` sees it; touches the database only when needed.
    """
    if not PASSWORD_HASHER.check_needs_rehash(user.password_hash):
        return user
    new_hash = hash_password(password)  # before the write transaction starts
    stored = session.get(User, user.id)
    assert stored is not None
    stored.password_hash = new_hash
    return stored


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, session: Session, user: User) -> str:
    """Create an API token for `user`; only its digest is stored, so show it now or never."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token)))
    session.flush()
    return token


_TOKEN_USER = (  # built once: every API request runs it
    select(User)
    .join(ApiToken, col(ApiToken.user_id) == col(User.id))
    .where(col(ApiToken.token_hash) == bindparam("digest"), col(User.active).is_(True))
)


def user_for_token(*, session: Session, token: str) -> User | None:
    """The active user an API token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return session.exec(_TOKEN_USER, params={"digest": _token_digest(token)}).first()


def revoke_tokens(*, session: Session, user: User) -> int:
    """Delete every API token of `user`; returns how many there were."""
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    for token in tokens:
        session.delete(token)
    return len(tokens)


def list_users(*, session: Session) -> list[User]:
    """Every user, by role then email."""
    return list(session.exec(select(User).order_by(col(User.role), col(User.email))).all())
