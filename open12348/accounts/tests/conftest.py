import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in rate limits count in the cache, which outlives a test (LocMemCache): start at zero."""
    cache.clear()
    yield
    cache.clear()
