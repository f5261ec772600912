"""Browser tests: the machine's Chromium driven by Playwright against `hiring serve`.

Without a browser (or without axe-core, `npm ci --prefix tests/e2e`) these tests skip
with the reason; under CI=true they must run, so a missing one is a failure instead.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from hiring.db import make_engine, new_session, upgrade
from hiring.models import Role
from tests.helpers import PASSWORD, make_user
from tests.live_server import LiveServer, hiring_serve

CHROMIUM = Path(os.environ.get("HIRING_E2E_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
TIME_ZONE = "America/New_York"  # not the server's UTC: dates must follow the viewer

# The people of the browser tests, all with PASSWORD.
PEOPLE = {
    "admin": ("ada@example.com", "Ada Admin", Role.ADMIN),
    "recruiter": ("rita@example.com", "Rita Recruiter", Role.RECRUITER),
    "ivan": ("ivan@example.com", "Ivan Interviewer", Role.INTERVIEWER),
    "olga": ("olga@example.com", "Olga Interviewer", Role.INTERVIEWER),
    "kim": ("kim@example.com", "Kim Interviewer", Role.INTERVIEWER),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_outcome] = report
    return report


_outcome = pytest.StashKey[pytest.TestReport]()


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no browser at {CHROMIUM} (Debian package `chromium`; .ci/run installs it)"
    if not AXE.exists():
        return f"axe-core is not installed: run `npm ci --prefix tests/e2e` ({AXE} is missing)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Site:
    """The server under test and the people who use it."""

    server: LiveServer
    database_url: str

    @property
    def base(self) -> str:
        return self.server.base


@pytest.fixture(scope="session")
def site(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`hiring serve` (2 workers) on a SQLite database of its own holding PEOPLE."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'hiring.sqlite'}"
    engine = make_engine(make_url(url))
    upgrade(engine)
    with new_session(engine) as session:
        for email, name, role in PEOPLE.values():
            make_user(session, email=email, name=name, role=role)
        session.commit()
    engine.dispose()
    with hiring_serve(url, folder) as server:
        yield Site(server, url)


@pytest.fixture
def context_for(browser: Any, site: Site, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Make browser contexts (one per person) at a viewport; screenshots of every open
    page are saved to test-results/screenshots when the test fails."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(
            base_url=site.base,
            viewport=viewport,
            timezone_id=TIME_ZONE,
            locale="en-US",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    report = request.node.stash.get(_outcome, None)
    failed = report is not None and report.failed
    for number, context in enumerate(contexts):
        if failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            for index, page in enumerate(context.pages):
                page.screenshot(
                    path=str(SCREENSHOTS / f"{name}-{number}-{index}.png"), full_page=True
                )
        context.close()


@pytest.fixture(scope="session", autouse=True)
def patient_assertions() -> Iterator[None]:
    """Assertions wait as long as actions do (15 s): this machine is slow and shared."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default


@pytest.fixture(scope="module")
def tour(browser: Any, site: Site) -> Any:
    """The people of the browser tests, signed in on a laptop and on a phone
    (tests.e2e.tour.Visitors)."""
    from tests.e2e.tour import visitors

    return visitors(browser, site)


@pytest.fixture(scope="module")
def data(browser: Any, site: Site) -> Any:
    """The loops and candidates the main pages show (tests.e2e.tour.Sample)."""
    from tests.e2e.tour import sample

    return sample(site, browser)


def sign_in(context: Any, person: str) -> Any:
    """A page of `context` signed in as one of PEOPLE, on the home page."""
    email = PEOPLE[person][0]
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
    does not govern, so the app needs no exception for it."""
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + json.dumps([node["target"] for node in violation["nodes"]][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
