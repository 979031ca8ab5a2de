"""Settings for the processes the fault tests start (writers, Celery workers, an ASGI server).

They run against the tests' own private PostgreSQL and Redis, never the suite's database: the
addresses come from the environment the test gives each process. The database connection is the
deployment's (persistent, health-checked: config.settings.base), not the suite's.
"""

from config.settings import base
from config.settings.test import *  # noqa: F403
from config.settings.test import env


class _WithoutMigrations(dict):
    """The schema straight from the models (what `migrate --run-syncdb` makes of it): seconds instead of
    the minute the full migration history takes. `makemigrations --check` in CI keeps the two equal."""

    def __contains__(self, app_label) -> bool:
        return True

    def __getitem__(self, app_label):
        return None


if env.bool("FAULTS_WITHOUT_MIGRATIONS", default=True):
    MIGRATION_MODULES = _WithoutMigrations()

DATABASES = base.DATABASES

JOBS_BACKEND = env("JOBS_BACKEND", default="eager")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
# A Redis broker gives an unacknowledged message to another worker once this many seconds passed.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("FAULTS_VISIBILITY_TIMEOUT", default=3600)}
NOTIFY_SMS_BACKEND = "open12348.ops.tests.faults.backends.SlowSmsBackend"

if env("REDIS_URL", default=""):
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [env("REDIS_URL")]}},
    }
