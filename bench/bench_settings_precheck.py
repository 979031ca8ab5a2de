"""bench/bench_settings.py with the eligibility pre-check's own rate limit lifted as well."""

from bench_settings import *  # noqa: F403
from bench_settings import REST_FRAMEWORK

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "precheck": "1000000/min"},
}
