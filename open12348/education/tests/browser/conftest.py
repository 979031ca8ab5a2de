"""Browser tests of legal education: the portal's Playwright fixtures, and the `browser` mark on
every test in this folder (run them with `pytest -m browser open12348/education`)."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _empty_outbox(empty_outbox):
    yield
