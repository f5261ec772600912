"""Interviewing-quality checks: what each check catches, the near misses that must not fire,
the messages a recruiter reads and the order they come in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hiring.flags import PanelScorecard
from hiring.quality import BUILT_IN_LANGUAGE, Language, language, quality_checks
from hiring.rollup import summarise
from hiring.rubric_loader import load_rubrics

RUBRICS = Path(__file__).parent.parent / "rubrics"
RUBRIC = load_rubrics([RUBRICS]).rubrics["product-manager"]  # scale 1 to 4: midpoint 2.5
NAMES = {1: "Dana Lee", 2: "Sam Ortiz", 3: "Kim Park"}
GOOD = "Pulled the churn data herself and shipped a fix within a week."


def scorecard(number: int, **fields: Any) -> PanelScorecard:
    """A careful submitted scorecard of interviewer `number`: no check fires on it."""
    values: dict[str, Any] = {
        "interview_id": number,
        "interviewer_id": number,
        "interviewer_email": f"i{number}@example.com",
        "interviewer_name": NAMES[number],
        "state": "submitted",
        "scorecard_id": number,
        "ratings": {"high-agency": 3, "decisiveness": 2},
        "evidence": {"high-agency": GOOD, "decisiveness": GOOD},
        "recommendation": "yes",
        "takeaways": "Acts without waiting; slow to decide under pressure.",
        "submitted_at": "2026-11-02T10:00:00+00:00",
        "due_at": "2026-11-02T15:00:00+00:00",
    }
    return PanelScorecard(**(values | fields))


def checks(
    *panel: PanelScorecard, kind: str | None = None, lang: Language = BUILT_IN_LANGUAGE
) -> list[dict[str, Any]]:
    found = quality_checks(rubric=RUBRIC, panel=panel, competencies=[], language=lang)
    return [check for check in found if kind is None or check["check"] == kind]


def terms(*panel: PanelScorecard, kind: str, lang: Language = BUILT_IN_LANGUAGE) -> list[str]:
    """The terms the vague or not-job-related checks name, read from their messages."""
    return [check["message"].split('"')[1] for check in checks(*panel, kind=kind, lang=lang)]


def test_a_careful_scorecard_raises_no_check() -> None:
    assert checks(scorecard(1)) == []


def test_a_rating_without_real_evidence() -> None:
    found = checks(
        scorecard(
            1,
            ratings={"high-agency": 3, "comfort-with-ambiguity": 2, "decisiveness": 3},
            evidence={"high-agency": "  ", "decisiveness": "Good, very good.", "high-eq": GOOD},
        ),
        kind="no_evidence",
    )
    assert [(c["competency"], c["quote"]) for c in found] == [
        ("high-agency", None),
        ("comfort-with-ambiguity", None),  # no evidence field at all
        ("decisiveness", "Good, very good."),
    ]
    assert found[0] == {
        "check": "no_evidence",
        "interviewer": "i1@example.com",
        "interviewer_name": "Dana Lee",
        "competency": "high-agency",
        "message": "Dana Lee rated High agency 3 without any evidence of what the candidate "
        "said or did.",
        "quote": None,
    }
    assert found[2]["message"] == (
        "Dana Lee rated Decisiveness 3 on 3 words of evidence, too few to show what the "
        "candidate did."
    )


def test_five_words_of_evidence_pass_and_evidence_without_a_rating_is_not_checked() -> None:
    five = "Shipped the fix in days."
    assert checks(scorecard(1, evidence={"high-agency": five, "decisiveness": five})) == []
    four = scorecard(1, evidence={"high-agency": "Shipped the fix quickly.", "decisiveness": five})
    assert [c["competency"] for c in checks(four)] == ["high-agency"]
    unrated = scorecard(1, evidence={"high-agency": GOOD, "decisiveness": GOOD, "high-eq": "Ok."})
    assert checks(unrated) == []


def test_the_same_rating_for_four_competencies_is_a_halo() -> None:
    ratings = dict.fromkeys(["high-agency", "high-eq", "decisiveness", "bias-to-shipping"], 3)
    evidence = dict.fromkeys(ratings, GOOD)
    [halo] = checks(scorecard(1, ratings=ratings, evidence=evidence), kind="halo")
    assert (halo["interviewer_name"], halo["competency"], halo["quote"]) == ("Dana Lee", None, None)
    assert halo["message"] == (
        "Dana Lee rated all 4 competencies they assessed 3 (Yes), which suggests one overall "
        "impression rather than a judgement of each."
    )


@pytest.mark.parametrize(
    "ratings",
    [
        {"high-agency": 3, "high-eq": 3, "decisiveness": 3},  # three equal ratings
        {"high-agency": 3, "high-eq": 3, "decisiveness": 3, "bias-to-shipping": 4},
        {"high-agency": 3, "high-eq": 3, "decisiveness": 3, "retired-competency": 3},
    ],
)
def test_near_misses_are_no_halo(ratings: dict[str, int]) -> None:
    evidence = dict.fromkeys(ratings, GOOD)
    assert checks(scorecard(1, ratings=ratings, evidence=evidence), kind="halo") == []


@pytest.mark.parametrize(
    ("ratings", "recommendation", "contradicts"),
    [
        ([2, 2], "yes", True),
        ([3, 4], "strong_no", True),
        ([2, 3], "yes", False),  # exactly at the midpoint
        ([2, 3], "strong_no", False),
        ([3, 3], "yes", False),
        ([2, 1], "no", False),
        ([1, 1], None, False),
    ],
)
def test_a_recommendation_on_the_other_side_of_the_ratings(
    ratings: list[int], recommendation: str | None, contradicts: bool
) -> None:
    rated = dict(zip(["high-agency", "decisiveness"], ratings, strict=True))
    found = checks(scorecard(1, ratings=rated, recommendation=recommendation), kind="contradiction")
    assert len(found) == int(contradicts)


def test_the_contradiction_gives_the_mean_and_the_recommendation_in_words() -> None:
    rated = {"high-agency": 1, "comfort-with-ambiguity": 2, "decisiveness": 2}
    evidence = dict.fromkeys(rated, GOOD)
    takeaways = "Great energy, hire."
    dana = scorecard(1, ratings=rated, evidence=evidence, recommendation="no")
    kim = scorecard(3, ratings=rated, evidence=evidence, recommendation="strong_yes")
    kim = replace(kim, takeaways=takeaways)
    [found] = checks(dana, kim, kind="contradiction")
    assert found["interviewer_name"] == "Kim Park" and found["quote"] == takeaways
    assert found["message"] == (
        "Kim Park recommended Strong yes but their ratings average 1.67, below the midpoint "
        "of the scale (2.5)."
    )
    [high] = checks(scorecard(1, ratings={"high-agency": 4}, recommendation="no"))
    assert high["message"] == (
        "Dana Lee recommended No but their ratings average 4.00, above the midpoint of the "
        "scale (2.5)."
    )
    assert high["quote"] == "Acts without waiting; slow to decide under pressure."


def test_vague_words_in_evidence_notes_and_takeaways() -> None:
    found = checks(
        scorecard(
            1,
            evidence={
                "high-agency": f"{GOOD} Gut feeling says she is a doer.",
                "decisiveness": "Lukewarm on her calls. Decided slowly on the pricing page.",
            },
            anti_patterns=[{"id": "needs-swim-lanes", "evidence": "Wants owners. Just a vibe."}],
            takeaways="Lukewarm. Hard to say why.",
        ),
        kind="vague_language",
    )
    assert [(c["competency"], c["quote"]) for c in found] == [
        ("high-agency", "Gut feeling says she is a doer."),
        ("decisiveness", "Lukewarm on her calls."),  # once, though the takeaways say it again
        (None, "Just a vibe."),
        (None, "Hard to say why."),
    ]
    assert [c["message"] for c in found[:3]] == [
        'Dana Lee wrote "gut feeling" in the evidence for High agency, which records an '
        "impression, not what the candidate said or did.",
        'Dana Lee wrote "lukewarm" in the evidence for Decisiveness, which records an '
        "impression, not what the candidate said or did.",
        'Dana Lee wrote "vibe" in their notes on the anti-pattern Needs structured swim lanes, '
        "which records an impression, not what the candidate said or did.",
    ]


@pytest.mark.parametrize(
    ("takeaways", "term"),
    [
        ("Mentioned her kids twice.", "kids"),
        ("A younger team would suit him.", "younger"),
        ("Not a culture fit for us.", "culture fit"),
        ("Not a cultural-fit for us.", "cultural fit"),
        ("Worried about his age.", "age"),
        ("He is 58 years old.", "years old"),
        ("A 30-year-old engineer.", "years old"),
        ("Talked about her FAMILY a lot.", "family"),
        ("Very well-dressed.", "well dressed"),
        ("Good-looking guy, presents well.", "good-looking"),
        ("Close to retirement, so unlikely to stay.", "retirement"),
        ("She is too young for this.", "too young"),  # not also "young"
    ],
)
def test_words_not_related_to_the_job(takeaways: str, term: str) -> None:
    panel = scorecard(1, takeaways=takeaways)
    assert terms(panel, kind="not_job_related") == [term]
    [found] = checks(panel, kind="not_job_related")
    assert (found["competency"], found["quote"]) == (None, takeaways)


@pytest.mark.parametrize(
    "takeaways",
    [
        "Helped manage the stage gate and leveraged the page views.",
        "Built a culture of writing at her last company.",
        "Familiar with the roadmap tooling and familiarised the team with it.",
        "No kidding, she shipped it in a day.",
        "Took a good look at the funnel before deciding.",
        "Retired the legacy billing service in a month.",
        "Fits well with how the team plans.",
    ],
)
def test_near_misses_of_words_not_related_to_the_job_do_not_fire(takeaways: str) -> None:
    panel = scorecard(1, takeaways=takeaways)
    assert checks(panel) == []


def test_a_near_miss_does_not_hide_the_term_later_in_the_same_text() -> None:
    panel = scorecard(1, takeaways="No kidding, she shipped it. Later she mentioned her kids.")
    [found] = checks(panel, kind="not_job_related")
    assert found["quote"] == "Later she mentioned her kids."


def test_each_term_is_one_check_per_interviewer() -> None:
    evidence = {"high-agency": f"{GOOD} Has kids.", "decisiveness": f"{GOOD} Her kids are young."}
    found = checks(scorecard(1, evidence=evidence), scorecard(2, evidence=evidence))
    assert [(c["interviewer"], c["competency"], c["quote"]) for c in found] == [
        ("i1@example.com", "high-agency", "Has kids."),
        ("i1@example.com", "decisiveness", "Her kids are young."),
        ("i2@example.com", "high-agency", "Has kids."),
        ("i2@example.com", "decisiveness", "Her kids are young."),
    ]
    assert terms(scorecard(1, evidence=evidence), kind="not_job_related") == ["kids", "young"]


def test_a_deployment_extends_the_built_in_lists() -> None:
    vague = ["Vibe", "vibes", "meh-ish", " meh-ish "]
    extended = language(vague=vague, not_job_related=["star sign"])
    assert extended.vague == (*BUILT_IN_LANGUAGE.vague, "meh-ish")
    assert extended.not_job_related == (*BUILT_IN_LANGUAGE.not_job_related, "star sign")
    assert language() == BUILT_IN_LANGUAGE  # no built-in term listed twice
    panel = scorecard(1, takeaways="Meh-ish overall. Asked about her star sign.")
    assert terms(panel, kind="vague_language") == ["meh"]
    assert terms(panel, kind="not_job_related") == []
    assert terms(panel, kind="vague_language", lang=extended) == ["meh-ish"]
    assert terms(panel, kind="not_job_related", lang=extended) == ["star sign"]


@pytest.mark.parametrize(
    ("submitted_at", "late"),
    [
        ("2026-11-05T16:00:00+00:00", "3 days"),
        ("2026-11-04T15:00:00+00:00", "2 days"),  # 48 hours
        ("2026-11-04T14:59:00+00:00", "47 hours"),
        ("2026-11-02T16:30:00+00:00", "1 hour"),
        ("2026-11-02T15:20:00+00:00", "less than an hour"),
        ("2026-11-02T12:00:00-05:00", "2 hours"),  # 17:00 UTC
    ],
)
def test_a_late_scorecard_says_by_how_long(submitted_at: str, late: str) -> None:
    [found] = checks(scorecard(1, submitted_at=submitted_at))
    assert found["check"] == "late" and found["competency"] is None
    assert found["message"] == (
        f"Dana Lee submitted {late} late: the later evidence is written, the more it rests "
        "on memory."
    )


@pytest.mark.parametrize(
    ("submitted_at", "due_at"),
    [
        ("2026-11-02T14:00:00+00:00", "2026-11-02T15:00:00+00:00"),
        ("2026-11-02T15:00:00+00:00", "2026-11-02T15:00:00+00:00"),  # on the dot
        ("2026-11-02T16:00:00+02:00", "2026-11-02T15:00:00+00:00"),  # 14:00 UTC
        ("2026-11-09T10:00:00+00:00", None),  # never scheduled
    ],
)
def test_a_scorecard_submitted_in_time_is_not_late(submitted_at: str, due_at: str | None) -> None:
    assert checks(scorecard(1, submitted_at=submitted_at, due_at=due_at)) == []


def test_an_amended_scorecard_gives_the_date() -> None:
    [found] = checks(scorecard(2, amended_at="2026-11-03T09:30:00+00:00"))
    assert (found["check"], found["interviewer"]) == ("amended", "i2@example.com")
    assert found["message"] == (
        "Sam Ortiz changed their scorecard on 3 November 2026, after submitting it: check the "
        "change was not prompted by other interviewers' views."
    )


def test_a_split_from_the_rollup() -> None:
    panel = [
        scorecard(1, ratings={"high-agency": 1, "decisiveness": 2}, recommendation="no"),
        scorecard(2, ratings={"high-agency": 4, "decisiveness": 3}, recommendation="strong_yes"),
    ]
    candidate = {"id": 1, "email": "c@example.org", "name": "C", "stage_profile": None}
    rollup = summarise(candidate=candidate, rubric=RUBRIC, panel=panel, leniency={})
    found = quality_checks(rubric=RUBRIC, panel=panel, competencies=rollup["competencies"])
    assert found == [
        {
            "check": "split",
            "interviewer": None,
            "interviewer_name": None,
            "competency": "high-agency",
            "message": "The panel's ratings of High agency span 1 to 4: hear what each "
            "interviewer saw before deciding.",
            "quote": None,
        }
    ]


def test_drafts_and_scorecards_not_submitted_are_not_checked() -> None:
    careless: dict[str, Any] = {
        "ratings": dict.fromkeys(["high-agency", "high-eq", "decisiveness", "bias-to-shipping"], 1),
        "evidence": {},
        "recommendation": "strong_yes",
        "takeaways": "Culture fit, gut feeling.",
        "submitted_at": "2026-11-09T10:00:00+00:00",
        "amended_at": "2026-11-10T10:00:00+00:00",
    }
    draft = scorecard(1, state="due", draft=True, **careless)
    overdue = scorecard(2, state="overdue", draft=True, **careless)
    missing = scorecard(3, state="upcoming", scorecard_id=None)
    assert checks(draft, overdue, missing) == []
    submitted = checks(scorecard(1, **careless))  # the same content, submitted
    assert [c["check"] for c in submitted] == [
        *["no_evidence"] * 4,
        *["halo", "contradiction", "vague_language", "not_job_related", "late", "amended"],
    ]


def test_checks_come_by_kind_then_panel_then_rubric_order() -> None:
    sam = scorecard(
        2,
        ratings={"decisiveness": 1, "high-agency": 2},
        evidence={"decisiveness": "Slow.", "high-agency": ""},
        takeaways="Not a culture fit.",
        submitted_at="2026-11-03T10:00:00+00:00",
    )
    dana = scorecard(
        1,
        ratings={"high-agency": 2, "decisiveness": 2},
        evidence={"high-agency": "Meh.", "decisiveness": GOOD},
        amended_at="2026-11-04T10:00:00+00:00",
    )
    split = {"id": "decisiveness", "name": "Decisiveness", "min": 1, "max": 3, "split": True}
    found = quality_checks(rubric=RUBRIC, panel=[sam, dana], competencies=[split])
    assert [(c["check"], c["interviewer"], c["competency"]) for c in found] == [
        ("no_evidence", "i2@example.com", "high-agency"),
        ("no_evidence", "i2@example.com", "decisiveness"),
        ("no_evidence", "i1@example.com", "high-agency"),
        ("contradiction", "i2@example.com", None),
        ("contradiction", "i1@example.com", None),
        ("vague_language", "i1@example.com", "high-agency"),
        ("not_job_related", "i2@example.com", None),
        ("late", "i2@example.com", None),
        ("amended", "i1@example.com", None),
        ("split", None, "decisiveness"),
    ]
