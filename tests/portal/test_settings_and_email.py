"""Production settings fail fast and pass check --deploy; email goes out after commit."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check", env_extra={"DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": "x" * 20
            + "a-long-random-production-secret-key-0123456789",
            "DJANGO_ALLOWED_HOSTS": "support.example.com",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_email_url_parsing():
    from portal.settings.env import email_config

    assert email_config("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_config("smtp://user%40x:p%3Ass@mail.example.com:587?tls=1")
    assert smtp["EMAIL_HOST"] == "mail.example.com" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "user@x" and smtp["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert smtp["EMAIL_USE_TLS"] is True and smtp["EMAIL_USE_SSL"] is False
    assert email_config("smtps://mail.example.com")["EMAIL_PORT"] == 465


def test_no_app_needs_a_migration_that_is_not_written():
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env_extra={"DJANGO_SETTINGS_MODULE": "portal.settings.test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
