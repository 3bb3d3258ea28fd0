"""Data-subject requests: deadlines, finding, export, correction, erasure, and who may
open each page (office-scoped by the policy)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prima.conferences.models import MediaContact
from prima.conftest import client_for
from prima.organizations import audit
from prima.organizations.models import AuditEntry, DataSubjectRequest
from prima.organizations.privacy import erasure, requests, subjects
from prima.organizations.privacy.request_models import RequestKind, RequestStatus

NAME, PHONE, EMAIL = "Larasati Widya", "0813-5555-0101", "laras@warta.example.id"


@pytest.fixture
def contact(offices, pr_lead) -> MediaContact:
    contact = MediaContact(
        office=offices["soetta"],
        outlet="Warta Bandara",
        journalist=NAME,
        phone=PHONE,
        email=EMAIL,
        notes="Liputan penerbangan",
    )
    with audit.tracking(pr_lead, "mediacontact.create", contact):
        contact.save()
    MediaContact.objects.create(
        office=offices["soetta"], outlet="Kabar Kota", journalist="Bagas Pratama", phone="0813-1"
    )
    return contact


def _request(office, actor, kind=RequestKind.ACCESS, query=NAME, hours_ago=0):
    return requests.receive(
        actor,
        office,
        kind=kind,
        subject_kind=subjects.SubjectKind.JOURNALIST,
        subject_query=query,
        requester=NAME,
        identification="KTP",
        received_at=timezone.now() - timedelta(hours=hours_ago),
    )


@pytest.fixture
def access(contact, offices, pr_lead) -> DataSubjectRequest:
    return _request(offices["soetta"], pr_lead)


@pytest.fixture
def erase_req(contact, offices, pr_lead) -> DataSubjectRequest:
    return _request(offices["soetta"], pr_lead, kind=RequestKind.ERASURE, query=PHONE)


def test_the_deadline_is_three_times_24_hours_for_every_kind():
    received = timezone.now()
    for kind in RequestKind.values:
        assert requests.due_at(kind, received) == received + timedelta(hours=72)


def test_time_left_counts_down_and_goes_negative(access):
    assert requests.time_left(access, access.received_at) == timedelta(hours=72)
    late = access.received_at + timedelta(hours=80)
    assert requests.time_left(access, late) == timedelta(hours=-8)


def test_the_subject_is_resolved_by_name_phone_digits_or_email(contact, offices):
    soetta = offices["soetta"]
    for query in (NAME, "+62 813 5555 0101", EMAIL.upper()):
        found = subjects.subject(subjects.SubjectKind.JOURNALIST, query, soetta)
        values = {v.casefold() for v in found.identifiers}
        assert {NAME.casefold(), PHONE, EMAIL} <= values, query
    # Another office's request finds nothing of Soekarno-Hatta's contact.
    other = subjects.subject(subjects.SubjectKind.JOURNALIST, NAME, offices["jakpus"])
    assert set(other.identifiers) == {NAME}
    assert subjects.find(other) == []


def test_the_export_holds_the_contact_and_the_audit_entry_and_nobody_else(access):
    found = requests.findings(access)
    data = requests.export_data(access, found)
    places = {p["place"]: p for p in data["places"]}
    assert set(places) == {"conferences.mediacontact"}
    (record,) = places["conferences.mediacontact"]["records"]
    assert NAME in record["fields"].values() and PHONE in record["fields"].values()
    assert [e["action"] for e in data["audit_trail"]] == [
        "mediacontact.create",
        "subjectrequest.create",
    ]
    text = json.dumps(data)
    assert "Bagas" not in text and '0813-1"' not in text
    # Other people in the audit entries (the PR lead who acted) are not exported.
    assert "andi" not in text


def test_correction_changes_the_value_everywhere_with_an_audit_entry(contact, offices, pr_lead):
    req = _request(offices["soetta"], pr_lead, kind=RequestKind.CORRECTION)
    changed = requests.correct(req, pr_lead, PHONE, "0813-5555-0202")
    assert changed == {"conferences.mediacontact": 1}
    contact.refresh_from_db()
    assert contact.phone == "0813-5555-0202"
    entry = AuditEntry.objects.filter(action="subjectrequest.correct").get()
    assert entry.before == {"phone": PHONE} and entry.after == {"phone": "0813-5555-0202"}
    with pytest.raises(requests.CorrectionError):
        requests.correct(req, pr_lead, "Bagas Pratama", "X")  # not this person's value


def test_erasure_deletes_the_contact_and_erases_the_values_from_the_trail(erase_req, head):
    result = erasure.erase(erase_req, head, outcome="Data dihapus.")
    assert result["erased"]["conferences.mediacontact"] == {"delete": 1}
    assert not MediaContact.objects.filter(journalist=NAME).exists()
    assert MediaContact.objects.filter(journalist="Bagas Pratama").exists()
    erase_req.refresh_from_db()
    assert erase_req.status == RequestStatus.COMPLETED
    assert erase_req.subject_query == erase_req.pseudonym == erase_req.requester
    dump = repr(list(AuditEntry.objects.values())) + repr(list(DataSubjectRequest.objects.values()))
    for value in (NAME, PHONE, EMAIL):
        assert value not in dump
    assert audit.verify() == []
    assert AuditEntry.objects.filter(action="audit.redact").count() == 1


def test_only_an_open_erasure_request_erases(access, head):
    with pytest.raises(erasure.ErasureRefused):
        erasure.erase(access, head)


# --- pages ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(access):
    client = client_for(None)
    for url in (reverse("subjectrequest-list"), reverse("subjectrequest-detail", args=[access.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_who_may_see_the_list(personas, access):
    expected = {
        "pr_staff": 403,
        "spokesperson": 403,
        "pr_lead": 200,
        "head": 200,
        "regional_supervisor": 200,
        "dg_supervisor": 200,
        "administrator": 200,
        "outsider": 403,
    }
    for name, status in expected.items():
        response = client_for(personas[name]).get(reverse("subjectrequest-list"))
        assert response.status_code == status, name
        if status == 200:
            assert (access.reference in response.content.decode()) is True, name


def test_another_office_sees_nothing(access, bali_supervisor):
    client = client_for(bali_supervisor)
    assert access.reference not in client.get(reverse("subjectrequest-list")).content.decode()
    assert client.get(reverse("subjectrequest-detail", args=[access.pk])).status_code == 404
    url = reverse("subjectrequest-export", args=[access.pk, "json"])
    assert client.post(url).status_code == 404


def test_who_may_open_the_detail(personas, access):
    url = reverse("subjectrequest-detail", args=[access.pk])
    for name, status in {
        "pr_staff": 404,
        "outsider": 404,
        "pr_lead": 200,
        "head": 200,
        "regional_supervisor": 200,
    }.items():
        response = client_for(personas[name]).get(url)
        assert response.status_code == status, name
    page = client_for(personas["pr_lead"]).get(url).content.decode()
    assert NAME in page and 'data-testid="export-json"' in page


def test_who_may_register_a_request(personas, offices):
    url = reverse("subjectrequest-create")
    for name in ("pr_staff", "regional_supervisor", "outsider"):
        assert client_for(personas[name]).get(url).status_code == 403, name
    client = client_for(personas["pr_lead"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "office": offices["soetta"].pk,
            "kind": RequestKind.ACCESS,
            "subject_kind": subjects.SubjectKind.ACCOUNT,
            "subject_query": "@warga_kritis",
            "requester": "Pemilik akun",
            "identification": "DM dari akun",
            "received_at": "01/12/2026 10.00",
        },
    )
    req = DataSubjectRequest.objects.get(subject_query="@warga_kritis")
    assert response.status_code == 302 and response["Location"].endswith(f"/{req.pk}/")
    assert req.due_at - req.received_at == timedelta(hours=72)
    assert AuditEntry.objects.filter(action="subjectrequest.create", object_id=str(req.pk)).exists()


def test_a_request_of_another_office_cannot_be_registered(pr_lead, offices):
    response = client_for(pr_lead).post(
        reverse("subjectrequest-create"),
        {
            "office": offices["jakpus"].pk,
            "kind": RequestKind.ACCESS,
            "subject_kind": subjects.SubjectKind.JOURNALIST,
            "subject_query": "X Y",
            "requester": "X",
            "identification": "KTP",
            "received_at": "01/12/2026 10.00",
        },
    )
    assert response.status_code == 200 and not DataSubjectRequest.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "html", "pdf"])
def test_who_may_export(personas, access, fmt):
    url = reverse("subjectrequest-export", args=[access.pk, fmt])
    assert client_for(personas["regional_supervisor"]).post(url).status_code == 403
    assert client_for(personas["pr_staff"]).post(url).status_code == 404
    response = client_for(personas["pr_lead"]).post(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    if fmt == "json":
        assert json.loads(response.content)["subject"]["identified_as"] == NAME
    elif fmt == "pdf":
        assert response.content.startswith(b"%PDF-")
    else:
        assert NAME in response.content.decode()
    entry = AuditEntry.objects.filter(action="subjectrequest.export").get()
    assert entry.after["format"] == fmt and NAME not in json.dumps(entry.after)
    assert client_for(personas["pr_lead"]).get(url).status_code == 405


def test_an_unknown_export_format_is_refused(pr_lead, access):
    url = reverse("subjectrequest-export", args=[access.pk, "xml"])
    assert client_for(pr_lead).post(url).status_code == 403


def test_who_may_correct(personas, contact, offices):
    req = _request(offices["soetta"], personas["pr_lead"], kind=RequestKind.CORRECTION)
    url = reverse("subjectrequest-correct", args=[req.pk])
    data = {"old": PHONE, "new": "0813-5555-0303"}
    assert client_for(personas["regional_supervisor"]).post(url, data).status_code == 403
    assert client_for(personas["outsider"]).post(url, data).status_code == 404
    response = client_for(personas["pr_lead"]).post(url, data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0813-5555-0303"
    bad = client_for(personas["pr_lead"]).post(url, {"old": "nobody", "new": "x"})
    assert bad.status_code == 400


def test_who_may_erase(personas, erase_req):
    url = reverse("subjectrequest-erase", args=[erase_req.pk])
    data = {"confirm": "on", "outcome": "Dihapus"}
    assert client_for(personas["pr_lead"]).post(url, data).status_code == 403
    assert client_for(personas["outsider"]).post(url, data).status_code == 404
    assert client_for(personas["head"]).post(url, {}).status_code == 400  # not confirmed
    assert MediaContact.objects.filter(journalist=NAME).exists()
    assert client_for(personas["head"]).post(url, data).status_code == 302
    assert not MediaContact.objects.filter(journalist=NAME).exists()
    page = client_for(personas["head"]).get(reverse("subjectrequest-detail", args=[erase_req.pk]))
    assert 'data-testid="erasure-result"' in page.content.decode()


def test_who_may_close(personas, access):
    url = reverse("subjectrequest-close", args=[access.pk])
    data = {"status": RequestStatus.COMPLETED, "outcome": "Salinan dikirim."}
    assert client_for(personas["regional_supervisor"]).post(url, data).status_code == 403
    assert client_for(personas["outsider"]).post(url, data).status_code == 404
    assert client_for(personas["pr_lead"]).post(url, data).status_code == 302
    access.refresh_from_db()
    assert access.status == RequestStatus.COMPLETED and access.completed_at is not None
    with transaction.atomic():
        assert AuditEntry.objects.filter(action="subjectrequest.close").exists()


def test_export_and_erasure_ask_a_stale_session_to_confirm_who_it_is(personas, erase_req):
    from prima.organizations import reauth

    client = client_for(personas["head"])
    session = client.session
    session[reauth.SESSION_KEY] = 0  # signed in long ago
    session.save()
    for url in (
        reverse("subjectrequest-export", args=[erase_req.pk, "json"]),
        reverse("subjectrequest-erase", args=[erase_req.pk]),
    ):
        response = client.post(url, {"confirm": "on"})
        assert response.status_code == 302 and "/accounts/reauth/" in response["Location"]
    assert MediaContact.objects.filter(journalist=NAME).exists()
    assert not AuditEntry.objects.filter(action="subjectrequest.export").exists()


def test_a_staff_member_is_pseudonymised_and_their_user_name_erased_only_as_a_whole(
    offices, pr_staff, head
):
    soetta = offices["soetta"]
    with transaction.atomic():
        audit.log(pr_staff, "office.update", soetta, after={"note": "rina mengecek"})
    req = requests.receive(
        head,
        soetta,
        kind=RequestKind.ERASURE,
        subject_kind=subjects.SubjectKind.STAFF,
        subject_query="rina",
        requester="Rina Wulandari",
        identification="Surat permohonan",
    )
    subj = requests.subject_of(req)
    assert "rina" in subj.exact
    # The user name is not looked for inside text ("rina" is also part of sentences).
    assert not subj.holds("rina mengecek") and subj.holds("Rina")
    erasure.erase(req, head)
    pr_staff.refresh_from_db()
    assert pr_staff.username == req.pseudonym and not pr_staff.is_active
    assert pr_staff.full_name == req.pseudonym and not pr_staff.email
    entry = AuditEntry.objects.filter(action="office.update").get()
    assert entry.actor_label == audit.REDACTED
    assert entry.after == {"note": "rina mengecek"}
    assert audit.verify() == []
