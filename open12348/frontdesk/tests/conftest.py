"""The front desk world: the 卫东区 legal aid centre's window (centre_setup) and the mediation world
of the mediation tests (a committee in 东安路街道, mediators, the judicial office), a notary office."""

import pytest

from open12348.mediation.tests.conftest import TODAY, WOMAN, clock, world  # noqa: F401
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory


@pytest.fixture
def desk_world(world):  # noqa: F811
    world["notary"] = InstitutionFactory(kind=InstitutionKind.NOTARY_OFFICE, name="平顶山市卫东区公证处",
                                         region=world["regions"]["weidong"])
    return world


__all__ = ["TODAY", "WOMAN", "clock", "world", "desk_world"]
