"""Error pages and JSON errors: a clear message, the right status, never a traceback."""

from __future__ import annotations

from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask_login import current_user
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    ServiceUnavailable,
)

from hiring.auth import forget_current_user
from hiring.db import describe_error
from hiring.web import database_url, reset_session

API_PREFIX = "/api/"


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, _http_error)
    for unavailable in (OperationalError, InterfaceError):
        app.register_error_handler(unavailable, _database_unavailable)


def error_response(error: HTTPException, details: dict[str, Any] | None = None) -> Response:
    """Render `error` as JSON `{error, details, status}` under /api/, as a page elsewhere."""
    status = error.code or 500
    if status in (401, 403):
        _log_refusal(status, error.description)
    if not request.path.startswith(API_PREFIX):
        page = render_template("errors/error.html", error=error, status=status)
        response = make_response(page, status)
    else:
        body = {"error": error.description, "details": details or {}, "status": status}
        response = jsonify(body)
        response.status_code = status
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    if status == 401 and request.path.startswith(API_PREFIX):
        response.headers["WWW-Authenticate"] = 'Bearer realm="hiring"'
    return response


def _log_refusal(status: int, reason: str | None) -> None:
    """Log refused authentications and authorizations: who, what, from where, and why."""
    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    who = f"{user.email} ({user.role.value})" if user is not None else "anonymous"
    current_app.logger.warning(
        "refused %s %s (%d) to %s from %s: %s",
        request.method,
        request.path,
        status,
        who,
        request.remote_addr,
        reason,
    )


def _http_error(error: HTTPException) -> Response | HTTPException:
    if error.code is None or error.code < 400:
        return error  # redirects and the like pass through untouched
    if isinstance(error, InternalServerError):
        # Unhandled exceptions arrive here, already logged by Flask with their traceback.
        reset_session()
        error = InternalServerError("Something went wrong on our side. Please try again.")
    if isinstance(error, RequestEntityTooLarge):
        error = _too_large()
    return error_response(error)


def _too_large() -> RequestEntityTooLarge:
    """A 413 saying which limit the request broke. Its body was refused unread: from now on
    it reads as empty, so that the page's own forms (the sign-out button reads the
    request) do not read it again and fail a second time."""
    request.form, request.files = ImmutableMultiDict(), ImmutableMultiDict()
    config = current_app.config
    body_limit = config.get("MAX_CONTENT_LENGTH")
    if body_limit and (request.content_length or body_limit + 1) > body_limit:
        broken = f"larger than the {_size(body_limit)} this server accepts"
    else:
        broken = (
            f"a form with a field larger than {_size(config['MAX_FORM_MEMORY_SIZE'])} or "
            f"more than {config['MAX_FORM_PARTS']:,} fields, more than this server accepts"
        )
    return RequestEntityTooLarge(
        f"The request is {broken}, so nothing was saved: send less (shorter text) and try again."
    )


def _size(count: int) -> str:
    return f"{count / 2**20:g} MiB" if count >= 2**20 else f"{count / 1000:g} kB"


def _database_unavailable(error: OperationalError | InterfaceError) -> Response:
    current_app.logger.error(
        "database unavailable: %s", describe_error(error, database_url()), exc_info=error
    )
    reset_session()
    forget_current_user()  # loading the user would hit the same database again
    return error_response(
        ServiceUnavailable("The database is unavailable right now. Please try again shortly.")
    )
