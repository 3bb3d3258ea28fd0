"""Production settings pass Django's deployment checks and refuse unsafe configurations.

Each test runs ``manage.py`` in a fresh process: settings are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "PRIMA_DEBUG": "false",
    "PRIMA_ALLOWED_HOSTS": "prima.example.go.id",
    "PRIMA_AUDIT_KEY": secrets.token_urlsafe(48),
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Nothing from the test run's environment (the browser fixture sets
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deployment checks rightly refuse).
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PRIMA_", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRIMA_SECRET_KEY=secrets.token_urlsafe(64),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_development_secret_key_is_refused_when_debug_is_off():
    result = manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "PRIMA_SECRET_KEY" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64) + "\n", encoding="utf-8")
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRIMA_SECRET_KEY_FILE=str(key_file),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_boolean_is_a_clear_error():
    result = manage("check", PRIMA_DEBUG="maybe")
    assert result.returncode != 0
    assert "PRIMA_DEBUG must be a boolean" in result.stderr


def test_demo_data_is_refused_in_production(tmp_path):
    result = manage(
        "demo",
        PRIMA_SECRET_KEY=secrets.token_urlsafe(64),
        PRIMA_VAR_DIR=str(tmp_path),
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "refused when PRIMA_DEBUG is off" in result.stderr


def test_a_weak_or_shared_audit_key_fails_the_deployment_checks():
    key = secrets.token_urlsafe(64)
    shared = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **{**PRODUCTION, "PRIMA_SECRET_KEY": key, "PRIMA_AUDIT_KEY": key},
    )  # fmt: skip
    assert shared.returncode != 0 and "prima.W002" in shared.stderr + shared.stdout
    short = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **{**PRODUCTION, "PRIMA_SECRET_KEY": key, "PRIMA_AUDIT_KEY": "pendek"},
    )  # fmt: skip
    assert short.returncode != 0 and "prima.W001" in short.stderr + short.stdout


def test_the_plain_http_benchmark_switch_is_refused_unless_every_host_is_loopback():
    key = secrets.token_urlsafe(64)
    for hosts in ("prima.example.go.id", "127.0.0.1,0.0.0.0", "*", "localhost,.go.id"):
        result = manage(
            "check",
            **{**PRODUCTION, "PRIMA_SECRET_KEY": key, "PRIMA_ALLOWED_HOSTS": hosts},
            PRIMA_LOOPBACK_PLAIN_HTTP="true",
        )
        assert result.returncode != 0, hosts
        assert "PRIMA_LOOPBACK_PLAIN_HTTP" in result.stderr
        assert "allowed only on loopback" in result.stderr


def test_the_plain_http_benchmark_switch_runs_on_loopback_without_secure_cookies():
    key = secrets.token_urlsafe(64)
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS)",
        **{**PRODUCTION, "PRIMA_SECRET_KEY": key, "PRIMA_ALLOWED_HOSTS": "127.0.0.1,localhost"},
        PRIMA_LOOPBACK_PLAIN_HTTP="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "False", "False", "0"]
    # The deployment check still reports plain HTTP: it is never a production set-up.
    deploy = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **{**PRODUCTION, "PRIMA_SECRET_KEY": key, "PRIMA_ALLOWED_HOSTS": "127.0.0.1"},
        PRIMA_LOOPBACK_PLAIN_HTTP="true",
    )  # fmt: skip
    assert deploy.returncode != 0
    report = deploy.stdout + deploy.stderr
    assert "security.W010" in report  # SESSION_COOKIE_SECURE
    assert "security.W016" in report  # CSRF_COOKIE_SECURE
