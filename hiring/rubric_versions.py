"""Snapshots of the rubric versions the app has seen."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from hiring.models import RubricVersion
from hiring.rubrics import Rubric

SNAPSHOTS_KEPT = 256
_SNAPSHOTS: dict[str, Rubric] = {}  # by content hash; Rubric objects are not changed
_SNAPSHOTS_LOCK = threading.Lock()
_LABELS = "hiring.rubric_labels"  # Session.info key: labels by snapshot id, as read
_WITHOUT_CONTENT = defer(RubricVersion.content)  # type: ignore[arg-type]
_LABEL = select(
    col(RubricVersion.rubric_id), col(RubricVersion.version), col(RubricVersion.content_hash)
).where(col(RubricVersion.id) == bindparam("id"))
_FIND = select(col(RubricVersion.id)).where(  # built once: a scorecard's first save runs it
    col(RubricVersion.rubric_id) == bindparam("rubric_id"),
    col(RubricVersion.content_hash) == bindparam("content_hash"),
)


def record_version(*, session: Session, rubric: Rubric, known: int | None = None) -> int:
    """The id of the stored snapshot of this rubric's content, stored now if it is new
    (`known`: its id, when `stored_version` found it before; snapshots are never deleted).

    Safe when several processes record the same version at once: the loser of the
    race reads the winner's row. The session remembers the snapshot's label.
    """
    version_id = known if known is not None else _record(session, rubric)
    session.info.setdefault(_LABELS, {})[version_id] = label(rubric)
    return version_id


def stored_version(*, session: Session, rubric: Rubric) -> int | None:
    """The id of the stored snapshot of this rubric's content, if there is one."""
    return _find(session, rubric.id, rubric.content_hash)


def _record(session: Session, rubric: Rubric) -> int:
    content_hash = rubric.content_hash
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
    assert snapshot.id is not None
    return snapshot.id


def record_versions(*, session: Session, rubrics: Iterable[Rubric]) -> list[int]:
    """Record the current version of each rubric."""
    return [record_version(session=session, rubric=rubric) for rubric in rubrics]


def snapshot_rubric(snapshot: RubricVersion) -> Rubric:
    """The rubric exactly as it was when the snapshot was taken. Read once per process
    and content: a content hash names the same rubric in any database."""
    found = _SNAPSHOTS.get(snapshot.content_hash)
    if found is None:
        found = Rubric.model_validate(snapshot.content)  # the JSON is read from here only
        with _SNAPSHOTS_LOCK:
            _SNAPSHOTS[snapshot.content_hash] = found
            while len(_SNAPSHOTS) > SNAPSHOTS_KEPT:
                _SNAPSHOTS.pop(next(iter(_SNAPSHOTS)))
    return found


def versions_of(*, session: Session, rubric_id: str) -> list[RubricVersion]:
    """Every version of a rubric the app has seen, newest first."""
    statement = (
        select(RubricVersion)
        .where(RubricVersion.rubric_id == rubric_id)
        .order_by(col(RubricVersion.first_seen_at).desc(), col(RubricVersion.id).desc())
    )
    return list(session.exec(statement).all())


def label(rubric: Rubric) -> dict[str, Any]:
    """Which rubric version this is, as the API shows it: id, version and hash."""
    return {"id": rubric.id, "version": rubric.version, "hash": rubric.content_hash}


def version_label(*, session: Session, version_id: int) -> dict[str, Any]:
    """The label of a stored snapshot (as `label`), read once per session."""
    known = session.info.setdefault(_LABELS, {})
    if version_id not in known:
        rubric_id, version, content_hash = session.exec(_LABEL, params={"id": version_id}).one()
        known[version_id] = {"id": rubric_id, "version": version, "hash": content_hash}
    return known[version_id]


def snapshot_by_id(*, session: Session, version_id: int) -> RubricVersion | None:
    """A stored snapshot, its content left in the database until it is read."""
    return session.get(RubricVersion, version_id, options=[_WITHOUT_CONTENT])


def _find(session: Session, rubric_id: str, content_hash: str) -> int | None:
    params = {"rubric_id": rubric_id, "content_hash": content_hash}
    return session.exec(_FIND, params=params).first()
