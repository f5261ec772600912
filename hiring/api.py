"""JSON API, version 1: `Authorization: Bearer <token>` from `hiring users token`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, request

from hiring import accounts
from hiring.auth import csrf
from hiring.models import User
from hiring.web import db_session

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: every request carries its own bearer token


@bp.before_request
def _authenticate() -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip():
        user = accounts.user_for_token(session=db_session(), token=token.strip())
    if user is None:
        abort(
            401,
            "Send a valid API token as `Authorization: Bearer <token>`; "
            "an admin creates one with `hiring users token EMAIL`.",
        )
    g.api_user = user


def user_json(user: User) -> dict[str, Any]:
    """A user as the API shows it."""
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role.value}


@bp.get("/me")
def me() -> dict[str, Any]:
    """Who the token belongs to."""
    return user_json(g.api_user)
