import pytest

from open12348.legalaid.tests.test_cases_fixtures import ASSIGNED_ON, Clock, world


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, ASSIGNED_ON)


@pytest.fixture
def data(clock):
    return world()
