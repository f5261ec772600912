"""The OpenAPI document: valid, complete, its examples valid, and true to what the API answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from hiring.models import User
from hiring.openapi import document
from tests.test_scorecard_api import EVIDENCE, Api
from tests.test_scorecard_api import api as api  # the fixture

PREFIX = "/api/v1"
JSON = "application/json"
DOCUMENT = document()
URI = "urn:hiring:openapi"
REGISTRY: Registry[Any] = Registry().with_resource(
    URI, Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
)
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _validator(pointer: str) -> Draft202012Validator:
    """Validates against the schema at `pointer` in the document, its $refs resolved."""
    schema = {"$ref": f"{URI}#{quote(pointer)}"}
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())


def _template(rule: str) -> str:
    """`/candidates/{candidate_id}` from Flask's `/api/v1/candidates/<int:candidate_id>`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule).removeprefix(PREFIX)


def _routes(app: Flask) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{PREFIX}/"):
            methods = {m.lower() for m in (rule.methods or set()) - IGNORED_METHODS}
            routes.setdefault(_template(rule.rule), set()).update(methods)
    return routes


def _examples(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every (schema pointer, example) pair: media types and parameters alike."""
    if isinstance(node, dict):
        if "example" in node and "schema" in node:
            yield f"{pointer}/schema", node["example"]
        for key, value in node.items():
            yield from _examples(value, f"{pointer}/{_escape(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{pointer}/{index}")


def _resolve(pointer: str) -> Any:
    node: Any = DOCUMENT
    for segment in pointer.lstrip("/").split("/"):
        node = node[segment.replace("~1", "/").replace("~0", "~")]
    return node


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(DOCUMENT)
    assert DOCUMENT["openapi"].startswith("3.1")


def test_every_route_is_documented_with_its_methods(app: Flask) -> None:
    documented = {path: set(item) for path, item in DOCUMENT["paths"].items()}
    assert _routes(app) == documented
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{PREFIX}/"):
            path = DOCUMENT["paths"][_template(rule.rule)]
            names = {operation["operationId"] for operation in path.values()}
            assert rule.endpoint.removeprefix("api.") in names


def test_a_route_without_documentation_is_caught(app: Flask) -> None:
    app.add_url_rule(f"{PREFIX}/reports/<int:report_id>", "reports", lambda report_id: {})
    documented = {path: set(item) for path, item in DOCUMENT["paths"].items()}
    assert set(_routes(app)) - set(documented) == {"/reports/{report_id}"}


def test_path_parameters_are_declared() -> None:
    parameters = DOCUMENT["components"]["parameters"]
    for path, _method, operation in _operations():
        declared = {
            parameters[ref["$ref"].rsplit("/", 1)[1]]["name"]
            for ref in operation.get("parameters", [])
            if parameters[ref["$ref"].rsplit("/", 1)[1]]["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), path


def test_request_bodies_and_successes_have_examples() -> None:
    for path, method, operation in _operations():
        successes = [r for status, r in operation["responses"].items() if status.startswith("2")]
        media = [r["content"]["application/json"] for r in successes if JSON in r["content"]]
        files = [r for r in successes if JSON not in r["content"]]  # a PDF: no example
        if "requestBody" in operation:
            media.append(operation["requestBody"]["content"]["application/json"])
        assert media or files, f"{method} {path}"
        assert all("example" in m for m in media), f"{method} {path}"


def test_every_example_validates_against_its_schema() -> None:
    examples = list(_examples(DOCUMENT))
    assert len(examples) >= 20
    for pointer, example in examples:
        errors = [error.message for error in _validator(pointer).iter_errors(example)]
        assert not errors, f"{pointer}: {errors}"


def test_the_schemas_reject_what_serialize_never_writes() -> None:
    scorecard = _validator("/components/schemas/Scorecard")
    errors = list(scorecard.iter_errors({"status": "pending", "version": -1, "extra": 1}))
    assert {e.validator for e in errors} == {"enum", "minimum", "required", "additionalProperties"}
    candidate = _validator("/components/schemas/Candidate")
    assert any("interviews" in e.message for e in candidate.iter_errors({}))


class Contract:
    """Checks each real response against the schema documented for its route and status."""

    def __init__(self, app: Flask) -> None:
        self.adapter = app.url_map.bind("localhost")
        self.statuses: set[int] = set()

    def __call__(self, response: TestResponse, status: int) -> Any:
        assert response.status_code == status, response.get_json()
        assert response.mimetype == "application/json"
        rule, _ = self.adapter.match(
            response.request.path, response.request.method, return_rule=True
        )
        path, method = _template(rule.rule), response.request.method.lower()
        pointer = f"/paths/{_escape(path)}/{method}/responses/{status}"
        documented = DOCUMENT["paths"][path][method]["responses"]
        assert str(status) in documented, f"{method} {path} answered an undocumented {status}"
        if "$ref" in documented[str(status)]:
            pointer = documented[str(status)]["$ref"].removeprefix("#")
        for header in _resolve(pointer).get("headers", {}):
            _validator(f"{pointer}/headers/{header}/schema").validate(response.headers[header])
        body = response.get_json()
        _validator(f"{pointer}/content/application~1json/schema").validate(body)
        self.statuses.add(status)
        return body


def _example(path: str, method: str) -> Any:
    body = DOCUMENT["paths"][path][method]["requestBody"]["content"]["application/json"]
    return body["example"]


def test_the_api_answers_as_documented(
    app: Flask, client: FlaskClient, users: dict[str, User], api: dict[str, Api]
) -> None:
    check = Contract(app)
    recruiter, ivan, olga = api["recruiter"], api["interviewer"], api["other_interviewer"]
    served = check(client.get(f"{PREFIX}/openapi.json"), 200)  # no token
    assert served == DOCUMENT
    check(recruiter("GET", "/me"), 200)
    candidate = check(recruiter("POST", "/candidates", _example("/candidates", "post")), 201)
    assign = f"/candidates/{candidate['id']}/interviews"
    example = _example("/candidates/{candidate_id}/interviews", "post")
    interview = check(
        recruiter("POST", assign, example | {"interviewer_email": users["interviewer"].email}), 201
    )
    check(recruiter("POST", assign, {"interviewer_email": users["other_interviewer"].email}), 201)
    scorecard = f"/interviews/{interview['id']}/scorecard"
    assert check(ivan("GET", scorecard), 200)["version"] == 0
    draft = {"ratings": {"high-agency": {"rating": 3, "evidence": EVIDENCE}}}
    check(ivan("PUT", scorecard, draft, **{"Idempotency-Key": "draft-1"}), 200)
    check(ivan("PUT", scorecard, draft, **{"Idempotency-Key": "draft-1"}), 200)  # replayed
    submitted = _example("/interviews/{interview_id}/scorecard", "put")
    assert check(ivan("PUT", scorecard, submitted, **{"If-Match": "1"}), 200)["version"] == 2
    check(ivan("GET", scorecard), 200)
    check(recruiter("GET", "/candidates"), 200)
    detail = check(recruiter("GET", f"/candidates/{candidate['id']}"), 200)
    assert detail["interviews"][0]["scorecard_status"] == "submitted"
    check(ivan("GET", "/interviews"), 200)
    check(recruiter("GET", "/interviews"), 200)
    rollup = check(recruiter("GET", f"/candidates/{candidate['id']}/rollup"), 200)
    assert rollup["coverage"] == {
        "expected": 2,
        "submitted": 1,
        "drafts": 0,
        "overdue": 0,
        "not_started": 1,
    }
    calibration = check(recruiter("GET", f"/calibration?rubric={candidate['rubric']}"), 200)
    assert calibration["n_ratings"] == len(submitted["ratings"])
    check(recruiter("GET", "/calibration"), 400)
    check(recruiter("GET", "/calibration?rubric=nope"), 404)
    check(ivan("GET", f"/candidates/{candidate['id']}/rollup"), 403)

    check(ivan("PUT", scorecard, {**submitted, "recommendation": None}), 400)
    check(client.get(f"{PREFIX}/me"), 401)
    check(ivan("GET", "/candidates"), 403)
    check(olga("GET", scorecard), 403)
    check(recruiter("GET", "/candidates/999"), 404)
    check(ivan("PUT", scorecard, {**submitted, "takeaways": "x"}, **{"If-Match": "1"}), 409)
    check(ivan("PUT", scorecard, {"takeaways": "x" * (3 * 1024 * 1024)}), 413)
    check(ivan("PUT", scorecard, submitted, **{"Idempotency-Key": "draft-1"}), 422)
    assert check.statuses == {200, 201, 400, 401, 403, 404, 409, 413, 422}


def test_the_document_needs_no_token(client: FlaskClient) -> None:
    response = client.get(f"{PREFIX}/openapi.json", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 200
    assert client.get(f"{PREFIX}/me").status_code == 401  # only the document is public
