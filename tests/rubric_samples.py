"""A small valid rubric, written as people write them, for tests to break."""

VALID_RUBRIC = """\
# A rubric as an admin writes it by hand.
id: test-role
title: Test role
version: 1
description: A rubric small enough to break in every way.
scale:
  - {value: 1, label: Strong no}
  - {value: 2, label: No}
  - {value: 3, label: Yes}
  - {value: 4, label: Strong yes}
competencies:
  - id: agency
    name: Agency
    weight: 2
    questions:
      - Tell me about a problem you fixed that nobody asked you to fix.
    anchors:
      1: Waited to be told what to do.
      2: Acted once asked.
      3: Acted without being asked.
      4: Fixed the problem and the system that caused it.
  - id: ambiguity
    name: Comfort with ambiguity
    anchors: {1: Froze., 2: Asked for a plan., 3: Made a plan., 4: Thrived.}
anti_patterns:
  - id: needs-swim-lanes
    name: Needs structured swim lanes
    severity: high
    competencies: [ambiguity]
    cues: [swim lanes, clearly defined scope]
    threshold: 2
stage_profiles:
  early-stage: {agency: 3}
"""
