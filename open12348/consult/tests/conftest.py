import pytest

from open12348.notifications import backends

from .factories import world


@pytest.fixture(autouse=True)
def _empty_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def data(db):
    return world()
