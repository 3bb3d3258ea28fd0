"""The three-step issue level becomes the product's 1–4 scale (migration 0002)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("conferences", "0001_initial")]
AFTER = [("conferences", "0002_level_scale")]


def _apps(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_low_medium_high_become_one_two_three_and_spokespeople_keep_the_top(offices):
    old = _apps(BEFORE)
    Conference = old.get_model("conferences", "Conference")
    Spokesperson = old.get_model("conferences", "Spokesperson")
    office_id = offices["soetta"].pk
    ids = {
        level: Conference.objects.create(
            office_id=office_id, type="crisis", title=f"Isu {level}", level=level,
            opened_at=timezone.now(), stage_entered_at=timezone.now(),
        ).pk
        for level in ("low", "medium", "high")
    }  # fmt: skip
    spokesperson = Spokesperson.objects.create(
        office_id=office_id, name="Sri", decree_number="SK-1", valid_from="2025-01-01",
        topics=["general"], levels=["medium", "high"],
    )  # fmt: skip
    try:
        new = _apps(AFTER)
        Conference = new.get_model("conferences", "Conference")
        Spokesperson = new.get_model("conferences", "Spokesperson")
        assert {lvl: Conference.objects.get(pk=pk).level for lvl, pk in ids.items()} == {
            "low": 1, "medium": 2, "high": 3
        }  # fmt: skip
        assert Spokesperson.objects.get(pk=spokesperson.pk).levels == [2, 3, 4]
        back = _apps(BEFORE)
        Conference = back.get_model("conferences", "Conference")
        assert Conference.objects.get(pk=ids["high"]).level == "high"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
