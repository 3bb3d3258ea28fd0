"""The home page: who I am, where I work, what needs my attention, today's date."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for, make_person
from prima.organizations import attention
from prima.organizations.attention import AttentionItem

URL = reverse("home")
DATE_ID = re.compile(
    r"(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} "
    r"(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) "
    r"\d{4}, \d{2}\.\d{2} (WIB|WITA|WIT)"
)


@pytest.fixture
def fake_attention():
    """A provider that asks PR staff to approve a release; removed after the test."""
    now = timezone.now()

    def provider(user):
        if user.username != "rina":
            return []
        return [
            AttentionItem(
                "test.later",
                "Siaran pers menunggu persetujuan",
                "/x/1",
                office="Kanim Soetta",
                due=now + timedelta(days=2),
            ),
            AttentionItem(
                "test.overdue",
                "Evaluasi konferensi pers",
                "/x/2",
                due=now - timedelta(days=1),
                overdue=True,
                detail="Sudah lewat",
            ),
        ]

    attention.register(provider)
    yield provider
    attention._providers.remove(provider)


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_every_persona_gets_the_home_page(personas):
    for name, user in personas.items():
        assert client_for(user).get(URL).status_code == 200, name


def test_it_shows_my_office_and_roles(pr_staff, offices):
    response = client_for(pr_staff, "en").get(URL)
    text = response.content.decode()
    assert "Welcome, Rina Wulandari" in text
    assert offices["soetta"].name in text
    assert "PR staff" in text
    assert reverse("office-detail", args=[offices["soetta"].pk]) in text
    assert 'data-testid="whoami"' in text and "Kanim Soetta" in text


def test_a_person_without_roles_is_told_to_ask_for_one(offices):
    nobody = make_person("tamu", offices["soetta"])
    response = client_for(nobody, "en").get(URL)
    assert "You hold no role in any office yet" in response.content.decode()


def test_it_lists_what_needs_my_attention_overdue_first(pr_staff, fake_attention):
    response = client_for(pr_staff).get(URL)
    text = response.content.decode()
    overdue = text.index("Evaluasi konferensi pers")
    later = text.index("Siaran pers menunggu persetujuan")
    assert overdue < later
    assert 'class="overdue"' in text and "Sudah lewat" in text
    assert 'href="/x/1"' in text and "Kanim Soetta" in text


def test_others_do_not_see_my_attention_items(pr_staff2, fake_attention):
    response = client_for(pr_staff2).get(URL)
    assert "Siaran pers menunggu persetujuan" not in response.content.decode()
    assert 'data-testid="attention"' in response.content.decode()


def test_the_date_is_written_the_indonesian_way(pr_staff):
    response = client_for(pr_staff).get(URL)
    today = re.search(r'data-testid="today">([^<]*)<', response.content.decode()).group(1)
    assert DATE_ID.fullmatch(today.strip()), today


def test_the_date_uses_the_time_zone_of_my_office(bali_supervisor):
    response = client_for(bali_supervisor).get(URL)
    today = re.search(r'data-testid="today">([^<]*)<', response.content.decode()).group(1)
    assert today.strip().endswith("WITA")


def test_the_language_can_be_switched_to_english_and_back(pr_staff):
    client = client_for(pr_staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL)
    assert page.wsgi_request.LANGUAGE_CODE == "en"
    text = page.content.decode()
    assert '<html lang="en">' in text
    assert "Welcome, Rina Wulandari" in text
    assert re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), ", text)

    client.post(reverse("set_language"), {"language": "id", "next": URL})
    page = client.get(URL)
    assert page.wsgi_request.LANGUAGE_CODE == "id"
    assert '<html lang="id">' in page.content.decode()
    assert DATE_ID.search(page.content.decode())


def test_the_shell_of_the_home_page_needs_few_queries(
    pr_staff, monkeypatch, django_assert_max_num_queries
):
    # Without the apps' attention providers (each app bounds its own provider's queries).
    monkeypatch.setattr(attention, "_providers", [])
    client = client_for(pr_staff)
    client.get(URL)
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_an_english_browser_still_gets_indonesian_until_the_person_chooses(pr_staff):
    from prima.conftest import client_for

    client = client_for(pr_staff)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.headers["Content-Language"] == "en"


def test_the_shell_loads_the_user_with_their_office_in_one_query(
    pr_staff, monkeypatch, django_assert_num_queries
):
    # Without the apps' attention providers: session, user with office, memberships.
    monkeypatch.setattr(attention, "_providers", [])
    client = client_for(pr_staff)
    client.get(URL)
    with django_assert_num_queries(3) as done:
        client.get(URL)
    user_query = next(q["sql"] for q in done.captured_queries if "organizations_user" in q["sql"])
    assert "organizations_office" in user_query
