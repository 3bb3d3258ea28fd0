"""The policy answers the other way round: who may perform an action in an office
(``policy.Holders``, ``policy.holders``, ``policy.roles_with``) and who may administer
(``policy.may_administer``). Same table, same scopes as ``policy.can``."""

from __future__ import annotations

import pytest

from prima.conftest import make_person
from prima.organizations import policy
from prima.organizations.models import Role


def test_roles_with_follows_the_table():
    assert policy.roles_with("material.approve") == (Role.HEAD,)
    assert policy.roles_with("conference.close") == (Role.PR_LEAD, Role.HEAD)
    assert policy.roles_with("adminsite.access") == (Role.ADMIN,)
    with pytest.raises(KeyError):
        policy.roles_with("conference.teleport")


def test_own_scope_counts_only_people_of_the_office(offices, personas):
    who = policy.holders("conference.edit", offices["soetta"])
    assert set(who) == {
        personas["pr_staff"],
        personas["pr_staff2"],
        personas["pr_lead"],
        personas["head"],
    }
    # Nobody of Jakarta Pusat, no supervisor above, and nobody for the regional office.
    assert policy.holders("conference.edit", offices["jakpus"]) == (personas["outsider"],)
    assert policy.holders("conference.edit", offices["kanwil"]) == ()


def test_subtree_grants_reach_down_from_the_offices_above(offices, personas, bali_supervisor):
    who = set(policy.holders("audit.export", offices["soetta"]))
    # The head of the office (own), the Kanwil and Ditjen supervisors and the administrator
    # at Ditjen (sub-tree); not the supervisor of another region.
    assert who == {
        personas["head"],
        personas["regional_supervisor"],
        personas["dg_supervisor"],
        personas["administrator"],
    }
    assert bali_supervisor not in who
    # At the Kanwil, its own supervisor and those above; not the people below it.
    assert set(policy.holders("audit.export", offices["kanwil"])) == {
        personas["regional_supervisor"],
        personas["dg_supervisor"],
        personas["administrator"],
    }


def test_holders_agree_with_can_for_every_action(offices, personas, bali_supervisor):
    everybody = [*personas.values(), bali_supervisor]
    for office in offices.values():
        who = policy.Holders(office)
        for action in policy.RULES:
            expected = {u for u in everybody if policy.can(u, action, office)}
            assert set(who.users(action)) == expected, (action, office.code)


def test_inactive_people_and_offices_hold_nothing(offices, personas):
    personas["pr_staff2"].is_active = False
    personas["pr_staff2"].save()
    assert personas["pr_staff2"] not in policy.holders("conference.edit", offices["soetta"])
    offices["kanwil"].is_active = False
    offices["kanwil"].save()
    who = policy.holders("audit.export", offices["soetta"])
    assert personas["regional_supervisor"] not in who
    assert personas["dg_supervisor"] in who


def test_also_adds_delegates_and_exclude_drops_people(offices, personas):
    who = policy.Holders(offices["soetta"])
    staff = personas["pr_staff"]
    assert who.users("material.approve") == (personas["head"],)
    assert set(who.users("material.approve", also=[staff])) == {personas["head"], staff}
    assert staff not in who.users("conference.edit", exclude=[staff.pk])


def test_one_query_answers_many_actions(offices, personas, django_assert_num_queries):
    with django_assert_num_queries(1):
        who = policy.Holders(offices["soetta"])
        for action in policy.RULES:
            who.users(action)


def test_only_staff_accounts_with_the_admin_role_may_administer(offices, personas):
    assert policy.may_administer(personas["administrator"])
    assert not any(
        policy.may_administer(u) for key, u in personas.items() if key != "administrator"
    )
    superuser = make_person("super", offices["dg"])
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    assert not policy.may_administer(superuser)
    assert not policy.may_administer(None)


def test_an_administrator_of_a_deactivated_office_may_not_administer(offices):
    admin = make_person("admin.bali", offices["kanwil_bali"], Role.ADMIN)
    assert policy.may_administer(admin)
    offices["kanwil_bali"].is_active = False
    offices["kanwil_bali"].save()
    admin = type(admin).objects.get(pk=admin.pk)
    assert not policy.may_administer(admin)
