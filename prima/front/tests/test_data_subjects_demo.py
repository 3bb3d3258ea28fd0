"""Data-subject requests on the demo: a subject-access export of a demo journalist holds
every place their data lives and nothing of anyone else, and erasure leaves no value
behind in any table or stored file while the audit chain still verifies.

"Every place" is found independently of the finders: every text column of every table
of the database is read with plain SQL, and every stored file's text (DOCX, PDF) is
searched. Runs on SQLite and on PostgreSQL (the suite's two passes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from prima.conferences.models import MediaContact
from prima.documents.privacy import document_text
from prima.organizations import audit, demo
from prima.organizations.models import AuditEntry, DataSubjectRequest, Office, User
from prima.organizations.privacy import declarations as pdp
from prima.organizations.privacy import erasure, requests, subjects
from prima.organizations.privacy.request_models import RequestKind

JOURNALIST = "Dewi Lestari"


@pytest.fixture
def demo_data(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # the demo refuses to load otherwise
    demo.load_all(lambda _text: None)
    settings.DEBUG = False
    return tmp_path / "media"


def _values(contact: MediaContact) -> list[str]:
    return [contact.journalist, contact.phone, contact.email]


def _pattern(values: list[str]) -> re.Pattern[str]:
    pattern = subjects.identifier_pattern(values)
    assert pattern is not None
    return pattern


def _tables_holding(pattern: re.Pattern[str]) -> dict[str, set[str]]:
    """table → primary keys (or "?" for a table without one) of the rows whose text holds
    a match, read with plain SQL from every table of the database."""
    found: dict[str, set[str]] = {}
    by_table = {m._meta.db_table: m for m in apps.get_models()}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            columns = [c[0] for c in cursor.description]
            model = by_table.get(table)
            pk = model._meta.pk.column if model is not None else None
            for row in cursor.fetchall():
                text = " ".join(
                    v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                    for v in row
                    if isinstance(v, str | dict | list)
                )
                # JSON columns store non-ASCII letters escaped on SQLite: decode them too.
                text += " " + text.encode("ascii", "ignore").decode("unicode_escape", "ignore")
                if pattern.search(text):
                    key = str(row[columns.index(pk)]) if pk in columns else "?"
                    found.setdefault(table, set()).add(key)
    return found


def _files_holding(root: Path, pattern: re.Pattern[str]) -> set[str]:
    held = set()
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            data = path.read_bytes()
            text = document_text(data) or data.decode("utf-8", "ignore")
            if pattern.search(text):
                held.add(str(path.relative_to(root)))
    return held


def _request(kind: str, query: str) -> DataSubjectRequest:
    lead = User.objects.get(username="kasihumas")
    return requests.receive(
        lead,
        Office.objects.get(code="kanim-soekarno-hatta"),
        kind=kind,
        subject_kind=subjects.SubjectKind.JOURNALIST,
        subject_query=query,
        requester=query,
        identification="KTP",
    )


def test_access_export_holds_every_place_and_erasure_leaves_no_value_behind(
    demo_data, django_capture_on_commit_callbacks
):
    contact = MediaContact.objects.get(journalist=JOURNALIST)
    others = MediaContact.objects.exclude(pk=contact.pk)
    req = _request(RequestKind.ACCESS, contact.phone)
    found = requests.findings(req)
    data = requests.export_data(req, found)

    # Every row of every table that holds her name, phone or e-mail is in the export.
    exported = {
        (apps.get_model(place["place"])._meta.db_table, str(record["id"]))
        for place in data["places"]
        for record in place["records"]
    }
    exported |= {(AuditEntry._meta.db_table, str(e.pk)) for e in found.entries}
    exported.add((DataSubjectRequest._meta.db_table, str(req.pk)))  # the request itself
    held = _tables_holding(_pattern(_values(contact)))
    # Rows of models that never hold a journalist (a letterhead's press contact is office
    # staff) that match by name are a namesake: the demo's press contact of one office is
    # also called Dewi Lestari. They must not be in her export.
    namesakes = {
        f.model._meta.db_table
        for f in subjects.finders()
        if subjects.SubjectKind.JOURNALIST not in f.kinds
    }
    missing = sorted(
        f"{table}#{pk}"
        for table, pks in held.items()
        for pk in pks
        if (table, pk) not in exported and table not in namesakes
    )
    assert not missing, f"held but not exported: {missing}"
    # Her data lives in many places of the demo: the register, invitations, attendance,
    # the question log, generated documents and the audit trail.
    places = {p["place"] for p in data["places"]}
    assert {
        "conferences.mediacontact",
        "conferences.invitation",
        "conferences.attendance",
        "documents.generateddocument",
    } <= places
    assert data["audit_trail"]
    # Every stored file that holds her name is in the export.
    files = _files_holding(demo_data, _pattern(_values(contact)))
    exported_files = {str(hit.fields["file"]) for hit in found.hits if "file" in hit.fields}
    assert files and files <= exported_files

    # Nothing of anyone else: no other journalist's name, phone or e-mail.
    text = json.dumps(data, ensure_ascii=False)
    for other in others:
        for value in _values(other):
            assert value not in text, value
    # Nor who else acted in the audit trail (staff names are other people's data).
    assert "kasihumas" not in json.dumps(data["audit_trail"])

    # The readable page and the PDF are made from the same data.
    html = requests.export_html(req, found)
    assert JOURNALIST in html and contact.phone in html
    assert requests.export_pdf(req, found).startswith(b"%PDF-")

    # --- then she asks for erasure (one test: the demo is loaded once) ---------------
    values = _values(contact)
    pattern = _pattern(values)
    req = _request(RequestKind.ERASURE, contact.email)
    head = User.objects.get(username="kakanim")

    # Stored files are deleted once the erasure commits.
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase(req, head, outcome="Dihapus sesuai permintaan.")

    left = {t: pks for t, pks in _tables_holding(pattern).items() if t not in namesakes}
    assert left == {}
    assert _files_holding(demo_data, pattern) == set()
    assert audit.verify() == []
    # Records of the public task are kept, pseudonymised; the register row is gone.
    req.refresh_from_db()
    erased = req.result["erased"]
    assert erased["conferences.mediacontact"] == {"delete": 1}
    assert erased["conferences.attendance"]["pseudonymise"] >= 1
    assert (
        apps.get_model("conferences.Attendance").objects.filter(journalist=req.pseudonym).exists()
    )
    assert req.result["audit_entries_erased"] > 0
    # The erasure is in the trail, without the values.
    entry = AuditEntry.objects.filter(action="audit.redact").get()
    assert not pattern.search(json.dumps(entry.after))
    # Another journalist is untouched.
    assert MediaContact.objects.filter(journalist="Ahmad Fauzi").exists()


def test_every_declared_identifier_is_searched_by_a_finder(db):
    """The declarations (record of processing) name the fields that identify a person;
    each of them must be searched when a data subject asks (the audit trail and the
    request itself are searched by audit.entries_holding and the erasure)."""
    searched = {
        f.model: set(f.fields) | {lk.split("__")[0] for lk in f.linked} for f in subjects.finders()
    }
    handled_elsewhere = {AuditEntry, DataSubjectRequest}
    missing = []
    # A model without a declaration is the record-of-processing test's failure, not this one's.
    for model in pdp.prima_models():
        declaration = pdp.declaration_of(model)
        if not isinstance(declaration, pdp.PersonalData) or model in handled_elsewhere:
            continue
        for lookup, fields in declaration.identifiers.items():
            if lookup in (pdp.Lookup.USER, pdp.Lookup.IP):
                continue  # the staff account itself, and addresses: not text of a person
            for name in fields:
                if name not in searched.get(model, set()):
                    missing.append(f"{model._meta.label}.{name} ({lookup})")
    assert not missing, missing
