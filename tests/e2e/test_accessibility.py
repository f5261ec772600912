"""axe-core on the main pages: no serious or critical violations."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import serious_violations


def test_the_sign_in_page_has_no_serious_violations(context_for: Any) -> None:
    page = context_for().new_page()
    page.goto("/auth/login")
    assert serious_violations(page) == []
