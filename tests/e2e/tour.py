"""The main pages of the web app, who uses each, and a sample of data that puts them in
the states people meet: shared by test_accessibility.py and test_pages.py.

The sample is made once per test session: a loop through the web forms as a recruiter and
two interviewers would (test_journeys' way), plus candidates written straight to the
database, enough for the candidate list to have pages, and an interview at a known time."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy.engine import make_url

from hiring.candidates import assign_interview, create_candidate, set_status
from hiring.db import make_engine, new_session
from hiring.rubric_loader import RubricFolder
from tests.e2e.conftest import DESKTOP, PEOPLE, PHONE, TIME_ZONE, Site, sign_in
from tests.e2e.test_journeys import (
    PROBLEMS,
    SPECS,
    UX,
    Loop,
    new_loop,
    open_scorecard,
    submit_scorecard,
)

RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"
PAGES_SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots" / "pages"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
LISTED = "research-engineer"  # the rubric of the candidates written to the database
LISTED_TITLE = "Research Engineer / ML Engineer (embedded in a product team)"
LISTED_COUNT = 27  # more than a page (25)
UNUSED = "product-manager"  # no test puts a scorecard on it: its calibration has no data
# An interview at a known moment, and how a reader in TIME_ZONE sees it (winter: UTC-5).
FORM_TESTS = ("progress", "autosave", "leaving", "errors", "flash")  # one scorecard each
NO_MATCH = f"/candidates/?rubric={LISTED}&status=hired"  # nobody on LISTED is hired
KNOWN_MOMENT = datetime(2030, 1, 15, 17, 0, tzinfo=UTC)
KNOWN_LOCAL = "Jan 15, 2030, 12:00 PM"


@dataclass(frozen=True)
class Sample:
    """What the main pages show: a loop with two submitted scorecards and one not started,
    a loop whose only scorecard is submitted empty (to show errors), the candidate
    with the interview at KNOWN_MOMENT, and scorecards for the tests of the form."""

    loop: Loop  # ivan and olga submitted, kim has not started
    candidate: str  # the loop's candidate page
    errors: Loop  # kim's scorecard, for submitting it empty
    known: str  # the page of the candidate interviewed by ivan at KNOWN_MOMENT
    scorecards: dict[str, str]  # kim's untouched scorecards (UX, PROBLEMS) by FORM_TESTS

    @property
    def candidate_id(self) -> str:
        return self.candidate.rstrip("/").rsplit("/", 1)[-1]


_samples: dict[str, Sample] = {}


def sample(site: Site, browser: Any) -> Sample:
    """The session's sample, made on first use."""
    if site.base not in _samples:
        _samples[site.base] = _make_sample(site, visitors(browser, site))
    return _samples[site.base]


def new_context(browser: Any, site: Site, viewport: dict[str, int] = DESKTOP) -> Any:
    """A browser context as conftest's `context_for` makes them (for module-long use)."""
    context = browser.new_context(
        base_url=site.base, viewport=viewport, timezone_id=TIME_ZONE, locale="en-US"
    )
    context.set_default_timeout(15_000)
    return context


def _make_sample(site: Site, people: Visitors) -> Sample:
    rita = people.page("recruiter")
    rita.goto("/")
    loop = new_loop(rita, {"ivan": [UX, PROBLEMS], "olga": [UX, PROBLEMS], "kim": [UX]})
    candidate = rita.url.removeprefix(site.base)
    errors = new_loop(rita, {"kim": [UX]})
    for person, value in (("ivan", 4), ("olga", 2)):
        page = people.page(person)
        open_scorecard(page, loop)
        if person == "olga":
            page.get_by_role("checkbox", name=SPECS).check()
            page.get_by_label(f"What you saw ({SPECS})").fill("Asked for a written spec first.")
        submit_scorecard(
            page,
            {
                UX: (value, f"{person}: rebuilt the onboarding flow after watching users."),
                PROBLEMS: (3, f"{person}: found a billing bug nobody had filed."),
            },
            takeaways=f"{person}: a builder who talks to users.",
        )
    known, scorecards = _write_to_database(site)
    return Sample(loop, candidate, errors, known, scorecards)


def _write_to_database(site: Site) -> tuple[str, dict[str, str]]:
    """LISTED_COUNT candidates on LISTED (the last one rejected) with ivan's interview of
    the first at KNOWN_MOMENT, and kim's scorecards for FORM_TESTS: the first candidate's
    page and the scorecards' by test."""
    rubrics = RubricFolder(RUBRICS).current()
    engine = make_engine(make_url(site.database_url))
    try:
        with new_session(engine) as session:
            listed = [
                create_candidate(
                    session=session,
                    rubrics=rubrics,
                    name=f"Lee Listed {number:02d}",
                    email=f"lee.{number:02d}@listed.example",
                    rubric_id=LISTED,
                )
                for number in range(1, LISTED_COUNT + 1)
            ]
            set_status(session=session, candidate=listed[-1], status="rejected")
            assign_interview(
                session=session,
                rubrics=rubrics,
                candidate=listed[0],
                interviewer_email=PEOPLE["ivan"][0],
                scheduled_at=KNOWN_MOMENT,
            )
            scorecards = {}
            for test in FORM_TESTS:
                candidate = create_candidate(
                    session=session,
                    rubrics=rubrics,
                    name=f"Fay Form ({test})",
                    email=f"fay.{test}@forms.example",
                    rubric_id="product-engineer",
                )
                interview = assign_interview(
                    session=session,
                    rubrics=rubrics,
                    candidate=candidate,
                    interviewer_email=PEOPLE["kim"][0],
                    focus=["user-experience-opinions", "proactive-problem-finding"],
                )
                scorecards[test] = f"/interviews/{interview.id}/scorecard"
            session.commit()
            return f"/candidates/{listed[0].id}", scorecards
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Stop:
    """A main page as one person sees it: where it is, what they do there first (if
    anything), and the status it answers."""

    name: str  # also the screenshot's file name
    person: str | None  # a key of PEOPLE, or None for someone not signed in
    path: Callable[[Sample], str]
    status: int = 200
    then: Callable[[Any], None] | None = None


def _submit_empty(page: Any) -> None:
    with page.expect_response(re.compile(r"/scorecard$")) as answer:
        page.get_by_role("button", name="Submit scorecard").click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Fix these")


def _add_nobody(page: Any) -> None:
    with page.expect_response(re.compile(r"/candidates/new$")) as answer:
        page.get_by_role("button", name="Add candidate").click()
    assert answer.value.status == 400
    expect(page.locator(".field-errors").first).to_be_visible()


STOPS = (
    Stop("sign-in", None, lambda s: "/auth/login"),
    Stop("home-interviewer", "ivan", lambda s: "/"),
    Stop("home-recruiter", "recruiter", lambda s: "/"),
    Stop("home-admin", "admin", lambda s: "/"),
    Stop("my-interviews-none", "recruiter", lambda s: "/interviews/"),
    Stop("my-interviews", "ivan", lambda s: "/interviews/"),
    Stop("scorecard-new", "kim", lambda s: s.loop.scorecards["kim"]),
    Stop("scorecard-errors", "kim", lambda s: s.errors.scorecards["kim"], then=_submit_empty),
    Stop("scorecard-submitted", "ivan", lambda s: s.loop.scorecards["ivan"]),
    Stop("scorecard-colleague", "ivan", lambda s: s.loop.scorecards["olga"]),
    Stop("candidates", "recruiter", lambda s: "/candidates/"),
    Stop("candidates-no-match", "recruiter", lambda s: NO_MATCH),
    Stop("candidate-new", "recruiter", lambda s: "/candidates/new"),
    Stop("candidate-new-errors", "recruiter", lambda s: "/candidates/new", then=_add_nobody),
    Stop("candidate", "recruiter", lambda s: s.candidate),
    Stop("debrief", "recruiter", lambda s: f"{s.candidate}/debrief"),
    Stop("rubrics", "admin", lambda s: "/rubrics/"),
    Stop("rubric", "recruiter", lambda s: "/rubrics/product-engineer"),
    Stop("interview-kit", "ivan", lambda s: "/rubrics/product-engineer/kit"),
    Stop("calibration", "recruiter", lambda s: "/calibration/"),
    Stop("calibration-rubric", "recruiter", lambda s: "/calibration/product-engineer"),
    Stop("calibration-no-data", "recruiter", lambda s: f"/calibration/{UNUSED}"),
    Stop("not-found", "recruiter", lambda s: "/candidates/987654", 404),
    Stop("forbidden", "ivan", lambda s: "/candidates/", 403),
)


class Visitors:
    """One signed-in page per person and width, kept for the whole test session: signing
    in is slow (argon2), and so is a new page's first run of axe-core. The browser
    fixture closes them with the browser."""

    def __init__(self, browser: Any, site: Site) -> None:
        self.browser, self.site = browser, site
        self.pages: dict[tuple[str | None, int], Any] = {}

    def page(self, person: str | None, viewport: dict[str, int] = DESKTOP) -> Any:
        """The page of `person` (None: not signed in) at `viewport`, where it was left."""
        key = (person, viewport["width"])
        if key not in self.pages:
            context = new_context(self.browser, self.site, viewport)
            page = sign_in(context, person) if person is not None else context.new_page()
            # A tour moves on: it leaves a half-filled form without asking to stay.
            page.on("dialog", lambda dialog: dialog.accept())
            self.pages[key] = page
        return self.pages[key]

    def visit(self, stop: Stop, viewport: dict[str, int], data: Sample) -> Any:
        """The person's page at `stop`, after what they do there first."""
        page = self.page(stop.person, viewport)
        response = page.goto(stop.path(data))
        assert response is not None and response.status == stop.status, (
            f"{stop.name}: {stop.path(data)} answered {response and response.status}"
        )
        if stop.then is not None:
            stop.then(page)
            page.wait_for_load_state()  # the page it led to has its stylesheet and scripts
        return page


_visitors: dict[str, Visitors] = {}


def visitors(browser: Any, site: Site) -> Visitors:
    """The session's Visitors."""
    if site.base not in _visitors:
        _visitors[site.base] = Visitors(browser, site)
    return _visitors[site.base]
