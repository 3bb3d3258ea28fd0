"""The backup and restore drill (``prima backup DIR``, ``prima restore DIR``).

Data of several apps (offices and people, a conference with an evidence file, a file
import, the demo service catalogue) is backed up; the backup is restored by the real
command into another database and another media folder (a new SQLite file, or a new
PostgreSQL database on the same server), and every table's row count and every file's
checksum are compared. A tampered backup and a non-empty installation are refused with
nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from prima.catalogue import demo as catalogue_demo
from prima.conferences import checklists, workflow
from prima.conferences.models import ConferenceType, EvidenceKind
from prima.monitoring import services as monitoring
from prima.monitoring.models import Source, SourceKind
from prima.organizations import audit, backup
from prima.organizations.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(media, offices, pr_staff, head):
    checklists.ensure_templates()
    conference = workflow.create_conference(
        pr_staff, office=offices["soetta"], type=ConferenceType.REGULAR, title="Rilis bulanan"
    )
    item = conference.checklist_items.filter(evidence_kind=EvidenceKind.FILE).first()
    upload = SimpleUploadedFile("Daftar hadir.pdf", b"%PDF-1.4\n% bukti kehadiran\n")
    workflow.complete_item(pr_staff, item, file=upload)  # type: ignore[arg-type]
    source = Source.objects.create(
        office=offices["soetta"], name="Ekspor", kind=SourceKind.SOCIAL_IMPORT
    )
    monitoring.start_file_import(
        pr_staff,
        source,
        ContentFile(b"text,likes\nAntrean panjang di terminal 3,4\n", name="ekspor.csv"),
        mapping={"fields": {"text": ["text"]}},
        enqueue=False,
    )
    catalogue_demo.load_catalogue(lambda _line: None)


def _media_checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _target_database(tmp_path: Path):
    """(DATABASE_URL of a new, empty database, a function counting its tables' rows,
    a clean-up function)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def counts() -> dict[str, int]:
            db = sqlite3.connect(path)
            try:
                return backup._count_rows(
                    lambda sql: int(db.execute(sql).fetchone()[0]), backup._sqlite_tables(db)
                )
            finally:
                db.close()

        return f"sqlite:///{path}", counts, lambda: None
    import psycopg

    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{name}"

    def pg_counts() -> dict[str, int]:
        with psycopg.connect(**{**params, "dbname": name}) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            names = [row[0] for row in cursor.fetchall()]

            def count(sql: str) -> int:
                cursor.execute(sql)
                return int(cursor.fetchone()[0])

            return backup._count_rows(count, names)

    def drop() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, pg_counts, drop


def _prima(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url, PRIMA_MEDIA_ROOT=str(media_root))
    return subprocess.run(  # noqa: S603 - our own manage.py with the test's interpreter
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_backup_restored_elsewhere_has_every_row_and_every_file(data, media, tmp_path):
    source_files = _media_checksums(media)
    assert len(source_files) == 2  # the evidence and the import
    manifest = backup.backup(tmp_path / "backup")
    on_disk = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert on_disk == manifest and manifest["signature"]["hmac"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == source_files
    assert "organizations" in manifest["migrations"]
    live = backup._live_counts("default")
    # The backup's own audit entry came after the snapshot.
    assert (
        live.pop("organizations_auditentry") == manifest["tables"]["organizations_auditentry"] + 1
    )
    assert {t: n for t, n in manifest["tables"].items() if t in live} == live
    assert manifest["tables"]["conferences_checklistitem"] > 0
    assert AuditEntry.objects.filter(action="system.backup").count() == 1

    url, counts, drop = _target_database(tmp_path)
    try:
        done = _prima("restore", str(tmp_path / "backup"), database_url=url,
                      media_root=tmp_path / "restored-media")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Audit trail intact" in done.stdout
        restored = counts()
        # ...and the restore's own audit entry after it.
        assert restored.pop("organizations_auditentry") == (
            manifest["tables"]["organizations_auditentry"] + 1
        )
        expected = {t: n for t, n in manifest["tables"].items() if t != "organizations_auditentry"}
        assert restored == expected
        assert _media_checksums(tmp_path / "restored-media") == source_files

        # A second restore into the same (no longer empty) installation is refused.
        again = _prima("restore", str(tmp_path / "backup"), database_url=url,
                       media_root=tmp_path / "restored-media")  # fmt: skip
        assert again.returncode == 1
        assert "empty installation only" in again.stderr
    finally:
        drop()


def test_a_tampered_backup_is_refused_before_anything_changes(data, media, tmp_path):
    manifest = backup.backup(tmp_path / "backup")
    evidence = next(f for f in manifest["files"] if f["path"].startswith("conferences/"))
    stored = tmp_path / "backup" / "files" / evidence["path"]
    stored.write_bytes(stored.read_bytes().replace(b"bukti", b"palsu"))
    empty = tmp_path / "empty-media"
    url, counts, drop = _target_database(tmp_path)
    try:
        done = _prima("restore", str(tmp_path / "backup"), database_url=url, media_root=empty)
        assert done.returncode == 1
        assert "does not match its manifest" in done.stderr
        assert f"files/{evidence['path']}: checksum differs" in done.stderr
        assert counts() == {}  # nothing restored
        assert not empty.exists() or not any(empty.rglob("*"))
    finally:
        drop()


def test_a_changed_database_copy_or_an_extra_file_is_refused(data, tmp_path):
    manifest = backup.backup(tmp_path / "backup")
    (tmp_path / "backup" / "files" / "extra.txt").write_text("ditambahkan")
    with (tmp_path / "backup" / manifest["database"]["file"]).open("ab") as db:
        db.write(b"\0")
    problems = backup.verify_backup(tmp_path / "backup")
    assert problems == [
        f"{manifest['database']['file']}: checksum differs from the manifest",
        "files/extra.txt: not in the manifest",
    ]
    with pytest.raises(backup.BackupError, match="nothing was restored"):
        backup.restore(tmp_path / "backup")


def test_a_restore_into_an_installation_with_data_is_refused(data, tmp_path):
    backup.backup(tmp_path / "backup")
    before = AuditEntry.objects.count()
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(tmp_path / "backup")
    message = str(refused.value)
    assert "empty installation only" in message
    assert "organizations_office holds data" in message
    assert "MEDIA_ROOT holds files" in message
    assert AuditEntry.objects.count() == before


def test_a_backup_goes_into_a_new_or_empty_folder_only(data, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(backup.BackupError, match="not an empty folder"):
        backup.backup(tmp_path / "used")


def test_a_manifest_naming_files_outside_the_backup_is_refused(data, tmp_path):
    backup.backup(tmp_path / "backup")
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["files"].append({"path": "../../etc/passwd", "size": 1, "sha256": "0"})
    path.write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="outside the backup"):
        backup.restore(tmp_path / "backup")


def test_the_operations_guide_points_to_the_commands_not_to_hand_written_shell():
    guide = (settings.BASE_DIR / "docs" / "operations.md").read_text()
    section = guide[guide.index("## Backup and restore") : guide.index("## Upgrading")]
    assert "prima backup /backup/" in section and "prima restore /backup/" in section
    for hand_made in ("pg_dump -Fc", "pg_restore ", ".backup '", "VACUUM INTO", "tar -C"):
        assert hand_made not in section, hand_made
    assert "take a backup (above)" in guide[guide.index("## Upgrading") :]


def test_the_backup_command_reports_what_it_wrote_and_refuses_a_used_folder(data, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("backup", str(tmp_path / "b"), stdout=out)
    assert "Backup written to" in out.getvalue() and "2 stored files" in out.getvalue()
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", str(tmp_path / "b"))


def test_a_file_changed_together_with_its_checksum_is_refused_by_the_signature(data, tmp_path):
    backup.backup(tmp_path / "backup")
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    entry = manifest["files"][0]
    stored = tmp_path / "backup" / "files" / entry["path"]
    stored.write_bytes(b"palsu")
    entry["size"], entry["sha256"] = 5, hashlib.sha256(b"palsu").hexdigest()
    path.write_text(json.dumps(manifest))
    assert backup.verify_backup(tmp_path / "backup") == [
        "manifest.json: changed after the backup was taken (its signature does not match)"
    ]
    manifest.pop("signature")
    path.write_text(json.dumps(manifest))
    assert backup.verify_backup(tmp_path / "backup") == ["manifest.json: not signed"]


def test_a_backup_of_a_newer_prima_is_refused(data, tmp_path, settings):
    backup.backup(tmp_path / "backup")
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["migrations"]["organizations"].append("9999_from_the_future")
    key = audit.current_key()
    manifest["signature"]["hmac"] = backup._signature(manifest, key.checkpoint)
    path.write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="newer PRIMA"):
        backup.restore(tmp_path / "backup")
