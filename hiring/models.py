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


def _timestamp_column(nullable: bool = False) -> Any:
    return sa.Column(UTCDateTime(), nullable=nullable, default=None if nullable else utcnow)


def _enum_column(enum_class: type[enum.StrEnum], name: str, nullable: bool = False) -> Any:
    """A string column limited to the enum's values (a CHECK constraint on every database)."""
    return sa.Column(
        sa.Enum(
            enum_class,
            native_enum=False,
            create_constraint=True,
            length=20,
            name=name,
            values_callable=lambda members: [member.value for member in members],
        ),
        nullable=nullable,
    )


def _foreign_key(target: str, unique: bool = False, ondelete: str = "CASCADE") -> Any:
    return sa.Column(
        sa.Integer,
        sa.ForeignKey(target, ondelete=ondelete),
        nullable=False,
        index=not unique,
        unique=unique,
    )


class User(SQLModel, table=True):
    """A person who signs in: an admin, a recruiter or an interviewer."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: Role = Field(sa_column=_enum_column(Role, "user_role"))
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
    user_id: int = Field(sa_column=_foreign_key("users.id"))
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class LoginSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its digest is stored, and
    deleting the row (sign-out, a disabled account, expiry) ends the session on the server."""

    __tablename__ = "login_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_foreign_key("users.id"))
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, counted against the account and the address it came from, so
    that every server process throttles the same guesses."""

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index("ix_login_failures_scope_key_at", "scope", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=10)  # "account" or "address"
    key: str = Field(max_length=254)
    at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


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


class CandidateStatus(enum.StrEnum):
    """Where a candidate stands."""

    ACTIVE = "active"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ScorecardStatus(enum.StrEnum):
    """A scorecard is a draft until its author submits it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Recommendation(enum.StrEnum):
    """The overall recommendation: no neutral option."""

    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


class Candidate(SQLModel, table=True):
    """A person being interviewed for a role, assessed against one rubric."""

    __tablename__ = "candidates"
    __table_args__ = (
        # The candidate list's default order, over everyone or one rubric's candidates.
        sa.Index("ix_candidates_created", "created_at", "id"),
        sa.Index("ix_candidates_rubric_created", "rubric_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, unique=True, index=True)
    rubric_id: str = Field(max_length=80, index=True)
    stage_profile: str | None = Field(default=None, max_length=80)
    status: CandidateStatus = Field(
        default=CandidateStatus.ACTIVE, sa_column=_enum_column(CandidateStatus, "candidate_status")
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class Interview(SQLModel, table=True):
    """One interviewer's interview of a candidate, on some of the rubric's competencies."""

    __tablename__ = "interviews"

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(sa_column=_foreign_key("candidates.id"))
    interviewer_id: int = Field(sa_column=_foreign_key("users.id"))
    focus: list[str] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    scheduled_at: datetime | None = Field(default=None, sa_column=_timestamp_column(True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class Scorecard(SQLModel, table=True):
    """An interviewer's ratings, with evidence, for one interview (at most one per interview)."""

    __tablename__ = "scorecards"

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=_foreign_key("interviews.id", unique=True))
    rubric_version_id: int = Field(
        sa_column=_foreign_key("rubric_versions.id", ondelete="RESTRICT")
    )
    status: ScorecardStatus = Field(
        default=ScorecardStatus.DRAFT, sa_column=_enum_column(ScorecardStatus, "scorecard_status")
    )
    version: int = 1  # optimistic locking: bumped by every save
    ratings: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    anti_patterns: list[Any] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    recommendation: Recommendation | None = Field(
        default=None, sa_column=_enum_column(Recommendation, "recommendation", nullable=True)
    )
    takeaways: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())
    submitted_at: datetime | None = Field(default=None, sa_column=_timestamp_column(True))


class AuditEntry(SQLModel, table=True):
    """An append-only record of a change to a scorecard: who, when, what, before and after."""

    __tablename__ = "audit_entries"

    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(sa_column=_foreign_key("scorecards.id"))
    actor_id: int = Field(sa_column=_foreign_key("users.id", ondelete="RESTRICT"))
    action: str = Field(max_length=20)
    changes: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class IdempotencyKey(SQLModel, table=True):
    """The first response to an API request sent with an Idempotency-Key, to replay on retry."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_foreign_key("users.id"))
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    status_code: int
    body: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())


class Rating(SQLModel, table=True):
    """One rating of a submitted scorecard, a row per competency: what rollups and
    calibration read, in SQL, without opening every scorecard."""

    __tablename__ = "ratings"
    __table_args__ = (
        # Covers the calibration query, which then never reads the table itself.
        sa.Index(
            "ix_ratings_calibration",
            "rubric_id",
            "competency_id",
            "candidate_id",
            "interviewer_id",
            "rating",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(sa_column=_foreign_key("scorecards.id"))
    candidate_id: int = Field(sa_column=_foreign_key("candidates.id"))
    interviewer_id: int = Field(sa_column=_foreign_key("users.id"))
    rubric_id: str = Field(max_length=80)
    competency_id: str = Field(max_length=80)
    rating: int


class RatingsVersion(SQLModel, table=True):
    """How many times a rubric's submitted ratings have changed: leniency estimates fitted
    at one version are fitted again at the next."""

    __tablename__ = "ratings_versions"

    rubric_id: str = Field(max_length=80, primary_key=True)
    version: int = 0


class CandidateRollup(SQLModel, table=True):
    """A candidate's rollup in brief, kept up to date for sorting and filtering the
    candidate list; `rubric_hash` says which rubric content it was computed with."""

    __tablename__ = "candidate_rollups"

    candidate_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
        )
    )
    rubric_hash: str = Field(max_length=64, index=True)
    overall: float | None = Field(default=None, index=True)
    strong_no: int = 0
    no: int = 0
    yes: int = 0
    strong_yes: int = 0
    flags: int = 0
    splits: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp_column())
