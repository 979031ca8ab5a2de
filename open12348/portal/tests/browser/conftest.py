"""The portal's browser tests: the shared fixtures come from `fixtures.py` (loaded as a plugin by the
root conftest.py); every test in this folder is marked `browser`."""

from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _empty_outbox(empty_outbox) -> Iterator[None]:
    yield
