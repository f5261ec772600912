"""Whole journeys through the web app in a real browser against `hiring serve`: a recruiter
opens a loop, interviewers draft and submit their scorecards (one with the keyboard alone),
independence holds until an interviewer submits, and the rollup and the debrief PDF follow
the scorecards as they come in."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import DESKTOP, PEOPLE, PHONE, TIME_ZONE, serious_violations, sign_in
from tests.helpers import PASSWORD

RUBRIC = "Product Engineer (product-minded)"
UX = "Strong opinions about user experience"
PROBLEMS = "Proactive problem finding"
SPECS = "Needs detailed specs"  # an anti-pattern of the rubric


@dataclass(frozen=True)
class Loop:
    """A candidate added through the web forms, and the addresses of the panel's scorecards."""

    name: str
    email: str
    scorecards: dict[str, str]  # the scorecard's path by interviewer (a key of PEOPLE)


def new_loop(page: Any, panel: dict[str, list[str]]) -> Loop:
    """As the recruiter on `page`: add a candidate with unique name and email, then assign
    each interviewer of `panel` on their focus competencies, an hour ago (so the scorecard
    is due now)."""
    token = secrets.token_hex(3)
    name, email = f"Jo Journey {token}", f"jo.{token}@candidates.example"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Candidates").click()
    page.get_by_role("link", name="New candidate").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Role (rubric)").select_option(label=RUBRIC)
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("status")).to_have_text("Candidate added.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    an_hour_ago = datetime.now(ZoneInfo(TIME_ZONE)) - timedelta(hours=1)
    for person, focus in panel.items():
        interviewer_email, interviewer_name, _ = PEOPLE[person]
        page.get_by_label("Interviewer").select_option(label=f"{interviewer_name} (interviewer)")
        competencies = page.get_by_role("group", name=re.compile("^Focus competencies"))
        for competency in focus:
            competencies.get_by_label(competency).check()
        page.get_by_label("Scheduled").fill(an_hour_ago.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Assign interview").click()
        expect(page.get_by_role("status")).to_have_text(
            f"Interview assigned to {interviewer_email}."
        )
    links = {
        person: page.get_by_role("link", name=f"Scorecard of {PEOPLE[person][1]}")
        for person in panel
    }
    scorecards = {person: str(link.get_attribute("href")) for person, link in links.items()}
    return Loop(name, email, scorecards)


def open_scorecard(page: Any, loop: Loop) -> None:
    """As an interviewer: from "My interviews", open the loop's scorecard."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My interviews").click()
    due = page.get_by_role("region", name=re.compile("^Due now"))
    due.get_by_role("link", name=f"Fill scorecard for {loop.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard: {loop.name}")


def rating(page: Any, competency: str, value: int) -> Any:
    """The radio button of `value` (a scale value) under `competency`."""
    group = page.get_by_role("group", name=competency)
    return group.get_by_role("radio", name=re.compile(rf"^{value} "))


def evidence(page: Any, competency: str) -> Any:
    """The evidence box of `competency`."""
    return page.get_by_label(f"Evidence for {competency}")


def recommendation(page: Any, label: str) -> Any:
    """The radio button of an overall recommendation (Strong no ... Strong yes)."""
    group = page.get_by_role("group", name="Overall recommendation")
    return group.get_by_role("radio", name=label, exact=True)


def submit_scorecard(
    page: Any, ratings: dict[str, tuple[int, str]], takeaways: str = "Solid."
) -> None:
    """Rate each competency with evidence, recommend yes and submit; back on My interviews."""
    for competency, (value, words) in ratings.items():
        rating(page, competency, value).check()
        evidence(page, competency).fill(words)
    recommendation(page, "Yes").check()
    page.get_by_label("Key takeaways").fill(takeaways)
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My interviews")
    expect(page.get_by_role("status")).to_contain_text("Scorecard submitted.")


def coverage(page: Any, term: str) -> Any:
    """The number next to `term` (Submitted, Drafts, ...) in the rollup's coverage."""
    rollup = page.get_by_role("region", name="Rollup")
    pair = rollup.locator("div").filter(has=page.get_by_text(term, exact=True))
    return pair.get_by_role("definition")


def competency_row(page: Any, competency: str) -> Any:
    """The competency's row of the rollup grid: each rating, then the panel's statistics."""
    grid = page.get_by_role("table", name=re.compile("^Ratings by competency"))
    return grid.get_by_role("row").filter(has=page.get_by_role("rowheader", name=competency))


def is_focused(locator: Any) -> bool:
    """Whether the element has the keyboard focus (looking, not touching)."""
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Any, target: Any, key: str = "Tab", limit: int = 60) -> None:
    """Press Tab (or `key`) until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} cannot be reached with {key} ({limit} presses)")


def test_a_recruiter_opens_a_loop_through_the_web_forms(context_for: Any) -> None:
    rita = sign_in(context_for(), "recruiter")
    loop = new_loop(rita, {"ivan": [UX, PROBLEMS], "olga": [UX], "kim": []})

    expect(rita.get_by_text(f"{loop.email} · Active")).to_be_visible()
    expect(rita.get_by_role("link", name=RUBRIC)).to_be_visible()
    expect(rita.get_by_role("heading", name=re.compile("^Interviews"))).to_have_text("Interviews 3")
    interviews = rita.get_by_role("table").filter(
        has=rita.get_by_role("columnheader", name="Focus")
    )
    expect(interviews.get_by_role("row")).to_have_count(4)  # the header and three interviews
    ivan = interviews.get_by_role("row").filter(has_text=PEOPLE["ivan"][0])
    expect(ivan).to_contain_text(f"{UX}, {PROBLEMS}")
    expect(ivan.get_by_text("due", exact=True)).to_be_visible()  # scheduled an hour ago
    expect(ivan.get_by_text("Not started", exact=True)).to_be_visible()
    kim = interviews.get_by_role("row").filter(has_text=PEOPLE["kim"][0])
    expect(kim).to_contain_text(PROBLEMS)  # no focus ticked: every competency
    expect(coverage(rita, "Scorecards expected")).to_have_text("3")
    expect(coverage(rita, "Submitted")).to_have_text("0")
    assert serious_violations(rita) == []

    rita.get_by_role("navigation", name="Main").get_by_role("link", name="Candidates").click()
    expect(rita.get_by_role("link", name=loop.name)).to_be_visible()


def test_interviewers_save_a_draft_find_it_after_a_reload_and_submit(context_for: Any) -> None:
    rita = sign_in(context_for(), "recruiter")
    loop = new_loop(rita, {"ivan": [UX, PROBLEMS], "olga": [UX, PROBLEMS]})

    for person, value, viewport in (("ivan", 4, DESKTOP), ("olga", 2, PHONE)):
        page = sign_in(context_for(viewport), person)
        open_scorecard(page, loop)
        assert serious_violations(page) == []
        words = f"{person}: she rebuilt the onboarding flow after watching five users stall."
        rating(page, UX, value).check()
        evidence(page, UX).fill(words)
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_role("status").first).to_have_text("Draft saved.")

        page.reload()
        expect(rating(page, UX, value)).to_be_checked()
        expect(evidence(page, UX)).to_have_value(words)
        submit_scorecard(page, {PROBLEMS: (3, "Found a billing bug nobody had filed.")})
        submitted = page.get_by_role("region", name=re.compile("^Submitted"))
        expect(submitted.get_by_role("link", name=f"View or amend for {loop.name}")).to_be_visible()

        # The submitted scorecard kept the draft's rating and words.
        submitted.get_by_role("link", name=f"View or amend for {loop.name}").click()
        expect(rating(page, UX, value)).to_be_checked()
        expect(evidence(page, UX)).to_have_value(words)
        expect(page.get_by_role("button", name="Save amendment")).to_be_visible()

    rita.reload()
    expect(coverage(rita, "Submitted")).to_have_text("2")
    expect(coverage(rita, "Drafts")).to_have_text("0")


def test_an_interviewer_fills_a_scorecard_with_the_keyboard_alone(context_for: Any) -> None:
    rita = sign_in(context_for(), "recruiter")
    loop = new_loop(rita, {"kim": [UX, PROBLEMS]})
    kim = context_for().new_page()
    keys = kim.keyboard

    kim.goto("/auth/login")
    expect(kim.get_by_label("Email")).to_be_focused()
    keys.type(PEOPLE["kim"][0])
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(kim.get_by_role("heading", level=1)).to_have_text(f"Welcome, {PEOPLE['kim'][1]}")

    tab_to(kim, kim.get_by_role("link", name="My interviews"))
    keys.press("Enter")
    tab_to(kim, kim.get_by_role("link", name=f"Fill scorecard for {loop.name}"))
    keys.press("Enter")
    expect(kim.get_by_role("heading", level=1)).to_have_text(f"Scorecard: {loop.name}")

    # A radio group takes one Tab, on its chosen option ("Not assessed", the last);
    # the arrow keys then choose: up to 4, up again to 3.
    tab_to(kim, kim.get_by_role("group", name=UX).get_by_role("radio", checked=True))
    keys.press("ArrowUp")
    keys.press("ArrowUp")
    expect(rating(kim, UX, 3)).to_be_checked()
    keys.press("Tab")
    expect(evidence(kim, UX)).to_be_focused()
    keys.type("Argued for an undo button with support tickets in hand.")
    # Kim changes her mind: back to the rating, one more up.
    keys.press("Shift+Tab")
    expect(rating(kim, UX, 3)).to_be_focused()
    keys.press("ArrowUp")
    expect(rating(kim, UX, 2)).to_be_checked()

    tab_to(kim, kim.get_by_role("group", name=PROBLEMS).get_by_role("radio", checked=True))
    keys.press("ArrowDown")  # from the last option around to the first, then up to 4
    keys.press("ArrowUp")
    keys.press("ArrowUp")
    expect(rating(kim, PROBLEMS, 4)).to_be_checked()
    tab_to(kim, evidence(kim, PROBLEMS))
    keys.type("Read the logs after each release and fixed a broken upload flow.")

    tab_to(kim, kim.get_by_role("button", name="Save draft"))
    keys.press("Enter")
    expect(kim.get_by_role("status").first).to_have_text("Draft saved.")
    kim.reload()
    expect(rating(kim, UX, 2)).to_be_checked()
    expect(rating(kim, PROBLEMS, 4)).to_be_checked()
    expect(evidence(kim, PROBLEMS)).to_have_value(
        "Read the logs after each release and fixed a broken upload flow."
    )

    # Tick an anti-pattern with Space: its evidence box opens and takes the focus.
    tab_to(kim, kim.get_by_role("checkbox", name=SPECS))
    keys.press("Space")
    expect(kim.get_by_role("checkbox", name=SPECS)).to_be_checked()
    expect(kim.get_by_label(f"What you saw ({SPECS})")).to_be_focused()
    keys.type("Asked for a full spec before touching the prototype.")

    tab_to(kim, recommendation(kim, "Strong no"))  # the group's first option: none chosen yet
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    expect(recommendation(kim, "Yes")).to_be_checked()
    keys.press("Tab")
    expect(kim.get_by_label("Key takeaways")).to_be_focused()
    keys.type("Strong product sense; wants more structure than we have.")
    tab_to(kim, kim.get_by_role("button", name="Submit scorecard"))
    keys.press("Enter")
    expect(kim.get_by_role("status")).to_contain_text("Scorecard submitted.")
    submitted = kim.get_by_role("region", name=re.compile("^Submitted"))
    expect(submitted.get_by_role("link", name=f"View or amend for {loop.name}")).to_be_visible()

    rita.goto(loop.scorecards["kim"])
    for words in (
        "Argued for an undo button with support tickets in hand.",
        "Asked for a full spec before touching the prototype.",
        "Strong product sense; wants more structure than we have.",
    ):
        expect(rita.get_by_text(words, exact=True)).to_be_visible()


def test_submitting_while_a_draft_autosaves_is_no_conflict(context_for: Any) -> None:
    rita = sign_in(context_for(), "recruiter")
    loop = new_loop(rita, {"olga": [UX]})
    olga = sign_in(context_for(), "olga")
    open_scorecard(olga, loop)
    rating(olga, UX, 3).check()
    recommendation(olga, "Yes").check()

    def submit_while_autosaving(route: Any) -> None:
        # The server has saved the draft; its answer is still on the way when Olga submits.
        answer = route.fetch()
        olga.get_by_role("button", name="Submit scorecard").click(no_wait_after=True)
        route.fulfill(response=answer)

    olga.route("**/autosave", submit_while_autosaving, times=1)
    evidence(olga, UX).fill("Cut a feature after reading the support queue.")  # then a pause
    expect(olga.get_by_role("heading", level=1)).to_have_text("My interviews")
    expect(olga.get_by_role("status")).to_contain_text("Scorecard submitted.")
    rita.goto(loop.scorecards["olga"])
    expect(
        rita.get_by_text("Cut a feature after reading the support queue.", exact=True)
    ).to_be_visible()


def test_colleagues_scorecards_stay_closed_until_the_interviewer_submits(
    context_for: Any,
) -> None:
    rita = sign_in(context_for(), "recruiter")
    loop = new_loop(rita, {"ivan": [UX], "olga": [UX]})
    olga_words = "Sketched three flows on the whiteboard and killed two herself."
    olga = sign_in(context_for(), "olga")
    open_scorecard(olga, loop)
    submit_scorecard(olga, {UX: (4, olga_words)})

    ivan = sign_in(context_for(), "ivan")
    response = ivan.goto(loop.scorecards["olga"])
    assert response is not None and response.status == 403
    expect(ivan.get_by_text("Submit your own scorecard for this candidate")).to_be_visible()
    expect(ivan.get_by_text(olga_words)).to_have_count(0)

    open_scorecard(ivan, loop)
    submit_scorecard(ivan, {UX: (3, "Pushed back on a dark pattern with user quotes.")})
    response = ivan.goto(loop.scorecards["olga"])
    assert response is not None and response.status == 200
    expect(ivan.get_by_role("heading", level=1)).to_have_text(
        f"{PEOPLE['olga'][1]}'s scorecard: {loop.name}"
    )
    expect(ivan.get_by_text(olga_words)).to_be_visible()


def test_the_rollup_follows_the_scorecards_and_the_debrief_pdf_quotes_the_panel(
    context_for: Any, tmp_path: Path
) -> None:
    rita = sign_in(context_for(), "recruiter")
    loop = new_loop(rita, {"ivan": [UX, PROBLEMS], "olga": [UX, PROBLEMS]})
    expect(rita.get_by_text("No scorecard is submitted yet")).to_be_visible()

    ivan = sign_in(context_for(), "ivan")
    open_scorecard(ivan, loop)
    submit_scorecard(ivan, {UX: (4, "Rewrote the empty state after a support call.")})
    rita.reload()
    expect(coverage(rita, "Submitted")).to_have_text("1")
    expect(competency_row(rita, UX)).to_contain_text("4.00")

    olga = sign_in(context_for(), "olga")
    open_scorecard(olga, loop)
    olga.get_by_role("checkbox", name=SPECS).check()
    olga.get_by_label(f"What you saw ({SPECS})").fill("Would not start without a written spec.")
    takeaways = "Careful builder who waits for specs."
    submit_scorecard(olga, {UX: (3, "Had views, mostly about fonts.")}, takeaways)
    rita.reload()
    expect(coverage(rita, "Submitted")).to_have_text("2")
    expect(competency_row(rita, UX)).to_contain_text("3.50")
    expect(rita.get_by_role("heading", name=re.compile(f"^{SPECS}"))).to_be_visible()
    assert serious_violations(rita) == []

    with rita.expect_download(timeout=60_000) as download:
        rita.get_by_role("link", name="Debrief PDF").click()
    saved = tmp_path / "debrief.pdf"
    download.value.save_as(saved)
    pdf = PdfReader(BytesIO(saved.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert loop.name in text
    assert UX in text
    assert SPECS in text
    assert "“Would not start without a written spec.”" in text
    assert takeaways in text
    assert "2 of 2 scorecards submitted" in text
