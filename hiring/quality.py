"""Interviewing-quality checks: how the panel interviewed, not how the candidate did.

Pure functions over a candidate's panel, shown to recruiters apart from the anti-pattern
flags: ratings without evidence, one rating for everything (halo), recommendations that
contradict the ratings, vague or not-job-related words, late or amended scorecards, and
competencies the panel split on. Only submitted scorecards are checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hiring.cues import SENTENCE_END, WORD, find_cues, stem
from hiring.flags import PanelScorecard
from hiring.rubrics import Rubric

MIN_EVIDENCE_WORDS = 5  # fewer words cannot say what the candidate said or did
HALO_MIN_RATINGS = 4  # three equal ratings happen by chance too often to mean anything
DAYS_FROM = timedelta(hours=48)  # lateness from here on is told in days
RECOMMENDATIONS = {"strong_no": "Strong no", "no": "No", "yes": "Yes", "strong_yes": "Strong yes"}
POSITIVE = ("yes", "strong_yes")

Check = dict[str, Any]


@dataclass(frozen=True)
class Language:
    """Words that make evidence vague or not job-related."""

    vague: tuple[str, ...]
    not_job_related: tuple[str, ...]


# fmt: off
BUILT_IN_LANGUAGE = Language(
    vague=(
        "lukewarm", "gut feeling", "gut feel", "gut instinct", "trust my gut", "vibe",
        "didn't click", "did not click", "something felt off", "felt off",
        "didn't feel right", "hard to say", "meh", "just a feeling", "not sure why",
        "put my finger on", "not a fit",
    ),
    not_job_related=(
        "culture fit", "cultural fit", "fit the culture", "beer test", "airport test",
        "too old", "too young", "years old", "age", "young", "younger", "youngest", "older",
        "digital native", "retire", "retirement", "family", "kids", "children", "childcare",
        "pregnant", "pregnancy", "maternity", "paternity", "married", "husband", "wife",
        "girlfriend", "boyfriend", "appearance", "attractive", "good-looking", "well dressed",
        "accent", "accented", "native speaker", "religion", "religious", "nationality",
        "ethnicity", "disability",
    ),
)
# fmt: on


def language(*, vague: Iterable[str] = (), not_job_related: Iterable[str] = ()) -> Language:
    """The built-in lists extended by a deployment's own words (duplicates dropped, order kept)."""
    return Language(
        vague=_merged(BUILT_IN_LANGUAGE.vague, vague),
        not_job_related=_merged(BUILT_IN_LANGUAGE.not_job_related, not_job_related),
    )


def _merged(built_in: Iterable[str], extra: Iterable[str]) -> tuple[str, ...]:
    # two spellings of the same words ("Vibe", "vibes") would raise the same check twice
    terms: dict[tuple[tuple[str, str], ...], str] = {}
    for term in [*built_in, *extra]:
        if _shape(term):
            terms.setdefault(_shape(term), term.strip())
    return tuple(terms.values())


def quality_checks(
    *,
    rubric: Rubric,
    panel: Sequence[PanelScorecard],
    competencies: Sequence[Mapping[str, Any]],
    language: Language = BUILT_IN_LANGUAGE,
) -> list[dict[str, Any]]:
    """The interviewing-quality checks of a candidate's panel, by kind, then panel order.

    `competencies` are the rollup's competency entries, in rubric order. Each check has
    check, interviewer (email), interviewer_name, competency (id), message and quote.
    """
    finders: list[Callable[[PanelScorecard], Iterable[Check]]] = [
        lambda scorecard: _no_evidence(rubric, scorecard),
        lambda scorecard: _halo(rubric, scorecard),
        lambda scorecard: _contradiction(rubric, scorecard),
        lambda scorecard: _words(rubric, scorecard, "vague_language", language.vague),
        lambda scorecard: _words(rubric, scorecard, "not_job_related", language.not_job_related),
        _late,
        _amended,
    ]
    submitted = [scorecard for scorecard in panel if scorecard.submitted]
    checks = [check for find in finders for s in submitted for check in find(s)]
    return checks + [_split(entry) for entry in competencies if entry.get("split")]


def _check(
    kind: str,
    scorecard: PanelScorecard | None,
    competency: str | None,
    message: str,
    quote: str | None = None,
) -> Check:
    return {
        "check": kind,
        "interviewer": scorecard.interviewer_email if scorecard else None,
        "interviewer_name": scorecard.interviewer_name if scorecard else None,
        "competency": competency,
        "message": message,
        "quote": quote,
    }


def _who(scorecard: PanelScorecard) -> str:
    return scorecard.interviewer_name or scorecard.interviewer_email


def _rated(rubric: Rubric, scorecard: PanelScorecard) -> dict[str, int]:
    """The interviewer's ratings in rubric order; as in the rollup, ratings of competencies
    the rubric no longer has, or off its current scale, do not count."""
    scale = {point.value for point in rubric.scale}
    return {
        c.id: scorecard.ratings[c.id]
        for c in rubric.competencies
        if scorecard.ratings.get(c.id) in scale
    }


def _no_evidence(rubric: Rubric, scorecard: PanelScorecard) -> Iterator[Check]:
    names = {c.id: c.name for c in rubric.competencies}
    for competency, rating in _rated(rubric, scorecard).items():
        text = scorecard.evidence.get(competency, "").strip()
        words = len(WORD.findall(text))
        if words >= MIN_EVIDENCE_WORDS:
            continue
        rated = f"{_who(scorecard)} rated {names[competency]} {rating}"
        if words == 0:
            message = f"{rated} without any evidence of what the candidate said or did."
        else:
            count = "1 word" if words == 1 else f"{words} words"
            message = f"{rated} on {count} of evidence, too few to show what the candidate did."
        yield _check("no_evidence", scorecard, competency, message, text or None)


def _halo(rubric: Rubric, scorecard: PanelScorecard) -> Iterator[Check]:
    ratings = list(_rated(rubric, scorecard).values())
    if len(ratings) < HALO_MIN_RATINGS or len(set(ratings)) > 1:
        return
    label = next(point.label for point in rubric.scale if point.value == ratings[0])
    message = (
        f"{_who(scorecard)} rated all {len(ratings)} competencies they assessed "
        f"{ratings[0]} ({label}), which suggests one overall impression rather than a "
        "judgement of each."
    )
    yield _check("halo", scorecard, None, message)


def _contradiction(rubric: Rubric, scorecard: PanelScorecard) -> Iterator[Check]:
    ratings = list(_rated(rubric, scorecard).values())
    if not ratings or scorecard.recommendation not in RECOMMENDATIONS:
        return
    mean = sum(ratings) / len(ratings)
    midpoint = (rubric.scale[0].value + rubric.scale[-1].value) / 2
    positive = scorecard.recommendation in POSITIVE
    if mean == midpoint or (mean > midpoint) == positive:
        return
    message = (
        f"{_who(scorecard)} recommended {RECOMMENDATIONS[scorecard.recommendation]} but "
        f"their ratings average {mean:.2f}, {'below' if positive else 'above'} the "
        f"midpoint of the scale ({midpoint:g})."
    )
    yield _check("contradiction", scorecard, None, message, scorecard.takeaways.strip() or None)


def _words(
    rubric: Rubric, scorecard: PanelScorecard, kind: str, terms: Sequence[str]
) -> Iterator[Check]:
    """One check per term found in the interviewer's words, where it is first found; a
    term found inside a longer one ("young" in "too young") is left to the longer one."""
    found: dict[str, tuple[str, str | None, str]] = {}  # term: sentence, competency, place
    for competency, place, text in _writings(rubric, scorecard):
        for sentence in SENTENCE_END.split(text):
            for match in find_cues(sentence, terms):
                if _as_written(match.cue, match.sentence):
                    found.setdefault(match.cue, (match.sentence, competency, place))
    for term, (sentence, competency, place) in found.items():
        if any(
            other != term and where[0] == sentence and _within(_shape(term), _shape(other))
            for other, where in found.items()
        ):
            continue
        message = _words_message(kind, scorecard, term, place)
        yield _check(kind, scorecard, competency, message, sentence)


def _words_message(kind: str, scorecard: PanelScorecard, term: str, place: str) -> str:
    wrote = f'{_who(scorecard)} wrote "{term}" in {place}'
    if kind == "vague_language":
        return f"{wrote}, which records an impression, not what the candidate said or did."
    return f"{wrote}, which has nothing to do with the job and must play no part in the decision."


def _writings(rubric: Rubric, scorecard: PanelScorecard) -> Iterator[tuple[str | None, str, str]]:
    """The interviewer's own words: competency (or None), where they wrote them, text."""
    order = [c.id for c in rubric.competencies]
    names = {c.id: c.name for c in rubric.competencies}
    ranked = sorted(scorecard.evidence, key=lambda c: order.index(c) if c in order else len(order))
    for competency in ranked:
        place = f"the evidence for {names.get(competency, competency)}"
        yield competency, place, scorecard.evidence[competency]
    patterns = {pattern.id: pattern.name for pattern in rubric.anti_patterns}
    for ticked in scorecard.anti_patterns:
        name = patterns.get(ticked["id"], ticked["id"])
        yield None, f"their notes on the anti-pattern {name}", ticked.get("evidence", "")
    yield None, "their takeaways", scorecard.takeaways


def _shape(text: str) -> tuple[tuple[str, str], ...]:
    """Each word's stem with the -ing or -ed ending the stem dropped, if any."""
    shapes = []
    for word in WORD.findall(text.lower()):
        stemmed = stem(word)
        ending = next(
            (e for e in ("ing", "ed") if word.endswith(e) and len(stemmed) <= len(word) - len(e)),
            "",
        )
        shapes.append((stemmed, ending))
    return tuple(shapes)


def _as_written(term: str, sentence: str) -> bool:
    """Whether the term's words are in the sentence with the same -ing or -ed endings: stems
    alone would let "kids" match "kidding" and "good-looking" match "a good look"."""
    return _within(_shape(term), _shape(sentence))


def _within(part: Sequence[Any], whole: Sequence[Any]) -> bool:
    size = len(part)
    return any(tuple(whole[i : i + size]) == tuple(part) for i in range(len(whole) - size + 1))


def _late(scorecard: PanelScorecard) -> Iterator[Check]:
    if not scorecard.submitted_at or not scorecard.due_at:
        return
    late = datetime.fromisoformat(scorecard.submitted_at) - datetime.fromisoformat(scorecard.due_at)
    if late <= timedelta(0):
        return
    message = (
        f"{_who(scorecard)} submitted {_duration(late)} late: the later evidence is written, "
        "the more it rests on memory."
    )
    yield _check("late", scorecard, None, message)


def _duration(late: timedelta) -> str:
    hours = int(late / timedelta(hours=1))
    if late >= DAYS_FROM:
        return f"{hours // 24} days"
    if hours == 0:
        return "less than an hour"
    return "1 hour" if hours == 1 else f"{hours} hours"


def _amended(scorecard: PanelScorecard) -> Iterator[Check]:
    if not scorecard.amended_at:
        return
    when = datetime.fromisoformat(scorecard.amended_at)
    message = (
        f"{_who(scorecard)} changed their scorecard on {when.day} {when:%B %Y}, after "
        "submitting it: check the change was not prompted by other interviewers' views."
    )
    yield _check("amended", scorecard, None, message)


def _split(entry: Mapping[str, Any]) -> Check:
    message = (
        f"The panel's ratings of {entry['name']} span {entry['min']} to {entry['max']}: "
        "hear what each interviewer saw before deciding."
    )
    return _check("split", None, entry["id"], message)
