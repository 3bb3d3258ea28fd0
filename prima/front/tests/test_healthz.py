"""/healthz: liveness and database status for load balancers (no log-in)."""

from __future__ import annotations

from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from prima.front import views

URL = reverse("healthz")


def test_it_reports_the_database_without_a_log_in(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = Client().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["status"] == "ok"
    assert data["database"]["vendor"] == connection.vendor
    assert data["database"]["latency_ms"] >= 0


def test_it_is_never_cached(db):
    response = Client().get(URL)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_answers_only_get(db):
    assert Client().post(URL).status_code == 405


class _BrokenConnection:
    vendor = "postgresql"

    def cursor(self):
        raise OperationalError("connection refused")


def test_it_reports_a_database_failure_as_503(db, monkeypatch):
    monkeypatch.setattr(views, "connection", _BrokenConnection())
    response = Client().get(URL)
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["database"] == {
        "status": "error",
        "vendor": "postgresql",
        "error": "OperationalError",
        "latency_ms": data["database"]["latency_ms"],
    }
    assert "connection refused" not in response.content.decode()  # no details leak


def test_it_reports_each_model_and_its_artefact(db):
    data = Client().get(URL).json()
    assert data["components"] == {
        "sentiment_model": {
            "status": "ok",
            "artefact": "prima/monitoring/nlp/sentiment/artefact",
        },
        "language_identifier": {
            "status": "ok",
            "artefact": "prima/monitoring/nlp/data/language_profile.json",
        },
    }


def test_a_model_that_cannot_load_makes_it_degraded(db, monkeypatch, tmp_path):
    from prima.monitoring import analysis

    monkeypatch.setattr(analysis, "sentiment_artefact", lambda: tmp_path / "gone")
    analysis.sentiment_model.cache_clear()
    try:
        response = Client().get(URL)
    finally:
        analysis.sentiment_model.cache_clear()
    assert response.status_code == 200  # the pages still work: no instance is taken out
    data = response.json()
    assert data["status"] == "degraded"
    assert data["components"]["sentiment_model"] == {
        "status": "error",
        "artefact": "gone",
        "error": "FileNotFoundError",
    }
    assert str(tmp_path) not in response.content.decode()  # no server paths leak
