"""JSON API, version 1: `Authorization: Bearer <token>` from `hiring users token`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from flask import Blueprint, Response, abort, g, jsonify, request
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from werkzeug.exceptions import BadRequest, Conflict, Forbidden, UnprocessableEntity

from hiring import (
    accounts,
    calibration,
    candidates,
    debrief,
    debrief_documents,
    idempotency,
    openapi,
    rollup,
    rubric_versions,
    scoring,
)
from hiring.auth import csrf
from hiring.errors import error_response
from hiring.models import Candidate, Interview, Role, ScorecardStatus, User, utcnow
from hiring.serialize import candidate_json, interviews_json, scorecard_json, user_json
from hiring.validation import InvalidInput, in_range, iso_text, parse, unstorable_text
from hiring.web import (
    SAFE_METHODS,
    db_session,
    found_or_404,
    interview_or_404,
    read_first,
    rubric_set,
    session_in_use,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: every request carries its own bearer token
RECRUITING = (Role.RECRUITER, Role.ADMIN)
JSON_KINDS = {
    type(None): "empty or null",
    bool: "true or false",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "an array",
}


class CandidateInput(BaseModel):
    """Body of POST /candidates."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(max_length=200)]  # as the web form and the column allow
    email: Annotated[str, Field(max_length=254)]
    rubric: Annotated[str, Field(max_length=80)]
    stage_profile: Annotated[str | None, Field(max_length=80)] = None


class InterviewInput(BaseModel):
    """Body of POST /candidates/<id>/interviews."""

    model_config = ConfigDict(extra="forbid")
    interviewer_email: Annotated[str, Field(max_length=254)]
    focus: list[str] | None = None
    scheduled_at: Annotated[
        AwareDatetime | None, BeforeValidator(iso_text), AfterValidator(in_range)
    ] = None


@bp.before_request
def _authenticate() -> None:
    if request.endpoint == "api.openapi_json":
        return  # integrations read the document before they have a token
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token, user = token.strip(), None
    if scheme.lower() == "bearer" and token:
        # A request that only reads reads here in its own (read-only) session.
        session = db_session() if request.method in SAFE_METHODS else read_first()
        user = accounts.user_for_token(session=session, token=token)
    if user is None:
        abort(
            401,
            "Send a valid API token as `Authorization: Bearer <token>`; "
            "an admin creates one with `hiring users token EMAIL`.",
        )
    g.api_user = user


@bp.errorhandler(InvalidInput)
def _invalid(error: InvalidInput) -> Response:
    return error_response(BadRequest(f"Invalid input: {error}"), error.details)


@bp.errorhandler(scoring.NotAllowed)
def _not_allowed(error: scoring.NotAllowed) -> Response:
    return error_response(Forbidden(str(error)))


@bp.errorhandler(scoring.StaleScorecard)
def _stale(error: scoring.StaleScorecard) -> Response:
    current = scorecard_json(session_in_use(), error.current)  # no write transaction for it
    message = (
        f"The scorecard changed since the version you sent: it is now at version "
        f"{error.current.version}. Merge your changes into `details.current` and retry "
        f"with If-Match: {error.current.version}."
    )
    return error_response(Conflict(message), {"current": current})


@bp.errorhandler(idempotency.KeyReused)
def _key_reused(error: idempotency.KeyReused) -> Response:
    return error_response(
        UnprocessableEntity("This Idempotency-Key was used for a different request: use a new key.")
    )


def _require(*roles: Role) -> User:
    user: User = g.api_user
    if user.role not in roles:
        abort(403, f"This needs the role {' or '.join(role.value for role in roles)}.")
    return user


def _body() -> Any:
    """The request's JSON object, or InvalidInput saying what is wrong with the body."""
    if not request.is_json:
        raise InvalidInput(
            {"body": "send a JSON object with the header Content-Type: application/json"}
        )
    payload, problem = _decoded(request.get_data())
    if problem:
        raise InvalidInput({"body": problem})
    problems = unstorable_text(payload)
    if problems:
        raise InvalidInput(problems)
    return payload


def _decoded(data: bytes) -> tuple[Any, str | None]:
    """The JSON object in `data`, or None and what keeps it from being one."""
    try:
        payload = json.loads(data or b"null")
    except RecursionError:
        return None, "nested too deeply: send the JSON object documented"
    except UnicodeDecodeError:
        return None, "not UTF-8: send the JSON encoded as UTF-8"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: {error}"  # names the line and column
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        return None, "has a number of more than 4,300 digits: send a real value"
    if isinstance(payload, dict):
        return payload, None
    return None, f"{JSON_KINDS[type(payload)]}: send a JSON object"


def _candidate(candidate_id: int) -> Candidate:
    return found_or_404(Candidate, candidate_id, "candidate")


def _interview(interview_id: int) -> Interview:
    return found_or_404(Interview, interview_id, "interview")


@bp.get("/openapi.json")
def openapi_json() -> dict[str, Any]:
    """This API's OpenAPI 3.1 document (no token needed)."""
    return openapi.document()


@bp.get("/me")
def me() -> dict[str, Any]:
    """Who the token belongs to."""
    return user_json(g.api_user)


@bp.post("/candidates")
def create_candidate() -> tuple[dict[str, Any], int]:
    """Add a candidate (recruiters and admins)."""
    _require(*RECRUITING)
    data = parse(CandidateInput, _body())
    session = db_session()
    candidate = candidates.create_candidate(
        session=session,
        rubrics=rubric_set(),
        name=data.name,
        email=data.email,
        rubric_id=data.rubric,
        stage_profile=data.stage_profile,
    )
    session.commit()
    return candidate_json(session, candidate), 201


@bp.get("/candidates")
def list_candidates() -> Response:
    """Every candidate (recruiters and admins)."""
    _require(*RECRUITING)
    session = db_session()
    found = candidates.list_candidates(session=session)
    return jsonify([candidate_json(session, c, with_interviews=False) for c in found])


@bp.get("/candidates/<int:candidate_id>")
def get_candidate(candidate_id: int) -> dict[str, Any]:
    """One candidate with their interviews (recruiters and admins)."""
    _require(*RECRUITING)
    return candidate_json(db_session(), _candidate(candidate_id))


@bp.post("/candidates/<int:candidate_id>/interviews")
def assign_interview(candidate_id: int) -> tuple[dict[str, Any], int]:
    """Assign an interviewer to a candidate (recruiters and admins)."""
    _require(*RECRUITING)
    data = parse(InterviewInput, _body())
    session = db_session()
    interview = candidates.assign_interview(
        session=session,
        rubrics=rubric_set(),
        candidate=_candidate(candidate_id),
        interviewer_email=data.interviewer_email,
        focus=data.focus,
        scheduled_at=data.scheduled_at,
    )
    session.commit()
    return interviews_json(session, [interview])[0], 201


@bp.get("/interviews")
def list_interviews() -> Response:
    """An interviewer's own interviews; every interview for recruiters and admins."""
    user: User = g.api_user
    statement = select(Interview).order_by(col(Interview.id))
    if user.role not in RECRUITING:
        statement = statement.where(Interview.interviewer_id == user.id)
    session = db_session()
    return jsonify(interviews_json(session, list(session.exec(statement).all())))


@bp.get("/interviews/<int:interview_id>/scorecard")
def get_scorecard(interview_id: int) -> dict[str, Any]:
    """The interview's scorecard (an empty draft at version 0 if none was started)."""
    interview = _interview(interview_id)
    session = db_session()
    user: User = g.api_user
    if user.id != interview.interviewer_id and not scoring.may_see_panel(
        session=session, user=user, candidate_id=interview.candidate_id
    ):
        abort(403, "Submit your own scorecard for this candidate before reading colleagues'.")
    scorecard = scoring.scorecard_for(session=session, interview=interview)
    if (
        scorecard is not None
        and scorecard.status == ScorecardStatus.DRAFT
        and user.role == Role.INTERVIEWER
        and user.id != interview.interviewer_id
    ):  # as on the web page: a draft is its author's until submitted
        abort(403, "This scorecard is a draft: colleagues read it once its author submits it.")
    if scorecard is None:
        return scorecard_json(session, None, interview=interview, rubrics=rubric_set())
    return scorecard_json(session, scorecard)


@bp.put("/interviews/<int:interview_id>/scorecard")
def put_scorecard(interview_id: int) -> tuple[Response | dict[str, Any], int]:
    """Save, submit or amend the scorecard (only its interviewer).

    The save is read, checked and worked out before the write transaction starts, with
    the token's user (`read_first`), so that on SQLite that transaction (one at a time)
    holds only the statements that write. If another write overtakes it in between (or
    the rubric's snapshot is not stored yet), it is done again inside the transaction.
    """
    user: User = g.api_user
    reads = read_first()
    interview, candidate = interview_or_404(interview_id, reads)
    if user.id != interview.interviewer_id:
        abort(403, "Only the assigned interviewer may write this scorecard.")
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        key = idempotency.check_key(key)
    request_hash = idempotency.fingerprint(request.method, request.path, request.get_data())
    try:
        data = parse(scoring.ScorecardInput, _body())
        current_rubric = candidates.rubric_for(candidate, rubric_set())
        version_id = rubric_versions.stored_version(session=reads, rubric=current_rubric)
        save: dict[str, Any] = {
            "interview": interview,
            "author": user,
            "data": data,
            "current_rubric": current_rubric,
            "expected_version": _if_match(),
            "current_version_id": version_id,
        }
        prepared = None
        if version_id is not None:
            prepared = scoring.prepare_save(session=reads, **save)
    except (InvalidInput, scoring.StaleScorecard):
        # A retry of a request answered before gets that answer, however the request would
        # be answered now (the scorecard has moved on from its If-Match, or its rubric was
        # retired). One that is accepted finds the stored answer when it writes.
        if key is not None:
            answered = idempotency.stored_answer(
                session=reads, user=user, key=key, request_hash=request_hash
            )
            if answered is not None:
                return jsonify(answered.body), answered.status_code
        raise
    if prepared is not None:
        body = scorecard_json(reads, prepared.scorecard)
        session = db_session()
        try:
            if key is not None:  # a copy of this request being written meanwhile: after it
                idempotency.lock(session=session, user=user, key=key)
            scoring.write_save(session=session, prepared=prepared)
            if key is not None:
                _remember(session, user, key, request_hash, body)
            session.commit()
            return body, 200
        except (scoring.Overtaken, IntegrityError):
            # Overtaken, or the key's answer is stored already (a copy of this request, or
            # the key reused): done again in the transaction, which replays or refuses it.
            session.rollback()
    session = db_session()
    if key is not None:  # and one sent while the first was being written, once it is
        stored = idempotency.replay(session=session, user=user, key=key, request_hash=request_hash)
        if stored is not None:
            return jsonify(stored.body), stored.status_code
    body = scorecard_json(session, scoring.save_scorecard(session=session, **save))
    if key is not None:
        try:
            _remember(session, user, key, request_hash, body)
        except IntegrityError:  # the same request, retried concurrently, won the race
            session.rollback()
            stored = idempotency.replay(
                session=session, user=user, key=key, request_hash=request_hash
            )
            assert stored is not None
            return jsonify(stored.body), stored.status_code
    session.commit()
    return body, 200


def _remember(
    session: Session, user: User, key: str, request_hash: str, body: dict[str, Any]
) -> None:
    idempotency.remember(
        session=session, user=user, key=key, request_hash=request_hash, status=200, body=body
    )


@bp.get("/candidates/<int:candidate_id>/rollup")
def get_rollup(candidate_id: int) -> dict[str, Any]:
    """The candidate's rollup from submitted scorecards (recruiters and admins)."""
    _require(*RECRUITING)
    candidate = _candidate(candidate_id)
    candidates.rubric_for(candidate, rubric_set())  # 400 when the rubric is unavailable
    found = rollup.candidate_rollups(
        session=db_session(), candidates=[candidate], rubrics=rubric_set(), now=utcnow()
    )
    return found[0]


@bp.get("/candidates/<int:candidate_id>/debrief.pdf")
def get_debrief_pdf(candidate_id: int) -> Response:
    """The candidate's debrief PDF (recruiters, admins, and interviewers who have submitted
    their scorecard for the candidate); `page_size` A4 (default) or Letter."""
    candidate = _candidate(candidate_id)
    if not debrief.may_read(session=db_session(), user=g.api_user, candidate=candidate):
        abort(403, "An interviewer reads a debrief once they have submitted their scorecard.")
    page_size = debrief_documents.requested_page_size()
    return debrief_documents.pdf_download(debrief_documents.one_debrief(candidate), page_size)


@bp.get("/calibration")
def get_calibration() -> dict[str, Any]:
    """Interviewer leniency and reliability per competency on a rubric (recruiters and admins)."""
    _require(*RECRUITING)
    rubric_id = request.args.get("rubric", "").strip()
    known = ", ".join(sorted(rubric_set().rubrics)) or "none is valid"
    if not rubric_id:
        raise InvalidInput({"rubric": f"give a rubric id as ?rubric=ID (available: {known})"})
    rubric = rubric_set().rubrics.get(rubric_id)
    if rubric is None:
        abort(404, f"No rubric has the id {rubric_id!r} (available: {known}).")
    return calibration.calibration(session=db_session(), rubric=rubric)


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().strip('"').removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise InvalidInput({"If-Match": "send the scorecard's version, a whole number"})
    return int(value)
