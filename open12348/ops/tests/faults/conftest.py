"""Fixtures of the fault tests: a private PostgreSQL cluster (one per test process) holding a prepared
template database, a fresh database cloned from it for each test, and a private Redis per test.

They never touch the shared PostgreSQL, Redis or RabbitMQ, and do not depend on the suite's
DATABASE_URL: the project's processes they start get their own environment (servers.django_env).
Where the server binaries are missing the tests skip and say which.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from .servers import PrivatePostgres, PrivateRedis, missing_postgres, run_script

TEMPLATE = "faults_template"


@pytest.fixture(scope="session")
def private_pg():
    """The cluster and what `support.py prepare` put in its template: {"pg": ..., "world": {...}}."""
    reason = missing_postgres()
    if reason:
        pytest.skip(f"fault tests need a private PostgreSQL: {reason}")
    root = Path(tempfile.mkdtemp(prefix="open12348-faults-pg-"))
    pg = PrivatePostgres(root)
    try:
        pg.init()
        pg.start()
        pg.psql("postgres", f"CREATE DATABASE {TEMPLATE}")
        world = json.loads(run_script("prepare", database_url=pg.url(TEMPLATE), timeout=300).splitlines()[-1])
        yield {"pg": pg, "world": world}
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_database(private_pg):
    """A database of this test's own, cloned from the prepared template: (cluster, name, url, world)."""
    pg = private_pg["pg"]
    name = f"faults_{uuid.uuid4().hex[:10]}"
    pg.psql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield pg, name, pg.url(name), private_pg["world"]
    pg.psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("fault tests need redis-server for a private Redis")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.kill()
