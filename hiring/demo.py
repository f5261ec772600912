"""Demo data: a realistic hiring team, and interview loops in every state, to try the toolkit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hiring import accounts, candidates, scoring
from hiring.demo_history import history_loops
from hiring.demo_loops import LOOPS, Loop
from hiring.models import Candidate, Interview, Role, User, utcnow
from hiring.rubric_loader import RubricSet
from hiring.rubrics import Rubric
from hiring.scoring import AntiPatternInput, RatingInput, ScorecardInput

DEMO_PASSWORD = "demo-password"  # noqa: S105 (printed for demo users)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as printed for people trying the app."""

    email: str
    role: Role
    name: str
    note: str


DEMO_TEAM = (
    DemoLogin("admin@example.com", Role.ADMIN, "Ada Admin", "writes rubrics, manages users"),
    DemoLogin("rita@example.com", Role.RECRUITER, "Rita Recruiter", "runs interview loops"),
    DemoLogin("priya@example.com", Role.INTERVIEWER, "Priya Natarajan", "head of product"),
    DemoLogin("marcus@example.com", Role.INTERVIEWER, "Marcus Oyelaran", "staff engineer"),
    DemoLogin("lena@example.com", Role.INTERVIEWER, "Lena Fischer", "research lead"),
    DemoLogin("tomas@example.com", Role.INTERVIEWER, "Tomás Ibarra", "product designer"),
    DemoLogin("june@example.com", Role.INTERVIEWER, "June Park", "engineering manager"),
    DemoLogin("kofi@example.com", Role.INTERVIEWER, "Kofi Mensah", "senior product engineer"),
    DemoLogin("noor@example.com", Role.INTERVIEWER, "Noor Haddad", "ML engineer"),
)
SOURCED_BEFORE = timedelta(days=12)  # from adding a candidate to their first interview
WRITTEN_AFTER = 2  # hours from an interview to its scorecard, unless the loop says otherwise


def other_accounts(*, session: Session) -> list[str]:
    """Emails of accounts that are not part of the demo team."""
    demo_emails = [login.email for login in DEMO_TEAM]
    statement = select(User.email).where(col(User.email).not_in(demo_emails))
    return list(session.exec(statement).all())


def load_demo(*, session: Session, rubrics: RubricSet) -> tuple[int, int]:
    """Add whatever part of the demo is missing: the team, the current loops and the hiring
    history; existing records are left as they are.

    Returns how many accounts and candidates were added.
    """
    accounts_added = 0
    for login in DEMO_TEAM:
        if accounts.find_user(session=session, email=login.email) is None:
            accounts.create_user(
                session=session,
                email=login.email,
                role=login.role.value,
                name=login.name,
                password=DEMO_PASSWORD,
            )
            accounts_added += 1
    session.flush()
    existing = set(session.exec(select(Candidate.email)).all())
    loops = [loop for loop in [*LOOPS, *history_loops(rubrics)] if loop["email"] not in existing]
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    loops_added = sum(_add_loop(session, rubrics, loop, now) for loop in loops)
    return accounts_added, loops_added


def _add_loop(session: Session, rubrics: RubricSet, loop: Loop, now: datetime) -> bool:
    rubric = rubrics.rubrics.get(loop["rubric"])
    if rubric is None:
        return False
    candidate = _add_candidate(session, rubrics, loop, now)
    delays = loop.get("written_after", [])
    for turn, (interviewer, focus, hours, card) in enumerate(loop["interviews"]):
        interview = candidates.assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email=interviewer,
            focus=focus,
            scheduled_at=now + timedelta(hours=hours),
        )
        interview.created_at = candidate.created_at
        if card is not None:
            delay = delays[turn] if turn < len(delays) else WRITTEN_AFTER
            written = min(utcnow(), now + timedelta(hours=hours + delay))
            _fill(session, rubric, interview, card, written)
    return True


def _add_candidate(session: Session, rubrics: RubricSet, loop: Loop, now: datetime) -> Candidate:
    """The loop's candidate, added some days before their first interview."""
    candidate = candidates.create_candidate(
        session=session,
        rubrics=rubrics,
        name=loop["name"],
        email=loop["email"],
        rubric_id=loop["rubric"],
        stage_profile=loop["stage"],
    )
    candidates.set_status(session=session, candidate=candidate, status=loop.get("status", "active"))
    first = min(hours for _, _, hours, _ in loop["interviews"])
    candidate.created_at = min(now, now + timedelta(hours=first)) - SOURCED_BEFORE
    session.flush()
    return candidate


def _fill(session: Session, rubric: Rubric, interview: Interview, card: Any, at: datetime) -> None:
    """Write a scorecard as the app does, dated `at` (its audit entry too)."""
    status, ratings, anti_patterns, recommendation, takeaways = card
    data = ScorecardInput(
        ratings={c: RatingInput(rating=r, evidence=e) for c, (r, e) in ratings.items()},
        anti_patterns=[AntiPatternInput(id=i, evidence=e) for i, e in anti_patterns],
        recommendation=recommendation,
        takeaways=takeaways,
        submit=status == "submitted",
    )
    author = session.get(User, interview.interviewer_id)
    assert author is not None
    scoring.save_scorecard(
        session=session,
        interview=interview,
        author=author,
        data=data,
        current_rubric=rubric,
        at=at,
    )
