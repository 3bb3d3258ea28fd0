"""Full-text index over Mention.search_text: FTS5 on SQLite, GIN on PostgreSQL.

Both index the same Python-normalised text (see prima.monitoring.search); the SQL runs
only on the matching database vendor.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE monitoring_mention_fts USING fts5("
    "search_text, content='monitoring_mention', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER monitoring_mention_fts_ai AFTER INSERT ON monitoring_mention BEGIN "
    "INSERT INTO monitoring_mention_fts(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    "CREATE TRIGGER monitoring_mention_fts_ad AFTER DELETE ON monitoring_mention BEGIN "
    "INSERT INTO monitoring_mention_fts(monitoring_mention_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER monitoring_mention_fts_au AFTER UPDATE OF search_text ON monitoring_mention "
    "BEGIN "
    "INSERT INTO monitoring_mention_fts(monitoring_mention_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO monitoring_mention_fts(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    # Rows that existed before the index (none on a fresh install).
    "INSERT INTO monitoring_mention_fts(monitoring_mention_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS monitoring_mention_fts_au",
    "DROP TRIGGER IF EXISTS monitoring_mention_fts_ad",
    "DROP TRIGGER IF EXISTS monitoring_mention_fts_ai",
    "DROP TABLE IF EXISTS monitoring_mention_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX monitoring_mention_fts ON monitoring_mention "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS monitoring_mention_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
