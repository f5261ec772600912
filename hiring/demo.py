"""Demo data: a realistic hiring team to try the toolkit with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from hiring import accounts
from hiring.models import Role, User

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


def load_demo(*, session: Session) -> list[DemoLogin]:
    """Add whatever part of the demo is missing; existing records are left as they are."""
    added = []
    for login in DEMO_TEAM:
        if accounts.find_user(session=session, email=login.email) is None:
            accounts.create_user(
                session=session,
                email=login.email,
                role=login.role.value,
                name=login.name,
                password=DEMO_PASSWORD,
            )
            added.append(login)
    return added
