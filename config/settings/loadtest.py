"""The load test's stack (bench/load): production settings on this machine, over plain HTTP.

Only for a scratch database whose name starts with "load" (bench/load/run.py makes one); it refuses
to start on any other. Differences from production, each because a load generator on one address
is not a crowd of citizens:

* keys: fixed load-test-only values, used when the environment sets none (the scratch data is fake);
* plain HTTP on localhost: no HTTPS redirect, cookies without the Secure flag;
* rate limits lifted (every simulated citizen comes from 127.0.0.1);
* SMS codes go to a Redis key the load script reads (bench/load/sms_backend.py), never to a phone.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SECRET_KEY", "loadtest-only-secret-key-" + "x" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "bG9hZHRlc3Qtb25seS1maWVsZC1rZXktbm90LXByb2Q=")
os.environ.setdefault("BLIND_INDEX_KEY", "loadtest-only-blind-index-key")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/load_open12348")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")

from .production import *  # noqa: E402, F403
from .production import DATABASES, REST_FRAMEWORK, env  # noqa: E402

if not DATABASES["default"]["NAME"].startswith("load"):
    raise ImproperlyConfigured("config.settings.loadtest runs only on a scratch database named load*.")

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min"),
}
RATE_LIMITS_ENABLED = False  # open12348/core/ratelimit.py: the portal's per-address and per-phone limits
SECURITY_SIGNIN_RATE_PER_IP = "1000000/1m"
PORTAL_SMS_MIN_INTERVAL_SECONDS = 1
PORTAL_SMS_MAX_PER_PHONE_HOUR = 1_000_000
PORTAL_SMS_MAX_PER_PHONE_DAY = 1_000_000
PORTAL_SMS_MAX_PER_IP_HOUR = 1_000_000

NOTIFY_SMS_BACKEND = "bench.load.sms_backend.RedisDropBackend"
LOADTEST_SMS_REDIS_URL = env("LOADTEST_SMS_REDIS_URL", default="redis://127.0.0.1:6379/13")
