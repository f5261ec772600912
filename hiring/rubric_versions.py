"""Snapshots of the rubric versions the app has seen."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hiring.models import RubricVersion
from hiring.rubrics import Rubric


def record_version(*, session: Session, rubric: Rubric) -> RubricVersion:
    """The stored snapshot of this rubric's content, stored now if it is new.

    Safe when several processes record the same version at once: the loser of the
    race reads the winner's row.
    """
    content_hash = rubric.content_hash()
    found = _find(session, rubric.id, content_hash)
    if found is not None:
        return found
    snapshot = RubricVersion(
        rubric_id=rubric.id,
        version=rubric.version,
        content_hash=content_hash,
        title=rubric.title,
        content=rubric.model_dump(mode="json"),
    )
    try:
        with session.begin_nested():
            session.add(snapshot)
    except IntegrityError:
        found = _find(session, rubric.id, content_hash)
        assert found is not None
        return found
    return snapshot


def record_versions(*, session: Session, rubrics: Iterable[Rubric]) -> list[RubricVersion]:
    """Record the current version of each rubric."""
    return [record_version(session=session, rubric=rubric) for rubric in rubrics]


def snapshot_rubric(snapshot: RubricVersion) -> Rubric:
    """The rubric exactly as it was when the snapshot was taken."""
    return Rubric.model_validate(snapshot.content)


def versions_of(*, session: Session, rubric_id: str) -> list[RubricVersion]:
    """Every version of a rubric the app has seen, newest first."""
    statement = (
        select(RubricVersion)
        .where(RubricVersion.rubric_id == rubric_id)
        .order_by(col(RubricVersion.first_seen_at).desc(), col(RubricVersion.id).desc())
    )
    return list(session.exec(statement).all())


def _find(session: Session, rubric_id: str, content_hash: str) -> RubricVersion | None:
    statement = select(RubricVersion).where(
        RubricVersion.rubric_id == rubric_id, RubricVersion.content_hash == content_hash
    )
    return session.exec(statement).first()
