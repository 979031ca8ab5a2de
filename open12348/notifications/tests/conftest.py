import pytest

from open12348.network.tests.factories import UserFactory
from open12348.notifications import backends


@pytest.fixture(autouse=True)
def _empty_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def lawyer(db):
    return UserFactory(username="lawyer_wang", real_name="王律师", email="wang@example.com")


@pytest.fixture
def dispatcher(db):
    return UserFactory(username="dispatcher_li", real_name="李调度", email="li@example.com")
