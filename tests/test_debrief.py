"""The debrief PDF, read back: what the committee reads (the panel, the flags with their
quotes, the quality checks, the gaps), what must not be there (flags that should not
fire, anything an interviewer's text tries to load), page sizes, tagging, and the CLI."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from pypdf import PdfReader
from sqlmodel import Session, select

from hiring.candidates import assign_interview, create_candidate
from hiring.config import ConfigError
from hiring.db import new_session
from hiring.models import Candidate, Role, User
from hiring.rubric_loader import RubricSet
from hiring.scoring import AntiPatternInput, RatingInput, ScorecardInput, save_scorecard
from hiring.web import rubric_set
from tests.helpers import make_user

COMPETENCIES = (
    "high-agency",
    "comfort-with-ambiguity",
    "leading-through-influence",
    "high-eq",
    "decisiveness",
    "bias-to-shipping",
)
INJECTIONS = (
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "<style>body { display: none }</style>",
)


def evidence(text: str) -> str:
    """Evidence long enough to count as real."""
    return f"{text} She described the situation, what she did and what happened next."


def submit(
    session: Session,
    rubrics: RubricSet,
    candidate: Candidate,
    who: User,
    ratings: dict[str, int],
    *,
    said: dict[str, str] | None = None,
    ticked: tuple[dict[str, str], ...] = (),
    recommendation: str = "yes",
    takeaways: str = "",
) -> None:
    """Assign `who` and submit their scorecard through the real services."""
    interview = assign_interview(
        session=session, rubrics=rubrics, candidate=candidate, interviewer_email=who.email
    )
    words = said or {}
    data = ScorecardInput(
        ratings={
            c: RatingInput(rating=r, evidence=words.get(c, evidence("Clear example.")))
            for c, r in ratings.items()
        },
        anti_patterns=[AntiPatternInput(**tick) for tick in ticked],
        recommendation=recommendation,
        takeaways=takeaways,
        submit=True,
    )
    rubric = rubrics.rubrics[candidate.rubric_id]
    save_scorecard(
        session=session, interview=interview, author=who, data=data, current_rubric=rubric
    )


def panel(app: Flask) -> dict[str, Any]:
    """Dana Okafor, a product manager candidate: Ivan ticks "Needs structured swim lanes"
    and Olga writes one of its cues, so it is confirmed; Olga's evidence is vague in one
    place and her takeaways carry every injection attempt; Wes is assigned, writes nothing."""
    with new_session(app.extensions["hiring.engine"]) as session, app.app_context():
        rubrics = rubric_set()
        people = {
            name: make_user(session, email=f"{name}@example.com", name=name.title())
            for name in ("ivan", "olga", "wes")
        }
        make_user(session, email="rita@example.com", name="Rita", role=Role.RECRUITER)
        dana = create_candidate(
            session=session,
            rubrics=rubrics,
            name="Dana Okafor",
            email="dana@example.com",
            rubric_id="product-manager",
        )
        swim_lanes = "Asked who owns what before starting anything on the ambiguous project."
        submit(
            session,
            rubrics,
            dana,
            people["ivan"],
            dict.fromkeys(COMPETENCIES, 2),
            ticked=({"id": "needs-swim-lanes", "evidence": swim_lanes},),
            recommendation="no",
            takeaways="Capable, but waited for a plan before acting.",
        )
        said = {
            "high-agency": evidence("She wanted swim-lanes drawn before the project started."),
            "high-eq": "Lukewarm, gut feeling.",
        }
        ratings = dict(zip(COMPETENCIES, (2, 3, 3, 2, 4, 3), strict=True))
        takeaways = "Mixed. " + " ".join(INJECTIONS)
        submit(session, rubrics, dana, people["olga"], ratings, said=said, takeaways=takeaways)
        assign_interview(
            session=session, rubrics=rubrics, candidate=dana, interviewer_email="wes@example.com"
        )
        session.commit()
        return {"id": dana.id, "email": dana.email}


def read(pdf: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text, whitespace collapsed so that wrapped lines read as one."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def write_debrief(runner: FlaskCliRunner, tmp_path: Path, *extra: str) -> bytes:
    output = tmp_path / "dana.pdf"
    result = runner.invoke(args=["debrief", "dana@example.com", "-o", str(output), *extra])
    assert result.exit_code == 0, result.output
    assert "Wrote the debrief of Dana Okafor" in result.output
    return output.read_bytes()


def test_the_pdf_tells_the_committee_what_the_panel_saw(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    panel(app)
    reader, text = read(write_debrief(runner, tmp_path))
    assert len(reader.pages) <= 2
    assert "Dana Okafor" in text and "Product Manager" in text
    assert "product-manager, version 1" in text
    for name in ("High agency", "Comfort with ambiguity", "Decisiveness", "Bias to shipping"):
        assert name in text
    # The flag, confirmed, with both quotes and their authors.
    assert "Needs structured swim lanes Confirmed · high severity" in text
    assert "Asked who owns what before starting anything on the ambiguous project." in text
    assert "She wanted swim-lanes drawn before the project started." in text
    assert "cue phrase “swim lanes”" in text
    # Flags that must not fire: nobody ticked or wrote them, and no threshold is crossed.
    for quiet in ("CEO of product", "Waits for permission", "Abdication"):
        assert quiet not in text
    # Splits, quality checks and gaps.
    assert "disagrees by two or more points on Decisiveness" in text
    assert "No real evidence:" in text and "Lukewarm, gut feeling." in text
    assert "Vague language:" in text
    assert "Same rating everywhere:" in text  # Ivan rated all six competencies 2
    assert "1 scorecard missing" in text and "Wes: not started" in text
    assert "Capable, but waited for a plan before acting." in text
    assert "Page 1 of 2" in text or "Page 1 of 1" in text
    assert re.search(r"content hash [0-9a-f]{16}", text)


def test_interviewers_words_stay_literal_text_and_load_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    panel(app)
    reader, text = read(write_debrief(runner, tmp_path))
    for attempt in INJECTIONS:
        assert attempt in text
    assert "root:" not in text  # nothing of /etc/passwd
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert "/AF" not in root
    for page in reader.pages:
        assert not page.images  # the chart is vector drawing; no image was loaded


def test_the_pdf_is_tagged_for_screen_readers_and_titled(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    panel(app)
    reader, _ = read(write_debrief(runner, tmp_path))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "Debrief: Dana Okafor, Product Manager (high agency)"


@pytest.mark.parametrize(
    ("option", "size"), [((), (595, 842)), (("--page-size", "letter"), (612, 792))]
)
def test_a4_by_default_and_us_letter_by_option(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    option: tuple[str, ...],
    size: tuple[int, int],
) -> None:
    panel(app)
    reader, _ = read(write_debrief(runner, tmp_path, *option))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_the_content_hash_changes_with_the_content_only(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    panel(app)
    first = read(write_debrief(runner, tmp_path))[1]
    again = read(write_debrief(runner, tmp_path))[1]
    hashes = [re.search(r"content hash ([0-9a-f]{16})", t)[1] for t in (first, again)]  # type: ignore[index]
    assert hashes[0] == hashes[1]
    with new_session(app.extensions["hiring.engine"]) as session, app.app_context():
        dana = session.exec(select(Candidate).where(Candidate.email == "dana@example.com")).one()
        kim = make_user(session, email="kim@example.com", name="Kim")
        submit(session, rubric_set(), dana, kim, dict.fromkeys(COMPETENCIES, 3))
        session.commit()
    changed = read(write_debrief(runner, tmp_path))[1]
    assert re.search(r"content hash ([0-9a-f]{16})", changed)[1] != hashes[0]  # type: ignore[index]


def test_a_deployment_adds_its_own_vague_words(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(DEBRIEF_VAGUE_WORDS=["owns what"])
    panel(app)
    _, text = read(write_debrief(app.test_cli_runner(), tmp_path))
    assert 'Vague language: Ivan wrote "owns what" in their notes on the anti-pattern' in text


def test_debrief_settings_of_the_wrong_kind_are_refused(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="DEBRIEF_VAGUE_WORDS must be a list"):
        make_app(DEBRIEF_VAGUE_WORDS="lukewarm")
    with pytest.raises(ConfigError, match="DEBRIEF_WORKERS must be a positive"):
        make_app(DEBRIEF_WORKERS=0)


def test_the_cli_explains_every_mistake_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    panel(app)
    cases = [
        (["debrief", "-o", str(tmp_path / "x.pdf")], "give either a CANDIDATE_EMAIL or --all"),
        (["debrief", "nobody@example.com", "-o", str(tmp_path / "x.pdf")], "no candidate"),
        (["debrief", "dana@example.com", "-o", str(tmp_path / "no" / "x.pdf")], "create it first"),
        (["debrief", "dana@example.com", "--all", "-o", str(tmp_path)], "either"),
        (["debrief", "--all", "--rubric", "nope", "-o", str(tmp_path / "d")], "no rubric has"),
        (["debrief", "dana@example.com", "--page-size", "A3", "-o", "x.pdf"], "A3"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_bulk_export_writes_every_debrief_and_reports_a_failure(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    panel(app)
    with new_session(app.extensions["hiring.engine"]) as session, app.app_context():
        create_candidate(
            session=session,
            rubrics=rubric_set(),
            name="Eli Park",
            email="eli@example.com",
            rubric_id="product-engineer",
        )
        session.add(Candidate(name="Gone", email="gone@example.com", rubric_id="retired-role"))
        session.commit()
    folder = tmp_path / "debriefs"
    result = runner.invoke(args=["debrief", "--all", "-o", str(folder), "--jobs", "2"])
    assert result.exit_code == 1
    assert "Wrote 2 debriefs" in result.output
    assert "1 of 3 failed" in result.output
    assert "gone@example.com: the rubric retired-role is unavailable" in result.output
    written = sorted(path.name for path in folder.iterdir())
    assert written == ["debrief-1-dana-okafor.pdf", "debrief-2-eli-park.pdf"]
    assert "Eli Park" in read((folder / written[1]).read_bytes())[1]

    only = tmp_path / "engineers"
    result = runner.invoke(
        args=["debrief", "--all", "--rubric", "product-engineer", "-o", str(only)]
    )
    assert result.exit_code == 0, result.output
    assert [path.name for path in only.iterdir()] == ["debrief-2-eli-park.pdf"]


def test_the_same_words_from_several_interviewers_are_quoted_once(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with new_session(app.extensions["hiring.engine"]) as session, app.app_context():
        rubrics = rubric_set()
        sam = create_candidate(
            session=session,
            rubrics=rubrics,
            name="Sam Lee",
            email="sam@example.com",
            rubric_id="product-manager",
        )
        said = {"bias-to-shipping": "Held the launch for the exec review, twice in a row."}
        for name in ("ana", "ben"):
            who = make_user(session, email=f"{name}@example.com", name=name.title())
            ratings = dict(zip(COMPETENCIES, (3, 2, 3, 2, 3, 3), strict=True))
            submit(session, rubrics, sam, who, ratings, said=said)
        session.commit()
    output = tmp_path / "sam.pdf"
    result = runner.invoke(args=["debrief", "sam@example.com", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = read(output.read_bytes())[1]
    assert "Waits for permission Signal" in text
    assert text.count("“Held the launch for the exec review, twice in a row.”") == 1
    assert "Ana; Ben" in text
