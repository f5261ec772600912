"""Demo data: a realistic hiring team, and interview loops in every state, to try the toolkit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from hiring import accounts, candidates, scoring
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
)


def other_accounts(*, session: Session) -> list[str]:
    """Emails of accounts that are not part of the demo team."""
    demo_emails = [login.email for login in DEMO_TEAM]
    statement = select(User.email).where(col(User.email).not_in(demo_emails))
    return list(session.exec(statement).all())


def load_demo(*, session: Session, rubrics: RubricSet) -> tuple[int, int]:
    """Add whatever part of the demo is missing; existing records are left as they are.

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
    loops_added = sum(_add_loop(session, rubrics, loop) for loop in LOOPS)
    return accounts_added, loops_added


def _add_loop(session: Session, rubrics: RubricSet, loop: Loop) -> bool:
    exists = select(Candidate).where(Candidate.email == loop["email"])
    if loop["rubric"] not in rubrics.rubrics or session.exec(exists).first() is not None:
        return False
    candidate = candidates.create_candidate(
        session=session,
        rubrics=rubrics,
        name=loop["name"],
        email=loop["email"],
        rubric_id=loop["rubric"],
        stage_profile=loop["stage"],
    )
    candidates.set_status(session=session, candidate=candidate, status=loop.get("status", "active"))
    session.flush()
    now = utcnow()
    for interviewer, focus, hours, card in loop["interviews"]:
        interview = candidates.assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email=interviewer,
            focus=focus,
            scheduled_at=now + timedelta(hours=hours),
        )
        if card is not None:
            _fill(session, rubrics.rubrics[loop["rubric"]], interview, interviewer, card)
    return True


def _fill(session: Session, rubric: Rubric, interview: Interview, email: str, card: Any) -> None:
    status, ratings, anti_patterns, recommendation, takeaways = card
    data = ScorecardInput(
        ratings={c: RatingInput(rating=r, evidence=e) for c, (r, e) in ratings.items()},
        anti_patterns=[AntiPatternInput(id=i, evidence=e) for i, e in anti_patterns],
        recommendation=recommendation,
        takeaways=takeaways,
        submit=status == "submitted",
    )
    author = accounts.user_by_email(session=session, email=email)
    scoring.save_scorecard(
        session=session, interview=interview, author=author, data=data, current_rubric=rubric
    )
