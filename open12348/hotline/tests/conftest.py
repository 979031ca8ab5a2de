import pytest

from open12348.hotline.selectors_knowledge import search_stats_forget


@pytest.fixture(autouse=True)
def _fresh_search_statistics():
    """The knowledge search keeps collection statistics for a minute per process; a test's rolled-back
    articles must not leak into the next test's ranking."""
    search_stats_forget()
    yield
    search_stats_forget()
