"""Rubric snapshots: editing a rubric file never changes what an old scorecard meant."""

from __future__ import annotations

from flask import Flask
from sqlmodel import select

from hiring.db import new_session
from hiring.models import RubricVersion
from hiring.rubric_loader import parse_rubric
from hiring.rubric_versions import record_version, snapshot_rubric, versions_of
from tests.rubric_samples import VALID_RUBRIC


def _rubric(text: str):  # type: ignore[no-untyped-def]
    rubric, errors = parse_rubric(text, "test.yaml")
    assert rubric is not None, errors
    return rubric


def test_each_version_is_stored_once_and_kept(app: Flask) -> None:
    original = _rubric(VALID_RUBRIC)
    edited = _rubric(VALID_RUBRIC.replace("Acted once asked.", "Acted when asked, promptly."))
    with new_session(app.extensions["hiring.engine"]) as session:
        first = record_version(session=session, rubric=original)
        again = record_version(session=session, rubric=original)
        second = record_version(session=session, rubric=edited)
        session.commit()
        assert first == again != second
        assert len(session.exec(select(RubricVersion)).all()) == 2
        assert [v.id for v in versions_of(session=session, rubric_id="test-role")] == [
            second,
            first,
        ]
    with new_session(app.extensions["hiring.engine"]) as session:
        stored = session.get(RubricVersion, first)
        assert stored is not None
        old = snapshot_rubric(stored)
        assert old == original
        assert old.competency("agency").anchors[2] == "Acted once asked."
        assert old.content_hash == stored.content_hash == original.content_hash
