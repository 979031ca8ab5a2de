"""Proving a restore: every table of the project compared between two databases by row count and an
order-independent checksum (docs/operations.md).

The checksum of a table is the sum, as an exact number, of a 64-bit hash of each row's full text: the
same rows in any physical order give the same sum, and the database computes it in one pass with
constant memory (a sorted list of row hashes would need the whole table in memory at province
scale). On PostgreSQL the row's text is `row_to_json`; on SQLite it is computed in Python. Both
databases must be on the same engine: the same row is spelled differently by different engines.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import environ
from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

POSTGRES_CHECKSUM = (
    "SELECT count(*), coalesce(sum(('x' || substr(md5(row_to_json(t)::text), 1, 16))::bit(64)::bigint::numeric), 0)"
    " FROM {table} AS t"
)


@dataclass(frozen=True)
class TableSum:
    rows: int
    checksum: str


@dataclass(frozen=True)
class TableReport:
    table: str
    source: TableSum | None
    target: TableSum | None

    @property
    def ok(self) -> bool:
        return self.source is not None and self.source == self.target


def open_database(spec: str) -> tuple[BaseDatabaseWrapper, bool]:
    """A connection to a database alias of settings.DATABASES or a database URL; True if it is ours to close."""
    if "://" not in spec:
        return connections[spec], False
    config = environ.Env.db_url_config(spec)
    alias = f"backup-verify-{abs(hash(spec))}"
    configured = connections.configure_settings({"default": config})["default"]
    return load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias), True


def project_tables() -> set[str]:
    """Every table of the installed models, m2m tables included."""
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def table_sum(connection: BaseDatabaseWrapper, table: str) -> TableSum:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_CHECKSUM.format(table=quoted))
            rows, checksum = cursor.fetchone()
            return TableSum(int(rows), str(checksum))
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a table name from the model registry, quoted
        rows, total = 0, 0
        for row in cursor:
            text = json.dumps(list(row), default=str, ensure_ascii=False)
            total += int.from_bytes(hashlib.md5(text.encode(), usedforsecurity=False).digest()[:8], "big")
            rows += 1
        return TableSum(rows, str(total))


def compare(source: BaseDatabaseWrapper, target: BaseDatabaseWrapper) -> list[TableReport]:
    """One report per table of the project or of either database, sorted by name."""
    if source.vendor != target.vendor:
        raise ValueError(f"cannot compare a {source.vendor} database with a {target.vendor} one")
    with source.cursor() as cursor:
        in_source = set(source.introspection.table_names(cursor))
    with target.cursor() as cursor:
        in_target = set(target.introspection.table_names(cursor))
    reports = []
    for table in sorted(project_tables() | in_source | in_target):
        reports.append(TableReport(
            table=table,
            source=table_sum(source, table) if table in in_source else None,
            target=table_sum(target, table) if table in in_target else None,
        ))
    return reports
