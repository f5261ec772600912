"""Submitted ratings, one row each, the candidate list's rollup summaries and its indexes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _reference(name: str, target: str) -> list:
    return [
        sa.Column(name, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([name], [target], ondelete="CASCADE"),
    ]


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_reference("scorecard_id", "scorecards.id"),
        *_reference("candidate_id", "candidates.id"),
        *_reference("interviewer_id", "users.id"),
        sa.Column("rubric_id", sa.String(80), nullable=False),
        sa.Column("competency_id", sa.String(80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
    )
    for column in ("scorecard_id", "candidate_id", "interviewer_id"):
        op.create_index(f"ix_ratings_{column}", "ratings", [column])
    op.create_index(
        "ix_ratings_calibration",
        "ratings",
        ["rubric_id", "competency_id", "candidate_id", "interviewer_id", "rating"],
    )
    op.create_table(
        "ratings_versions",
        sa.Column("rubric_id", sa.String(80), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "candidate_rollups",
        sa.Column("candidate_id", sa.Integer(), primary_key=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.Column("rubric_hash", sa.String(64), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTS),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_candidate_rollups_overall", "candidate_rollups", ["overall"])
    op.create_index("ix_candidate_rollups_rubric_hash", "candidate_rollups", ["rubric_hash"])
    op.create_index("ix_candidates_created", "candidates", ["created_at", "id"])
    op.create_index(
        "ix_candidates_rubric_created", "candidates", ["rubric_id", "created_at", "id"]
    )
    _backfill()


_COUNTS = ("strong_no", "no", "yes", "strong_yes", "flags", "splits")


def _backfill() -> None:
    """Index the ratings of scorecards submitted before this revision. Their rollup
    summaries are computed when the candidate list is next shown."""
    bind = op.get_bind()
    scorecards = bind.execute(
        sa.text(
            "SELECT s.id, s.ratings, i.candidate_id, i.interviewer_id, c.rubric_id"
            " FROM scorecards s JOIN interviews i ON i.id = s.interview_id"
            " JOIN candidates c ON c.id = i.candidate_id WHERE s.status = 'submitted'"
        )
    ).all()
    rows = [
        {
            "scorecard_id": scorecard_id,
            "candidate_id": candidate_id,
            "interviewer_id": interviewer_id,
            "rubric_id": rubric_id,
            "competency_id": competency_id,
            "rating": given["rating"],
        }
        for scorecard_id, ratings, candidate_id, interviewer_id, rubric_id in scorecards
        for competency_id, given in _json(ratings).items()
        if given.get("rating") is not None
    ]
    for rubric_id in sorted({row["rubric_id"] for row in rows}):
        op.execute(
            sa.text("INSERT INTO ratings_versions (rubric_id, version) VALUES (:rubric, 1)")
            .bindparams(rubric=rubric_id)
        )
    if rows:
        ratings_table = sa.table(
            "ratings",
            *(sa.column(name) for name in rows[0]),
        )
        op.bulk_insert(ratings_table, rows)


def _json(value: object) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value)  # type: ignore[call-overload]


def downgrade() -> None:
    op.drop_index("ix_candidates_rubric_created", "candidates")
    op.drop_index("ix_candidates_created", "candidates")
    op.drop_table("candidate_rollups")
    op.drop_table("ratings_versions")
    op.drop_table("ratings")
