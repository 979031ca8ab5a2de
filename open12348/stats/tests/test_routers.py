"""Dashboard reads go to the read replica only where a site configured one, and only the tallies."""

from open12348.legalaid.models import Application
from open12348.stats.models import Contribution, Tally, Watermark
from open12348.stats.routers import DashboardReplicaRouter


def test_without_a_replica_everything_stays_on_the_primary():
    router = DashboardReplicaRouter({"default": {}})
    assert router.db_for_read(Tally) is None and router.db_for_write(Tally) is None


def test_with_a_replica_only_the_tallies_are_read_there():
    router = DashboardReplicaRouter({"default": {}, "replica": {}})
    assert router.db_for_read(Tally) == "replica"
    # the sweep's own bookkeeping and every other table are read where they are written
    assert [router.db_for_read(m) for m in (Watermark, Contribution, Application)] == [None, None, None]
    assert router.db_for_write(Tally) is None
    assert router.allow_migrate("replica", "stats") is False and router.allow_migrate("default", "stats") is None
