"""Messages from the public portal become mentions of their own source kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prima.monitoring import services
from prima.monitoring.models import IngestJob, Mention, SourceKind

pytestmark = pytest.mark.django_db
AT = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)


def test_public_messages_are_stored_once_and_analysed(offices):
    office = offices["soetta"]
    text = "Ada calo di depan kantor minta uang Rp 500.000 untuk antrean paspor, tolong ditindak"
    first = services.ingest_public_messages(
        office, [("REF-1", "Laporan calo", text, AT), ("REF-2", "Laporan calo", text, AT)]
    )
    assert set(first) == {"REF-1", "REF-2"} and all(first.values())
    # Two people sending the same words are two mentions; a second hand-over adds nothing.
    again = services.ingest_public_messages(office, [("REF-1", "Laporan calo", text, AT)])
    assert again == {"REF-1": first["REF-1"]}
    mentions = Mention.objects.filter(kind=SourceKind.PUBLIC_FORM)
    assert mentions.count() == 2
    mention = mentions.get(pk=first["REF-1"])  # type: ignore[misc]
    assert mention.office == office and mention.author == "REF-1"
    assert mention.language == "id" and mention.sentiment in {"negative", "neutral", "positive"}
    assert IngestJob.objects.filter(kind="public").count() == 2


def test_nothing_to_hand_over(offices):
    assert services.ingest_public_messages(offices["soetta"], []) == {}
