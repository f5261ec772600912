"""What people expect of the web app in a real browser: nothing loaded from elsewhere,
pages that fit a phone, a scorecard form that helps (progress, anchors, autosave, a warning
before losing text, errors beside their fields), lists that sort, filter and page, empty
states that say what to do, a message after every action, and times in the reader's zone.

Each main page is also photographed at both widths into test-results/screenshots/pages/,
for a person to look at."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from hiring.rubric_loader import RubricFolder
from tests.e2e.conftest import DESKTOP, PEOPLE, PHONE, Site, sign_in
from tests.e2e.test_journeys import PROBLEMS, UX, evidence, new_loop, rating, recommendation
from tests.e2e.tour import (
    KNOWN_LOCAL,
    LISTED_COUNT,
    LISTED_TITLE,
    PAGES_SHOTS,
    RUBRICS,
    STOPS,
    WIDTHS,
    Sample,
    Stop,
    Visitors,
)

STOP = {stop.name: stop for stop in STOPS}
FETCHED = ("stylesheet", "script", "font", "image", "media")


# Elements whose right edge passes the viewport's, to say what makes a page scroll sideways.
OVERFLOWING = """width => [...document.querySelectorAll('body *')]
  .filter(element => element.getBoundingClientRect().right > width + 0.5)
  .filter(element => !element.closest('.table-wrap, .visually-hidden, .skip-link'))
  .slice(0, 5)
  .map(element => element.tagName.toLowerCase() + '.' + element.className)"""

# Tables wider than the screen, and whether a focusable container of their own scrolls them.
WIDE_TABLES = """width => [...document.querySelectorAll('table')]
  .filter(table => table.getBoundingClientRect().width > width)
  .map(table => {
    const box = table.closest('.table-wrap');
    const scrolls = box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
      && box.getBoundingClientRect().right <= width && box.tabIndex === 0;
    return [table.className, Boolean(scrolls)];
  })"""

# Controls a finger must hit, smaller than 24 by 24 CSS pixels (WCAG 2.2, target size).
# A checkbox or radio counts with its label, which takes the tap too.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, select, textarea, input:not([type="hidden"]), nav a, a[class^="button"]')]
  .filter(element => element.getClientRects().length && !element.closest('[hidden]'))
  .map(element => {
    const label = ['checkbox', 'radio'].includes(element.type) && element.labels[0];
    const box = (label || element).getBoundingClientRect();
    return [element.name || element.textContent.trim().slice(0, 30), box.width, box.height];
  })
  .filter(([, width, height]) => width < 24 || height < 24)"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("stop", STOPS, ids=lambda stop: stop.name)
def test_each_main_page_loads_only_from_the_app_and_fits_the_screen(
    tour: Visitors, data: Sample, site: Site, stop: Stop, width: str
) -> None:
    """No stylesheet, script, font or image from a CDN; nothing wider than the screen but
    tables, in a scrolling box of their own; on a phone, controls big enough to tap. The
    page is then photographed into PAGES_SHOTS for a person to look at."""
    viewport = WIDTHS[width]
    page = tour.page(stop.person, viewport)
    requests: list[Any] = []

    def record(request: Any) -> None:
        requests.append(request)

    page.on("request", record)
    try:
        tour.visit(stop, viewport, data)
    finally:
        page.remove_listener("request", record)
    fetched = [(request.resource_type, request.url) for request in requests]
    assert {"stylesheet", "script"} <= {kind for kind, _ in fetched}
    own = f"{site.base}/"
    assert [url for kind, url in fetched if kind in FETCHED and not url.startswith(own)] == []

    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (
        page.evaluate(OVERFLOWING, viewport["width"])
    )
    assert [
        name for name, scrolls in page.evaluate(WIDE_TABLES, viewport["width"]) if not scrolls
    ] == []
    if viewport == PHONE:
        assert page.evaluate(SMALL_TARGETS) == []
    PAGES_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PAGES_SHOTS / f"{stop.name}-{width}.png"), full_page=True)


# The scorecard form


def kim(tour: Visitors, data: Sample, test: str, viewport: dict[str, int] = DESKTOP) -> Any:
    """Kim's page on her scorecard for `test` (UX and PROBLEMS)."""
    page = tour.page("kim", viewport)
    page.goto(data.scorecards[test])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard: Fay Form ({test})")
    return page


def test_the_progress_count_follows_the_ratings_and_is_announced_politely(
    tour: Visitors, data: Sample
) -> None:
    page = kim(tour, data, "progress", PHONE)
    progress = page.get_by_text(re.compile(r"of 2 competencies rated$"))
    expect(progress).to_have_text("0 of 2 competencies rated")
    expect(progress).to_have_attribute("aria-live", "polite")
    expect(progress).to_have_attribute("aria-atomic", "true")  # read as a whole sentence
    rating(page, UX, 3).check()
    expect(progress).to_have_text("1 of 2 competencies rated")
    rating(page, PROBLEMS, 1).check()
    expect(progress).to_have_text("2 of 2 competencies rated")
    page.get_by_role("group", name=UX).get_by_role("radio", name="Not assessed").check()
    expect(progress).to_have_text("1 of 2 competencies rated")


@pytest.mark.parametrize("width", WIDTHS)
def test_each_rating_option_shows_its_behavioural_anchor(
    tour: Visitors, data: Sample, width: str
) -> None:
    rubric = RubricFolder(RUBRICS).current().rubrics["product-engineer"]
    page = kim(tour, data, "progress", WIDTHS[width])
    for competency in rubric.competencies[:2]:
        group = page.get_by_role("group", name=competency.name)
        for point in rubric.scale:
            option = group.get_by_role("radio", name=re.compile(rf"^{point.value} {point.label}"))
            expect(option).to_have_count(1)
            anchor = group.get_by_text(competency.anchors[point.value], exact=True)
            expect(anchor).to_be_visible()
            # Beside its option: inside the same label, so a tap on the words chooses it.
            assert anchor.evaluate("(text) => text.closest('label').control.value") == str(
                point.value
            )


def test_autosave_says_what_it_does_and_keeps_the_draft(tour: Visitors, data: Sample) -> None:
    page = kim(tour, data, "autosave", PHONE)
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("role", "status")  # announced, politely
    rating(page, UX, 4).check()
    evidence(page, UX).fill("Redesigned the settings page after five support calls.")
    expect(status).to_have_text("Unsaved changes")
    expect(status).to_have_text(re.compile(r"^Draft saved at \d{1,2}:\d\d [AP]M$"))
    page.reload()
    expect(evidence(page, UX)).to_have_value(
        "Redesigned the settings page after five support calls."
    )
    local_time = r"\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M"  # as hiring.js shows <time>
    expect(status).to_have_text(re.compile(rf"^Draft saved {local_time}$"))


def test_leaving_with_unsaved_changes_asks_first_but_not_once_they_are_saved(
    context_for: Any, data: Sample
) -> None:
    page = sign_in(context_for(), "kim")
    page.goto(data.scorecards["leaving"])
    dialogs: list[str] = []

    def stay(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    rating(page, PROBLEMS, 2).click()
    evidence(page, PROBLEMS).press_sequentially("Found the flaky test")
    with page.expect_event("dialog"):
        page.get_by_role("link", name="My interviews").first.click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    expect(evidence(page, PROBLEMS)).to_have_value("Found the flaky test")  # she stayed

    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Draft saved at"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My interviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My interviews")
    assert dialogs == ["beforeunload"]  # no second warning


def test_a_bad_submit_puts_each_error_beside_its_field(tour: Visitors, data: Sample) -> None:
    page = kim(tour, data, "errors")
    rating(page, UX, 3).check()  # without evidence, and no recommendation
    with page.expect_response(re.compile(r"/scorecard$")) as answer:
        page.get_by_role("button", name="Submit scorecard").click()
    assert answer.value.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("saved as a draft")

    words = evidence(page, UX)
    expect(words).to_have_attribute("aria-invalid", "true")
    expect(words).to_have_accessible_description(re.compile("evidence is required"))
    ux = page.get_by_role("group", name=UX)
    expect(ux.get_by_text(re.compile("evidence is required"))).to_be_visible()  # in its fieldset

    choices = page.get_by_role("group", name="Overall recommendation")
    expect(choices).to_have_accessible_description(re.compile("choose an overall recommendation"))
    expect(choices.get_by_text(re.compile("choose an overall recommendation"))).to_be_visible()

    # The summary's links lead to the fields.
    summary.get_by_role("link", name=f"Evidence for {UX}").click()
    expect(words).to_be_focused()
    recommendation(page, "Yes").check()
    words.fill("Sketched the empty state and tested it with two users.")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_role("status").first).to_contain_text("Scorecard submitted.")


def test_a_form_sent_back_puts_the_focus_on_its_first_field_in_error(
    tour: Visitors, data: Sample
) -> None:
    page = tour.visit(STOP["candidate-new"], PHONE, data)
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Add candidate").click()
    name = page.get_by_label("Name", exact=True)
    expect(name).to_be_focused()
    expect(name).to_have_accessible_description("Enter the candidate's full name.")
    expect(page.get_by_label("Role (rubric)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_value("not an email")  # nothing typed is lost


# Lists


def rows(page: Any) -> Any:
    return page.get_by_role("table").get_by_role("rowheader")


def test_the_candidate_list_filters_sorts_and_pages(tour: Visitors, data: Sample) -> None:
    page = tour.page("recruiter")
    page.goto("/candidates/")
    summary = page.locator("#list-summary")
    page.get_by_label("Role").select_option(label=LISTED_TITLE)
    page.get_by_role("button", name="Show").click()
    expect(summary).to_have_text(
        f"1\N{EN DASH}25 of {LISTED_COUNT} candidates matching the filters, newest first"
    )
    expect(rows(page)).to_have_count(25)
    expect(rows(page).first).to_have_text(f"Lee Listed {LISTED_COUNT}")

    page.get_by_role("link", name="Name").click()
    expect(page.get_by_role("columnheader", name=re.compile("^Name"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows(page).first).to_have_text("Lee Listed 01")
    pages = page.get_by_role("navigation", name="Pages of candidates")
    pages.get_by_role("link", name="Next").click()
    expect(summary).to_contain_text(f"26\N{EN DASH}{LISTED_COUNT} of {LISTED_COUNT}")
    expect(rows(page)).to_have_text(["Lee Listed 26", "Lee Listed 27"])
    expect(pages).to_contain_text("Page 2 of 2")

    page.get_by_label("Status").select_option(label="Rejected")
    page.get_by_role("button", name="Show").click()
    expect(summary).to_have_text("1\N{EN DASH}1 of 1 candidate matching the filters, name, a to z")
    expect(rows(page)).to_have_text(["Lee Listed 27"])
    page.get_by_role("link", name="Clear filters").click()
    expect(summary).not_to_contain_text("matching")


@pytest.mark.parametrize(
    ("name", "says", "next_step"),
    [
        ("candidates-no-match", "No candidate matches these filters", "Clear the filters"),
        ("my-interviews-none", "No interviews are assigned to you yet", "Candidates"),
        ("calibration-no-data", "No scorecard on this rubric is submitted yet", "Candidates"),
    ],
)
def test_empty_states_say_what_to_do_next(
    tour: Visitors, data: Sample, name: str, says: str, next_step: str
) -> None:
    page = tour.visit(STOP[name], PHONE, data)
    empty = page.locator(".empty").filter(has_text=says)
    expect(empty).to_be_visible()
    empty.get_by_role("link", name=next_step).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates")
    expect(page.locator("#list-summary")).to_contain_text("candidates, newest first")


def test_every_action_confirms_itself_with_a_message(
    tour: Visitors, data: Sample, context_for: Any
) -> None:
    rita = tour.page("recruiter")
    rita.goto("/")
    loop = new_loop(rita, {"kim": [UX]})  # "Candidate added.", "Interview assigned to ..."
    rita.get_by_label("Status").select_option(label="Hired")
    rita.get_by_role("button", name="Change status").click()
    expect(rita.get_by_role("status")).to_have_text("Status set to Hired.")

    page = sign_in(context_for(PHONE), "kim")
    page.goto(loop.scorecards["kim"])
    rating(page, UX, 2).check()
    evidence(page, UX).fill("Shipped a fix the same afternoon.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_have_text("Draft saved.")
    recommendation(page, "No").check()
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_role("status")).to_have_text(
        "Scorecard submitted. You can now read your colleagues' scorecards."
    )
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


# Times


def test_times_are_shown_in_the_readers_time_zone(tour: Visitors, data: Sample) -> None:
    page = tour.page("ivan", PHONE)
    page.goto("/interviews/")
    upcoming = page.get_by_role("region", name=re.compile("^Upcoming"))
    expect(upcoming.get_by_role("listitem").filter(has_text="Lee Listed 01")).to_contain_text(
        f"interview {KNOWN_LOCAL}"
    )
    rita = tour.page("recruiter")
    rita.goto(data.known)
    row = rita.get_by_role("row").filter(has_text=PEOPLE["ivan"][0])
    expect(row.get_by_role("cell").nth(2)).to_have_text(KNOWN_LOCAL)  # scheduled
    expect(row.get_by_role("cell").nth(3)).to_have_text(KNOWN_LOCAL.replace("15", "16"))  # due
    for shown in (page, rita):
        times = shown.locator("time[data-local]").all_inner_texts()
        assert times and not [text for text in times if "UTC" in text]


def test_a_time_typed_across_a_clock_change_is_kept_as_typed(tour: Visitors, data: Sample) -> None:
    """In November New York is at UTC-5; in July at UTC-4: the form must send the offset
    of the day typed, not of today."""
    rita = tour.page("recruiter")
    rita.goto(data.known)
    rita.get_by_label("Interviewer").select_option(label=f"{PEOPLE['olga'][1]} (interviewer)")
    rita.get_by_label("Scheduled").fill("2027-07-01T09:30")
    rita.get_by_role("button", name="Assign interview").click()
    expect(rita.get_by_role("status")).to_have_text(f"Interview assigned to {PEOPLE['olga'][0]}.")
    row = rita.get_by_role("row").filter(has_text=PEOPLE["olga"][0])
    expect(row.get_by_role("cell").nth(2)).to_have_text("Jul 1, 2027, 9:30 AM")
