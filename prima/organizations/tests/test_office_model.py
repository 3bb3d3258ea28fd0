"""Office: the materialised path and the level rules of the hierarchy."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from prima.organizations.models import Office, OfficeLevel


def _path(*offices: Office) -> str:
    return "/" + "".join(f"{o.pk}/" for o in offices)


def test_it_sets_the_path_on_create(offices):
    dg, kanwil, soetta = offices["dg"], offices["kanwil"], offices["soetta"]
    assert dg.path == _path(dg)
    assert kanwil.path == _path(dg, kanwil)
    assert soetta.path == _path(dg, kanwil, soetta)
    # The stored value, not only the instance attribute.
    assert Office.objects.get(pk=soetta.pk).path == _path(dg, kanwil, soetta)


def test_it_rewrites_the_sub_tree_when_a_regional_office_moves(offices):
    dg, kanwil = offices["dg"], offices["kanwil"]
    soetta, jakpus, bali = offices["soetta"], offices["jakpus"], offices["kanwil_bali"]
    dg2 = Office.objects.create(
        code="ditjen-2",
        name="Second DG",
        short_name="DG2",
        level=OfficeLevel.DIRECTORATE_GENERAL,
    )

    kanwil.parent = dg2
    kanwil.full_clean()
    kanwil.save()

    paths = dict(Office.objects.values_list("code", "path"))
    assert paths["kanwil-dki"] == _path(dg2, kanwil)
    assert paths["soetta"] == _path(dg2, kanwil, soetta)
    assert paths["jakpus"] == _path(dg2, kanwil, jakpus)
    # Offices outside the moved sub-tree keep their paths.
    assert paths["ditjen"] == _path(dg)
    assert paths["kanwil-bali"] == _path(dg, bali)
    assert set(dg2.subtree()) == {dg2, kanwil, soetta, jakpus}
    assert set(dg.subtree()) == {dg, bali}


def test_it_moves_an_office_between_regions(offices):
    soetta, bali = offices["soetta"], offices["kanwil_bali"]
    soetta.parent = bali
    soetta.full_clean()
    soetta.save()
    soetta.refresh_from_db()
    assert soetta.path == bali.path + f"{soetta.pk}/"
    assert soetta.is_within(bali)
    assert not soetta.is_within(offices["kanwil"])


def test_saving_without_a_move_keeps_the_paths(offices):
    kanwil = offices["kanwil"]
    before = dict(Office.objects.values_list("code", "path"))
    kanwil.city = "Jakarta"
    kanwil.save()
    assert dict(Office.objects.values_list("code", "path")) == before


def test_subtree_ancestors_and_is_within(offices, django_assert_num_queries):
    dg, kanwil, soetta = offices["dg"], offices["kanwil"], offices["soetta"]
    with django_assert_num_queries(1):
        assert set(kanwil.subtree()) == {kanwil, soetta, offices["jakpus"]}
    with django_assert_num_queries(1):
        assert soetta.ancestors() == [dg, kanwil]
    assert dg.ancestors() == []
    assert soetta.is_within(dg) and soetta.is_within(soetta)
    assert not kanwil.is_within(soetta)


def test_an_office_is_its_own_office(offices):
    assert offices["soetta"].office is offices["soetta"]


@pytest.mark.parametrize(
    ("level", "parent_key"),
    [
        (OfficeLevel.DIRECTORATE_GENERAL, None),
        (OfficeLevel.REGIONAL_OFFICE, "dg"),
        (OfficeLevel.OFFICE, "kanwil"),
    ],
)
def test_clean_accepts_the_expected_parent_level(offices, level, parent_key):
    office = Office(
        code="new",
        name="New",
        short_name="New",
        level=level,
        parent=offices[parent_key] if parent_key else None,
    )
    office.full_clean()


@pytest.mark.parametrize(
    ("level", "parent_key"),
    [
        (OfficeLevel.DIRECTORATE_GENERAL, "dg"),  # a DG has no parent
        (OfficeLevel.REGIONAL_OFFICE, None),  # needs a parent
        (OfficeLevel.REGIONAL_OFFICE, "kanwil"),  # parent must be a DG
        (OfficeLevel.OFFICE, None),  # needs a parent
        (OfficeLevel.OFFICE, "dg"),  # parent must be a regional office
        (OfficeLevel.OFFICE, "soetta"),  # not under another office
    ],
)
def test_clean_refuses_a_wrong_parent(offices, level, parent_key):
    office = Office(
        code="new",
        name="New",
        short_name="New",
        level=level,
        parent=offices[parent_key] if parent_key else None,
    )
    with pytest.raises(ValidationError) as exc:
        office.clean()
    assert "parent" in exc.value.message_dict


def test_clean_refuses_to_place_an_office_under_itself(offices):
    kanwil = offices["kanwil"]
    kanwil.parent = kanwil
    with pytest.raises(ValidationError) as exc:
        kanwil.clean()
    assert "parent" in exc.value.message_dict
