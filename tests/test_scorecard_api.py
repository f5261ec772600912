"""The scorecard API: roles, validation, optimistic locking, idempotency, independence, audit."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event, text
from werkzeug.test import TestResponse

from hiring import accounts, scoring
from hiring.db import SQLITE_BEGIN, new_session
from hiring.models import User

EVIDENCE = "Rebuilt the onboarding funnel unasked; cut drop-off from 40% to 22% in three weeks."


class Api:
    """Calls the API as one user, with that user's real token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def __call__(self, method: str, path: str, body: Any = None, **headers: str) -> TestResponse:
        headers = {"Authorization": f"Bearer {self.token}", **headers}
        return self.client.open(f"/api/v1{path}", method=method, json=body, headers=headers)


@pytest.fixture
def api(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Api]:
    with new_session(app.extensions["hiring.engine"]) as session:
        tokens = {
            role: accounts.issue_token(session=session, user=session.merge(user))
            for role, user in users.items()
        }
        session.commit()
    return {role: Api(client, token) for role, token in tokens.items()}


@pytest.fixture
def loop(api: dict[str, Api]) -> dict[str, int]:
    """A PM candidate with interviews for Ivan (two competencies) and Olga (all)."""
    candidate = api["recruiter"](
        "POST",
        "/candidates",
        {"name": "Cam Candidate", "email": "cam@example.com", "rubric": "product-manager"},
    ).get_json()
    ivan = api["recruiter"](
        "POST",
        f"/candidates/{candidate['id']}/interviews",
        {
            "interviewer_email": "ivan@example.com",
            "focus": ["high-agency", "decisiveness"],
            "scheduled_at": "2026-11-20T10:00:00+00:00",
        },
    ).get_json()
    olga = api["recruiter"](
        "POST",
        f"/candidates/{candidate['id']}/interviews",
        {"interviewer_email": "olga@example.com"},
    ).get_json()
    return {"candidate": candidate["id"], "ivan": ivan["id"], "olga": olga["id"]}


def _complete(rating: int = 3) -> dict[str, Any]:
    return {
        "ratings": {
            "high-agency": {"rating": rating, "evidence": EVIDENCE},
            "decisiveness": {"rating": None, "evidence": ""},
        },
        "anti_patterns": [],
        "recommendation": "yes",
        "takeaways": "Strong owner; probe decisiveness in the next round.",
        "submit": True,
    }


def test_recruiters_create_candidates(api: dict[str, Api]) -> None:
    response = api["recruiter"](
        "POST",
        "/candidates",
        {
            "name": "Cam Candidate",
            "email": "Cam@Example.com",
            "rubric": "product-manager",
            "stage_profile": "early-stage",
        },
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "cam@example.com" and body["status"] == "active"
    assert body["stage_profile"] == "early-stage" and body["interviews"] == []
    assert api["admin"]("GET", f"/candidates/{body['id']}").get_json()["name"] == "Cam Candidate"
    assert [c["id"] for c in api["recruiter"]("GET", "/candidates").get_json()] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"name": "A", "email": "a@example.com", "rubric": "chef"},
            "rubric",
            "no rubric has the id 'chef'",
        ),
        (
            {
                "name": "A",
                "email": "a@example.com",
                "rubric": "product-manager",
                "stage_profile": "seed",
            },
            "stage_profile",
            "product-manager has no stage profile 'seed'",
        ),
        (
            {"name": "A", "email": "not-an-email", "rubric": "product-manager"},
            "email",
            "is not a valid email address",
        ),
        (
            {"name": " ", "email": "a@example.com", "rubric": "product-manager"},
            "name",
            "the candidate's name is required",
        ),
        ({"name": "A", "email": "a@example.com"}, "rubric", "Field required"),
        (
            {"name": "A", "email": "a@example.com", "rubric": "product-manager", "age": 40},
            "age",
            "unknown field",
        ),
        (
            {"name": 7, "email": "a@example.com", "rubric": "product-manager"},
            "name",
            "Input should be a valid string",
        ),
    ],
)
def test_bad_candidates_get_400_with_the_field(
    api: dict[str, Api], body: dict[str, Any], field: str, message: str
) -> None:
    response = api["recruiter"]("POST", "/candidates", body)
    assert response.status_code == 400
    assert message in response.get_json()["details"][field]
    assert api["recruiter"]("GET", "/candidates").get_json() == []


def test_duplicate_candidate_email_and_non_json_bodies(api: dict[str, Api]) -> None:
    body = {"name": "A", "email": "a@example.com", "rubric": "product-manager"}
    assert api["recruiter"]("POST", "/candidates", body).status_code == 201
    again = api["recruiter"]("POST", "/candidates", body)
    assert again.status_code == 400
    assert "already exists" in again.get_json()["details"]["email"]
    raw = api["recruiter"].client.post(
        "/api/v1/candidates",
        data="name=A",
        headers={"Authorization": f"Bearer {api['recruiter'].token}"},
    )
    assert raw.status_code == 400
    assert "Content-Type: application/json" in raw.get_json()["details"]["body"]


def test_interviewers_cannot_manage_candidates(api: dict[str, Api], loop: dict[str, int]) -> None:
    body = {"name": "A", "email": "a@example.com", "rubric": "product-manager"}
    assert api["interviewer"]("POST", "/candidates", body).status_code == 403
    assert api["interviewer"]("GET", "/candidates").status_code == 403
    assert api["interviewer"]("GET", f"/candidates/{loop['candidate']}").status_code == 403
    path = f"/candidates/{loop['candidate']}/interviews"
    assert (
        api["interviewer"]("POST", path, {"interviewer_email": "ivan@example.com"}).status_code
        == 403
    )
    assert api["recruiter"]("GET", "/candidates/999").status_code == 404


def test_assigning_interviews(api: dict[str, Api], loop: dict[str, int]) -> None:
    detail = api["recruiter"]("GET", f"/candidates/{loop['candidate']}").get_json()
    ivan, olga = detail["interviews"]
    assert (ivan["interviewer_email"], ivan["interviewer_name"]) == ("ivan@example.com", "Ivan")
    assert ivan["focus"] == ["high-agency", "decisiveness"]
    assert ivan["due_at"] == "2026-11-21T10:00:00+00:00"
    assert ivan["state"] == "overdue" and ivan["scorecard_status"] is None
    assert len(olga["focus"]) == 6 and olga["state"] == "upcoming"
    path = f"/candidates/{loop['candidate']}/interviews"
    bad = api["recruiter"](
        "POST",
        path,
        {
            "interviewer_email": "nobody@example.com",
            "focus": ["charisma"],
            "scheduled_at": "2026-12-01T10:00",
        },
    )
    assert bad.status_code == 400
    details = bad.get_json()["details"]
    assert "timezone" in details["scheduled_at"].lower()
    own = api["interviewer"]("GET", "/interviews").get_json()
    assert [i["id"] for i in own] == [loop["ivan"]]
    assert len(api["recruiter"]("GET", "/interviews").get_json()) == 2


def test_unknown_focus_and_interviewer_are_named(api: dict[str, Api], loop: dict[str, int]) -> None:
    path = f"/candidates/{loop['candidate']}/interviews"
    bad = api["recruiter"](
        "POST", path, {"interviewer_email": "nobody@example.com", "focus": ["charisma"]}
    )
    details = bad.get_json()["details"]
    assert details["interviewer_email"] == "no active user has the email 'nobody@example.com'"
    assert details["focus"].startswith("'charisma' not in the rubric product-manager")


def test_draft_submit_and_read_back(api: dict[str, Api], loop: dict[str, int]) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    empty = api["interviewer"]("GET", path).get_json()
    assert empty["version"] == 0 and empty["status"] == "draft"
    assert empty["rubric"]["id"] == "product-manager" and len(empty["rubric"]["hash"]) == 64
    draft = api["interviewer"]("PUT", path, {"ratings": {"high-agency": {"rating": 3}}})
    assert draft.status_code == 200
    assert draft.get_json()["version"] == 1 and draft.get_json()["status"] == "draft"
    submitted = api["interviewer"]("PUT", path, _complete(), **{"If-Match": "1"})
    assert submitted.status_code == 200, submitted.get_json()
    body = submitted.get_json()
    assert body["status"] == "submitted" and body["version"] == 2
    assert body["ratings"]["high-agency"] == {"rating": 3, "evidence": EVIDENCE}
    assert "decisiveness" not in body["ratings"]  # not assessed and no note: nothing stored
    assert body["recommendation"] == "yes" and body["submitted_at"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"ratings": {"charisma": {"rating": 3, "evidence": "x"}}},
            "ratings.charisma",
            "not a focus competency of this interview",
        ),
        (
            {"ratings": {"comfort-with-ambiguity": {"rating": 3, "evidence": "x"}}},
            "ratings.comfort-with-ambiguity",
            "not a focus competency",
        ),
        (
            {"ratings": {"high-agency": {"rating": 5, "evidence": "x"}}},
            "ratings.high-agency.rating",
            "5 is not on the scale (1, 2, 3, 4)",
        ),
        (
            {"ratings": {"high-agency": {"rating": "3", "evidence": "x"}}},
            "ratings.high-agency.rating",
            "Input should be a valid integer",
        ),
        (
            {"ratings": {"high-agency": {"rating": 3, "evidence": " "}}},
            "ratings.high-agency.evidence",
            "evidence is required for every rating",
        ),
        (
            {"ratings": {"high-agency": {"rating": 3, "evidence": "x" * 10_001}}},
            "ratings.high-agency.evidence",
            "at most 10000 characters",
        ),
        ({"recommendation": "maybe"}, "recommendation", "Input should be"),
        ({"recommendation": None}, "recommendation", "choose an overall recommendation"),
        (
            {"anti_patterns": [{"id": "needs-swim-lanes", "evidence": ""}]},
            "anti_patterns.0.evidence",
            "evidence is required when ticked",
        ),
        (
            {"anti_patterns": [{"id": "slacker", "evidence": "x"}]},
            "anti_patterns.0.id",
            "'slacker' is not an anti-pattern of product-manager",
        ),
        ({"submit": "yes"}, "submit", "Input should be a valid boolean"),
        ({"verdict": "hire"}, "verdict", "unknown field"),
    ],
)
def test_bad_scorecards_get_400_and_save_nothing(
    api: dict[str, Api], loop: dict[str, int], change: dict[str, Any], field: str, message: str
) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    response = api["interviewer"]("PUT", path, {**_complete(), **change})
    assert response.status_code == 400
    assert message in response.get_json()["details"][field]
    assert api["interviewer"]("GET", path).get_json()["version"] == 0


def test_only_the_assigned_interviewer_writes(api: dict[str, Api], loop: dict[str, int]) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    for role in ("other_interviewer", "recruiter", "admin"):
        assert api[role]("PUT", path, _complete()).status_code == 403
    assert api["interviewer"]("GET", "/interviews/999/scorecard").status_code == 404


def test_a_stale_version_gets_409_with_the_newer_content(
    api: dict[str, Api], loop: dict[str, int]
) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    api["interviewer"]("PUT", path, {"takeaways": "first tab"}, **{"If-Match": "0"})
    stale = api["interviewer"]("PUT", path, {"takeaways": "second tab"}, **{"If-Match": "0"})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["details"]["current"]["takeaways"] == "first tab"
    assert body["details"]["current"]["version"] == 1
    assert api["interviewer"]("GET", path).get_json()["takeaways"] == "first tab"
    bad = api["interviewer"]("PUT", path, {"takeaways": "x"}, **{"If-Match": "latest"})
    assert bad.status_code == 400 and "If-Match" in bad.get_json()["details"]


def test_a_retried_request_with_the_same_key_writes_once(
    api: dict[str, Api], loop: dict[str, int]
) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    first = api["interviewer"]("PUT", path, _complete(), **{"Idempotency-Key": "k-1"})
    retry = api["interviewer"]("PUT", path, _complete(), **{"Idempotency-Key": "k-1"})
    assert first.status_code == retry.status_code == 200
    assert first.get_json() == retry.get_json()
    assert api["interviewer"]("GET", path).get_json()["version"] == 1
    other = api["interviewer"]("PUT", path, _complete(rating=4), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert api["interviewer"]("GET", path).get_json()["ratings"]["high-agency"]["rating"] == 3
    reused = api["interviewer"]("PUT", path, {"ratings": []}, **{"Idempotency-Key": "k-1"})
    assert reused.status_code == 422  # the key's misuse first, as for a valid body


def test_a_retry_gets_its_answer_even_when_the_request_would_now_be_refused(
    app: Flask, api: dict[str, Api], loop: dict[str, int]
) -> None:
    """The answer was lost, and meanwhile the candidate's rubric became unavailable: the
    retry still gets the stored answer, not a 400 that would read as "not saved"."""
    path = f"/interviews/{loop['ivan']}/scorecard"
    first = api["interviewer"]("PUT", path, _complete(), **{"Idempotency-Key": "k-2"})
    assert first.status_code == 200
    with app.extensions["hiring.engine"].begin() as connection:
        connection.execute(text("UPDATE candidates SET rubric_id = 'retired-role'"))
    retry = api["interviewer"]("PUT", path, _complete(), **{"Idempotency-Key": "k-2"})
    assert (retry.status_code, retry.get_json()) == (200, first.get_json())
    refused = api["interviewer"]("PUT", path, _complete(), **{"Idempotency-Key": "k-3"})
    assert refused.status_code == 400 and "rubric" in refused.get_json()["details"]


@contextmanager
def _written(app: Flask) -> Iterator[list[str]]:
    """The write transactions begun meanwhile (not `read_only` ones): "BEGIN" for each,
    and the statements run in them."""
    written: list[str] = []

    def writes(connection: Connection) -> bool:
        return connection.get_execution_options().get(SQLITE_BEGIN) != "DEFERRED"

    def begin(connection: Connection) -> None:
        if writes(connection):
            written.append("BEGIN")

    def record(connection: Connection, cursor: Any, statement: str, *args: Any) -> None:
        if writes(connection):
            written.append(" ".join(statement.split()).upper())

    engine = app.extensions["hiring.engine"]
    event.listen(engine, "begin", begin)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield written
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "begin", begin)


def test_a_save_writes_in_a_transaction_of_writes_only(
    app: Flask, api: dict[str, Api], loop: dict[str, int]
) -> None:
    """Everything a save reads is read before its write transaction starts, so that on
    SQLite (one write transaction at a time) the write lock is held for writes only."""
    path = f"/interviews/{loop['ivan']}/scorecard"
    api["interviewer"]("PUT", path, {"takeaways": "warm-up"})  # the rubric's snapshot stored
    with _written(app) as written:
        for body, version in [({"takeaways": "draft"}, "1"), (_complete(), "2")]:
            key = f"writes-only-{version}"
            saved = api["interviewer"](
                "PUT", path, body, **{"If-Match": version, "Idempotency-Key": key}
            )
            assert saved.status_code == 200, saved.get_json()
    assert any(statement.startswith("UPDATE SCORECARDS") for statement in written)
    assert any(statement.startswith("INSERT INTO RATINGS") for statement in written)
    locks = ("FOR UPDATE", "PG_ADVISORY_XACT_LOCK(%(ID)S)")  # PostgreSQL's row and key locks
    reads = [s for s in written if s.startswith("SELECT") and not s.endswith(locks)]
    assert reads == []


def test_a_refused_save_starts_no_write_transaction(
    app: Flask, api: dict[str, Api], loop: dict[str, int]
) -> None:
    """A save refused on what it read (409 stale, 400 invalid) is answered from the reads:
    on SQLite it never waits in line for the write lock."""
    path = f"/interviews/{loop['ivan']}/scorecard"
    api["interviewer"]("PUT", path, {"takeaways": "first tab"}, **{"If-Match": "0"})
    with _written(app) as written:
        stale = api["interviewer"]("PUT", path, {"takeaways": "second tab"}, **{"If-Match": "0"})
        invalid = api["interviewer"]("PUT", path, {"ratings": {"high-agency": {"rating": 9}}})
    assert stale.status_code == 409
    assert stale.get_json()["details"]["current"]["rubric"]["id"] == "product-manager"
    assert invalid.status_code == 400
    assert written == []


def test_a_retry_after_a_later_save_replays_and_writes_nothing(
    app: Flask, api: dict[str, Api], loop: dict[str, int]
) -> None:
    """The retry of a draft save, arriving after the next save, would be accepted: it is
    answered with its first answer, and the later save stays."""
    path = f"/interviews/{loop['ivan']}/scorecard"
    first = api["interviewer"]("PUT", path, {"takeaways": "d"}, **{"Idempotency-Key": "d-1"})
    api["interviewer"]("PUT", path, {"takeaways": "e"}, **{"If-Match": "1"})
    retry = api["interviewer"]("PUT", path, {"takeaways": "d"}, **{"Idempotency-Key": "d-1"})
    assert (retry.status_code, retry.get_json()) == (200, first.get_json())
    other = api["interviewer"]("PUT", path, {"takeaways": "f"}, **{"Idempotency-Key": "d-1"})
    assert other.status_code == 422
    now = api["interviewer"]("GET", path).get_json()
    assert (now["version"], now["takeaways"]) == (2, "e")


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
def test_copies_of_a_keyed_save_on_both_paths_get_one_answer(
    app: Flask, api: dict[str, Api], loop: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copy B of a keyed first save read before the rubric's snapshot was stored, so it
    saves inside its write transaction, holding the key; copy A, a retry read after the
    snapshot was stored, saves from its reads. A waits for B's transaction and replays
    B's answer, rather than being told 409 by the scorecard B wrote (or B by A's).
    On PostgreSQL only: SQLite's write transactions cannot overlap."""
    path = f"/interviews/{loop['ivan']}/scorecard"
    headers = {"If-Match": "0", "Idempotency-Key": "copy-1"}
    b_holds_the_key, b_goes_on = threading.Event(), threading.Event()
    save_scorecard = scoring.save_scorecard

    def pausing_b(**arguments: Any) -> Any:
        if threading.current_thread().name == "copy-b":  # past its replay: holds the key
            b_holds_the_key.set()
            assert b_goes_on.wait(30)
        return save_scorecard(**arguments)

    monkeypatch.setattr(scoring, "save_scorecard", pausing_b)
    answers: dict[str, TestResponse] = {}

    def copy(name: str) -> threading.Thread:
        def send() -> None:
            own = Api(app.test_client(), api["interviewer"].token)
            answers[name] = own("PUT", path, _complete(), **headers)

        thread = threading.Thread(target=send, name=f"copy-{name}")
        thread.start()
        return thread

    b = copy("b")
    assert b_holds_the_key.wait(30)
    olga = f"/interviews/{loop['olga']}/scorecard"  # stores the rubric's snapshot meanwhile
    assert api["other_interviewer"]("PUT", olga, {"takeaways": "x"}).status_code == 200
    a = copy("a")
    a.join(1)
    assert a.is_alive()  # waiting for the key
    b_goes_on.set()
    b.join(30)
    a.join(30)
    assert answers["b"].status_code == 200, answers["b"].get_json()
    assert (answers["a"].status_code, answers["a"].get_json()) == (200, answers["b"].get_json())
    assert api["interviewer"]("GET", path).get_json()["version"] == 1


def test_interviewers_see_colleagues_only_after_submitting(
    api: dict[str, Api], loop: dict[str, int]
) -> None:
    ivans = f"/interviews/{loop['ivan']}/scorecard"
    olgas = f"/interviews/{loop['olga']}/scorecard"
    api["interviewer"]("PUT", ivans, _complete())
    assert api["other_interviewer"]("GET", ivans).status_code == 403
    olga_card = {**_complete(), "ratings": {"high-agency": {"rating": 2, "evidence": "Waited."}}}
    api["other_interviewer"]("PUT", olgas, {**olga_card, "submit": False})
    assert api["other_interviewer"]("GET", ivans).status_code == 403  # a draft is not enough
    assert api["other_interviewer"]("PUT", olgas, olga_card).status_code == 200
    assert api["other_interviewer"]("GET", ivans).status_code == 200
    assert api["recruiter"]("GET", ivans).status_code == 200


def test_submit_and_amend_are_audited_and_the_log_is_append_only(
    app: Flask, api: dict[str, Api], loop: dict[str, int]
) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    api["interviewer"]("PUT", path, {"takeaways": "draft"})
    api["interviewer"]("PUT", path, _complete())
    amended = api["interviewer"]("PUT", path, {**_complete(rating=4), "submit": False})
    assert amended.get_json()["status"] == "submitted"
    unchanged = api["interviewer"]("PUT", path, {**_complete(rating=4), "submit": False})
    assert unchanged.get_json()["version"] == amended.get_json()["version"]
    engine = app.extensions["hiring.engine"]
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT action, changes FROM audit_entries ORDER BY id")
        ).all()
    assert [row[0] for row in rows] == ["submitted", "amended"]
    amend_changes = rows[1][1] if isinstance(rows[1][1], dict) else json.loads(rows[1][1])
    assert amend_changes == {"ratings.high-agency.rating": {"before": 3, "after": 4}}
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET action = 'forged'"))


def test_an_oversized_body_gets_413(api: dict[str, Api], loop: dict[str, int]) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    huge = {"takeaways": "x" * (3 * 1024 * 1024)}
    response = api["interviewer"]("PUT", path, huge)
    assert response.status_code == 413
    assert response.get_json()["status"] == 413


def test_if_match_edge_cases(api: dict[str, Api], loop: dict[str, int]) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    superscript = api["interviewer"]("PUT", path, {"takeaways": "x"}, **{"If-Match": "²"})
    assert superscript.status_code == 400 and "If-Match" in superscript.get_json()["details"]
    invented = api["interviewer"]("PUT", path, {"takeaways": "x"}, **{"If-Match": "5"})
    assert invented.status_code == 400
    assert "version 5 does not exist" in invented.get_json()["details"]["version"]
    assert api["interviewer"]("GET", path).get_json()["version"] == 0


@pytest.mark.parametrize(("rating", "accepted"), [(3.0, True), (3.5, False), (True, False)])
def test_ratings_are_whole_numbers(
    api: dict[str, Api], loop: dict[str, int], rating: object, accepted: bool
) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    body = {"ratings": {"high-agency": {"rating": rating, "evidence": EVIDENCE}}}
    response = api["interviewer"]("PUT", path, body)
    assert (response.status_code == 200) is accepted
    if accepted:
        assert response.get_json()["ratings"]["high-agency"]["rating"] == 3


def test_times_are_iso_text_not_numbers(api: dict[str, Api], loop: dict[str, int]) -> None:
    path = f"/candidates/{loop['candidate']}/interviews"
    body = {"interviewer_email": "olga@example.com", "scheduled_at": 1700000000}
    response = api["recruiter"]("POST", path, body)
    assert response.status_code == 400
    assert "ISO 8601" in response.get_json()["details"]["scheduled_at"]


def test_a_stranger_gets_403_before_any_validation(
    api: dict[str, Api], loop: dict[str, int]
) -> None:
    path = f"/interviews/{loop['ivan']}/scorecard"
    response = api["other_interviewer"]("PUT", path, {"nonsense": True})
    assert response.status_code == 403
