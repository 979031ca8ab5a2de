"""Settings shared by every environment. Values that differ per deployment come from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Development-only fallbacks. production.py refuses to start with any of them.
INSECURE_SECRET_KEY = "insecure-dev-only-0pen12348-secret-key-change-me"  # noqa: S105
INSECURE_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0wMDA="  # noqa: S105
INSECURE_BLIND_INDEX_KEY = "dev-only-blind-index-key-change-me"  # noqa: S105

SECRET_KEY = env("DJANGO_SECRET_KEY", default=INSECURE_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "channels",
    "open12348.core",
    "open12348.audit",
    "open12348.accounts",
    "open12348.network",
    "open12348.legalaid",
    "open12348.notifications",
    "open12348.quality",
    "open12348.hotline",
    "open12348.consult",
    "open12348.portal",
    "open12348.frontdesk",
    "open12348.mediation",
    "open12348.checkup",
    "open12348.video",
    "open12348.education",
    "open12348.stats",
    "open12348.ops",
    "open12348.api",
    "open12348.web",
]

MIDDLEWARE = [
    "open12348.ops.metrics.MetricsMiddleware",  # first, so that its time covers every other middleware
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "open12348.core.headers.SecurityHeadersMiddleware",
    "open12348.core.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "open12348.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "open12348.accounts.middleware.StaffSessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "open12348" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "open12348.accounts.context_processors.console_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'open12348.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process job thread read while a request writes; IMMEDIATE avoids
    # "database is locked" upgrades inside write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL read replica for the dashboard's read-only queries (stats.routers), when a site has one.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["open12348.stats.routers.DashboardReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["open12348.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:console"
LOGOUT_REDIRECT_URL = "web:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "open12348.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Staff account security (等保三级). Each is a number an administrator may tune per deployment.
SECURITY_LOGIN_MAX_FAILURES = env.int("SECURITY_LOGIN_MAX_FAILURES", default=5)
SECURITY_LOCKOUT_MINUTES = env.int("SECURITY_LOCKOUT_MINUTES", default=30)
SECURITY_IDLE_TIMEOUT_MINUTES = env.int("SECURITY_IDLE_TIMEOUT_MINUTES", default=30)
SECURITY_PASSWORD_MAX_AGE_DAYS = env.int("SECURITY_PASSWORD_MAX_AGE_DAYS", default=90)
# Two-step staff sign-in (accounts/second_factor.py): password, then a TOTP code or a recovery code.
SECURITY_SECOND_FACTOR_REQUIRED = env.bool("SECURITY_SECOND_FACTOR_REQUIRED", default=True)
SECURITY_SECOND_FACTOR_ISSUER = env("SECURITY_SECOND_FACTOR_ISSUER", default="Open12348")
SECURITY_SECOND_FACTOR_PENDING_SECONDS = env.int("SECURITY_SECOND_FACTOR_PENDING_SECONDS", default=300)
SECURITY_RECOVERY_CODE_COUNT = env.int("SECURITY_RECOVERY_CODE_COUNT", default=10)
# Sign-in attempts (password and code steps) allowed per client address and per account name,
# as "count/period" (s, m, h; "20/5m" = 20 per 5 minutes), counted in the default cache.
SECURITY_SIGNIN_RATE_PER_IP = env("SECURITY_SIGNIN_RATE_PER_IP", default="20/5m")
SECURITY_SIGNIN_RATE_PER_ACCOUNT = env("SECURITY_SIGNIN_RATE_PER_ACCOUNT", default="10/5m")
TRUST_X_REAL_IP = env.bool("TRUST_X_REAL_IP", default=False)
# Rate limits of public forms (open12348/core/ratelimit.py): scope -> {"ip": rate(s), "account": rate(s)},
# a rate being "COUNT/UNIT" (s, m, h, d). "account" is the proved phone of a citizen. A township's
# shared connection serves many people, hence the larger per-address numbers. RATE_LIMITS in the
# environment (JSON) replaces single scopes. The SMS code's own limits are PORTAL_SMS_* (portal/services.py).
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
RATE_LIMITS = {
    # Typing the code from the text message (each code also dies after 5 wrong tries).
    "portal.sms_verify": {"ip": "60/h", "account": "30/h"},
    # Asking a lawyer, and the follow-up questions on one's own question.
    "portal.ask": {"ip": "30/h", "account": ["5/h", "20/d"]},
    "portal.follow_up": {"ip": "60/h", "account": "20/h"},
    # Looking a question up by its tracking code.
    "portal.question_find": {"ip": "60/h", "account": "20/h"},
    # Starting and sending a legal aid application, and adding its papers.
    "portal.apply_start": {"ip": "30/h", "account": "10/h"},
    "portal.apply_submit": {"ip": "30/h", "account": ["5/h", "10/d"]},
    "portal.upload": {"ip": "120/h", "account": "60/h"},
    # Rating a consultation, a case or an application.
    "portal.rate": {"ip": "60/h", "account": "20/h"},
    **env.json("RATE_LIMITS", default={}),
}
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4, docs/security.md "Security headers"): scripts, styles and
# everything else from this site only. No template has an inline script, on*= handler, <style> or
# style="..." attribute (core/tests/test_templates_csp.py keeps it so); a script that must be inline
# takes the request's nonce (<script nonce="{{ request.csp_nonce }}">). 'self' also covers the
# same-origin ws:/wss: of the video call's signalling; camera and microphone streams need no source.
# data: images are Bootstrap's form icons (SVG in its stylesheet).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, *env.list("CSP_CONNECT_SRC_EXTRA", default=[])],
        "media-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Prefix -> directives added to the policy for those paths (open12348.core.headers). The Django
# admin's own templates put a <style> element on some pages; the admin is staff-only and its scripts
# stay restricted. The API docs page relaxes itself with @csp_update (open12348/api/urls.py).
CSP_PATH_UPDATES = {"/admin/": {"style-src": [UNSAFE_INLINE]}}
# Browser features pages may use: the video consultation needs camera and microphone (this site
# only); nothing needs location, payment or USB.
PERMISSIONS_POLICY = {
    "camera": ["self"], "microphone": ["self"], "display-capture": [], "geolocation": [], "payment": [],
    "usb": [], "serial": [], "bluetooth": [], "midi": [], "accelerometer": [], "gyroscope": [],
    "magnetometer": [],
}

# Personal data at rest: Fernet keys (first encrypts, all decrypt, for rotation) and the key of
# the keyed hash used for exact lookups. Both come from the environment, never the database.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[INSECURE_FIELD_KEY])
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default=INSECURE_BLIND_INDEX_KEY)
# Only while re-keying the blind indexes: the key being retired, read by `rotate_encryption_keys`
# (docs/security.md, "Key rotation"). Empty the rest of the time.
BLIND_INDEX_PREVIOUS_KEY = env("BLIND_INDEX_PREVIOUS_KEY", default="")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "open12348" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "open12348" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)

REST_FRAMEWORK = {
    # Throttles identify clients by REMOTE_ADDR, never by a forgeable X-Forwarded-For.
    "NUM_PROXIES": 0,
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "open12348.api.schema.ProjectAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "open12348.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "open12348.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"public": "120/min", "login": "10/min", "precheck": "30/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open12348 API",
    "DESCRIPTION": "Public legal services platform: service network, directory, legal aid, hotline.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "open12348.api.schema.idempotency_answers",  # 409/422 and Idempotent-Replayed wherever the header is
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a field called "category" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "CaseCategoryEnum": "open12348.legalaid.eligibility.codes.CaseCategory",
        "CallCategoryEnum": "open12348.hotline.choices.Category",
        "ApplicationChannelEnum": "open12348.legalaid.eligibility.codes.Channel",
        "CallChannelEnum": "open12348.hotline.choices.CallChannel",
        "ProgressKindEnum": "open12348.legalaid.choices.ProgressKind",
        "CallStatusEnum": "open12348.hotline.choices.CallStatus",
        "EducationTopicEnum": "open12348.education.choices.EducationTopic.choices",
        "LegalTopicEnum": "open12348.hotline.choices.Topic",
    },
}

# Background jobs. "celery" sends them to the broker; "thread" runs them in a thread of the
# web process (the embedded `make run`); "eager" runs them inline (tests).
JOBS_BACKEND = env("JOBS_BACKEND", default="celery")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="amqp://guest:guest@127.0.0.1:5672//")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
# API writes sent with an Idempotency-Key (open12348/core/idempotency.py): how long a key and its
# answer are kept, and after how many seconds a claim whose request never finished (a killed worker)
# may be taken over by a retry.
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", default=24)
IDEMPOTENCY_ABANDONED_SECONDS = env.int("IDEMPOTENCY_ABANDONED_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "legalaid-sweep-supplements": {"task": "legalaid.sweep_supplements", "schedule": 60 * 60},
    # Reminders in office hours, so that "due today" does not arrive by SMS at midnight.
    "notifications-reminders": {"task": "notifications.run_reminders", "schedule": crontab(minute=0, hour="8-20")},
    "notifications-resend-stalled": {"task": "notifications.resend_stalled", "schedule": 5 * 60},
    # The privacy notice promises that sign-in codes are kept at most 7 days.
    "portal-purge-sms-codes": {"task": "portal.purge_sms_codes", "schedule": crontab(minute=30, hour=3)},
    "quality-escalate-tickets": {"task": "quality.escalate_tickets", "schedule": crontab(minute=30, hour=8)},
    "hotline-escalate-callbacks": {
        "task": "hotline.escalate_overdue_callbacks", "schedule": crontab(minute=15, hour="8-20")
    },
    "hotline-expire-recordings": {"task": "hotline.expire_recordings", "schedule": crontab(minute=45, hour=3)},
    # Front-desk tickets follow their back offices (legal aid, mediation) and tell the person the result.
    "frontdesk-sync-results": {"task": "frontdesk.sync_results", "schedule": 5 * 60},
    # The dashboard's summary tables: kept current every minute, proved (and repaired) every night.
    "stats-sweep": {"task": "stats.sweep", "schedule": 60},
    "stats-check": {"task": "stats.check_and_rebuild", "schedule": crontab(minute=0, hour=2)},
    # The audit log's hash chain, checked every night; a break alerts the security administrators.
    "audit-check-chain": {"task": "audit.check_chain", "schedule": crontab(minute=40, hour=1)},
    # Idempotency keys of API writes are kept IDEMPOTENCY_TTL_HOURS; older ones are deleted hourly.
    "core-purge-idempotency-records": {"task": "core.purge_idempotency_records", "schedule": 60 * 60},
}

# Remote video consultation (open12348/video, docs/video.md): STUN/TURN servers as the browser's
# RTCIceServer list (none is needed on one network), invitation lifetime, room size, recording.
VIDEO_ICE_SERVERS = env.json("VIDEO_ICE_SERVERS", default=[])
VIDEO_INVITATION_HOURS = env.int("VIDEO_INVITATION_HOURS", default=4)
VIDEO_MAX_PARTICIPANTS = env.int("VIDEO_MAX_PARTICIPANTS", default=4)
VIDEO_RECORDING_ENABLED = env.bool("VIDEO_RECORDING_ENABLED", default=False)

# Operations (open12348/ops, docs/deployment.md). /metrics answers a scraper holding the bearer
# token or coming from an allowed address (IPs or CIDR networks); with neither set it is a 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# Celery queues whose length /metrics reports (one broker round trip per scrape); empty to skip.
METRICS_CELERY_QUEUES = env.list("METRICS_CELERY_QUEUES", default=["celery"])
# How long /readyz waits for each of the cache, channel layer and broker before calling it down.
READYZ_TIMEOUT_SECONDS = env.float("READYZ_TIMEOUT_SECONDS", default=2.0)

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [env("REDIS_URL", default="redis://127.0.0.1:6379/0")]},
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Uploads are scanned before they are stored (legalaid/materials.py `scan_upload`). A site running
# ClamAV's daemon sets CLAMD_ADDRESS ("host:port" or a Unix socket path); MATERIAL_SCANNER may name
# any other callable(bytes). Without either, files are checked by type, size and archive limits only.
CLAMD_ADDRESS = env("CLAMD_ADDRESS", default="")
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=30.0)
MATERIAL_SCANNER = env("MATERIAL_SCANNER", default="open12348.legalaid.antivirus.clamd_scan" if CLAMD_ADDRESS else "")
