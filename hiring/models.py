"""All tables, in one place (SQLModel)."""

from __future__ import annotations

import enum
import hashlib
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Role(enum.StrEnum):
    """What a user may do: admins manage everything, recruiters run loops, interviewers rate."""

    ADMIN = "admin"
    RECRUITER = "recruiter"
    INTERVIEWER = "interviewer"


def _timestamp_column() -> Any:
    return sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class User(SQLModel, table=True):
    """A person who signs in: an admin, a recruiter or an interviewer."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: Role = Field(
        sa_column=sa.Column(
            sa.Enum(
                Role,
                native_enum=False,
                create_constraint=True,
                length=20,
                name="user_role",
                values_callable=lambda roles: [role.value for role in roles],
            ),
            nullable=False,
        )
    )
    password_hash: str = Field(max_length=255)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The id kept in the session cookie: it changes with the password, so setting a
        new password ends the user's other sessions."""
        fingerprint = hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
        return f"{self.id}:{fingerprint}"


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class RubricVersion(SQLModel, table=True):
    """A snapshot of a rubric as the app first saw it, so old scorecards keep their meaning."""

    __tablename__ = "rubric_versions"
    __table_args__ = (sa.UniqueConstraint("rubric_id", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    rubric_id: str = Field(max_length=80, index=True)
    version: int
    content_hash: str = Field(max_length=64)
    title: str = Field(max_length=200)
    content: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    first_seen_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())
