"""Fixtures of the case quality tests: the legal aid world with an evaluator of the 卫东区 centre, and
a clock set to the day the cases are assigned."""

import pytest

from open12348.legalaid.tests.test_cases_fixtures import ASSIGNED_ON, Clock, world
from open12348.network.tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, ASSIGNED_ON)


@pytest.fixture
def data():
    world_data = world()
    evaluator = UserFactory(username="wd_evaluator")
    MembershipFactory(user=evaluator, institution=world_data["centre"], role="evaluator")
    world_data["evaluator"] = evaluator
    return world_data
