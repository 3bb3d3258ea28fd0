"""Settings: the development secret key is refused in production; SQLite runs in WAL mode."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from prima import settings as prima_settings


def _import_settings(tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRIMA_")}
    clean.pop("DATABASE_URL", None)
    clean.update({"PRIMA_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", "import prima.settings"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_refuses_the_development_key_when_debug_is_off(tmp_path):
    result = _import_settings(tmp_path, PRIMA_DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PRIMA_SECRET_KEY" in result.stderr


AUDIT = {"PRIMA_AUDIT_KEY": "a" * 48}


def test_it_starts_with_real_keys_when_debug_is_off(tmp_path):
    result = _import_settings(tmp_path, PRIMA_DEBUG="false", PRIMA_SECRET_KEY="k" * 50, **AUDIT)
    assert result.returncode == 0, result.stderr


def test_the_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("s" * 50 + "\n")
    result = _import_settings(
        tmp_path, PRIMA_DEBUG="false", PRIMA_SECRET_KEY_FILE=str(key_file), **AUDIT
    )
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_run_without_an_audit_key_when_debug_is_off(tmp_path):
    result = _import_settings(tmp_path, PRIMA_DEBUG="false", PRIMA_SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "PRIMA_AUDIT_KEY" in result.stderr


def test_the_audit_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "audit_key"
    key_file.write_text("b" * 48 + "\n")
    result = _import_settings(
        tmp_path,
        PRIMA_DEBUG="false",
        PRIMA_SECRET_KEY="k" * 50,
        PRIMA_AUDIT_KEY_FILE=str(key_file),
    )
    assert result.returncode == 0, result.stderr


def test_typed_helpers_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("PRIMA_X", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        prima_settings.envbool("PRIMA_X", True)
    with pytest.raises(ImproperlyConfigured):
        prima_settings.envint("PRIMA_X", 1)
    monkeypatch.setenv("PRIMA_X", "off")
    assert prima_settings.envbool("PRIMA_X", True) is False
    monkeypatch.setenv("PRIMA_X", " a, b ,,c ")
    assert prima_settings.envlist("PRIMA_X") == ["a", "b", "c"]
    monkeypatch.delenv("PRIMA_X")
    assert prima_settings.envint("PRIMA_X", 7) == 7


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_test_database_is_a_file_for_live_server_tests(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["NAME"] not in ("", ":memory:")
    assert "mode=memory" not in str(connection.settings_dict["NAME"])
