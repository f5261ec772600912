"""The JSON API's OpenAPI 3.1 document: request bodies from the pydantic models, the rest by hand.

The response schemas mirror hiring/serialize.py; tests/test_openapi.py checks the document
against the routes and against what the routes really answer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

# `api` imports this module to serve the document: import it whole, read its names at call time.
from hiring import api, idempotency, openapi_rollup, scoring
from hiring.models import CandidateStatus, Role, ScorecardStatus

JSON = "application/json"
NULL = {"type": "null"}
TIMESTAMP = {"type": "string", "format": "date-time"}
OPTIONAL_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str, kind: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _values(enum: Any) -> list[str]:
    return [member.value for member in enum]


def _closed(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties, every one always present."""
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


def _error(description: str, details: dict[str, Any], status: dict[str, Any]) -> dict[str, Any]:
    error = {"type": "string", "description": "what went wrong and what to do"}
    return _closed(description, {"error": error, "details": details, "status": status})


CANDIDATE_FIELDS: dict[str, Any] = {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "rubric": {
        "type": "string",
        "description": "the id of the rubric the candidate is assessed on",
    },
    "stage_profile": {"type": ["string", "null"]},
    "status": {"enum": _values(CandidateStatus)},
    "created_at": TIMESTAMP,
}

# As hiring/serialize.py writes them.
RESPONSE_SCHEMAS: dict[str, Any] = {
    "User": _closed(
        "A user: an admin, a recruiter or an interviewer.",
        {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "name": {"type": "string"},
            "role": {"enum": _values(Role)},
        },
    ),
    "CandidateSummary": _closed("A candidate as listed, without interviews.", CANDIDATE_FIELDS),
    "Candidate": _closed(
        "A candidate with the interviews of their loop.",
        {**CANDIDATE_FIELDS, "interviews": _array("Interview")},
    ),
    "Interview": _closed(
        "One interviewer's interview of a candidate, on the `focus` competencies.",
        {
            "id": {"type": "integer"},
            "candidate_id": {"type": "integer"},
            "interviewer_email": {"type": "string", "format": "email"},
            "interviewer_name": {"type": "string"},
            "focus": {"type": "array", "items": {"type": "string"}},
            "scheduled_at": OPTIONAL_TIMESTAMP,
            "due_at": {**OPTIONAL_TIMESTAMP, "description": "24 hours after `scheduled_at`"},
            "state": {"enum": ["upcoming", "due", "overdue", "submitted"]},
            "scorecard_status": {"enum": [*_values(ScorecardStatus), None]},
        },
    ),
    "Rating": _closed(
        "A competency's rating (null: not assessed) and the evidence behind it.",
        {"rating": {"type": ["integer", "null"]}, "evidence": {"type": "string"}},
    ),
    "AntiPattern": _closed(
        "An anti-pattern the interviewer saw, with the evidence.",
        {"id": {"type": "string"}, "evidence": {"type": "string"}},
    ),
    "RubricVersion": _closed(
        "The rubric exactly as it was when the scorecard was started.",
        {
            "id": {"type": "string"},
            "version": {"type": "integer"},
            "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        },
    ),
    "Scorecard": _closed(
        "An interviewer's scorecard for one interview.",
        {
            "status": {"enum": _values(ScorecardStatus)},
            "version": {
                "type": "integer",
                "minimum": 0,
                "description": "0 until first saved; send it back as If-Match",
            },
            "ratings": {
                "type": "object",
                "description": "by competency id; those neither rated nor noted are left out",
                "additionalProperties": _ref("Rating"),
            },
            "anti_patterns": _array("AntiPattern"),
            "recommendation": {"anyOf": [_ref("Recommendation"), NULL]},
            "takeaways": {"type": "string"},
            "rubric": {
                "anyOf": [_ref("RubricVersion"), NULL],
                "description": "null only while no scorecard was saved and the candidate's "
                "rubric is unavailable",
            },
            "updated_at": OPTIONAL_TIMESTAMP,
            "submitted_at": OPTIONAL_TIMESTAMP,
        },
    ),
    "Error": _error(
        "Every error has this shape; `details` is empty except for 400 and 409.",
        {"type": "object"},
        {"type": "integer", "minimum": 400, "maximum": 599},
    ),
    "InvalidInputError": _error(
        "Invalid input: nothing was saved.",
        {
            "type": "object",
            "description": "what is wrong, by field: a dotted path such as "
            "`ratings.high-agency.evidence`, `body` for the body as a whole, or a header's name",
            "minProperties": 1,
            "additionalProperties": {"type": "string"},
        },
        {"const": 400},
    ),
    "StaleScorecardError": _error(
        "The scorecard changed since the version sent in If-Match: nothing was saved.",
        _closed("The scorecard as it is now.", {"current": _ref("Scorecard")}),
        {"const": 409},
    ),
}

EVIDENCE = "Rebuilt the onboarding funnel unasked; cut drop-off from 40% to 22% in three weeks."
TAKEAWAYS = "Strong owner; probe cross-team influence in the next round."
USER_EXAMPLE = {"id": 3, "email": "rita@yourco.com", "name": "Rita Recruiter", "role": "recruiter"}
CANDIDATE_INPUT_EXAMPLE = {
    "name": "Priya Raman",
    "email": "priya.raman@example.com",
    "rubric": "product-manager",
    "stage_profile": "early-stage",
}
CANDIDATE_SUMMARY_EXAMPLE = {
    "id": 7,
    **CANDIDATE_INPUT_EXAMPLE,
    "status": "active",
    "created_at": "2026-11-02T09:14:03.512034+00:00",
}
INTERVIEW_INPUT_EXAMPLE = {
    "interviewer_email": "ivan@yourco.com",
    "focus": ["high-agency", "decisiveness"],
    "scheduled_at": "2026-11-20T10:00:00+00:00",
}
INTERVIEW_EXAMPLE = {
    "id": 12,
    "candidate_id": 7,
    **INTERVIEW_INPUT_EXAMPLE,
    "interviewer_name": "Ivan Petrov",
    "due_at": "2026-11-21T10:00:00+00:00",
    "state": "upcoming",
    "scorecard_status": None,
}
RATINGS_EXAMPLE = {
    "high-agency": {"rating": 3, "evidence": EVIDENCE},
    "decisiveness": {"rating": 4, "evidence": "Cut her own feature after a two-week test."},
}
ANTI_PATTERNS_EXAMPLE = [
    {"id": "needs-swim-lanes", "evidence": "Asked twice who owns analytics before starting."}
]
SCORECARD_INPUT_EXAMPLE = {
    "ratings": RATINGS_EXAMPLE,
    "anti_patterns": ANTI_PATTERNS_EXAMPLE,
    "recommendation": "yes",
    "takeaways": TAKEAWAYS,
    "submit": True,
}
SCORECARD_EXAMPLE = {
    "status": "submitted",
    "version": 2,
    "ratings": RATINGS_EXAMPLE,
    "anti_patterns": ANTI_PATTERNS_EXAMPLE,
    "recommendation": "yes",
    "takeaways": TAKEAWAYS,
    "rubric": {
        "id": "product-manager",
        "version": 1,
        "hash": "32425250171b839168ed6082670b08adb4c6ba9035e4f5fc1a3dca0b88da4659",
    },
    "updated_at": "2026-11-20T11:05:41.207311+00:00",
    "submitted_at": "2026-11-20T11:05:41.207311+00:00",
}
DOCUMENT_EXAMPLE = {
    "openapi": "3.1.0",
    "info": {"title": "hiring JSON API", "version": "1"},
    "paths": {
        "/me": {"get": {"operationId": "me", "responses": {"200": {"description": "The user."}}}}
    },
}


def _content(schema: dict[str, Any], example: Any) -> dict[str, Any]:
    return {JSON: {"schema": schema, "example": example}}


def _response(description: str, schema: dict[str, Any], example: Any) -> dict[str, Any]:
    return {"description": description, "content": _content(schema, example)}


STALE_MESSAGE = (
    "The scorecard changed since version you sent: it is now at version 2. Merge your changes "
    "into `details.current` and retry with If-Match: 2."
)
UNAUTHORIZED_MESSAGE = (
    "Send a valid API token as `Authorization: Bearer <token>`; an admin creates one with "
    "`hiring users token EMAIL`."
)
# status: (response name, description, schema, example error, example details)
ERRORS: dict[int, tuple[str, str, str, str, dict[str, Any]]] = {
    400: (
        "InvalidInput",
        "Invalid input: `details` names each bad field; nothing was saved.",
        "InvalidInputError",
        "Invalid input: recommendation: choose an overall recommendation",
        {"recommendation": "choose an overall recommendation"},
    ),
    401: ("Unauthorized", "No valid bearer token was sent.", "Error", UNAUTHORIZED_MESSAGE, {}),
    403: (
        "Forbidden",
        "The token's user may not do this; `error` says why.",
        "Error",
        "This needs the role recruiter or admin.",
        {},
    ),
    404: (
        "NotFound",
        "No such candidate or interview.",
        "Error",
        "No interview has the id 99.",
        {},
    ),
    409: (
        "StaleScorecard",
        "The scorecard changed since the If-Match version: merge into `details.current`.",
        "StaleScorecardError",
        STALE_MESSAGE,
        {"current": SCORECARD_EXAMPLE},
    ),
    413: (
        "PayloadTooLarge",
        "The body is larger than the server accepts (MAX_CONTENT_LENGTH, 2 MiB by default).",
        "Error",
        "The request is larger than the 2 MiB this server accepts, so nothing was saved: "
        "send less (shorter text) and try again.",
        {},
    ),
    422: (
        "KeyReused",
        "The Idempotency-Key was already used for a different request: nothing was saved.",
        "Error",
        "This Idempotency-Key was used for a different request: use a new key.",
        {},
    ),
    503: (  # listed as every authenticated route's `default`, with 500
        "Unexpected",
        "Something went wrong on the server (500), or the database is unavailable (503).",
        "Error",
        "The database is unavailable right now. Please try again shortly.",
        {},
    ),
}
WWW_AUTHENTICATE = {"WWW-Authenticate": {"schema": {"const": 'Bearer realm="hiring"'}}}


def _error_responses() -> dict[str, Any]:
    responses = {}
    for status, (name, description, schema, error, details) in ERRORS.items():
        example = {"error": error, "details": details, "status": status}
        responses[name] = _response(description, _ref(schema), example)
    responses["Unauthorized"]["headers"] = WWW_AUTHENTICATE
    return responses


ID = {"type": "integer", "minimum": 0}
PARAMETERS: dict[str, Any] = {
    "CandidateId": {"name": "candidate_id", "in": "path", "required": True, "schema": ID},
    "InterviewId": {"name": "interview_id", "in": "path", "required": True, "schema": ID},
    "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "description": "The scorecard `version` this change starts from (0: none saved yet); "
        "quotes and a `W/` prefix are accepted. If the scorecard has moved on, the answer is "
        "409 with the newer scorecard in `details.current`. Without it the last write wins.",
        "schema": {"type": "string", "pattern": '^\\s*(W/)?"?[0-9]+"?\\s*$'},
        "example": "1",
    },
    "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "description": "A unique string per intended change, per user. A retry with the same "
        "key and the same request answers the first response and writes nothing again; the "
        "same key with a different request answers 422.",
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": idempotency.KEY_MAX_LENGTH,
            "pattern": "\\S",
        },
        "example": "3f9c2e1a-scorecard-12-submit",
    },
}
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "A token printed by `hiring users token EMAIL` (an admin runs it; only its "
    "hash is stored). Browser sessions are not API credentials.",
}


def _request_schemas(*models: type[BaseModel]) -> dict[str, Any]:
    """The models' JSON Schemas, with their `$defs` hoisted beside them."""
    schemas: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas |= schema.pop("$defs", {})
        schemas[model.__name__] = schema
    return schemas


def _operation(
    view: Callable[..., Any],
    ok: dict[int, dict[str, Any]],
    errors: tuple[int, ...] = (),
    *,
    body: tuple[type[BaseModel], Any] | None = None,
    parameters: tuple[str, ...] = (),
    public: bool = False,
) -> dict[str, Any]:
    """The view's operation: a token is needed (401) unless `public`; a body may be bad (400)
    or too large (413)."""
    statuses = sorted({*errors, *((400, 413) if body else ()), *(() if public else (401,))})
    responses = {str(status): response for status, response in ok.items()}
    responses |= {str(status): _ref(ERRORS[status][0], "responses") for status in statuses}
    if not public:
        responses["default"] = _ref(ERRORS[503][0], "responses")
    operation: dict[str, Any] = {
        "operationId": view.__name__,
        "summary": (view.__doc__ or "").strip(),
        "responses": responses,
    }
    if public:
        operation["security"] = []
    if parameters:
        operation["parameters"] = [_ref(name, "parameters") for name in parameters]
    if body:
        model, example = body
        content = _content(_ref(model.__name__), example)
        operation["requestBody"] = {"required": True, "content": content}
    return operation


def _paths() -> dict[str, Any]:
    candidate = ("CandidateId",)
    interview = ("InterviewId",)
    candidates = [CANDIDATE_SUMMARY_EXAMPLE]
    detail = {**CANDIDATE_SUMMARY_EXAMPLE, "interviews": [INTERVIEW_EXAMPLE]}
    return {
        "/openapi.json": {
            "get": _operation(
                api.openapi_json,
                {200: _response("This document.", {"type": "object"}, DOCUMENT_EXAMPLE)},
                public=True,
            )
        },
        "/me": {
            "get": _operation(api.me, {200: _response("The user.", _ref("User"), USER_EXAMPLE)})
        },
        "/candidates": {
            "post": _operation(
                api.create_candidate,
                {
                    201: _response(
                        "The new candidate.", _ref("Candidate"), detail | {"interviews": []}
                    )
                },
                (403,),
                body=(api.CandidateInput, CANDIDATE_INPUT_EXAMPLE),
            ),
            "get": _operation(
                api.list_candidates,
                {200: _response("The candidates.", _array("CandidateSummary"), candidates)},
                (403,),
            ),
        },
        "/candidates/{candidate_id}": {
            "get": _operation(
                api.get_candidate,
                {200: _response("The candidate.", _ref("Candidate"), detail)},
                (403, 404),
                parameters=candidate,
            )
        },
        "/candidates/{candidate_id}/interviews": {
            "post": _operation(
                api.assign_interview,
                {201: _response("The new interview.", _ref("Interview"), INTERVIEW_EXAMPLE)},
                (403, 404),
                body=(api.InterviewInput, INTERVIEW_INPUT_EXAMPLE),
                parameters=candidate,
            )
        },
        "/interviews": {
            "get": _operation(
                api.list_interviews,
                {200: _response("The interviews.", _array("Interview"), [INTERVIEW_EXAMPLE])},
            )
        },
        "/interviews/{interview_id}/scorecard": {
            "get": _operation(
                api.get_scorecard,
                {200: _response("The scorecard.", _ref("Scorecard"), SCORECARD_EXAMPLE)},
                (403, 404),
                parameters=interview,
            ),
            "put": _operation(
                api.put_scorecard,
                {200: _response("The saved scorecard.", _ref("Scorecard"), SCORECARD_EXAMPLE)},
                (403, 404, 409, 422),
                body=(scoring.ScorecardInput, SCORECARD_INPUT_EXAMPLE),
                parameters=(*interview, "IfMatch", "IdempotencyKey"),
            ),
        },
        **openapi_rollup.paths(),
    }


INFO = {
    "title": "hiring JSON API",
    "version": "1",
    "description": "Candidates, interviews, scorecards, rollups and calibration of the hiring "
    "toolkit. Every route but this document's needs `Authorization: Bearer <token>`. Errors answer "
    "`{error, details, status}`.",
}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route of the api blueprint."""
    models = (api.CandidateInput, api.InterviewInput, scoring.ScorecardInput)
    return copy.deepcopy(
        {
            "openapi": "3.1.0",
            "info": INFO,
            "servers": [{"url": "/api/v1"}],
            "security": [{"bearerAuth": []}],
            "paths": _paths(),
            "components": {
                "schemas": RESPONSE_SCHEMAS | openapi_rollup.schemas() | _request_schemas(*models),
                "responses": _error_responses(),
                "parameters": PARAMETERS | openapi_rollup.PARAMETERS,
                "securitySchemes": {"bearerAuth": SECURITY_SCHEME},
            },
        }
    )
