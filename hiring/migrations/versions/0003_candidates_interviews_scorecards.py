"""Candidates, interviews, scorecards, the audit log and idempotency keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _reference(name: str, target: str, ondelete: str = "CASCADE") -> list:
    return [
        sa.Column(name, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([name], [target], ondelete=ondelete),
    ]


def upgrade() -> None:
    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("rubric_id", sa.String(80), nullable=False),
        sa.Column("stage_profile", sa.String(80), nullable=True),
        sa.Column(
            "status",
            _enum("candidate_status", "active", "hired", "rejected", "withdrawn"),
            nullable=False,
        ),
        _timestamp("created_at"),
    )
    op.create_index("ix_candidates_email", "candidates", ["email"], unique=True)
    op.create_index("ix_candidates_rubric_id", "candidates", ["rubric_id"])

    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_reference("candidate_id", "candidates.id"),
        *_reference("interviewer_id", "users.id"),
        sa.Column("focus", sa.JSON(), nullable=False),
        _timestamp("scheduled_at", nullable=True),
        _timestamp("created_at"),
    )
    op.create_index("ix_interviews_candidate_id", "interviews", ["candidate_id"])
    op.create_index("ix_interviews_interviewer_id", "interviews", ["interviewer_id"])

    op.create_table(
        "scorecards",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_reference("interview_id", "interviews.id"),
        *_reference("rubric_version_id", "rubric_versions.id", ondelete="RESTRICT"),
        sa.Column("status", _enum("scorecard_status", "draft", "submitted"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("anti_patterns", sa.JSON(), nullable=False),
        sa.Column(
            "recommendation",
            _enum("recommendation", "strong_no", "no", "yes", "strong_yes"),
            nullable=True,
        ),
        sa.Column("takeaways", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("submitted_at", nullable=True),
        sa.UniqueConstraint("interview_id"),
    )
    op.create_index("ix_scorecards_rubric_version_id", "scorecards", ["rubric_version_id"])

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_reference("scorecard_id", "scorecards.id"),
        *_reference("actor_id", "users.id", ondelete="RESTRICT"),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        _timestamp("at"),
    )
    op.create_index("ix_audit_entries_scorecard_id", "audit_entries", ["scorecard_id"])
    op.create_index("ix_audit_entries_actor_id", "audit_entries", ["actor_id"])
    _forbid_audit_updates()

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_reference("user_id", "users.id"),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        sa.UniqueConstraint("user_id", "key"),
    )
    op.create_index("ix_idempotency_keys_user_id", "idempotency_keys", ["user_id"])


def _forbid_audit_updates() -> None:
    """The audit log is append-only in the database itself, not only in the code."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("audit_entries")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    op.drop_table("scorecards")
    op.drop_table("interviews")
    op.drop_table("candidates")
