"""Accessibility of the main pages in a real browser: axe-core finds no serious or critical
violation on any of them, for the role that uses it, on a laptop and on a phone; and the
checks axe cannot make alone: rating groups are fieldsets with legends, every field has a
label, the keyboard focus is visible, colour never carries a rating alone, contrast holds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import AXE, DESKTOP, PHONE, serious_violations
from tests.e2e.test_journeys import PROBLEMS, UX
from tests.e2e.tour import STOPS, WIDTHS, Sample, Stop, Visitors

STOP = {stop.name: stop for stop in STOPS}
FORMS = (
    "sign-in",
    "scorecard-new",
    "scorecard-errors",
    "candidates",
    "candidate-new-errors",
    "candidate",
)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("stop", STOPS, ids=lambda stop: stop.name)
def test_the_main_pages_have_no_serious_violations(
    tour: Visitors, data: Sample, stop: Stop, width: str
) -> None:
    page = tour.visit(stop, WIDTHS[width], data)
    assert serious_violations(page) == []


def test_rating_groups_are_fieldsets_named_by_their_legend(tour: Visitors, data: Sample) -> None:
    page = tour.visit(STOP["scorecard-submitted"], PHONE, data)  # ivan: two competencies
    radios = page.evaluate(
        """() => [...document.querySelectorAll('input[type="radio"]')].map(radio => {
             const group = radio.closest('fieldset');
             const legend = group && group.querySelector(':scope > legend');
             return [radio.name, legend ? legend.textContent.trim() : null];
           })"""
    )
    legends = {name: legend for name, legend in radios}
    assert len(radios) == 2 * 5 + 4  # two competencies (4 points and "not assessed"), 4 choices
    assert legends == {
        "rating__user-experience-opinions": UX,
        "rating__proactive-problem-finding": PROBLEMS,
        "recommendation": "Overall recommendation",
    }
    for name in (UX, PROBLEMS):
        expect(page.get_by_role("group", name=name).get_by_role("radio")).to_have_count(5)


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(field => !['hidden', 'submit', 'button'].includes(field.type))
  .map(field => {
    const labels = [...(field.labels || [])].map(label => label.textContent.trim()).join(' ');
    const named = labels || field.getAttribute('aria-label')
      || field.getAttribute('aria-labelledby');
    return [field.name || field.id, Boolean(named && named.trim())];
  })"""


@pytest.mark.parametrize("name", FORMS)
def test_every_form_field_has_a_label(tour: Visitors, data: Sample, name: str) -> None:
    page = tour.visit(STOP[name], DESKTOP, data)
    fields = page.evaluate(UNLABELLED)
    assert fields, f"{name} has no form field"
    assert [field for field, labelled in fields if not labelled] == []


# How an element is drawn around its edge: its outline (when it has one) and its shadow.
RING = """element => {
  const style = getComputedStyle(element);
  const outline = style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0
    ? 'none' : [style.outlineStyle, style.outlineWidth, style.outlineColor].join(' ');
  return outline + ' / ' + style.boxShadow;
}"""


@pytest.mark.parametrize("name", ("sign-in", "scorecard-new", "candidates", "candidate"))
def test_the_keyboard_focus_is_visible_on_everything_it_reaches(
    tour: Visitors, data: Sample, name: str
) -> None:
    """Tab through the page: each element the focus lands on is drawn differently from
    how it is without the focus (an outline or a shadow), so a keyboard user sees where
    they are."""
    page = tour.visit(STOP[name], DESKTOP, data)
    page.evaluate(
        f"""() => {{
          document.activeElement && document.activeElement.blur();
          window.unfocusedRing = new Map([...document.querySelectorAll('*')].map(
            element => [element, ({RING})(element)]));
        }}"""
    )
    reached: list[str] = []
    unseen: list[str] = []
    for _ in range(25):
        page.keyboard.press("Tab")
        what, before, now = page.evaluate(
            f"""() => {{
              const element = document.activeElement;
              const name = element.tagName.toLowerCase() + ' ' + (element.getAttribute('aria-label')
                || element.innerText || element.name || '').trim().slice(0, 40);
              return [name, window.unfocusedRing.get(element), ({RING})(element)];
            }}"""
        )
        if what.startswith("body"):
            continue
        reached.append(what)
        if before == now or now == "none / none":
            unseen.append(f"{what}: {now}")
    assert len(reached) >= 5, f"Tab reached only {reached}"
    assert unseen == []


def test_the_rollup_grid_shows_each_rating_as_a_number_not_only_a_colour(
    tour: Visitors, data: Sample
) -> None:
    page = tour.visit(STOP["candidate"], PHONE, data)
    grid = page.get_by_role("table", name=re.compile("^Ratings by competency"))
    cells = page.locator(".rollup-grid td.grid-cell")
    # Each tinted cell's colour and the text drawn in it (not text for screen readers only).
    coloured = cells.evaluate_all(
        """cells => cells
             .filter(cell => /rating-tone-/.test(cell.className))
             .map(cell => {
               const text = cell.firstChild, range = document.createRange();
               if (!text || text.nodeType !== Node.TEXT_NODE) return [null, null];
               range.selectNodeContents(text);
               const drawn = range.getBoundingClientRect().width > 4;
               return [getComputedStyle(cell).backgroundColor, drawn ? text.textContent : null];
             })"""
    )
    assert len(coloured) == 4  # two interviewers, two competencies each
    assert sorted(text for _, text in coloured) == ["2", "3", "3", "4"]  # ivan 4, 3; olga 2, 3
    assert len({colour for colour, _ in coloured}) > 1  # the colours differ, the numbers tell
    ux = grid.get_by_role("row").filter(has=page.get_by_role("rowheader", name=UX))
    expect(ux.get_by_role("cell").nth(0)).to_have_text("4 (Strong yes)")
    expect(ux.get_by_role("cell").nth(1)).to_have_text("2 (No)")
    expect(ux.get_by_text("Split", exact=True)).to_be_visible()  # the split is said, not tinted
    legend = page.get_by_role("list", name="Rating scale").get_by_role("listitem")
    expect(legend).to_have_text(["1 Strong no", "2 No", "3 Yes", "4 Strong yes"])


CONTRAST = """async () => {
  const results = await axe.run(document, {runOnly: ['color-contrast']});
  return [results.violations.flatMap(
            v => v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)),
          results.passes.reduce((count, rule) => count + rule.nodes.length, 0)];
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ("scorecard-errors", "candidate"))
def test_text_contrasts_enough_with_its_background(
    tour: Visitors, data: Sample, name: str, width: str
) -> None:
    page = tour.visit(STOP[name], WIDTHS[width], data)
    page.evaluate(AXE.read_text())
    failures, passed = page.evaluate(CONTRAST)
    assert passed > 20, "axe checked too little text: is the rule still running?"
    assert failures == []
