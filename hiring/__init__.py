"""hiring: a structured-interview toolkit (rubrics, scorecards, rollups, debriefs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then instance/config.py, then the environment.

    `test_config`, when given, replaces instance/config.py and the environment.
    """
    from hiring import (
        api,
        auth,
        calibration_views,
        candidate_views,
        cli,
        config,
        debrief_views,
        errors,
        home,
        rubric_views,
        scorecard_views,
        security,
        web,
    )
    from hiring.db import make_engine

    app = Flask(
        __name__,
        instance_path=config.instance_path(),
        instance_relative_config=True,
        template_folder=str(config.bundled_dir("templates")),
    )
    app.config.from_mapping(config.defaults())
    if test_config is None:
        config.load_instance_file(app.config, app.instance_path)
        app.config.from_mapping(config.from_environment())
    else:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    config.check_security_settings(app.config)
    config.check_debrief_settings(app.config)
    url = config.database_url(app.config["DATABASE_URL"], app.instance_path)

    web.init_app(app, make_engine(url), url)
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(rubric_views.bp)
    app.register_blueprint(candidate_views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(scorecard_views.bp)
    app.register_blueprint(calibration_views.bp)
    app.register_blueprint(debrief_views.bp)
    cli.init_app(app)
    return app
