"""The breach record (UU No. 27/2022 Ps. 46): register a suspected breach, the 3 x 24-hour
countdown from its discovery, notifications drafted from the record of processing, marked
sent; every change audited; office-scoped like the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.organizations import attention, audit
from prima.organizations.models import AuditEntry, Breach
from prima.organizations.privacy import breach as service
from prima.organizations.privacy.declarations import DataCategory, Subject

LIST = reverse("breach-list")
CREATE = reverse("breach-create")

FACTS = {
    "title": "Laptop humas hilang berisi daftar kontak wartawan",
    "discovered_at": None,  # set per test
    "description": "Laptop staf humas tertinggal di taksi; berisi ekspor kontak media.",
    "records": ["conferences.MediaContact", "conferences.Invitation"],
    "data_categories": [DataCategory.IDENTITY, DataCategory.CONTACT],
    "subjects": [Subject.JOURNALISTS],
    "estimated_people": 1240,
    "measures": "Akun PRIMA staf dinonaktifkan; laporan polisi dibuat.",
}


@pytest.fixture
def breach(personas, offices):
    data = {**FACTS, "discovered_at": timezone.now() - timedelta(hours=10)}
    return service.register(personas["head"], offices["soetta"], data)


def _form(**extra):
    data = {
        "title": "Kebocoran",
        "discovered_at": timezone.localtime().strftime("%d/%m/%Y %H.%M"),
        "description": "Ekspor CSV terkirim ke grup yang salah.",
        "records": ["portal.Inquiry"],
        "data_categories": ["contact"],
        "subjects": ["public"],
        "estimated_people": "12",
    }
    data.update(extra)
    return data


# --- Access ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(breach):
    for url in (
        LIST,
        CREATE,
        reverse("breach-detail", args=[breach.pk]),
        reverse("breach-edit", args=[breach.pk]),
    ):
        response = client_for(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client_for(None).post(reverse("breach-act", args=[breach.pk]), {"action": "close"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pr_staff", 403),
        ("spokesperson", 403),
        ("outsider", 403),
        ("pr_lead", 200),
        ("head", 200),
        ("regional_supervisor", 200),
        ("dg_supervisor", 200),
        ("administrator", 200),
    ],
)
def test_who_may_see_the_register_and_a_breach(personas, breach, persona, status):
    client = client_for(personas[persona])
    assert client.get(LIST).status_code == status
    detail = client.get(reverse("breach-detail", args=[breach.pk])).status_code
    assert detail == (404 if status == 403 else 200)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pr_staff", 403),
        ("pr_lead", 403),
        ("regional_supervisor", 403),
        ("head", 200),
    ],
)
def test_who_may_register_a_breach(personas, offices, persona, status):
    client = client_for(personas[persona])
    assert client.get(CREATE, {"office": offices["soetta"].pk}).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("pr_staff", 404), ("pr_lead", 403), ("dg_supervisor", 403), ("head", 200)],
)
def test_who_may_change_a_breach(personas, breach, persona, status):
    client = client_for(personas[persona])
    assert client.get(reverse("breach-edit", args=[breach.pk])).status_code == status
    response = client.post(reverse("breach-act", args=[breach.pk]), {"action": "notify_subjects"})
    assert response.status_code == (302 if status == 200 else status)
    breach.refresh_from_db()
    assert (breach.subjects_notified_at is not None) == (status == 200)


def test_bali_sees_nothing_of_jakarta(bali_supervisor, breach, offices):
    client = client_for(bali_supervisor)
    assert client.get(reverse("breach-detail", args=[breach.pk])).status_code == 404
    assert client.get(reverse("breach-edit", args=[breach.pk])).status_code == 404
    assert breach.title not in client.get(LIST).content.decode()
    assert client.get(LIST, {"office": offices["soetta"].pk}).status_code == 404


def test_an_administrator_registers_for_an_office_of_the_sub_tree(personas, offices):
    client = client_for(personas["administrator"])
    response = client.post(f"{CREATE}?office={offices['jakpus'].pk}", _form())
    assert response.status_code == 302
    assert Breach.objects.get().office == offices["jakpus"]


def test_an_unknown_action_is_a_400(personas, breach):
    response = client_for(personas["head"]).post(
        reverse("breach-act", args=[breach.pk]), {"action": "explode"}
    )
    assert response.status_code == 400


# --- Registering and the notifications -----------------------------------------------------


def test_registering_through_the_page_drafts_both_notifications_in_indonesian(personas, offices):
    client = client_for(personas["head"], "id")
    response = client.post(f"{CREATE}?office={offices['soetta'].pk}", _form())
    breach = Breach.objects.get()
    assert response["Location"] == reverse("breach-detail", args=[breach.pk])
    assert breach.records == ["portal.Inquiry"] and breach.estimated_people == 12
    assert "PEMBERITAHUAN" in breach.notice_subjects
    assert "Data kontak (telepon, WhatsApp, e-mail)" in breach.notice_subjects
    assert "Pasal 46" in breach.notice_subjects
    assert "Pertanyaan dan laporan masyarakat" in breach.notice_authority  # the activity
    assert "Masyarakat yang bertanya atau melapor" in breach.notice_authority
    assert offices["soetta"].name in breach.notice_authority
    page = client.get(response["Location"]).content.decode()
    assert (
        'data-testid="countdown-subjects"' in page and 'data-testid="countdown-authority"' in page
    )


def test_the_form_refuses_a_discovery_in_the_future(personas, offices):
    later = (timezone.localtime() + timedelta(days=2)).strftime("%d/%m/%Y %H.%M")
    response = client_for(personas["head"]).post(
        f"{CREATE}?office={offices['soetta'].pk}", _form(discovered_at=later)
    )
    assert response.status_code == 200 and not Breach.objects.exists()


def test_the_deadline_is_three_times_24_hours_from_discovery(breach):
    assert breach.deadline == breach.discovered_at + timedelta(hours=72)
    subjects, authority = service.deadlines(breach)
    assert subjects.status == "open" and 61 * 3600 < subjects.remaining_seconds <= 62 * 3600
    late = service.deadlines(breach, now=breach.discovered_at + timedelta(hours=73))
    assert [d.status for d in late] == ["missed", "missed"]


def test_marking_sent_is_recorded_once_and_audited(personas, breach):
    head = personas["head"]
    service.mark_notified(head, breach, service.Target.AUTHORITY)
    first = breach.authority_notified_at
    service.mark_notified(head, breach, service.Target.AUTHORITY)
    breach.refresh_from_db()
    assert breach.authority_notified_at == first and breach.authority_notified_by == head
    entries = AuditEntry.objects.filter(action="breach.notify_authority")
    assert entries.count() == 1 and entries.get().after["on_time"] is True
    assert [d.status for d in service.deadlines(breach)] == ["open", "met"]


def test_a_notification_sent_after_72_hours_is_late(personas, breach):
    late = breach.discovered_at + timedelta(hours=80)
    service.mark_notified(personas["head"], breach, service.Target.SUBJECTS, at=late)
    assert service.deadlines(breach)[0].status == "missed"


def test_edits_are_audited_without_the_texts(personas, breach):
    service.edit(
        personas["head"],
        breach,
        {"estimated_people": 1300, "description": "Nama: Dewi Lestari, 0812-1000-2002"},
    )
    entry = AuditEntry.objects.filter(action="breach.edit").latest("seq")
    assert entry.before["estimated_people"] == 1240 and entry.after["estimated_people"] == 1300
    assert entry.after["texts_changed"] == ["description"]
    assert "Dewi" not in str(entry.after) and "0812" not in str(entry.before)
    assert audit.verify() == []


def test_the_notifications_can_be_edited_and_drafted_again(personas, breach):
    client = client_for(personas["head"], "id")
    url = reverse("breach-edit", args=[breach.pk]) + "?part=notices"
    response = client.post(url, {"notice_subjects": "Teks kami sendiri", "notice_authority": "X"})
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.notice_subjects == "Teks kami sendiri"
    client.post(reverse("breach-act", args=[breach.pk]), {"action": "redraft"})
    breach.refresh_from_db()
    assert breach.notice_subjects.startswith("PEMBERITAHUAN")


def test_closing_ends_the_countdown(personas, breach):
    client_for(personas["head"]).post(reverse("breach-act", args=[breach.pk]), {"action": "close"})
    breach.refresh_from_db()
    assert not breach.is_open
    assert [d.status for d in service.deadlines(breach)] == ["void", "void"]
    assert AuditEntry.objects.filter(action="breach.close").count() == 1


def test_an_open_breach_needs_the_heads_attention_with_its_countdown(personas, breach):
    items = [i for i in attention.items_for(personas["head"]) if i.kind == "privacy.breach"]
    assert len(items) == 1 and items[0].is_critical and items[0].due == breach.deadline
    assert not [i for i in attention.items_for(personas["pr_staff"]) if i.kind == "privacy.breach"]
    service.mark_notified(personas["head"], breach, service.Target.SUBJECTS)
    service.mark_notified(personas["head"], breach, service.Target.AUTHORITY)
    assert not [i for i in attention.items_for(personas["head"]) if i.kind == "privacy.breach"]


def test_the_list_shows_an_overdue_breach(personas, offices):
    data = {**FACTS, "discovered_at": timezone.now() - timedelta(days=4)}
    service.register(personas["head"], offices["soetta"], data)
    page = client_for(personas["head"], "id").get(LIST).content.decode()
    assert 'class="badge bad"' in page


def test_the_register_does_not_grow_queries_with_its_rows(personas, offices):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas["dg_supervisor"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        data = {**FACTS, "title": f"Kejadian {n}", "discovered_at": timezone.now()}
        service.register(personas["head"], offices["soetta"], data)
    few = queries()
    for n in range(5):
        data = {**FACTS, "title": f"Kejadian lain {n}", "discovered_at": timezone.now()}
        service.register(personas["administrator"], offices["jakpus"], data)
    assert queries() == few
