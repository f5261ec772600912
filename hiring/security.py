"""Response headers and transport: a strict Content-Security-Policy, no framing, no MIME
sniffing, a same-origin Referrer-Policy, and, when served over HTTPS, HSTS, Secure cookies
and a redirect from http:// (Flask-Talisman). Behind proxies, their forwarded headers."""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything the pages use is served by the app itself: no inline script or style, no CDN.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS_SECONDS = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Set the headers on every response; trust HIRING_PROXIES proxies' forwarded headers."""
    https = app.config["HIRING_HTTPS"]
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    proxies = app.config["HIRING_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    # One Talisman per app: it keeps its settings on itself.
    Talisman(
        app,
        force_https=https,
        strict_transport_security=True,  # sent only on requests that came over HTTPS
        strict_transport_security_max_age=HSTS_SECONDS,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        session_cookie_secure=False,  # set above, from HIRING_HTTPS, not per request
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
