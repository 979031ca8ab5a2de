"""Settings for benchmarks: the embedded `make run` stack (config.settings.local) with DEBUG off
and the public API's rate limit lifted, so the bench measures the views and not the 429 page."""

from config.settings.local import *  # noqa: F403
from config.settings.local import REST_FRAMEWORK

DEBUG = False
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"public": "1000000/min", "login": "1000000/min"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
