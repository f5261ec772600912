"""Signing in and out (web pages) and Flask-Login's user loading."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from datetime import timedelta
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
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import (
    LoginManager,
    current_user,
    login_required,
    login_url,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from hiring import accounts, login_sessions, throttle
from hiring.models import Role, User, utcnow
from hiring.web import db_session, read_session, write_session

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager = LoginManager()
csrf = CSRFProtect()

INVALID_CREDENTIALS = "Invalid email or password."
SESSION_KEY = "login"  # where the signed cookie keeps the session token


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


SIGNED_OUT = (
    "You are signed out (after a while without activity, or from another device). Sign in "
    "again in a new tab, then reload this page: your draft is kept up to its last save."
)


@login_manager.unauthorized_handler
def _unauthorized() -> Response | tuple[Response, int]:
    """Pages send the visitor to sign in; background requests that want JSON (the
    scorecard's autosave) get a 401 they can explain instead of a sign-in page."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": SIGNED_OUT, "details": {}, "status": 401}), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url("auth.login", request.url))


def session_lifetime() -> login_sessions.Lifetime:
    """The configured idle and absolute lifetimes of a login session."""
    return login_sessions.Lifetime(
        idle=timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"]),
    )


def throttle_policy() -> throttle.Policy:
    """The configured login throttling."""
    settings = current_app.config
    return throttle.Policy(
        failures=settings["LOGIN_MAX_FAILURES"],
        window=timedelta(seconds=settings["LOGIN_FAILURE_WINDOW"]),
        lockout=timedelta(seconds=settings["LOGIN_LOCKOUT"]),
    )


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The signed-in user, while the server still holds their session and it has not
    expired; the id also carries a fingerprint of the password, so a new one signs out."""
    token = session.get(SESSION_KEY)
    user_id = session_id.partition(":")[0]
    if not isinstance(token, str) or not user_id.isdigit():
        return None
    # The session row is read and written in short transactions of their own, before the
    # request's session starts: on SQLite a request that writes holds the write lock from
    # its first query, and the touch would wait for it.
    with read_session() as reader:
        login = login_sessions.find(session=reader, token=token)
    if login is None or login.user_id != int(user_id):
        return None
    now = utcnow()
    expired = session_lifetime().expired(login, now)
    if expired or login_sessions.needs_touch(login, now):
        with write_session() as writer:
            if expired:
                login_sessions.end(session=writer, token=token)
            else:
                assert login.id is not None
                login_sessions.touch(session=writer, login_id=login.id, now=now)
    if expired:
        return None
    user = db_session().get(User, login.user_id)
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
        address = request.remote_addr or "unknown"
        try:
            attempt = throttle.start_attempt(
                session=db_session(), policy=throttle_policy(), email=email, address=address
            )
            db_session().commit()  # counted before the password is checked
        except throttle.Throttled as throttled:
            current_app.logger.warning("sign-in throttled for %r from %s", email, address)
            minutes = max(1, round(throttled.seconds / 60))
            error = TooManyRequests(
                "Too many failed sign-ins for this account or from this address. "
                f"Try again in {minutes} minute{'s' if minutes > 1 else ''}."
            )
            error.retry_after = throttled.seconds
            raise error from None
        with read_session() as reader:  # no write lock while the hash is checked
            user = accounts.authenticate(session=reader, email=email, password=password)
        if user is not None:
            user = accounts.refresh_hash(session=db_session(), user=user, password=password)
            throttle.succeeded(session=db_session(), email=email, attempt=attempt)
            token = login_sessions.start(
                session=db_session(), user=user, lifetime=session_lifetime()
            )
            db_session().commit()
            session.clear()  # a fresh session on sign-in: no fixation
            session[SESSION_KEY] = token
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or "/")
        current_app.logger.warning("sign-in failed for %r from %s", email, address)
        form.form_errors.append(INVALID_CREDENTIALS)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no other site can sign you out); the server
    forgets the session, so a copy of the cookie is worth nothing afterwards."""
    token = session.get(SESSION_KEY)
    if isinstance(token, str):
        login_sessions.end(session=db_session(), token=token)
        db_session().commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect("/auth/login")
