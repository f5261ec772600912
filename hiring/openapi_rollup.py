"""The OpenAPI description of rollups and calibration (merged into hiring/openapi.py's document).

The schemas mirror hiring/rollup.py, hiring/flags.py and hiring/calibration.py.
"""

from __future__ import annotations

from typing import Any

# `openapi` imports this module: import it whole, read its names at call time.
from hiring import api, openapi

NUMBER_OR_NULL = {"type": ["number", "null"]}
ICC_NAMES = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
BANDS = {"enum": ["unreliable", "tentative", "reliable", None]}
ICC_BANDS = {"enum": ["poor", "moderate", "good", "excellent"]}


def schemas() -> dict[str, Any]:
    """The response schemas of the rollup and calibration routes."""
    closed, ref, array = openapi._closed, openapi._ref, openapi._array
    tally = closed(
        "How many submitted scorecards recommend each option.",
        {
            key: {"type": "integer", "minimum": 0}
            for key in ("strong_no", "no", "yes", "strong_yes")
        },
    )
    return {
        "Rollup": closed(
            "A candidate's rollup, from submitted scorecards only.",
            {
                "candidate_id": {"type": "integer"},
                "candidate_email": {"type": "string", "format": "email"},
                "candidate_name": {"type": "string"},
                "rubric": {"type": "string"},
                "rubric_version": {"type": "integer"},
                "stage_profile": {"type": ["string", "null"]},
                "overall": {
                    **NUMBER_OR_NULL,
                    "description": "weighted mean of the competency means, with the rubric's "
                    "weights or the candidate's stage profile; null when nothing is rated",
                },
                "adjusted_overall": {
                    **NUMBER_OR_NULL,
                    "description": "the same after subtracting each interviewer's leniency",
                },
                "recommendations": tally,
                "competencies": array("RollupCompetency"),
                "not_assessed": {"type": "array", "items": {"type": "string"}},
                "splits": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "competencies whose ratings span two or more scale points",
                },
                "flags": array("Flag"),
                "coverage": closed(
                    "Scorecards expected (one per interview), submitted, in draft, overdue, "
                    "not started.",
                    {
                        key: {"type": "integer", "minimum": 0}
                        for key in ("expected", "submitted", "drafts", "overdue", "not_started")
                    },
                ),
                "panel": array("PanelEntry"),
            },
        ),
        "RollupCompetency": closed(
            "One assessed competency: its ratings' statistics and agreement.",
            {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "weight": {"type": "number"},
                "n": {"type": "integer", "minimum": 1},
                "mean": {"type": "number"},
                "median": {"type": "number"},
                "sd": {**NUMBER_OR_NULL, "description": "sample standard deviation"},
                "min": {"type": "integer"},
                "max": {"type": "integer"},
                "rwg": {
                    **NUMBER_OR_NULL,
                    "description": "r_wg (James, Demaree and Wolf 1984); null below 2 ratings",
                },
                "split": {"type": "boolean"},
                "adjusted_mean": {"type": "number"},
            },
        ),
        "Flag": closed(
            "An anti-pattern the scorecards point to, with the rules that raised it.",
            {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "severity": {"enum": ["low", "medium", "high"]},
                "status": {"enum": ["confirmed", "signal"]},
                "rules": {"type": "array", "items": {"enum": ["ticked", "cue", "low_score"]}},
                "linked_mean": NUMBER_OR_NULL,
                "interviewers": {"type": "array", "items": {"type": "string"}},
                "evidence": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "description": "An interviewer's words: the evidence under a tick, or "
                        "the sentence around a cue (`cue` names it).",
                        "required": ["interviewer", "rule", "text"],
                        "properties": {
                            "interviewer": {"type": "string"},
                            "rule": {"enum": ["ticked", "cue"]},
                            "cue": {"type": "string"},
                            "text": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                },
            },
        ),
        "PanelEntry": closed(
            "One interview of the loop; ratings only once its scorecard is submitted.",
            {
                "interview_id": {"type": "integer"},
                "scorecard_id": {"type": ["integer", "null"]},
                "interviewer_email": {"type": "string"},
                "interviewer_name": {"type": "string"},
                "state": {"enum": ["upcoming", "due", "overdue", "submitted"]},
                "recommendation": {"anyOf": [ref("Recommendation"), openapi.NULL]},
                "ratings": {"type": "object", "additionalProperties": {"type": "integer"}},
                "submitted_at": openapi.OPTIONAL_TIMESTAMP,
                "leniency": {
                    **NUMBER_OR_NULL,
                    "description": "the leniency subtracted for the adjusted score; null when "
                    "the interviewer has too few ratings on this rubric",
                },
            },
        ),
        "Calibration": closed(
            "Interviewer leniency and reliability per competency on one rubric.",
            {
                "rubric": {"type": "string"},
                "rubric_version": {"type": "integer"},
                "n_ratings": {"type": "integer"},
                "n_candidates": {"type": "integer"},
                "off_scale_ratings": {
                    "type": "integer",
                    "description": "ratings left out because their value is no longer on the "
                    "rubric's scale (the scale was edited after they were submitted)",
                },
                "min_ratings": {
                    "type": "integer",
                    "description": "interviewers with fewer ratings are marked, not applied",
                },
                "competencies": array("CalibrationCompetency"),
                "interviewers": array("InterviewerLeniency"),
            },
        ),
        "CalibrationCompetency": closed(
            "Reliability of one competency, interviewers as coders and candidates as units.",
            {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "n_candidates": {"type": "integer"},
                "n_ratings": {"type": "integer"},
                "alpha_interval": NUMBER_OR_NULL,
                "alpha_interval_band": BANDS,
                "alpha_ordinal": NUMBER_OR_NULL,
                "alpha_ordinal_band": BANDS,
                "icc": {
                    "anyOf": [
                        closed(
                            "Shrout and Fleiss (1979) ICCs.",
                            {name: {"type": "number"} for name in ICC_NAMES},
                        ),
                        openapi.NULL,
                    ],
                    "description": "null unless every candidate was rated by the same "
                    "interviewers (a fully crossed design)",
                },
                "icc_bands": {
                    "anyOf": [
                        closed("Koo and Li (2016) bands.", dict.fromkeys(ICC_NAMES, ICC_BANDS)),
                        openapi.NULL,
                    ]
                },
            },
        ),
        "InterviewerLeniency": closed(
            "An interviewer's leniency: rating points above (+) or below (-) the average "
            "interviewer, for the same candidates and competencies.",
            {
                "email": {"type": "string"},
                "leniency": {"type": "number"},
                "n_ratings": {"type": "integer"},
                "too_few_ratings": {"type": "boolean"},
            },
        ),
    }


PARAMETERS = {
    "PageSize": {
        "name": "page_size",
        "in": "query",
        "required": False,
        "schema": {"enum": ["A4", "Letter"], "default": "A4"},
        "description": "The paper size (case does not matter).",
    },
    "RubricQuery": {
        "name": "rubric",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
        "example": "product-manager",
    },
}


def paths() -> dict[str, Any]:
    """The rollup and calibration paths."""
    operation, response, ref = openapi._operation, openapi._response, openapi._ref
    return {
        "/candidates/{candidate_id}/rollup": {
            "get": operation(
                api.get_rollup,
                {200: response("The rollup.", ref("Rollup"), ROLLUP_EXAMPLE)},
                (400, 403, 404),
                parameters=("CandidateId",),
            )
        },
        "/candidates/{candidate_id}/debrief.pdf": {
            "get": operation(
                api.get_debrief_pdf,
                {
                    200: {
                        "description": "The debrief, a tagged PDF (PDF/UA-1), as an attachment.",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    }
                },
                (400, 403, 404),
                parameters=("CandidateId", "PageSize"),
            )
        },
        "/calibration": {
            "get": operation(
                api.get_calibration,
                {200: response("The calibration.", ref("Calibration"), CALIBRATION_EXAMPLE)},
                (400, 403, 404),
                parameters=("RubricQuery",),
            )
        },
    }


ROLLUP_EXAMPLE = {
    "candidate_id": 7,
    "candidate_email": "sam@example.org",
    "candidate_name": "Sam Lee",
    "rubric": "product-manager",
    "rubric_version": 1,
    "stage_profile": None,
    "overall": 3.25,
    "adjusted_overall": 3.1,
    "recommendations": {"strong_no": 0, "no": 1, "yes": 1, "strong_yes": 0},
    "competencies": [
        {
            "id": "high-agency",
            "name": "High agency",
            "weight": 3.0,
            "n": 2,
            "mean": 3.0,
            "median": 3.0,
            "sd": 1.4142135623730951,
            "min": 2,
            "max": 4,
            "rwg": 0.0,
            "split": True,
            "adjusted_mean": 2.9,
        }
    ],
    "not_assessed": ["high-eq"],
    "splits": ["high-agency"],
    "flags": [
        {
            "id": "needs-swim-lanes",
            "name": "Needs structured swim lanes",
            "severity": "high",
            "status": "signal",
            "rules": ["ticked"],
            "linked_mean": None,
            "interviewers": ["ivan@yourco.com"],
            "evidence": [
                {"interviewer": "ivan@yourco.com", "rule": "ticked", "text": "Asked who owns what."}
            ],
        }
    ],
    "coverage": {"expected": 3, "submitted": 2, "drafts": 1, "overdue": 0, "not_started": 0},
    "panel": [
        {
            "interview_id": 12,
            "scorecard_id": 30,
            "interviewer_email": "ivan@yourco.com",
            "interviewer_name": "Ivan Interviewer",
            "state": "submitted",
            "recommendation": "no",
            "ratings": {"high-agency": 2},
            "submitted_at": "2026-11-02T15:04:05+00:00",
            "leniency": 0.1,
        }
    ],
}
CALIBRATION_EXAMPLE = {
    "rubric": "product-manager",
    "rubric_version": 1,
    "n_ratings": 96,
    "n_candidates": 8,
    "off_scale_ratings": 0,
    "min_ratings": 20,
    "competencies": [
        {
            "id": "high-agency",
            "name": "High agency",
            "n_candidates": 8,
            "n_ratings": 16,
            "alpha_interval": 0.71,
            "alpha_interval_band": "tentative",
            "alpha_ordinal": 0.69,
            "alpha_ordinal_band": "tentative",
            "icc": None,
            "icc_bands": None,
        }
    ],
    "interviewers": [
        {"email": "ivan@yourco.com", "leniency": 0.42, "n_ratings": 48, "too_few_ratings": False}
    ],
}
