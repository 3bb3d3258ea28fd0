"""Fixtures for conference tests: evidence files under a temporary MEDIA_ROOT, the default
checklist templates loaded, and a regular conference opened by PR staff."""

from __future__ import annotations

import pytest
from django.utils import translation

from prima.conferences import checklists, workflow
from prima.conferences.models import ConferenceType, Topic

from .helpers import NOW, registry_entry


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english():
    """Messages in English, for tests that read them (Indonesian is the default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def templates(db):
    checklists.ensure_templates()


@pytest.fixture
def conference(templates, offices, pr_staff):
    return workflow.create_conference(
        pr_staff,
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis Kinerja Bulanan Kanim Soekarno-Hatta November 2025",
        topic=Topic.PERFORMANCE,
        now=NOW,
    )


@pytest.fixture
def crisis(templates, offices, pr_staff):
    return workflow.create_conference(
        pr_staff,
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Gangguan autogate Terminal 3",
        topic=Topic.BORDER,
        now=NOW,
    )


@pytest.fixture
def jubir(offices, spokesperson):
    """Sri's registry entry: valid for 2025–2026, every topic and level."""
    return registry_entry(offices["soetta"], spokesperson)
