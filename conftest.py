import pytest

# One set of browser fixtures (one Playwright, one Chromium) for every app's browser tests.
pytest_plugins = ["open12348.portal.tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"
