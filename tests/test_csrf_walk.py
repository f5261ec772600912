"""CSRF: every route outside the JSON API that can change state, found in the URL map,
refuses a request without its session's CSRF token (400, nothing changed) and takes the
same request with it; the API takes bearer tokens without one, and a browser's cookies
alone change nothing through the API."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlmodel import SQLModel

from hiring.models import User
from tests.helpers import csrf_token
from tests.test_access_matrix import (
    API_BODIES,
    API_PREFIX,
    MATRIX,
    ROLES,
    SUCCESS,
    Loop,
    Visitor,
    form_for,
    make_loop,
    outcome,
    path_for,
    send,
    visitor,
)

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The server may note on any request that a session is still in use: no form did that.
NOT_A_CHANGE = {"login_sessions": {"last_seen_at"}}
# A POST only because the ticked candidates can be many: a download, it writes nothing.
WRITES_NOTHING = {("debriefs.zip_of_selected", "POST")}

Route = tuple[str, str]


def state_changing_routes(app: Flask, *, api: bool) -> list[Route]:
    """Every (endpoint, method) that may change state, in the JSON API or outside it."""
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX) == api
        for method in (rule.methods or set()) & STATE_CHANGING
    )


def allowed_role(route: Route) -> str:
    """The first role that MATRIX lets use the route; an admin for a route it lacks."""
    row = MATRIX.get(route, ())
    return next((role for role, got in zip(ROLES, row, strict=True) if got in SUCCESS), "admin")


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    with app.extensions["hiring.engine"].connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            skipped = NOT_A_CHANGE.get(table.name, set())
            columns = [column for column in table.columns if column.name not in skipped]
            statement = select(*columns).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in connection.execute(statement)]
    return rows


def signed_in(who: Visitor) -> bool:
    """Whether the browser is signed in (the start page opens rather than redirects)."""
    return who.browser.get("/").status_code == 200


def wrong_tokens(loop: Loop, who: Visitor) -> dict[str, str | None]:
    """Tokens a forged request could carry, by what they are."""
    stranger = loop.app.test_client().get("/auth/login").data
    # The first character: the last one of a base64 signature may carry only padding bits.
    altered = ("A" if who.csrf[0] != "A" else "B") + who.csrf[1:]
    return {
        "no token": None,
        "a made-up token": "not-a-csrf-token",
        "its own token, altered": altered,
        "another session's token": csrf_token(stranger),
    }


def refusals(loop: Loop, who: Visitor, route: Route) -> list[str]:
    """What goes wrong when `who` sends the route's form with each wrong token."""
    endpoint, method = route
    path, was_signed_in = path_for(loop, endpoint, method), signed_in(who)
    problems = []
    for label, token in wrong_tokens(loop, who).items():
        form = form_for(loop, endpoint) | ({"csrf_token": token} if token else {})
        before = snapshot(loop.app)
        response = who.browser.open(path, method=method, data=form)
        where = f"{method} {endpoint} as {who.role} with {label}"
        if response.status_code != 400 or "CSRF" not in response.get_data(as_text=True):
            problems.append(f"{where}: answered {response.status_code}, not a CSRF 400")
        if snapshot(loop.app) != before:
            problems.append(f"{where}: the database changed")
        if signed_in(who) != was_signed_in:
            problems.append(f"{where}: who is signed in changed")
    return problems


def acceptance(loop: Loop, who: Visitor, route: Route) -> list[str]:
    """What goes wrong when `who` sends the same form with the session's token: it must
    answer as MATRIX says and (unless it writes nothing) change the database."""
    before = snapshot(loop.app)
    got = outcome(send(loop, who, *route))
    expected = MATRIX.get(route, (None,) * len(ROLES))[ROLES.index(who.role)]
    where = f"{route[1]} {route[0]} as {who.role} with its token"
    problems = [] if got == expected else [f"{where}: answered {got}, not {expected}"]
    writes = route not in WRITES_NOTHING
    if (snapshot(loop.app) != before) != writes:
        problems.append(f"{where}: the database {'did not change' if writes else 'changed'}")
    return problems


def test_every_form_route_needs_its_csrf_token(app: Flask, users: dict[str, User]) -> None:
    loop = make_loop(app, users)
    routes = state_changing_routes(app, api=False)
    assert {("auth.logout", "POST"), ("candidates.new", "POST")} <= set(routes)
    problems = []
    for route in routes:
        who = visitor(loop, allowed_role(route))  # a new one: signing in and out is a route
        problems += refusals(loop, who, route) + acceptance(loop, who, route)
    assert problems == [], "\n".join(problems)


def test_the_api_takes_a_bearer_token_without_csrf(app: Flask, users: dict[str, User]) -> None:
    loop = make_loop(app, users)
    routes = state_changing_routes(app, api=True)
    assert ("api.put_scorecard", "PUT") in routes
    problems = []
    for route in routes:
        role = allowed_role(route)
        # No browser: send() calls the API from a client without cookies or CSRF token.
        bearer = Visitor(role, app.test_client(), csrf="", token=loop.tokens[role])
        problems += acceptance(loop, bearer, route)
    assert problems == [], "\n".join(problems)


def test_browser_cookies_alone_change_nothing_through_the_api(
    app: Flask, users: dict[str, User]
) -> None:
    loop = make_loop(app, users)
    browsers: dict[str, Visitor] = {}
    problems = []
    for endpoint, method in state_changing_routes(app, api=True):
        role = allowed_role((endpoint, method))
        if role not in browsers:
            browsers[role] = visitor(loop, role)
        who = browsers[role]
        assert signed_in(who), f"{role}'s browser should be signed in"
        path, body = path_for(loop, endpoint, method), API_BODIES.get(endpoint)
        for headers in ({}, {"X-CSRFToken": who.csrf}):
            before = snapshot(loop.app)
            response = who.browser.open(path, method=method, json=body, headers=headers)
            where = f"{method} {endpoint} from {role}'s browser, headers {sorted(headers)}"
            if response.status_code != 401:
                problems.append(f"{where}: answered {response.status_code}, not 401")
            if snapshot(loop.app) != before:
                problems.append(f"{where}: the database changed")
    assert problems == [], "\n".join(problems)
