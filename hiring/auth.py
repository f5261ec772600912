"""Signing in and out (web pages) and Flask-Login's user loading."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from hiring import accounts
from hiring.models import Role, User
from hiring.web import db_session, read_session

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager = LoginManager()
csrf = CSRFProtect()

INVALID_CREDENTIALS = "Invalid email or password."


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=accounts.PASSWORD_MAX_LENGTH)]
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""


def init_app(app: Flask) -> None:
    """Set up CSRF protection and login sessions."""
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    # The CLI renders debriefs outside any request: no session, so no form to sign out.
    app.context_processor(lambda: {"logout_form": LogoutForm()} if has_request_context() else {})


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    user_id = session_id.partition(":")[0]
    user = db_session().get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or not hmac.compare_digest(user.get_id(), session_id):
        return None
    return user


def forget_current_user() -> None:
    """Treat the rest of this request as anonymous (the user cannot be loaded now)."""
    g._login_user = login_manager.anonymous_user()


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let signed-in users with one of `roles` in; others get 403, anonymous users sign in."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                current_app.logger.warning(
                    "refused %s %s to %s (%s)",
                    request.method,
                    request.path,
                    current_user.email,
                    current_user.role.value,
                )
                abort(403, "Your role does not give access to this page.")
            return view(*args, **kwargs)

        return guarded

    return decorator


def _safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, so `next` cannot redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target if "\\" not in target else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    """Show the sign-in form; sign in on a valid submission."""
    if current_user.is_authenticated:
        return redirect("/")
    form = LoginForm()
    if form.validate_on_submit():
        email, password = form.email.data or "", form.password.data or ""
        with read_session() as reader:  # no write lock while the hash is checked
            user = accounts.authenticate(session=reader, email=email, password=password)
        if user is not None:
            user = accounts.refresh_hash(session=db_session(), user=user, password=password)
            db_session().commit()
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or "/")
        current_app.logger.warning(
            "sign-in failed for %r from %s", form.email.data, request.remote_addr
        )
        form.form_errors.append(INVALID_CREDENTIALS)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no other site can sign you out)."""
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect("/auth/login")
