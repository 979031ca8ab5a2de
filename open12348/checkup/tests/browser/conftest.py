"""The check-up browser tests reuse the portal's Chromium fixtures, with a tablet and a signed-in
staff member instead of a phone and a citizen."""

from collections.abc import Iterator
from pathlib import Path

import pytest

TABLET_VIEWPORT = {"width": 820, "height": 1180}


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser_context(_playwright_browser, live_url) -> Iterator:
    context = _playwright_browser.new_context(viewport=TABLET_VIEWPORT, device_scale_factor=1, is_mobile=True,
                                              has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    yield context
    context.close()
