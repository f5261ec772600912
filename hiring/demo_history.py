"""The demo's hiring history: past candidates, hired or rejected, whose submitted scorecards
give calibration something to compute.

Generated from a fixed seed, so every load is the same. A rating is the candidate's level,
plus their strength on the competency, plus the interviewer's leniency, plus noise, rounded
to the scale: June rates high and Marcus low, and high EQ, UX opinions and fine-tuning are
harder to rate consistently. On product-manager the same three interviewers rate every
competency of every candidate (fully crossed, so ICCs exist); on the other rubrics the
panels vary. Hours are relative to when the demo is loaded.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from itertools import product
from typing import Any

from hiring.demo_evidence import COMPANIES, HEADLINES, STORIES, VERDICTS
from hiring.demo_loops import Loop
from hiring.models import Recommendation
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Competency, Rubric

SEED = 4
# Offsets before rounding; the scale's ends absorb part of them, and calibration centres them
# on the panel, so it estimates about +0.65 for June and -0.5 for Marcus.
LENIENCY = {"june@example.com": 1.4, "marcus@example.com": -0.55}
LEVEL = (2.3, 1.2)  # mean and spread of candidates' levels
STRENGTH = 0.3  # spread of a candidate's competencies around their level
NOISE = 0.3  # an interviewer's error on one rating
HARD_TO_RATE = {"high-eq": 0.8, "user-experience-opinions": 0.8, "fine-tunes-for-use-case": 0.8}
HIRE_AT = 0.7  # where the panel's mean rating must reach on the scale, from 0 (lowest) to 1
RECOMMEND_AT = (
    (Recommendation.STRONG_YES, 0.83),
    (Recommendation.YES, 0.58),
    (Recommendation.NO, 0.3),
    (Recommendation.STRONG_NO, 0.0),
)


@dataclass(frozen=True)
class Panel:
    """How a rubric's past loops were staffed: how many candidates, from which interviewers,
    and whether each interviewer rated every competency of every candidate."""

    candidates: int
    interviewers: tuple[str, ...]
    crossed: bool = False


PANELS = {
    "product-manager": Panel(
        24, ("priya@example.com", "marcus@example.com", "june@example.com"), crossed=True
    ),
    "product-engineer": Panel(
        14,
        (
            "marcus@example.com",
            "june@example.com",
            "tomas@example.com",
            "kofi@example.com",
            "priya@example.com",
        ),
    ),
    "research-engineer": Panel(
        14,
        (
            "lena@example.com",
            "noor@example.com",
            "marcus@example.com",
            "june@example.com",
            "priya@example.com",
        ),
    ),
}
FIRST_NAMES = (
    "Aisha Ben Camila Dev Elif Farid Greta Hiro Ines Jonas Kira Luca Mei Nadia Omar Paula "
    "Rafael Sana Theo Uma Viktor Wen Yara Zoe"
)
LAST_NAMES = (
    "Adeyemi Bergström Castillo Dubois Eriksen Fonseca Grant Horvat Iyer Jansen Kowalski "
    "Lindqvist Mahler Nakamura Ortega Petrov Quinlan Rahman Sato Touré Varga Weber"
)


def history_loops(rubrics: RubricSet) -> list[Loop]:
    """The past loops of each rubric in PANELS that is available, the same on every call."""
    total = sum(panel.candidates for panel in PANELS.values())
    everyone = list(product(FIRST_NAMES.split(), LAST_NAMES.split()))
    names = random.Random(SEED).sample(everyone, total)  # noqa: S311 (not a secret)
    loops: list[Loop] = []
    for rubric_id, panel in PANELS.items():
        mine, names = names[: panel.candidates], names[panel.candidates :]
        rubric = rubrics.rubrics.get(rubric_id)
        if rubric is None or any(c.id not in VERDICTS for c in rubric.competencies):
            continue  # unavailable, or edited since these words were written
        rng = random.Random(f"{SEED}:{rubric_id}")  # noqa: S311 (not a secret)
        for index, (first, last) in enumerate(mine):
            days_ago = 300 - index * 270 // panel.candidates - rng.randint(0, 6)
            loops.append(
                {
                    "name": f"{first} {last}",
                    "email": _email(f"{first}.{last}@example.net"),
                    **_past_loop(rng, rubric, panel, days_ago),
                }
            )
    return loops


def _email(address: str) -> str:
    return unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode().lower()


def _past_loop(rng: random.Random, rubric: Rubric, panel: Panel, days_ago: int) -> dict[str, Any]:
    level = rng.gauss(*LEVEL)
    strength = {c.id: level + rng.gauss(0, STRENGTH) for c in rubric.competencies}
    size = len(panel.interviewers) if panel.crossed else rng.choice((2, 3, 3, 3))
    people = panel.interviewers if panel.crossed else rng.sample(panel.interviewers, size)
    focus = _focus(rng, rubric.competencies, size, panel.crossed)
    context = {
        "companies": rng.sample(COMPANIES, 2),
        "stories": rng.sample(STORIES[rubric.id], len(STORIES[rubric.id])),
    }
    interviews, means = [], []
    for turn, (email, competencies) in enumerate(zip(people, focus, strict=True)):
        ratings = {
            c.id: _rating(rng, rubric, strength[c.id] + LENIENCY.get(email, 0.0), c.id)
            for c in competencies
        }
        means.append(sum(ratings.values()) / len(ratings))
        card = _card(rng, rubric, competencies, ratings, context, turn)
        hours = -24 * days_ago + 24 * turn + rng.randint(0, 6)
        interviews.append((email, [c.id for c in competencies], hours, card))
    hired = _position(rubric, sum(means) / len(means)) >= HIRE_AT
    return {
        "rubric": rubric.id,
        "stage": rng.choice([None, *rubric.stage_profiles]),
        "status": "hired" if hired else "rejected",
        "interviews": interviews,
        "written_after": [rng.randint(1, 30) for _ in interviews],
    }


def _focus(
    rng: random.Random, competencies: list[Competency], size: int, crossed: bool
) -> list[list[Competency]]:
    """Each interviewer's competencies: all of them when crossed; otherwise overlapping
    slices of a shuffled order, so that every competency gets two interviewers."""
    if crossed:
        return [list(competencies)] * size
    order = rng.sample(competencies, len(competencies))
    share = -(-2 * len(order) // size)
    return [
        [order[(turn * len(order) // size + step) % len(order)] for step in range(share)]
        for turn in range(size)
    ]


def _rating(rng: random.Random, rubric: Rubric, expected: float, competency_id: str) -> int:
    noisy = expected + rng.gauss(0, HARD_TO_RATE.get(competency_id, NOISE))
    return min((point.value for point in rubric.scale), key=lambda value: abs(value - noisy))


def _position(rubric: Rubric, rating: float) -> float:
    """Where a rating lies on the rubric's scale, from 0 (lowest point) to 1 (highest)."""
    values = [point.value for point in rubric.scale]
    return (rating - min(values)) / (max(values) - min(values))


def _card(
    rng: random.Random,
    rubric: Rubric,
    competencies: list[Competency],
    ratings: dict[str, int],
    context: dict[str, Any],
    turn: int,
) -> tuple[Any, ...]:
    """A submitted scorecard whose recommendation follows the interviewer's mean rating."""
    stories = context["stories"]
    evidence = {
        c.id: (
            ratings[c.id],
            _evidence(
                rng,
                VERDICTS[c.id],
                _position(rubric, ratings[c.id]),
                stories[(turn + index) % len(stories)],
                context,
                turn,
            ),
        )
        for index, c in enumerate(competencies)
    }
    position = _position(rubric, sum(ratings.values()) / len(ratings))
    recommendation = next(choice for choice, floor in RECOMMEND_AT if position >= floor)
    best = max(competencies, key=lambda c: ratings[c.id])
    worst = min(competencies, key=lambda c: ratings[c.id])
    takeaways = rng.choice(HEADLINES[recommendation])
    if ratings[best.id] == ratings[worst.id]:
        takeaways += " Even across what I covered."
    else:
        takeaways += f" Strongest: {best.name}. Weakest: {worst.name}."
    return ("submitted", evidence, [], recommendation.value, takeaways)


def _evidence(
    rng: random.Random,
    verdicts: tuple[str, ...],
    position: float,
    story: str,
    context: dict[str, Any],
    turn: int,
) -> str:
    """What the candidate talked about, and two of the three observations of the verdict:
    the interviewer's turn picks which, so colleagues write different words."""
    observations = verdicts[round(position * (len(verdicts) - 1))].split("; ")
    del observations[turn % len(observations)]
    about = story.format(company=rng.choice(context["companies"]))
    numbers = {"days": rng.randint(3, 12), "pct": rng.randint(8, 35), "n": rng.randint(8, 60) * 10}
    return f"{about[0].upper()}{about[1:]}: {'; '.join(observations).format(**numbers)}."
