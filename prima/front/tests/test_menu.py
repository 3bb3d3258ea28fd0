"""The menu offers what the policy grants (not the mere holding of some role)."""

from __future__ import annotations

from django.urls import reverse

from prima.conftest import client_for, make_person
from prima.organizations.models import Membership, Role


def test_the_menu_offers_the_admin_site_to_those_it_admits(offices, administrator):
    superuser = make_person("super", offices["dg"], Role.PR_STAFF)
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    admin_url = reverse("admin:index")
    assert admin_url in client_for(administrator).get(reverse("home")).content.decode()
    home = client_for(superuser).get(reverse("home")).content.decode()
    assert admin_url not in home
    assert client_for(superuser).get(admin_url).status_code == 302


def test_the_menu_follows_the_policy_not_the_mere_roles(offices, pr_staff):
    home = client_for(pr_staff).get(reverse("home")).content.decode()
    assert reverse("conferences:list") in home and reverse("monitoring:dashboard") in home
    # A role held in a deactivated office grants nothing: no menu entries either.
    lost = make_person("lama", offices["jakpus"])
    Membership.objects.create(user=lost, office=offices["kanwil_bali"], role=Role.PR_STAFF)
    offices["kanwil_bali"].is_active = False
    offices["kanwil_bali"].save()
    home = client_for(lost).get(reverse("home")).content.decode()
    assert reverse("conferences:list") not in home
    assert reverse("monitoring:dashboard") not in home
