"""The sentiment model's cards for staff, its read-only admin and ``prima
retrain-sentiment`` (the same retraining as the background task)."""

from __future__ import annotations

import gzip
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from prima.conftest import client_for, make_person
from prima.monitoring import retraining, services
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import Mention, SentimentModelVersion, Source, SourceKind

from .conftest import post

pytestmark = pytest.mark.django_db

ROWS = [
    ("pelayanan bagus cepat ramah", "positive"), ("mantap petugas sigap", "positive"),
    ("antre lama kecewa", "negative"), ("petugas kasar parah", "negative"),
    ("kantor buka jam delapan", "neutral"), ("jadwal layanan hari sabtu", "neutral"),
]  # fmt: skip


@pytest.fixture
def small_data(tmp_path, settings, monkeypatch):
    """Retraining on six rows instead of the shipped training data (seconds, not a minute)."""
    settings.VAR_DIR = tmp_path / "var"
    path = tmp_path / "training_data.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for text, label in ROWS * 3:
            fh.write(f"{text}\t{label}\tid\tsmsa\t1.0\n")
    read = retraining.read_training_data
    monkeypatch.setattr(retraining, "read_training_data", lambda path_=None: read(path))
    retraining.refresh()
    yield path
    retraining._state.update(checked=0.0, version=None, model=None, pid=None)


@pytest.fixture
def corrected(small_data, push_source, pr_staff, outsider, offices):
    """One correction in Soekarno-Hatta, version 1, then one more there and one in
    Jakarta Pusat, version 2."""
    ingest_items(push_source, [post(i, f"Loket zzqx penuh wkwk {i}") for i in range(2)])
    services.correct_sentiments(pr_staff, [Mention.objects.get(external_id="p0")], "negative")
    first = retraining.retrain(reclassify=False)
    services.correct_sentiments(pr_staff, [Mention.objects.get(external_id="p1")], "negative")
    jakpus = Source.objects.create(office=offices["jakpus"], name="Push", kind=SourceKind.PUSH)
    ingest_items(jakpus, [post(7, "Rahasia Jakarta Pusat antre qwerty")])
    services.correct_sentiments(outsider, [Mention.objects.get(external_id="p7")], "positive")
    second = retraining.retrain(reclassify=False)
    return first, second


def test_every_reader_sees_the_model_cards(personas):
    for key in ("pr_staff", "spokesperson", "head", "regional_supervisor", "outsider"):
        response = client_for(personas[key]).get(reverse("monitoring:sentiment-model"))
        assert response.status_code == 200, key
    text = response.content.decode()
    # No version yet: the shipped model is in use, and its card is rendered (a table).
    assert "PRIMA sentiment model" in text and "<table>" in text
    assert "SmSA valid" in text and "<script" not in text.split('data-testid="shipped-card"')[1]


def test_the_list_shows_every_version_with_its_effect(corrected, pr_staff):
    first, second = corrected
    text = client_for(pr_staff, "id").get(reverse("monitoring:sentiment-model")).content.decode()
    assert reverse("monitoring:sentiment-model-version", args=[second.pk]) in text
    assert reverse("monitoring:sentiment-model-version", args=[first.pk]) in text
    assert "100,0 %" in text  # agreement with the corrections after retraining


def test_a_version_shows_only_corrections_of_the_readers_offices(corrected, pr_staff, outsider):
    first, second = corrected
    url = reverse("monitoring:sentiment-model-version", args=[second.pk])
    page = client_for(pr_staff).get(url)
    assert page.status_code == 200
    assert page.context["used_count"] == 3 and page.context["new_count"] == 2
    text = page.content.decode()
    assert "Loket zzqx penuh wkwk 1" in text and "Loket zzqx penuh wkwk 0" not in text
    assert "Rahasia Jakarta Pusat" not in text  # another office's correction: counted only
    assert page.context["not_shown"] == 1
    other = client_for(outsider).get(url).content.decode()
    assert "Rahasia Jakarta Pusat" in other and "Loket zzqx" not in other
    older = client_for(pr_staff).get(reverse("monitoring:sentiment-model-version", args=[first.pk]))
    assert older.context["new_count"] == 1 and not older.context["is_current"]
    assert "Loket zzqx penuh wkwk 0" in older.content.decode()


def test_an_unknown_version_is_404(pr_staff):
    url = reverse("monitoring:sentiment-model-version", args=[999])
    assert client_for(pr_staff).get(url).status_code == 404


def test_people_without_a_role_cannot_read_a_version(corrected, offices):
    nobody = make_person("tamu", offices["soetta"])
    url = reverse("monitoring:sentiment-model-version", args=[corrected[1].pk])
    assert client_for(nobody).get(url).status_code == 403


def test_the_command_retrains_through_the_same_function(small_data, push_source, pr_staff):
    ingest_items(push_source, [post(1, "Loket zzqx penuh wkwk")])
    services.correct_sentiments(pr_staff, [Mention.objects.get(external_id="p1")], "negative")
    out = io.StringIO()
    call_command("retrain_sentiment", stdout=out)
    version = SentimentModelVersion.objects.get()
    assert f"version {version.pk} stored" in out.getvalue()
    assert "Retrained with staff corrections" in out.getvalue()
    assert version.metrics["corrections"] == 1 and "reclassified" in version.metrics
    call_command("retrain_sentiment", "--no-reclassify", stdout=io.StringIO())
    assert "reclassified" not in SentimentModelVersion.objects.first().metrics


def test_the_admin_shows_versions_read_only(corrected, administrator, pr_staff):
    version = corrected[1]
    admin = client_for(administrator)
    listing = admin.get(reverse("admin:monitoring_sentimentmodelversion_changelist"))
    assert listing.status_code == 200
    page = admin.get(reverse("admin:monitoring_sentimentmodelversion_change", args=[version.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Retrained with staff corrections" in text and 'name="_save"' not in text
    assert admin.get(reverse("admin:monitoring_sentimentmodelversion_add")).status_code == 403
    delete = reverse("admin:monitoring_sentimentmodelversion_delete", args=[version.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert SentimentModelVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_model_cards_in_a_browser(page, corrected, pr_staff):
    from prima.conftest import browser_login, screenshot

    browser_login(page, pr_staff)
    page.goto(reverse("monitoring:sentiment-model"))
    assert page.locator("[data-testid=model-versions] tbody tr").count() == 2
    screenshot(page, "monitoring-sentiment-model")
    page.click(f"a[href='{reverse('monitoring:sentiment-model-version', args=[corrected[1].pk])}']")
    assert page.locator("[data-testid=version-corrections] tbody tr").count() == 1
    screenshot(page, "monitoring-sentiment-model-version")
