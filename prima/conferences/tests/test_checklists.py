"""Default checklists: the versioned data file, its templates, local variations."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from prima.conferences import checklists, workflow
from prima.conferences.models import ChecklistTemplate, ConferenceType, Stage
from prima.organizations.models import AuditEntry


def test_the_data_file_has_items_for_every_type_and_stage():
    data = checklists.load_data()
    for type_code in ConferenceType.values:
        spec = data["types"][type_code]
        stages = {item["stage"] for item in spec["items"]}
        assert stages == {s.value for s in Stage if s != Stage.CLOSED}, type_code
        for item in spec["items"]:
            assert item["label"]["en"] and item["label"]["id"], item["code"]
    assert len(data["types"]["crisis"]["items"]) < len(data["types"]["regular"]["items"]) / 2


def test_loading_is_idempotent_and_audited(db):
    created = checklists.ensure_templates()
    assert {t.conference_type for t in created} == set(ConferenceType.values)
    assert checklists.ensure_templates() == []
    assert AuditEntry.objects.filter(action="checklisttemplate.load").count() == 3


@pytest.fixture
def data_file(monkeypatch, tmp_path):
    """``data_file(edit)`` replaces the data file by a copy changed by ``edit(data)``."""

    def use(edit: Callable[[dict], None]) -> None:
        data = json.loads(checklists.DATA_FILE.read_text(encoding="utf-8"))
        edit(data)
        changed = tmp_path / "checklists.json"
        changed.write_text(json.dumps(data), encoding="utf-8")
        monkeypatch.setattr(checklists, "DATA_FILE", changed)
        checklists.load_data.cache_clear()

    yield use
    checklists.load_data.cache_clear()


def test_a_new_data_file_version_becomes_a_new_template(offices, data_file):
    checklists.ensure_templates()

    def shorter_crisis_list(data: dict) -> None:
        data["types"]["crisis"]["version"] += 1
        data["types"]["crisis"]["items"] = data["types"]["crisis"]["items"][:3]

    data_file(shorter_crisis_list)
    (new,) = checklists.ensure_templates()
    assert (new.conference_type, new.items.count()) == ("crisis", 3)
    assert checklists.template_for(offices["soetta"], "crisis") == new


def test_a_local_variation_wins_for_its_sub_tree_only(
    templates, offices, pr_staff, outsider, administrator
):
    national = checklists.template_for(offices["soetta"], "regular")
    assert national is not None
    local = checklists.new_version(national, administrator)
    local.office = offices["soetta"]
    local.is_active = True
    local.save()
    assert checklists.template_for(offices["soetta"], "regular") == local
    assert checklists.template_for(offices["jakpus"], "regular") == national
    conf = workflow.create_conference(
        pr_staff, office=offices["soetta"], type="regular", title="Rilis"
    )
    assert conf.checklist_template == local


def test_a_new_version_is_an_inactive_copy(templates, administrator, offices):
    national = ChecklistTemplate.objects.get(office=None, conference_type="incidental")
    copy = checklists.new_version(national, administrator)
    assert (copy.version, copy.is_active) == (national.version + 1, False)
    assert copy.items.count() == national.items.count()
    assert checklists.template_for(offices["soetta"], "incidental") == national


def test_versions_are_numbered_per_office_and_type(templates, administrator, offices):
    national = ChecklistTemplate.objects.get(office=None, conference_type="regular")
    assert checklists.next_version(None, "regular") == national.version + 1
    assert checklists.next_version(offices["soetta"], "regular") == 1
    copy = checklists.new_version(national, administrator)
    assert copy.version == national.version + 1
    assert checklists.next_version(None, "regular") == national.version + 2


def test_a_data_file_version_taken_by_a_copy_loads_under_the_next_number(
    templates, administrator, data_file
):
    national = ChecklistTemplate.objects.get(office=None, conference_type="crisis")
    copy = checklists.new_version(national, administrator)  # takes the file's next number
    data_file(lambda data: data["types"]["crisis"].update(version=copy.version))
    (loaded,) = checklists.ensure_templates()
    assert checklists.ensure_templates() == []
    assert loaded.version == copy.version + 1
    assert loaded.source == f"data/checklists.json v{copy.version}"


@pytest.mark.parametrize("broken", [{"stage": "party"}, {"evidence": "video"}])
def test_a_broken_data_file_is_refused(data_file, broken):
    data_file(lambda data: data["types"]["regular"]["items"][0].update(broken))
    with pytest.raises(ValueError):
        checklists.load_data()
