"""Interviewers' pages: my interviews, the scorecard form, autosave, conflicts, independence."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from hiring import candidates
from hiring.db import new_session
from hiring.models import AuditEntry, Interview, Scorecard, User
from hiring.rubric_loader import load_rubrics
from hiring.rubric_versions import record_version
from hiring.scoring import (
    Overtaken,
    RatingInput,
    ScorecardInput,
    StaleScorecard,
    prepare_save,
    save_scorecard,
    write_save,
)
from tests.conftest import AuthActions
from tests.helpers import csrf_token
from tests.test_rubrics import PROJECT_RUBRICS

EVIDENCE = "Shipped a fix for onboarding drop-off nobody had asked for, within a week."


@pytest.fixture
def loop(app: Flask, users: dict[str, User]) -> dict[str, int]:
    """A PM candidate; Ivan interviewed yesterday (due), Olga interviews next week."""
    rubrics = load_rubrics([PROJECT_RUBRICS])
    now = datetime.now(UTC)
    with new_session(app.extensions["hiring.engine"]) as session:
        candidate = candidates.create_candidate(
            session=session,
            rubrics=rubrics,
            name="Cam <b>Candidate</b>",
            email="cam@example.com",
            rubric_id="product-manager",
        )
        session.flush()
        ivan = candidates.assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email="ivan@example.com",
            focus=["high-agency", "decisiveness"],
            scheduled_at=now - timedelta(hours=3),
        )
        olga = candidates.assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email="olga@example.com",
            scheduled_at=now + timedelta(days=7),
        )
        session.commit()
        return {"candidate": candidate.id or 0, "ivan": ivan.id or 0, "olga": olga.id or 0}


def _form(client: FlaskClient, interview_id: int, **fields: str) -> dict[str, str]:
    page = client.get(f"/interviews/{interview_id}/scorecard")
    version = page.get_data(as_text=True).split('name="version" type="hidden" value="')[1]
    return {"csrf_token": csrf_token(page.data), "version": version.split('"')[0], **fields}


def _complete() -> dict[str, str]:
    return {
        "rating__high-agency": "3",
        "evidence__high-agency": EVIDENCE,
        "rating__decisiveness": "not-assessed",
        "recommendation": "yes",
        "takeaways": "Owner mentality; probe decisiveness next.",
        "action": "submit",
    }


def _stored(app: Flask, interview_id: int) -> Scorecard | None:
    with new_session(app.extensions["hiring.engine"]) as session:
        return session.exec(select(Scorecard).where(Scorecard.interview_id == interview_id)).first()


def test_my_interviews_groups_by_what_is_due(
    client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    page = client.get("/interviews/").get_data(as_text=True)
    assert "Due now" in page and "Cam &lt;b&gt;Candidate&lt;/b&gt;" in page
    assert "Fill scorecard" in page and "Upcoming" not in page
    assert "Product Manager (high agency) · 2 competencies" in page  # its title, not its id
    auth.logout()
    auth.login("olga@example.com")
    assert "Upcoming" in client.get("/interviews/").get_data(as_text=True)


def test_the_form_shows_anchors_for_each_focus_competency(
    client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    page = client.get(f"/interviews/{loop['ivan']}/scorecard").get_data(as_text=True)
    assert "<legend>High agency</legend>" in page and "<legend>Decisiveness</legend>" in page
    assert "Comfort with ambiguity</legend>" not in page  # not a focus of Ivan's interview
    assert "Cannot give an example of acting without being asked" in page  # an anchor
    assert page.count('value="not-assessed"') == 2
    assert "Needs structured swim lanes" in page
    assert "0</span> of 2 competencies rated" in page


def test_save_draft_reload_then_submit(
    app: Flask, client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    path = f"/interviews/{loop['ivan']}/scorecard"
    draft = client.post(
        path,
        data=_form(
            client,
            loop["ivan"],
            **{
                "rating__high-agency": "3",
                "evidence__high-agency": "half-written note",
                "action": "draft",
            },
        ),
    )
    assert draft.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Draft saved." in page and "half-written note" in page
    assert re.search(
        r'<input checked id="rating__high-agency-\d" name="rating__high-agency" '
        r'type="radio" value="3">',
        page,
    )
    stored = _stored(app, loop["ivan"])
    assert stored is not None and stored.status.value == "draft" and stored.version == 1
    submitted = client.post(path, data=_form(client, loop["ivan"], **_complete()))
    assert submitted.status_code == 302 and submitted.headers["Location"] == "/interviews/"
    stored = _stored(app, loop["ivan"])
    assert stored is not None and stored.status.value == "submitted"
    assert stored.ratings == {"high-agency": {"rating": 3, "evidence": EVIDENCE}}


@pytest.mark.parametrize(
    ("change", "message", "kept"),
    [
        ({"evidence__high-agency": " "}, "evidence is required for every rating", True),
        ({"recommendation": ""}, "choose an overall recommendation", True),
        (
            {"rating__high-agency": "not-assessed", "evidence__high-agency": ""},
            "rate at least one competency before submitting",
            True,
        ),
        ({"ticked__needs-swim-lanes": "y"}, "evidence is required when ticked", True),
        ({"ap_evidence__deck-culture": "Wrote a deck."}, "Tick the box above if you saw", False),
        ({"rating__high-agency": "9"}, "Not a valid choice", False),
    ],
)
def test_an_incomplete_submission_shows_each_problem_and_loses_nothing(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    loop: dict[str, int],
    change: dict[str, str],
    message: str,
    kept: bool,
) -> None:
    auth.login("ivan@example.com")
    response = client.post(
        f"/interviews/{loop['ivan']}/scorecard",
        data=_form(client, loop["ivan"], **{**_complete(), **change}),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="error-summary"' in page
    stored = _stored(app, loop["ivan"])
    if kept:  # valid as a draft: kept as one, and the page says so
        assert "your answers are saved as a draft" in page
        assert stored is not None and stored.status.value == "draft"
        assert stored.takeaways == "Owner mentality; probe decisiveness next."
        assert 'data-unsaved="false"' in page
    else:  # nothing could be saved: the page warns before leaving
        assert stored is None
        assert 'data-unsaved="true"' in page


def test_two_tabs_get_a_conflict_with_the_newer_content(
    app: Flask, client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    path = f"/interviews/{loop['ivan']}/scorecard"
    first_tab = _form(client, loop["ivan"], takeaways="from the first tab", action="draft")
    second_tab = _form(client, loop["ivan"], takeaways="from the second tab", action="draft")
    assert client.post(path, data=first_tab).status_code == 302
    conflict = client.post(path, data=second_tab)
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "This scorecard was changed elsewhere" in page
    assert "from the first tab" in page and "from the second tab" in page
    assert 'data-autosave="off"' in page  # only an explicit save may replace the newer version
    assert "Your changes are not saved" in page
    stored = _stored(app, loop["ivan"])
    assert stored is not None and stored.takeaways == "from the first tab"


def test_first_saves_at_once_one_wins_and_the_other_is_told_stale(
    app: Flask, users: dict[str, User], loop: dict[str, int]
) -> None:
    """Two tabs saving a scorecard's first version at the same moment: the second waits for
    the first's transaction (SQLite's write lock; PostgreSQL's unique index), is told the
    scorecard is stale, and its transaction can still save on top of the winner."""
    rubric = load_rubrics([PROJECT_RUBRICS]).rubrics["product-manager"]
    engine = app.extensions["hiring.engine"]
    data = ScorecardInput(ratings={"high-agency": RatingInput(rating=3, evidence=EVIDENCE)})

    def save(session: Session, version: int) -> Scorecard:
        interview = session.get(Interview, loop["ivan"])
        assert interview is not None
        return save_scorecard(
            session=session,
            interview=interview,
            author=users["interviewer"],
            data=data,
            current_rubric=rubric,
            expected_version=version,
        )

    outcome: dict[str, object] = {}

    def second_tab() -> None:
        with new_session(engine) as second:
            try:
                save(second, 0)
            except StaleScorecard as stale:
                outcome["told"] = stale.current.version
                outcome["then"] = save(second, stale.current.version).version
                second.commit()
            except Exception as error:  # shown by the assertion below
                outcome["error"] = repr(error)

    with new_session(engine) as first:
        assert save(first, 0).version == 1
        thread = threading.Thread(target=second_tab)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first transaction
        first.commit()
    thread.join(30)
    assert outcome == {"told": 1, "then": 2}
    stored = _stored(app, loop["ivan"])
    assert stored is not None and stored.version == 2


@pytest.mark.parametrize("saved_before", [0, 1], ids=["first save", "later save"])
def test_a_save_prepared_before_another_is_written_is_overtaken(
    app: Flask, users: dict[str, User], loop: dict[str, int], saved_before: int
) -> None:
    """A save worked out from what was read (`prepare_save`, as the API does before its
    write transaction) and overtaken by another save in between writes nothing: the
    unique scorecard per interview refuses a second first save, and a later save only
    updates the version it was read at."""
    rubric = load_rubrics([PROJECT_RUBRICS]).rubrics["product-manager"]
    engine = app.extensions["hiring.engine"]

    def data(takeaways: str) -> ScorecardInput:
        rating = RatingInput(rating=3, evidence=EVIDENCE)
        return ScorecardInput(ratings={"high-agency": rating}, takeaways=takeaways)

    def interview(session: Session) -> Interview:
        found = session.get(Interview, loop["ivan"])
        assert found is not None
        return found

    for number in range(saved_before):
        with new_session(engine) as session:
            save_scorecard(
                session=session,
                interview=interview(session),
                author=users["interviewer"],
                data=data(f"save {number}"),
                current_rubric=rubric,
            )
            session.commit()
    with new_session(engine) as reads:
        prepared = prepare_save(
            session=reads,
            interview=interview(reads),
            author=users["interviewer"],
            data=data("prepared"),
            current_rubric=rubric,
            expected_version=saved_before,
            current_version_id=record_version(session=reads, rubric=rubric),
        )
        reads.commit()
    with new_session(engine) as other:
        save_scorecard(
            session=other,
            interview=interview(other),
            author=users["interviewer"],
            data=data("overtaking"),
            current_rubric=rubric,
        )
        other.commit()
    with new_session(engine) as session, pytest.raises(Overtaken):
        write_save(session=session, prepared=prepared)
    stored = _stored(app, loop["ivan"])
    assert stored is not None
    assert (stored.takeaways, stored.version) == ("overtaking", saved_before + 1)


def test_autosave_answers_json_and_bumps_the_version(
    app: Flask, client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    data = _form(client, loop["ivan"], takeaways="typed on the train")
    first = client.post(
        f"/interviews/{loop['ivan']}/scorecard/autosave",
        data=data,
        headers={"X-CSRFToken": data["csrf_token"]},
    )
    assert first.status_code == 200 and first.get_json()["version"] == 1
    stale = client.post(f"/interviews/{loop['ivan']}/scorecard/autosave", data=data)
    assert stale.status_code == 409
    no_token = client.post(
        f"/interviews/{loop['ivan']}/scorecard/autosave",
        data={**data, "csrf_token": "forged", "version": "1"},
    )
    assert no_token.status_code == 400


def test_independence_and_read_only_views(
    app: Flask, client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    ivans = f"/interviews/{loop['ivan']}/scorecard"
    client.post(ivans, data=_form(client, loop["ivan"], **_complete()))
    auth.logout()

    auth.login("olga@example.com")
    assert client.get(ivans).status_code == 403
    olgas = f"/interviews/{loop['olga']}/scorecard"
    assert (
        client.post(
            f"/interviews/{loop['olga']}/scorecard/autosave",
            data=_form(client, loop["olga"], takeaways="x"),
        ).status_code
        == 200
    )
    assert client.get(ivans).status_code == 403  # a draft is not a submission
    olga_submit = {**{k: v for k, v in _complete().items() if "decisiveness" not in k}}
    assert client.post(olgas, data=_form(client, loop["olga"], **olga_submit)).status_code == 302
    page = client.get(ivans)
    assert page.status_code == 200
    assert EVIDENCE in page.get_data(as_text=True)
    assert "Audit log" not in page.get_data(as_text=True)
    auth.logout()

    auth.login("rita@example.com")
    recruiter_view = client.get(ivans).get_data(as_text=True)
    assert "Audit log" in recruiter_view and "Ivan submitted" in recruiter_view
    assert "<strong>High agency: rating</strong>: (empty) → 3" in recruiter_view
    assert "<strong>Recommendation</strong>: (empty) → Yes" in recruiter_view


def test_amending_is_audited(
    app: Flask, client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    auth.login("ivan@example.com")
    path = f"/interviews/{loop['ivan']}/scorecard"
    client.post(path, data=_form(client, loop["ivan"], **_complete()))
    page = client.get(path).get_data(as_text=True)
    assert "Save amendment" in page and "every change is recorded" in page
    amend = {**_complete(), "rating__high-agency": "4", "action": "amend"}
    response = client.post(path, data=_form(client, loop["ivan"], **amend))
    assert response.status_code == 302
    with new_session(app.extensions["hiring.engine"]) as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["submitted", "amended"]
        assert entries[1].changes == {"ratings.high-agency.rating": {"before": 3, "after": 4}}


def test_only_signed_in_users_and_existing_interviews(
    client: FlaskClient, auth: AuthActions, loop: dict[str, int]
) -> None:
    assert client.get(f"/interviews/{loop['ivan']}/scorecard").status_code == 302
    assert client.get("/interviews/").status_code == 302
    auth.login("ivan@example.com")
    assert client.get("/interviews/999/scorecard").status_code == 404
    assert client.post("/interviews/999/scorecard/autosave").status_code in (400, 404)
