"""The leniency estimates applied to adjusted scores: fitted from a rubric's submitted
ratings, kept per process, fitted again when the ratings or the rubric change.

On a rubric with a large history the new fit runs in the background while the previous
estimates keep serving, so a page never waits seconds for one new scorecard's effect on
a million ratings.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from hiring import stats
from hiring.calibration import MIN_RATINGS, competency_ids, on_scale
from hiring.db import new_session, read_only
from hiring.ratings import load_ratings, ratings_version
from hiring.rubrics import Rubric

log = logging.getLogger(__name__)
BACKGROUND_ABOVE = 100_000  # ratings: larger rubrics are fitted again in the background


@dataclass(frozen=True)
class Fit:
    """Interviewer effects fitted at `key` (rubric content hash, ratings version)."""

    key: tuple[str, int]
    effects: dict[int, float]
    n_ratings: int


# Per connection pool (one per database), per rubric id: the latest fit.
_fits: weakref.WeakKeyDictionary[Any, dict[str, Fit]] = weakref.WeakKeyDictionary()
_running: set[tuple[int, str]] = set()
_lock = threading.Lock()


def interviewer_effects(*, session: Session, rubric: Rubric) -> dict[int, float]:
    """The leniency of each interviewer with enough ratings on this rubric."""
    key = (rubric.content_hash, ratings_version(session=session, rubric_id=rubric.id))
    engine = session.get_bind().engine
    with _lock:
        last = _fits.setdefault(engine.pool, {}).get(rubric.id)
    if last is not None and last.key == key:
        return last.effects
    if last is not None and last.key[0] == key[0] and last.n_ratings > BACKGROUND_ABOVE:
        _fit_in_background(engine, rubric, key)
        return last.effects
    return _fit(session, engine, rubric, key).effects


def _fit(session: Session, engine: Engine, rubric: Rubric, key: tuple[str, int]) -> Fit:
    ratings = load_ratings(
        session=session, rubric_id=rubric.id, competencies=competency_ids(rubric)
    )
    ratings = on_scale(ratings, rubric)
    effects: dict[int, float] = {}
    if not ratings.empty:
        counts = ratings["interviewer"].value_counts()
        fitted = stats.leniency(ratings).interviewer
        effects = {int(i): float(e) for i, e in fitted.items() if counts[i] >= MIN_RATINGS}
    fit = Fit(key=key, effects=effects, n_ratings=len(ratings))
    with _lock:
        _fits.setdefault(engine.pool, {})[rubric.id] = fit
    return fit


def _fit_in_background(engine: Engine, rubric: Rubric, key: tuple[str, int]) -> None:
    job = (id(engine.pool), rubric.id)
    with _lock:
        if job in _running:
            return
        _running.add(job)

    def run() -> None:
        try:
            with new_session(read_only(engine)) as session:
                _fit(session, engine, rubric, key)
        except Exception:  # the previous fit keeps serving; the next request tries again
            log.exception("fitting the leniency of %s failed", rubric.id)
        finally:
            with _lock:
                _running.discard(job)

    threading.Thread(target=run, name=f"leniency-{rubric.id}", daemon=True).start()


def fitting() -> bool:
    """Whether a background fit is running (for tests and benchmarks)."""
    with _lock:
        return bool(_running)
