"""Who may use which route: every rule of the URL map answers each role as MATRIX says,
a missing object is a 404 only for those signed in, and an interviewer reads no colleague's
scorecard of a candidate (page, API, debrief) before submitting their own (independence)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select
from werkzeug.test import TestResponse

from hiring import accounts
from hiring.db import new_session
from hiring.models import Scorecard, User
from tests.conftest import AuthActions
from tests.helpers import PASSWORD, csrf_token, make_user

# The roles, in the order of MATRIX's columns. In the loop every URL points at (one
# candidate, Cam): "interviewer" is Ivan, who owns the interview (a draft) and has not
# submitted for Cam; "other_interviewer" is Olga, assigned to nothing; "recruiter" is Rita
# and "admin" Ada. Petra, a colleague of Ivan's, has submitted her scorecard for Cam.
ROLES = ("anonymous", "interviewer", "other_interviewer", "recruiter", "admin")
LOGIN = "login"  # 302 to the sign-in page, which sends the user back here afterwards
Expected = int | str

# fmt: off
MATRIX: dict[tuple[str, str], tuple[Expected, ...]] = {
    # (endpoint, method)                           anon   ivan  olga  rita  ada
    ("auth.login", "GET"):                        (200,   302,  302,  302,  302),
    ("auth.login", "POST"):                       (302,   302,  302,  302,  302),
    ("auth.logout", "POST"):                      (LOGIN, 302,  302,  302,  302),
    ("home.index", "GET"):                        (LOGIN, 200,  200,  200,  200),
    ("static", "GET"):                            (200,   200,  200,  200,  200),
    ("rubrics.index", "GET"):                     (LOGIN, 403,  403,  200,  200),
    ("rubrics.detail", "GET"):                    (LOGIN, 403,  403,  200,  200),
    ("rubrics.kit", "GET"):                       (LOGIN, 200,  200,  200,  200),
    ("candidates.index", "GET"):                  (LOGIN, 403,  403,  200,  200),
    ("candidates.export", "GET"):                 (LOGIN, 403,  403,  200,  200),
    ("candidates.new", "GET"):                    (LOGIN, 403,  403,  200,  200),
    ("candidates.new", "POST"):                   (LOGIN, 403,  403,  302,  302),
    ("candidates.detail", "GET"):                 (LOGIN, 403,  403,  200,  200),
    ("candidates.rollup_csv", "GET"):             (LOGIN, 403,  403,  200,  200),
    ("candidates.change_status", "POST"):         (LOGIN, 403,  403,  302,  302),
    ("candidates.assign_interview", "POST"):      (LOGIN, 403,  403,  302,  302),
    ("debriefs.preview", "GET"):                  (LOGIN, 403,  403,  200,  200),
    ("debriefs.pdf", "GET"):                      (LOGIN, 403,  403,  200,  200),
    ("debriefs.zip_of_selected", "POST"):         (LOGIN, 403,  403,  200,  200),
    ("interviews.mine", "GET"):                   (LOGIN, 200,  200,  200,  200),
    ("interviews.scorecard", "GET"):              (LOGIN, 200,  403,  200,  200),
    ("interviews.scorecard", "POST"):             (LOGIN, 302,  403,  403,  403),
    ("interviews.autosave", "POST"):              (LOGIN, 200,  403,  403,  403),
    ("calibration.index", "GET"):                 (LOGIN, 403,  403,  200,  200),
    ("calibration.detail", "GET"):                (LOGIN, 403,  403,  200,  200),
    ("calibration.download", "GET"):              (LOGIN, 403,  403,  200,  200),
    # The JSON API: a bearer token or 401, whatever the browser's cookies say.
    ("api.openapi_json", "GET"):                  (200,   200,  200,  200,  200),
    ("api.me", "GET"):                            (401,   200,  200,  200,  200),
    ("api.create_candidate", "POST"):             (401,   403,  403,  201,  201),
    ("api.list_candidates", "GET"):               (401,   403,  403,  200,  200),
    ("api.get_candidate", "GET"):                 (401,   403,  403,  200,  200),
    ("api.assign_interview", "POST"):             (401,   403,  403,  201,  201),
    ("api.list_interviews", "GET"):               (401,   200,  200,  200,  200),
    ("api.get_scorecard", "GET"):                 (401,   200,  403,  200,  200),
    ("api.put_scorecard", "PUT"):                 (401,   200,  403,  403,  403),
    ("api.get_rollup", "GET"):                    (401,   403,  403,  200,  200),
    ("api.get_debrief_pdf", "GET"):               (401,   403,  403,  200,  200),
    ("api.get_calibration", "GET"):               (401,   403,  403,  200,  200),
}
# fmt: on

IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
API_PREFIX = "/api/"
SUCCESS = frozenset({200, 201, 302})
MISSING_ID = 987654
FOCUS = ["high-agency", "decisiveness"]
EVIDENCE = "Rebuilt the onboarding funnel unasked; cut drop-off from 40% to 22% in three weeks."

# What a successful answer is, where it is not a page (web) or JSON (API).
MIMETYPES = {
    "static": "text/css",
    "candidates.export": "text/csv",
    "candidates.rollup_csv": "text/csv",
    "calibration.download": "text/csv",
    "debriefs.pdf": "application/pdf",
    "debriefs.zip_of_selected": "application/zip",
    "interviews.autosave": "application/json",
    "api.get_debrief_pdf": "application/pdf",
}
QUERIES = {"api.get_calibration": {"rubric": "product-manager"}}
API_BODIES: dict[str, dict[str, Any]] = {
    "api.create_candidate": {
        "name": "Noa Api",
        "email": "noa.api@example.com",
        "rubric": "product-manager",
    },
    "api.assign_interview": {"interviewer_email": "olga@example.com"},
    "api.put_scorecard": {"ratings": {"high-agency": {"rating": 3, "evidence": EVIDENCE}}},
}
DRAFT_FIELDS = {"rating__high-agency": "3", "evidence__high-agency": EVIDENCE}


def scorecard_body(words: str = EVIDENCE, submit: bool = True) -> dict[str, Any]:
    """A complete scorecard for an interview on FOCUS, as the API takes it, with `words`
    as evidence and key takeaways (the debrief quotes the takeaways)."""
    return {
        "ratings": {
            "high-agency": {"rating": 3, "evidence": words},
            "decisiveness": {"rating": None, "evidence": ""},
        },
        "recommendation": "yes",
        "takeaways": words,
        "submit": submit,
    }


@dataclasses.dataclass(frozen=True)
class Loop:
    """What the URLs point at (one candidate, Ivan's interview, a rubric, a static file)
    and an API token for each person."""

    app: Flask
    emails: dict[str, str]
    tokens: dict[str, str]
    candidate: int = 0
    interview: int = 0
    rubric: str = "product-manager"
    static_file: str = "hiring.css"

    def api(self, who: str, method: str, path: str, body: Any, status: int) -> Any:
        """Call the API as `who` while building the loop; the answer's JSON."""
        response = self.app.test_client().open(
            f"/api/v1{path}",
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {self.tokens[who]}"},
        )
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def assign(self, candidate: int, email: str) -> int:
        """Assign an interview on FOCUS through the API; its id."""
        path = f"/candidates/{candidate}/interviews"
        body = {"interviewer_email": email, "focus": FOCUS}
        found: int = self.api("recruiter", "POST", path, body, 201)["id"]
        return found

    def add_candidate(self, name: str) -> int:
        """Add a product-manager candidate through the API; their id."""
        email = f"{name.lower()}@example.com"
        body = {"name": name, "email": email, "rubric": "product-manager"}
        found: int = self.api("recruiter", "POST", "/candidates", body, 201)["id"]
        return found


def with_tokens(app: Flask, users: Mapping[str, User]) -> Loop:
    """The users fixture's people plus Petra, each with an API token, and no objects yet."""
    with new_session(app.extensions["hiring.engine"]) as session:
        petra = make_user(session, email="petra@example.com", name="Petra")
        people = {**users, "petra": petra}
        tokens = {who: accounts.issue_token(session=session, user=u) for who, u in people.items()}
        session.commit()
    emails = {who: person.email for who, person in people.items()}
    return Loop(app=app, emails=emails, tokens=tokens)


def make_loop(app: Flask, users: Mapping[str, User]) -> Loop:
    """Cam, a product-manager candidate: Ivan's interview holds a draft, Petra's scorecard
    is submitted; Olga has nothing. Built through the API, as an integration would."""
    loop = with_tokens(app, users)
    cam = loop.add_candidate("Cam")
    ivan, petra = loop.assign(cam, "ivan@example.com"), loop.assign(cam, "petra@example.com")
    loop.api("petra", "PUT", f"/interviews/{petra}/scorecard", scorecard_body(), 200)
    draft = scorecard_body(submit=False)
    loop.api("interviewer", "PUT", f"/interviews/{ivan}/scorecard", draft, 200)
    return dataclasses.replace(loop, candidate=cam, interview=ivan)


def scorecard_version(app: Flask, interview_id: int) -> int:
    """The version of the interview's scorecard (0 when none was saved)."""
    with new_session(app.extensions["hiring.engine"]) as session:
        statement = select(Scorecard.version).where(Scorecard.interview_id == interview_id)
        return session.exec(statement).first() or 0


def path_for(loop: Loop, endpoint: str, method: str) -> str:
    """The URL of the route, its arguments pointing at the loop's objects."""
    rule = next(r for r in loop.app.url_map.iter_rules(endpoint) if method in (r.methods or ()))
    objects = {
        "candidate_id": loop.candidate,
        "interview_id": loop.interview,
        "rubric_id": loop.rubric,
        "filename": loop.static_file,
    }
    values = {name: objects[name] for name in rule.arguments} | QUERIES.get(endpoint, {})
    return loop.app.url_map.bind("localhost").build(endpoint, values, method=method)


def form_for(loop: Loop, endpoint: str) -> dict[str, str]:
    """A form that the route accepts from a user allowed to use it (CSRF token aside)."""
    if endpoint in ("interviews.scorecard", "interviews.autosave"):
        version = str(scorecard_version(loop.app, loop.interview))
        action = {"action": "draft"} if endpoint == "interviews.scorecard" else {}
        return {**DRAFT_FIELDS, "version": version, **action}
    forms = {
        "auth.login": {"email": "ivan@example.com", "password": PASSWORD},
        "candidates.new": {
            "name": "Noa Web",
            "email": "noa.web@example.com",
            "rubric": "product-manager",
            "stage_profile": "",
        },
        "candidates.change_status": {"status": "hired"},
        "candidates.assign_interview": {"interviewer_email": "olga@example.com"},
        "debriefs.zip_of_selected": {"candidate": str(loop.candidate)},
    }
    return forms.get(endpoint, {})


@dataclasses.dataclass
class Visitor:
    """One role's way in: a browser (signed in through the login form unless anonymous)
    with the CSRF token of its session, and an API token."""

    role: str
    browser: FlaskClient
    csrf: str
    token: str | None


def visitor(loop: Loop, role: str) -> Visitor:
    """A new browser for `role`, signed in through the real form."""
    browser = loop.app.test_client()
    if role == "anonymous":
        return Visitor(role, browser, csrf_token(browser.get("/auth/login").data), None)
    signed_in = AuthActions(browser).login(loop.emails[role])
    assert signed_in.status_code == 302, f"{role} could not sign in"
    return Visitor(role, browser, csrf_token(browser.get("/").data), loop.tokens.get(role))


def send(loop: Loop, who: Visitor, endpoint: str, method: str) -> TestResponse:
    """The route's request as `who` sends it: the browser with its CSRF token for pages,
    a client without cookies and with the bearer token (if any) for the API."""
    path = path_for(loop, endpoint, method)
    if path.startswith(API_PREFIX):
        headers = {"Authorization": f"Bearer {who.token}"} if who.token else {}
        body = API_BODIES.get(endpoint) if method != "GET" else None
        return loop.app.test_client().open(path, method=method, json=body, headers=headers)
    if method == "GET":
        return who.browser.get(path)
    form = {**form_for(loop, endpoint), "csrf_token": who.csrf}
    return who.browser.open(path, method=method, data=form)


def outcome(response: TestResponse) -> Expected:
    """The status, or LOGIN for a redirect to the sign-in page that returns here after."""
    if response.status_code == 302:
        target = urlsplit(response.location)
        if target.path == "/auth/login" and "next" in parse_qs(target.query):
            return LOGIN
    return response.status_code


def mimetype_problem(endpoint: str, path: str, response: TestResponse) -> str | None:
    """What is wrong with a successful answer's content type, if anything."""
    default = "application/json" if path.startswith(API_PREFIX) else "text/html"
    wanted = MIMETYPES.get(endpoint, default)
    if response.status_code in (200, 201) and response.mimetype != wanted:
        return f"answered {response.mimetype}, not {wanted}"
    return None


def route_keys(app: Flask) -> Counter[tuple[str, str]]:
    """Every (endpoint, method) of the URL map, HEAD and OPTIONS aside: how many URLs."""
    return Counter(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - IGNORED_METHODS
    )


def check(loop: Loop, who: Visitor, key: tuple[str, str], expected: Expected) -> list[str]:
    """Send the route's request as `who`; what differs from `expected` (nothing: [])."""
    endpoint, method = key
    response = send(loop, who, endpoint, method)
    response.close()  # files are sent as streams
    got = outcome(response)
    if got != expected:
        return [f"{method} {endpoint} as {who.role}: expected {expected}, got {got}"]
    problem = mimetype_problem(endpoint, path_for(loop, endpoint, method), response)
    return [f"{method} {endpoint} as {who.role}: {problem}"] if problem else []


def test_the_matrix_names_every_route_and_nothing_else(app: Flask) -> None:
    routes = route_keys(app)
    unlisted = sorted(routes.keys() - MATRIX.keys())
    assert not unlisted, f"routes with no entry in MATRIX (decide who may use them): {unlisted}"
    stale = sorted(MATRIX.keys() - routes.keys())
    assert not stale, f"MATRIX names routes the app no longer has: {stale}"
    assert all(len(row) == len(ROLES) for row in MATRIX.values())
    shared = sorted(key for key, urls in routes.items() if urls > 1)
    assert not shared, f"several URLs share one entry, and only one would be tested: {shared}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_designed(
    app: Flask, users: dict[str, User], role: str
) -> None:
    loop = make_loop(app, users)
    column = ROLES.index(role)
    signed_in = None if role == "anonymous" else visitor(loop, role)
    # Signing out ends the session the other requests use: it goes last.
    order = sorted(MATRIX, key=lambda key: key == ("auth.logout", "POST"))
    problems: list[str] = []
    for key in order:
        # Anonymous requests each get a new browser: signing in must not carry over.
        who = signed_in or visitor(loop, role)
        problems += check(loop, who, key, MATRIX[key][column])
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_a_missing_object_is_404_only_once_signed_in(
    app: Flask, users: dict[str, User], role: str
) -> None:
    loop = make_loop(app, users)
    missing = dataclasses.replace(
        loop,
        candidate=MISSING_ID,
        interview=MISSING_ID,
        rubric="no-such-rubric",
        static_file="no-such-file.css",
    )
    who = visitor(loop, role)
    with_objects = [key for key in MATRIX if _has_arguments(app, key)]
    assert len(with_objects) > 10
    problems: list[str] = []
    for key in with_objects:
        # Anonymous visitors learn nothing of what exists, except on public routes; an
        # admin, whom no role check keeps out, learns that the object is missing.
        anonymous = MATRIX[key][0]
        expected = 404 if role == "admin" or anonymous in SUCCESS else anonymous
        problems += check(missing, who, key, expected)
    assert problems == [], "\n".join(problems)


def _has_arguments(app: Flask, key: tuple[str, str]) -> bool:
    endpoint, method = key
    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in (r.methods or ()))
    return bool(rule.arguments)


IVAN_WORDS = "Mapped the churn problem end to end before anyone asked, said Ivan."

# Where an interviewer could read a colleague's scorecard of the candidate, in the browser
# or through the API: refused until they have submitted their own, allowed afterwards.
PANEL_READS = (
    "/interviews/{ivan}/scorecard",
    "/api/v1/interviews/{ivan}/scorecard",
    "/candidates/{cam}/debrief",
    "/candidates/{cam}/debrief.pdf",
    "/api/v1/candidates/{cam}/debrief.pdf",
)
# The panel's rollups, for recruiters and admins only: never an interviewer's, submitted or not.
RECRUITING_READS = (
    "/candidates/{cam}",
    "/candidates/{cam}/rollup.csv",
    "/candidates/rollups.csv",
    "/api/v1/candidates/{cam}",
    "/api/v1/candidates/{cam}/rollup",
)


@dataclasses.dataclass(frozen=True)
class Panel:
    """Cam's panel: Ivan has submitted, Olga is assigned and signed in; Olga has also
    submitted for Dee, another candidate, which must not count for Cam."""

    loop: Loop
    olga: Visitor
    ivan_interview: int
    olga_interview: int
    olga_elsewhere: int

    def read(self, template: str) -> TestResponse:
        """GET one of the READS as Olga: her browser, or her token for the API."""
        path = template.format(ivan=self.ivan_interview, cam=self.loop.candidate)
        if path.startswith(API_PREFIX):
            token = {"Authorization": f"Bearer {self.olga.token}"}
            return self.loop.app.test_client().get(path, headers=token)
        return self.olga.browser.get(path)

    def olga_writes(self, action: str) -> TestResponse:
        """Olga saves (action "draft") or submits her own scorecard of Cam in the form."""
        fields = {
            **DRAFT_FIELDS,
            "rating__decisiveness": "not-assessed",
            "recommendation": "yes",
            "takeaways": "Strong owner.",
            "action": action,
            "version": str(scorecard_version(self.loop.app, self.olga_interview)),
            "csrf_token": self.olga.csrf,
        }
        return self.olga.browser.post(f"/interviews/{self.olga_interview}/scorecard", data=fields)


@pytest.fixture
def panel(app: Flask, users: dict[str, User]) -> Panel:
    loop = with_tokens(app, users)
    cam, dee = loop.add_candidate("Cam"), loop.add_candidate("Dee")
    ivan, olga = loop.assign(cam, "ivan@example.com"), loop.assign(cam, "olga@example.com")
    ivans = scorecard_body(IVAN_WORDS)
    loop.api("interviewer", "PUT", f"/interviews/{ivan}/scorecard", ivans, 200)
    elsewhere = loop.assign(dee, "olga@example.com")
    olgas = scorecard_body("Olga on Dee: asked sharp questions about pricing.")
    loop.api("other_interviewer", "PUT", f"/interviews/{elsewhere}/scorecard", olgas, 200)
    loop = dataclasses.replace(loop, candidate=cam)
    return Panel(loop, visitor(loop, "other_interviewer"), ivan, olga, elsewhere)


def _not_refused(panel: Panel, templates: tuple[str, ...]) -> list[str]:
    """The reads among `templates` that Olga is not refused, or that show Ivan's words."""
    wrong = []
    for template in templates:
        response = panel.read(template)
        if response.status_code != 403 or IVAN_WORDS in response.get_data(as_text=True):
            wrong.append(f"{template}: {response.status_code}")
    return wrong


def test_an_interviewer_reads_no_colleague_before_submitting(panel: Panel) -> None:
    assert _not_refused(panel, PANEL_READS + RECRUITING_READS) == []
    assert panel.olga_writes("draft").status_code == 302
    assert _not_refused(panel, PANEL_READS + RECRUITING_READS) == [], "a draft is no submission"

    # Her own lists show her interviews only, and nothing of Ivan's.
    assert IVAN_WORDS not in panel.olga.browser.get("/interviews/").get_data(as_text=True)
    listed = panel.read("/api/v1/interviews").get_json()
    assert {row["id"] for row in listed} == {panel.olga_interview, panel.olga_elsewhere}


def test_after_submitting_an_interviewer_reads_the_panel_but_no_rollup(panel: Panel) -> None:
    assert panel.olga_writes("submit").status_code == 302
    for template in PANEL_READS:
        response = panel.read(template)
        assert response.status_code == 200, template
        if response.mimetype == "application/pdf":
            assert response.data.startswith(b"%PDF-"), template
        else:
            assert IVAN_WORDS in response.get_data(as_text=True), template
    assert _not_refused(panel, RECRUITING_READS) == []


def test_reading_a_colleague_never_lets_an_interviewer_write_it(panel: Panel) -> None:
    assert panel.olga_writes("submit").status_code == 302
    before = scorecard_version(panel.loop.app, panel.ivan_interview)
    path = f"/interviews/{panel.ivan_interview}/scorecard"
    form = {**DRAFT_FIELDS, "version": str(before), "csrf_token": panel.olga.csrf}
    assert panel.olga.browser.post(path, data={**form, "action": "draft"}).status_code == 403
    assert panel.olga.browser.post(f"{path}/autosave", data=form).status_code == 403
    token = {"Authorization": f"Bearer {panel.olga.token}"}
    api = panel.loop.app.test_client().put(f"/api/v1{path}", json=scorecard_body(), headers=token)
    assert api.status_code == 403
    assert scorecard_version(panel.loop.app, panel.ivan_interview) == before
    assert IVAN_WORDS in panel.read("/api/v1/interviews/{ivan}/scorecard").get_data(as_text=True)


def test_a_colleagues_draft_stays_private_after_submitting(panel: Panel) -> None:
    """Olga has submitted for Eve; Ivan's draft of Eve is still his alone, on the web page
    and in the API alike (recruiters see drafts, interviewers do not)."""
    eve = panel.loop.add_candidate("Eve")
    olga_on_eve = panel.loop.assign(eve, "olga@example.com")
    submitted = scorecard_body("Olga on Eve: clear about trade-offs.")
    panel.loop.api(
        "other_interviewer", "PUT", f"/interviews/{olga_on_eve}/scorecard", submitted, 200
    )
    draft_words = "Ivan's unfinished notes on Eve: not for colleagues yet."
    ivan_on_eve = panel.loop.assign(eve, "ivan@example.com")
    body = scorecard_body(draft_words, submit=False)
    panel.loop.api("interviewer", "PUT", f"/interviews/{ivan_on_eve}/scorecard", body, 200)

    token = {"Authorization": f"Bearer {panel.olga.token}"}
    api = panel.loop.app.test_client().get(
        f"/api/v1/interviews/{ivan_on_eve}/scorecard", headers=token
    )
    assert api.status_code == 403
    assert draft_words not in api.get_data(as_text=True)
    page = panel.olga.browser.get(f"/interviews/{ivan_on_eve}/scorecard")
    assert page.status_code == 200
    assert "has not submitted this scorecard yet" in page.get_data(as_text=True)
    assert draft_words not in page.get_data(as_text=True)
    recruiter = panel.loop.api(
        "recruiter", "GET", f"/interviews/{ivan_on_eve}/scorecard", None, 200
    )
    assert recruiter["status"] == "draft"
