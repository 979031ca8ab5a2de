"""Send the dashboard's reads to a read replica when the site configured one (DATABASE_REPLICA_URL).

Only the summary tables are read there: they are what the dashboard reads, they are written by the
sweep alone, and a replica a second behind shows figures a second old, which a dashboard can bear.
Every write, and the sweep's and the check's own reads (`using("default")`), stay on the primary.
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


class DashboardReplicaRouter:
    def __init__(self, databases: dict | None = None) -> None:
        self._databases = databases  # the tests pass theirs; Django passes none (settings.DATABASES)

    def db_for_read(self, model, **hints):
        databases = self._databases if self._databases is not None else settings.DATABASES
        if model._meta.label == "stats.Tally" and REPLICA in databases:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
