"""Backup and restore of a whole installation: the database and the stored files.

One module for ``prima backup DIR`` and ``prima restore DIR`` (and for anything else
that takes or restores a backup). A backup folder holds:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while PRIMA keeps
  writing) or ``database.dump`` (``pg_dump`` custom format, taken in the same exported
  snapshot as the row counts, so both describe the same moment);
- ``files/``: every file of the storage PRIMA uses (``MEDIA_ROOT``), under its stored name;
- ``manifest.json``: PRIMA's version, the migration state, the database vendor, the row
  count of every table, and the path, size and SHA-256 of the database file and of every
  stored file, with the time taken; signed (HMAC) with the audit key, which is not in the
  backup.

A restore goes into an *empty* installation only (no data in any table, no stored file):
it checks every checksum of the folder first, brings back the database and the files,
checks the row counts and the files' checksums again, then verifies the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump/pg_restore, with argument lists, never a shell
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader

from prima.organizations import audit

MANIFEST = "manifest.json"
FILES_DIR = "files"
FORMAT = 1
CHUNK = 1024 * 1024
# Filled by `migrate` itself: their rows do not make an installation "not empty".
_BOOKKEEPING = {("contenttypes", "contenttype"), ("auth", "permission")}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int
    rows: int
    files: int
    seconds: float
    audit_total: int
    audit_problems: list[audit.Problem]
    checkpoint_problems: list[audit.Problem]
    migrations_missing: list[str] = field(default_factory=list)


def prima_version() -> str:
    try:
        return metadata.version("prima")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def sha256_of(handle: Any) -> tuple[int, str]:
    """(size, hex SHA-256) of an open binary file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def stored_names(storage: Storage | None = None, folder: str = "") -> Iterator[str]:
    """Every stored file's name, through the storage API (sorted, depth first)."""
    storage = storage or default_storage
    try:
        dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _safe_member(root: Path, name: str) -> Path:
    """``root/name`` for a stored name from a manifest, refusing anything that leaves
    ``root`` (absolute paths, ``..``)."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"The manifest names a file outside the backup: {name!r}.")
    return root.joinpath(*pure.parts)


# --- the database --------------------------------------------------------------------


def _vendor(using: str) -> str:
    return connections[using].vendor


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _count_rows(execute: Callable[[str], int], tables: list[str]) -> dict[str, int]:
    return {table: execute(f'SELECT COUNT(*) FROM "{table}"') for table in tables}  # noqa: S608


def _migrations_from(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        state.setdefault(app, []).append(name)
    return state


def _backup_sqlite(using: str, target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    source_path = connections[using].settings_dict["NAME"]
    source = sqlite3.connect(source_path, timeout=60)
    try:
        copy = sqlite3.connect(target)
        try:
            # One consistent snapshot of the whole database, WAL content included, while
            # other connections keep writing (they wait only for the copy's read).
            source.backup(copy)
            # A self-contained file: the copy inherits WAL mode, which would keep part of
            # it in a -wal file next to it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        tables = _count_rows(lambda sql: int(copy.execute(sql).fetchone()[0]), _sqlite_tables(copy))
        migrations = _migrations_from(
            copy.execute("SELECT app, name FROM django_migrations").fetchall()
        )
    finally:
        copy.close()
    return tables, migrations


def pg_tool(name: str, server_version_num: int) -> str:
    """The path of ``pg_dump``/``pg_restore`` of the server's major version (Debian's
    ``/usr/lib/postgresql/<major>/bin`` or ``PRIMA_BACKUP_PG_BIN_DIR``), else the one on
    the PATH."""
    candidates = []
    if settings.BACKUP_PG_BIN_DIR:
        candidates.append(Path(settings.BACKUP_PG_BIN_DIR) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_version_num // 10000}/bin") / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs of the server's "
            f"version, or set PRIMA_BACKUP_PG_BIN_DIR."
        )
    return found


def _pg_command(using: str, tool: str, *args: str) -> tuple[list[str], dict[str, str]]:
    client = connections[using].client
    base, extra_env = client.settings_to_cmd_args_env(connections[using].settings_dict, [])
    # base is [psql, -U user, -h host, -p port, dbname]: keep the connection options.
    dbname = base[-1]
    command = [tool, *base[1:-1], *args, "--dbname", dbname]
    return command, {**os.environ, **(extra_env or {})}


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit {done.returncode}): "
            f"{done.stderr.strip()[-2000:]}"
        )


def _backup_postgresql(using: str, target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    import psycopg

    wrapper = connections[using]
    conn = psycopg.connect(**wrapper.get_connection_params())
    try:
        with conn.cursor() as cursor:
            # The counts and pg_dump read the same exported snapshot: the manifest
            # describes exactly what the dump holds, while PRIMA keeps writing.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')")
            snapshot, version = cursor.fetchone()  # type: ignore[misc]
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            names = [row[0] for row in cursor.fetchall()]

            def count(sql: str) -> int:
                cursor.execute(sql)
                return int(cursor.fetchone()[0])  # type: ignore[index]

            tables = _count_rows(count, names)
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _migrations_from(cursor.fetchall())
            command, env = _pg_command(
                using,
                pg_tool("pg_dump", int(version)),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            )
            _run(command, env)
        conn.rollback()
    finally:
        conn.close()
    return tables, migrations


def _live_counts(using: str) -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        else:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        names = [row[0] for row in cursor.fetchall()]

        def count(sql: str) -> int:
            cursor.execute(sql)
            return int(cursor.fetchone()[0])

        return _count_rows(count, names)


# --- backup --------------------------------------------------------------------------


def backup(directory: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Take a backup of the database and of every stored file into ``directory`` (new or
    empty); returns the manifest (also written to ``manifest.json``).

    The database copy is consistent while PRIMA runs; files are copied afterwards, so a
    file stored meanwhile may be in the backup without its row (harmless), never the
    other way round unless a file is deleted while the backup runs. Costs a full read of
    the database and of ``MEDIA_ROOT``. Writes a ``system.backup`` audit entry.
    """
    started = time.monotonic()
    root = Path(directory)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BackupError(f"{root} exists and is not an empty folder: choose a new one.")
    root.mkdir(parents=True, exist_ok=True)
    vendor = _vendor(using)
    if vendor == "sqlite":
        db_name = "database.sqlite3"
        tables, migrations = _backup_sqlite(using, root / db_name)
    elif vendor == "postgresql":
        db_name = "database.dump"
        tables, migrations = _backup_postgresql(using, root / db_name)
    else:  # pragma: no cover - PRIMA supports these two
        raise BackupError(f"PRIMA cannot back up a {vendor} database.")
    with (root / db_name).open("rb") as handle:
        db_size, db_sha = sha256_of(handle)
    stored = []
    for name in stored_names():
        target = _safe_member(root / FILES_DIR, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        stored.append({"path": name, "size": size, "sha256": digest.hexdigest()})
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "prima_version": prima_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": db_name, "size": db_size, "sha256": db_sha},
        "migrations": migrations,
        "tables": tables,
        "files": stored,
        "seconds": round(time.monotonic() - started, 3),
    }
    key = audit.current_key()
    manifest["signature"] = {"key_id": key.id, "hmac": _signature(manifest, key.checkpoint)}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    with transaction.atomic(using=using):
        audit.log(
            None,
            "system.backup",
            None,
            object_type="system.backup",
            object_label=str(root)[:255],
            after=_summary(manifest),
        )
    return manifest


def _signature(manifest: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 of the manifest (without its signature) under the audit key, which is
    not part of the backup: whoever changes a file *and* its checksum cannot sign again."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, b"prima-backup-manifest-v1\0" + payload.encode(), "sha256").hexdigest()


def _signature_problem(manifest: dict[str, Any]) -> str | None:
    signature = manifest.get("signature")
    if not isinstance(signature, dict):
        return "manifest.json: not signed"
    key = audit.known_keys().get(str(signature.get("key_id")))
    if key is None:
        return (
            f"manifest.json: signed with audit key {signature.get('key_id')}, which is not "
            "configured (PRIMA_AUDIT_KEY or PRIMA_AUDIT_PREVIOUS_KEYS)"
        )
    if not hmac.compare_digest(str(signature.get("hmac")), _signature(manifest, key.checkpoint)):
        return "manifest.json: changed after the backup was taken (its signature does not match)"
    return None


def _summary(manifest: dict[str, Any]) -> dict[str, Any]:
    return {
        "created_at": manifest["created_at"],
        "prima_version": manifest["prima_version"],
        "vendor": manifest["database"]["vendor"],
        "database_sha256": manifest["database"]["sha256"],
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(manifest["files"]),
    }


# --- restore -------------------------------------------------------------------------


def read_manifest(directory: str | Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: this is not a PRIMA backup.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not readable JSON ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a PRIMA backup manifest of format {FORMAT}.")
    return manifest


def verify_backup(directory: str | Path) -> list[str]:
    """Every difference between the backup folder and its manifest: missing, changed or
    unlisted files (empty list = intact)."""
    root = Path(directory)
    manifest = read_manifest(root)
    problems = []
    if unsigned := _signature_problem(manifest):
        problems.append(unsigned)
    expected = {manifest["database"]["file"]: manifest["database"]}
    for entry in manifest["files"]:
        expected[f"{FILES_DIR}/{entry['path']}"] = entry
    for name, entry in expected.items():
        path = _safe_member(root, name)
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        with path.open("rb") as handle:
            size, sha = sha256_of(handle)
        if (size, sha) != (entry["size"], entry["sha256"]):
            problems.append(f"{name}: checksum differs from the manifest")
    present = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(expected))]
    return problems


def installation_problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Why this installation is not empty (empty list = a restore may go in): data in any
    table (a freshly migrated database is empty), or any stored file."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    problems = [f"MEDIA_ROOT holds files (e.g. {name})" for name in _first(stored_names())]
    for model in apps.get_models():
        meta = model._meta
        if (meta.app_label, meta.model_name) in _BOOKKEEPING or not meta.managed:
            continue
        if meta.db_table in existing and model._base_manager.using(using).exists():
            problems.append(f"the table {meta.db_table} holds data")
    return problems


def _first(names: Iterator[str]) -> list[str]:
    return [name for name, _ in zip(names, range(1), strict=False)]


def _code_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def restore(directory: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """Bring a backup back into this (empty) installation and check it.

    Refused, with nothing changed, when the folder does not match its manifest, when the
    backup comes from another database vendor or a newer PRIMA (migrations this code does
    not know), or when the installation holds any data or file. Afterwards the row count
    of every table and the checksum of every restored file are compared with the
    manifest, and the audit trail is verified (as ``prima verify-audit``); a
    ``system.restore`` audit entry records it. Costs a full write of the database and
    of the files.
    """
    started = time.monotonic()
    root = Path(directory)
    manifest = read_manifest(root)
    problems = verify_backup(root)
    if problems:
        raise BackupError(
            "The backup does not match its manifest; nothing was restored:\n  "
            + "\n  ".join(problems)
        )
    vendor = _vendor(using)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The backup is of a {manifest['database']['vendor']} database; this "
            f"installation uses {vendor}. Nothing was restored."
        )
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    in_code = _code_migrations()
    unknown = sorted(in_backup - in_code)
    if unknown:
        raise BackupError(
            "The backup was taken by a newer PRIMA (migrations this version does not know: "
            + ", ".join(f"{a}.{n}" for a, n in unknown[:5])
            + "). Install that version first. Nothing was restored."
        )
    problems = installation_problems(using)
    if problems:
        raise BackupError(
            "A backup is restored into an empty installation only (a new database, "
            "migrated or not, and an empty MEDIA_ROOT); here "
            + "; ".join(problems[:5])
            + ". Nothing was restored."
        )
    db_file = root / manifest["database"]["file"]
    connections[using].close()
    if vendor == "sqlite":
        _restore_sqlite(using, db_file)
    else:
        _restore_postgresql(using, db_file)
    connections[using].close()
    for entry in manifest["files"]:
        source = _safe_member(root / FILES_DIR, entry["path"])
        with source.open("rb") as handle:
            saved = default_storage.save(entry["path"], File(handle))
        if saved != entry["path"]:
            raise BackupError(f"{entry['path']} was stored as {saved}: MEDIA_ROOT not empty?")
    after = _check_restored(manifest, using)
    if after:
        raise BackupError(
            "The restored installation differs from the backup:\n  " + "\n  ".join(after)
        )
    trail = audit.verify_trail(settings.AUDIT_CHECKPOINT_FILE or None)
    report = RestoreReport(
        manifest=manifest,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["files"]),
        seconds=0.0,
        audit_total=trail.total,
        audit_problems=trail.problems,
        checkpoint_problems=trail.checkpoint_problems,
        migrations_missing=[f"{a}.{n}" for a, n in sorted(in_code - in_backup)],
    )
    with transaction.atomic(using=using):
        audit.log(
            None,
            "system.restore",
            None,
            object_type="system.restore",
            object_label=str(root)[:255],
            after={**_summary(manifest), "audit_problems": len(trail.problems)},
        )
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _restore_sqlite(using: str, db_file: Path) -> None:
    target = sqlite3.connect(connections[using].settings_dict["NAME"], timeout=60)
    try:
        source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            source.backup(target)  # replaces every page of the target, schema included
        finally:
            source.close()
    finally:
        target.close()


def _restore_postgresql(using: str, db_file: Path) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')")
        version = int(cursor.fetchone()[0])
    connections[using].close()
    command, env = _pg_command(
        using,
        pg_tool("pg_restore", version),
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        str(db_file),
    )
    _run(command, env)


def _check_restored(manifest: dict[str, Any], using: str) -> list[str]:
    problems = []
    counts = _live_counts(using)
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, the backup had {expected}")
    for entry in manifest["files"]:
        try:
            with default_storage.open(entry["path"], "rb") as handle:
                size, sha = sha256_of(handle)
        except FileNotFoundError:
            problems.append(f"{entry['path']}: not restored")
            continue
        if (size, sha) != (entry["size"], entry["sha256"]):
            problems.append(f"{entry['path']}: restored with another checksum")
    return problems
