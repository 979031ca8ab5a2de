"""Production settings refuse to start unsafely, and pass Django's deployment checks when set up right."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "p" * 20 + "-a-long-random-production-secret-for-tests-only-" + "q" * 10,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "a-production-blind-index-key-for-tests",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_", "BLIND_"))}
    env.update(GOOD_ENV)
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.slow
def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
        ({"DJANGO_SECRET_KEY": "insecure-dev-only-0pen12348-secret-key-change-me"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0wMDA="}, "FIELD_ENCRYPTION_KEYS"),
        ({"BLIND_INDEX_KEY": "dev-only-blind-index-key-change-me"}, "BLIND_INDEX_KEY"),
    ],
)
def test_production_refuses_unsafe_configuration(override, complaint):
    result = manage("check", **override)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_keeps_files_in_object_storage_when_a_bucket_is_configured():
    result = manage(
        "shell", "-c",
        "from django.core.files.storage import default_storage as s; s._setup(); "
        "print(type(s._wrapped).__name__, s._wrapped.bucket_name, s._wrapped.default_acl)",
        STORAGE_S3_BUCKET="legal-aid-files", STORAGE_S3_ENDPOINT="http://127.0.0.1:9000",
    )
    assert result.returncode == 0, result.stderr
    assert "S3Storage legal-aid-files private" in result.stdout
