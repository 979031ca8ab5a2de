"""Production: every secret from the environment; refuses to start unsafely."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BLIND_INDEX_KEY,
    DEBUG,
    FIELD_ENCRYPTION_KEYS,
    INSECURE_BLIND_INDEX_KEY,
    INSECURE_FIELD_KEY,
    INSECURE_SECRET_KEY,
    SECRET_KEY,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random value of at least 50 characters.")
if INSECURE_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS; the development key must not be used.")
if BLIND_INDEX_KEY == INSECURE_BLIND_INDEX_KEY:
    raise ImproperlyConfigured("Set BLIND_INDEX_KEY; the development key must not be used.")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/0"),
        # A Redis host that silently drops packets must cost a request seconds, not minutes:
        # rate limits and sessions then fail fast and /readyz reports the cache as down.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# Uploaded case materials and issued documents: S3-compatible object storage when configured
# (the bucket is private; files are only ever served by the application after an access check).
if env("STORAGE_S3_BUCKET", default=""):
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("STORAGE_S3_BUCKET"),
                "endpoint_url": env("STORAGE_S3_ENDPOINT", default=None),
                "region_name": env("STORAGE_S3_REGION", default=None),
                "access_key": env("STORAGE_S3_ACCESS_KEY", default=None),
                "secret_key": env("STORAGE_S3_SECRET_KEY", default=None),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
