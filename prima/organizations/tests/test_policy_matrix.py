"""policy.can / check / scope, exhaustively, against the table in docs/permissions.md.

For every action × role × position of the object relative to the office where the role is
held (own office, a child, a grandchild, a sibling, the parent, another region) the
documented cell decides: ``own`` allows the own office only, ``sub-tree`` the own office
and everything below it, ``—`` nothing. Never a sibling, a parent or another region.

``can`` and ``check`` need no database (memberships are cached on the user object), so the
full matrix runs in memory; ``scope`` is compared with ``can`` on a real database per role.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prima.conftest import make_person
from prima.organizations import policy
from prima.organizations.models import ApiToken, Membership, Office, OfficeLevel, Role, User

from .test_permissions_doc import documented


def _office(pk: int, parent: Office | None, level: OfficeLevel, code: str) -> Office:
    path = (parent.path if parent else "/") + f"{pk}/"
    return Office(
        pk=pk,
        code=code,
        name=code,
        short_name=code,
        level=level,
        parent=parent,
        path=path,
        is_active=True,
    )


DG = _office(1, None, OfficeLevel.DIRECTORATE_GENERAL, "dg")
KANWIL = _office(2, DG, OfficeLevel.REGIONAL_OFFICE, "kanwil-dki")
SOETTA = _office(3, KANWIL, OfficeLevel.OFFICE, "soetta")
JAKPUS = _office(4, KANWIL, OfficeLevel.OFFICE, "jakpus")
BALI = _office(5, DG, OfficeLevel.REGIONAL_OFFICE, "kanwil-bali")
NGURAH_RAI = _office(6, BALI, OfficeLevel.OFFICE, "ngurah-rai")

# (where the role is held, relation, the object's office)
POSITIONS = [
    (SOETTA, "own", SOETTA),
    (SOETTA, "sibling", JAKPUS),
    (SOETTA, "parent", KANWIL),
    (SOETTA, "top", DG),
    (SOETTA, "other-region", NGURAH_RAI),
    (KANWIL, "own", KANWIL),
    (KANWIL, "child", SOETTA),
    (KANWIL, "sibling", BALI),
    (KANWIL, "parent", DG),
    (KANWIL, "other-region", NGURAH_RAI),
    (DG, "own", DG),
    (DG, "child", KANWIL),
    (DG, "grandchild", SOETTA),
    (DG, "grandchild", NGURAH_RAI),
]
BELOW = {"child", "grandchild"}


def person(*grants: tuple[Office, Role], active: bool = True) -> User:
    user = User(username="p", is_active=active)
    user._prima_memberships = [Membership(office=o, role=r) for o, r in grants]
    return user


def allowed_by_doc(action: str, role: Role, relation: str) -> bool:
    cell = documented()[action]["roles"].get(role.value)
    return relation == "own" and cell is not None or relation in BELOW and cell == "subtree"


class Thing:
    """Any object that belongs to an office (what the policy judges)."""

    def __init__(self, office: Office) -> None:
        self.office = office


def _outcome(user: User, action: str, target: Office) -> str:
    try:
        policy.check(user, action, Thing(target))
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


@pytest.mark.parametrize("action", sorted(policy.RULES))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_can_and_check_follow_the_documented_table(action, role):
    # 404 unless the user may view this kind of object there (``<kind>.view``, or
    # ``office.view`` for kinds without a view action of their own), else 403.
    view = f"{action.split('.')[0]}.view"
    view = view if view in documented() else "office.view"
    wrong = []
    for held_in, relation, target in POSITIONS:
        user = person((held_in, role))
        expected = allowed_by_doc(action, role, relation)
        visible = allowed_by_doc(view, role, relation)
        want = "ok" if expected else "403" if visible else "404"
        got_can = policy.can(user, action, target)
        got = _outcome(user, action, target)
        if got_can is not expected or got != want:
            wrong.append(
                f"held in {held_in.code}, object in {target.code} ({relation}): "
                f"can={got_can} check={got}, documented can={expected} check={want}"
            )
    assert not wrong, f"{action} for {role.value}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("action", sorted(policy.RULES))
def test_nobody_without_a_role_may_do_anything(action):
    user = person()
    for office in (DG, KANWIL, SOETTA):
        assert not policy.can(user, action, office)
        with pytest.raises(Http404):
            policy.check(user, action, office)


def test_an_inactive_user_may_do_nothing():
    user = person((DG, Role.ADMIN), active=False)
    assert not any(policy.can(user, a, o) for a in policy.RULES for o in (DG, SOETTA))


def test_a_role_in_an_inactive_office_grants_nothing():
    closed = _office(7, KANWIL, OfficeLevel.OFFICE, "closed")
    closed.is_active = False
    user = person((closed, Role.HEAD))
    assert not policy.can(user, "office.view", closed)


def test_roles_held_in_two_offices_add_up():
    user = person((SOETTA, Role.PR_STAFF), (BALI, Role.SUPERVISOR))
    assert policy.can(user, "office.view", SOETTA)
    assert policy.can(user, "audit.view", NGURAH_RAI)
    assert not policy.can(user, "audit.view", SOETTA)
    assert not policy.can(user, "office.view", JAKPUS)


def test_a_sibling_path_prefix_is_not_a_sub_tree():
    # "/1/2/" must not match "/1/23/": paths end with a slash for this reason.
    office_23 = _office(23, DG, OfficeLevel.REGIONAL_OFFICE, "twenty-three")
    user = person((KANWIL, Role.SUPERVISOR))
    assert not policy.can(user, "office.view", office_23)


def test_an_unknown_action_is_an_error():
    with pytest.raises(KeyError, match="policy.RULES"):
        policy.can(person((DG, Role.ADMIN)), "office.explode", DG)


def test_an_object_without_an_office_cannot_be_judged():
    with pytest.raises(TypeError):
        policy.check(person((DG, Role.ADMIN)), "office.view", object())


# --- scope() against can(), on the database --------------------------------------------


@pytest.fixture
def tree(offices) -> dict[str, Office]:
    ngurah_rai = Office.objects.create(
        code="ngurah-rai",
        name="Kanim Ngurah Rai",
        short_name="Ngurah Rai",
        level=OfficeLevel.OFFICE,
        parent=offices["kanwil_bali"],
        timezone="Asia/Makassar",
    )
    return {**offices, "ngurah_rai": ngurah_rai}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_scope_keeps_exactly_what_can_allows(tree, role):
    everywhere = list(Office.objects.all())
    residents = {}
    for key, office in tree.items():
        residents[key] = make_person(f"resident-{key}", office)
        ApiToken.objects.create(
            user=residents[key], name="t", key_prefix="p", key_hash=f"hash-{key}"
        )
    holders = [make_person(f"holder-{key}", tree[key], role) for key in ("soetta", "kanwil", "dg")]
    for holder in holders:
        for action in policy.RULES:
            allowed = {o.pk for o in everywhere if policy.can(holder, action, o)}
            assert {o.pk for o in policy.offices(holder, action)} == allowed, action
            users = policy.scope(
                holder, action, User.objects.filter(username__startswith="resident-")
            )
            assert {u.office_id for u in users} == allowed, action
            tokens = policy.scope(holder, action, ApiToken.objects.all(), field="user__office")
            assert {t.user.office_id for t in tokens} == allowed, action


def test_get_for_gives_404_to_outsiders_and_403_to_insiders(offices, pr_staff, outsider):
    soetta = offices["soetta"]
    assert policy.get_for(pr_staff, "office.view", Office, pk=soetta.pk) == soetta
    with pytest.raises(PermissionDenied):
        policy.get_for(pr_staff, "office.change", Office, pk=soetta.pk)
    with pytest.raises(Http404):
        policy.get_for(outsider, "office.view", Office, pk=soetta.pk)
    with pytest.raises(Http404):
        policy.get_for(outsider, "office.change", Office.objects.all(), pk=soetta.pk)


@pytest.mark.parametrize("pk", [999999, "abc", None])
def test_get_for_gives_404_for_missing_or_malformed_ids(offices, administrator, pk):
    with pytest.raises(Http404):
        policy.get_for(administrator, "office.view", Office, pk=pk)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_office_list_is_offices_in_path_order_from_one_query(tree, role, django_assert_num_queries):
    holders = [make_person(f"holder-{key}", tree[key], role) for key in ("soetta", "kanwil", "dg")]
    for holder in holders:
        expected = {a: list(policy.offices(holder, a).order_by("path")) for a in policy.RULES}
        policy.memberships(holder)
        with django_assert_num_queries(1):  # every action from one query
            for action in policy.RULES:
                assert policy.office_list(holder, action) == expected[action], action
                assert policy.office_ids(holder, action) == {o.pk for o in expected[action]}


def test_office_list_follows_a_change_of_memberships(tree):
    user = make_person("mover", tree["soetta"], Role.PR_STAFF)
    assert policy.office_list(user, "mention.view") == [tree["soetta"]]
    assert policy.can_anywhere(user, "mention.view")
    assert not policy.can_anywhere(user, "audit.view")
    user._prima_memberships = [Membership(office=tree["kanwil"], role=Role.SUPERVISOR)]
    assert tree["kanwil"] in policy.office_list(user, "audit.view")
    assert tree["soetta"] in policy.office_list(user, "audit.view")
    assert policy.can_anywhere(user, "audit.view")


def test_actions_anywhere_is_what_can_anywhere_answers():
    for grants in ([], [(SOETTA, Role.PR_STAFF)], [(BALI, Role.SUPERVISOR), (SOETTA, Role.HEAD)]):
        user = person(*grants)
        held = policy.actions_anywhere(user)
        assert held == {a for a in policy.RULES if policy._grants(user, a)}
        assert all(policy.can_anywhere(user, a) == (a in held) for a in policy.RULES)
    assert policy.actions_anywhere(person((DG, Role.ADMIN), active=False)) == frozenset()
    with pytest.raises(KeyError, match="policy.RULES"):
        policy.can_anywhere(person((DG, Role.ADMIN)), "office.explode")
