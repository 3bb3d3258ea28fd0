"""The NLP seam: batched language and sentiment, and no stand-in when a model is missing."""

from __future__ import annotations

import pickle

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from prima.monitoring import analysis, services
from prima.monitoring.checks import check_models
from prima.monitoring.ingest import ingest_items, process_job
from prima.monitoring.models import IngestJob, JobStatus, Mention

from .conftest import NOW, post
from .test_jobs import csv_bytes, file_job


@pytest.mark.django_db  # the seam asks for the newest retrained model (none here)
def test_it_labels_language_and_sentiment_in_one_batch():
    langs = analysis.detect_languages(
        ["Antrean paspor lama sekali, petugas lambat", "Great officers, thank you", "x"],
        ["", "", "en-US"],
    )
    assert langs == ["id", "en", "en"]
    labels = analysis.classify_sentiments(
        ["Antrean paspor lama sekali, petugas lambat", "Great officers, thank you"], langs[:2]
    )
    assert [label for label, _score in labels] == ["negative", "positive"]
    assert all(0.0 < score <= 1.0 for _label, score in labels)


def test_the_analysed_part_of_a_mention_is_capped():
    assert analysis.analysed_text("Judul", "x" * 10_000) == ("Judul\n" + "x" * 10_000)[:2_000]
    assert len(analysis.analysed_text("Judul", "x" * 10_000)) == analysis.ANALYSIS_CHARS


def test_both_models_load_and_report_ok():
    assert [(s.name, s.ok) for s in analysis.model_status()] == [
        ("sentiment_model", True),
        ("language_identifier", True),
    ]
    assert check_models() == []


def test_a_missing_sentiment_model_is_refused_not_guessed(missing_sentiment_model):
    with pytest.raises(analysis.ModelUnavailable, match="sentiment model cannot be loaded"):
        analysis.classify_sentiments(["Antrean lama"], ["id"])
    [error] = check_models()
    assert error.id == "monitoring.E001"
    assert str(missing_sentiment_model) in error.msg
    with pytest.raises(SystemCheckError, match="monitoring.E001"):
        call_command("check")


def test_a_damaged_language_profile_is_refused(missing_language_profile):
    with pytest.raises(analysis.ModelUnavailable, match="language identifier"):
        analysis.detect_languages(["Antrean lama"])
    assert [e.id for e in check_models()] == ["monitoring.E002"]


def test_the_error_survives_the_trip_from_the_helper_process(missing_sentiment_model):
    error = analysis.ModelUnavailable("sentiment model", missing_sentiment_model, "gone")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (copy.component, copy.artefact, str(copy)) == (error.component, error.artefact,
                                                          str(error))  # fmt: skip


@pytest.mark.django_db
def test_an_import_fails_with_a_clear_error_and_stores_nothing(
    social_source, missing_sentiment_model
):
    job = process_job(file_job(social_source, csv_bytes(30)).pk, worker="w1")
    assert job.status == JobStatus.FAILED
    assert "sentiment model cannot be loaded" in job.errors[0]
    assert "retrying continues" in job.errors[0]
    assert not Mention.objects.exists()


@pytest.mark.django_db
def test_push_batches_and_clippings_are_refused(push_source, pr_staff, missing_sentiment_model):
    with pytest.raises(analysis.ModelUnavailable):
        ingest_items(push_source, [post(1)])
    assert IngestJob.objects.get().status == JobStatus.FAILED
    with pytest.raises(ValidationError) as refused:
        services.add_clipping(pr_staff, push_source.office, outlet="Kompas", platform="print",
                              published_at=NOW, title="Autogate", summary="Berita")  # fmt: skip
    assert refused.value.code == "analysis_unavailable"
    assert not Mention.objects.exists()
