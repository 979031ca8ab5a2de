"""Test settings: the suite runs on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
JOBS_BACKEND = "eager"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
LANGUAGE_CODE = "zh-hans"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"public": "10000/min", "login": "10000/min", "precheck": "10000/min"},
}

# The suite posts the same forms many times from one address; tests of the limits set their own.
RATE_LIMITS = {scope: dict.fromkeys(rates, "100000/h") for scope, rates in RATE_LIMITS.items()}  # noqa: F405

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
