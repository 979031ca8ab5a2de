"""Fixtures shared by the case tests: a fixed legal-day clock and the 卫东区 world of test_cases_fixtures."""

import pytest

from .test_cases_fixtures import ASSIGNED_ON, Clock, world


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, ASSIGNED_ON)


@pytest.fixture
def data(clock):
    return world()
