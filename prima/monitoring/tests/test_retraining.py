"""Staff corrections reach the model: retraining as a task, every worker switches to the
new version without a restart, stored mentions are re-classified with their rollups."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from prima.monitoring import analysis, retraining, services
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import HourlyVolume, Mention, SentimentModelVersion

from .conftest import post

pytestmark = pytest.mark.django_db

ROWS = [
    ("pelayanan bagus cepat ramah", "positive"), ("mantap petugas sigap", "positive"),
    ("senang sekali lancar", "positive"), ("antre lama kecewa", "negative"),
    ("petugas kasar parah", "negative"), ("sistem error lambat", "negative"),
    ("kantor buka jam delapan", "neutral"), ("jadwal layanan hari sabtu", "neutral"),
    ("syarat paspor ktp", "neutral"),
]  # fmt: skip


@pytest.fixture
def small_data(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    path = tmp_path / "training_data.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for text, label in ROWS * 3:
            fh.write(f"{text}\t{label}\tid\tsmsa\t1.0\n")
    retraining.refresh()
    yield path
    retraining._state.update(checked=0.0, version=None, model=None, pid=None)


def test_corrections_reach_the_model_and_the_stored_mentions(small_data, push_source, pr_staff):
    text = "Loket zzqx semua, wkwk"
    ingest_items(push_source, [post(i, f"{text} {i}") for i in range(3)])
    first = Mention.objects.get(external_id="p0")
    services.correct_sentiments(pr_staff, [first], "negative")
    old_label = Mention.objects.get(external_id="p1").sentiment
    version = retraining.retrain(training_data=small_data)
    assert SentimentModelVersion.objects.first() == version
    assert version.metrics["corrections"] == 1
    assert version.metrics["agreement_with_corrections_after"] == 1.0
    assert "Retrained with staff corrections" in version.card
    assert 0 < version.metrics["heldout_macro_f1_after"] <= 1
    assert "held-out informal set" in version.card
    # The worker's next analysis uses the new version without a restart.
    assert retraining.current_model() is not None
    assert analysis.classify_sentiments([f"{text} 9"], ["id"])[0][0] == "negative"
    # Stored mentions were re-classified and the rollups moved with them.
    second = Mention.objects.get(external_id="p1")
    assert second.sentiment == "negative" and not second.sentiment_corrected
    assert old_label == "negative" or version.metrics["reclassified"] >= 1
    rollup = dict(
        HourlyVolume.objects.filter(office=push_source.office)
        .values_list("sentiment").annotate(n=Sum("mentions"))
    )  # fmt: skip
    stored = Mention.objects.filter(office=push_source.office)
    assert rollup.get("negative", 0) == stored.filter(sentiment="negative").count()
    assert sum(rollup.values()) == stored.count()


def test_the_scheduler_retrains_only_when_new_corrections_arrived(
    small_data, push_source, pr_staff, monkeypatch
):
    queued = []

    class Fake:
        def enqueue(self) -> None:
            queued.append(1)

    monkeypatch.setattr(retraining, "retrain_sentiment", Fake())
    assert retraining.maybe_enqueue() is False
    ingest_items(push_source, [post(1, "antrean lama sekali di loket")])
    services.correct_sentiments(pr_staff, Mention.objects.all(), "positive")
    assert retraining.maybe_enqueue() is True and queued == [1]
    retraining.retrain(training_data=small_data, reclassify=False)
    assert retraining.maybe_enqueue(timezone.now() + timedelta(days=1)) is False


def test_a_retraining_run_again_after_its_worker_died_trains_no_second_version(
    small_data, push_source, pr_staff
):
    ingest_items(push_source, [post(1, "antrean lama sekali di loket")])
    services.correct_sentiments(pr_staff, Mention.objects.all(), "positive")
    # The first run stored its version; its worker died before recording success, so
    # the task runs again (prima db_worker): nothing new to learn, nothing trained.
    retraining.retrain(training_data=small_data, reclassify=False)
    result = retraining.retrain_sentiment.call()
    assert result["version"] is None and "skipped" in result
    assert SentimentModelVersion.objects.count() == 1


def test_the_worker_gives_back_what_a_retraining_took(
    small_data, push_source, pr_staff, monkeypatch
):
    from prima.monitoring.nlp.sentiment import features
    from prima.monitoring.nlp.sentiment.model import _load_cached

    ingest_items(push_source, [post(1, "antrean lama sekali di loket")])
    services.correct_sentiments(pr_staff, Mention.objects.all(), "positive")
    train = retraining.retrain
    monkeypatch.setattr(
        retraining, "retrain", lambda: train(training_data=small_data, reclassify=False)
    )
    features.char_features("antrean panjang sekali di bandara")
    assert features._token_grams.cache_info().currsize > 0
    result = retraining.retrain_sentiment.call()
    assert result["version"] == SentimentModelVersion.objects.get().pk
    # The n-grams of the training data and the shipped model (replaced by the new
    # version) are no longer held; analysis goes on with the new version.
    assert features._token_grams.cache_info().currsize == 0
    assert _load_cached.cache_info().currsize == 0
    assert analysis.classify_sentiments(["antrean lama"], ["id"])[0][0] in {
        "positive",
        "neutral",
        "negative",
    }
    assert _load_cached.cache_info().currsize == 0


def test_the_model_is_fitted_in_a_child_process_and_the_worker_stores_it(
    small_data, push_source, pr_staff, monkeypatch
):
    import os

    ingest_items(push_source, [post(1, "antrean lama sekali di loket")])
    services.correct_sentiments(pr_staff, Mention.objects.all(), "positive")
    fit = retraining._fit

    def fit_telling_where(**job):
        artefact, metrics = fit(**job)
        return artefact, {**metrics, "fitted_in": os.getpid()}

    monkeypatch.setattr(retraining, "_fit", fit_telling_where)
    version = retraining.retrain(training_data=small_data, reclassify=False)
    assert version.metrics["fitted_in"] != os.getpid()
    assert version.metrics["corrections"] == 1 and version.artefact
    assert retraining._job == {}  # nothing of the job is kept in the worker
