"""Anti-pattern flags from interviewers' words: cue phrases found as a reader would find
them, near misses that must not fire, and which flags count as confirmed."""

from __future__ import annotations

from typing import Any

import pytest

from hiring.cues import find_cues, sentence_at, stem
from hiring.flags import PanelScorecard, raise_flags
from hiring.rubric_loader import parse_rubric
from tests.rubric_samples import VALID_RUBRIC

RUBRIC, _ = parse_rubric(VALID_RUBRIC, "test-role.yaml")  # cues: swim lanes, clearly defined scope
assert RUBRIC is not None
CUES = ["swim lanes", "clearly defined scope", "waiting for sign-off", "deferred to leadership"]


@pytest.mark.parametrize(
    "text",
    [
        "She asked for swim lanes.",
        "She asked for SWIM LANES!",
        "She wanted a swim-lane for every engineer.",
        "Kept asking about swimlanes.",
        "Kept asking about swim-lanes, twice.",
        "Wanted a (swim) lane of her own.",
    ],
)
def test_a_cue_is_found_whatever_the_case_punctuation_and_hyphenation(text: str) -> None:
    assert [match.cue for match in find_cues(text, CUES)] == ["swim lanes"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The launch stalled: they waited for sign off from legal.", "waiting for sign-off"),
        ("Waits for sign-off on everything.", "waiting for sign-off"),
        ("Deferring to leadership was her default.", "deferred to leadership"),
        ("He defers to leadership.", "deferred to leadership"),
        ("Needed a clearly-defined scope before starting.", "clearly defined scope"),
        ("Asked for clearly defined scopes.", "clearly defined scope"),
    ],
)
def test_simple_inflections_match(text: str, cue: str) -> None:
    assert [match.cue for match in find_cues(text, CUES)] == [cue]


@pytest.mark.parametrize(
    "text",
    [
        "She swims in the lanes of the pool.",  # other words between
        "Built a lane-keeping feature for the swim team.",  # both words, far apart
        "A clearly scoped project.",  # part of the cue only
        "Lanes were never discussed.",
        "He never waited; sign-off came later.",  # words in another order and sentence
        "",
    ],
)
def test_near_misses_do_not_match(text: str) -> None:
    assert find_cues(text, CUES) == []


def test_the_quote_is_the_sentence_around_the_match() -> None:
    text = "Strong on data. But she kept asking for swim-lanes before starting! Otherwise fine."
    [match] = find_cues(text, CUES)
    assert match.sentence == "But she kept asking for swim-lanes before starting!"
    assert sentence_at("One line\nanother line", 10) == "another line"


def test_stems_are_simple() -> None:
    assert {stem("waited"), stem("waiting"), stem("waits"), stem("wait")} == {"wait"}
    assert stem("process") == stem("processes") == "process"
    assert stem("stopped") == stem("stop") == "stop"
    assert stem("calls") == stem("call") == "call"


def scorecard(number: int, **fields: Any) -> PanelScorecard:
    values: dict[str, Any] = {
        "interview_id": number,
        "interviewer_id": number,
        "interviewer_email": f"i{number}@example.com",
        "interviewer_name": f"I{number}",
        "state": "submitted",
        "scorecard_id": number,
        "ratings": {"ambiguity": 3},
    }
    return PanelScorecard(**(values | fields))


TICK = {"id": "needs-swim-lanes", "evidence": "Asked who owns what."}


def flag(*panel: PanelScorecard) -> dict[str, Any] | None:
    assert RUBRIC is not None
    raised = raise_flags(RUBRIC, panel, {"ambiguity": 3.0})
    return raised[0] if raised else None


def test_a_cue_in_evidence_or_takeaways_raises_a_signal_with_the_quote() -> None:
    cued = flag(scorecard(1, evidence={"ambiguity": "Wanted swim-lanes. Otherwise strong."}))
    assert cued is not None
    assert (cued["rules"], cued["status"]) == (["cue"], "signal")
    assert cued["evidence"] == [
        {
            "interviewer": "i1@example.com",
            "rule": "cue",
            "cue": "swim lanes",
            "text": "Wanted swim-lanes.",
        }
    ]
    from_takeaways = flag(scorecard(2, takeaways="Needs a clearly defined scope to start."))
    assert from_takeaways is not None and from_takeaways["interviewers"] == ["i2@example.com"]


def test_ticked_and_cued_is_confirmed_and_a_draft_counts_for_nothing() -> None:
    confirmed = flag(
        scorecard(1, anti_patterns=[TICK]),
        scorecard(2, evidence={"ambiguity": "Asked for swim lanes."}),
    )
    assert confirmed is not None
    assert (confirmed["status"], confirmed["rules"]) == ("confirmed", ["ticked", "cue"])
    assert confirmed["interviewers"] == ["i1@example.com", "i2@example.com"]
    draft = scorecard(3, state="due", draft=True, evidence={"ambiguity": "swim lanes"})
    assert flag(scorecard(1, anti_patterns=[TICK]), draft)["status"] == "signal"  # type: ignore[index]


def test_no_rule_no_flag() -> None:
    assert flag(scorecard(1, evidence={"ambiguity": "Shipped a swimming-pool app."})) is None


def test_the_notes_under_a_tick_do_not_also_count_as_a_cue() -> None:
    ticked = flag(
        scorecard(1, anti_patterns=[{"id": "needs-swim-lanes", "evidence": "Wants swim lanes."}])
    )
    assert ticked is not None and (ticked["rules"], ticked["status"]) == (["ticked"], "signal")
