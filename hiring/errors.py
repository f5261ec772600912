"""Error pages and JSON errors: a clear message, the right status, never a traceback."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

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


def _http_error(error: HTTPException) -> Response | HTTPException:
    if error.code is None or error.code < 400:
        return error  # redirects and the like pass through untouched
    if isinstance(error, InternalServerError):
        # Unhandled exceptions arrive here, already logged by Flask with their traceback.
        reset_session()
        error = InternalServerError("Something went wrong on our side. Please try again.")
    return error_response(error)


def _database_unavailable(error: OperationalError | InterfaceError) -> Response:
    current_app.logger.error(
        "database unavailable: %s", describe_error(error, database_url()), exc_info=error
    )
    reset_session()
    forget_current_user()  # loading the user would hit the same database again
    return error_response(
        ServiceUnavailable("The database is unavailable right now. Please try again shortly.")
    )
