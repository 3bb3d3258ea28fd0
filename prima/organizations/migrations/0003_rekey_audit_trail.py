"""Sign the audit entries written with the plain SHA-256 chain with the audit key.

The trail is verified first: an intact trail is re-signed (every existing entry then
verifies under PRIMA_AUDIT_KEY); a trail that already has problems is left as it is, so
that `prima verify-audit` keeps showing them (see `prima audit-rekey` in
docs/commands.md).
"""

import sys

from django.db import migrations


def rekey_legacy_entries(apps, schema_editor):
    from prima.organizations import audit

    entry = apps.get_model("organizations", "AuditEntry")
    head = apps.get_model("organizations", "AuditChainHead")
    if not entry.objects.exists():
        return
    try:
        count = audit.rekey(model=entry, head_model=head, log_entry=False)
    except audit.RekeyRefused as exc:
        sys.stdout.write(
            f"\n  The audit trail had {len(exc.problems)} problem(s) before this upgrade; "
            "its entries were left unsigned. Run `prima verify-audit`, then see "
            "`prima audit-rekey` in docs/commands.md.\n"
        )
        return
    if count:
        sys.stdout.write(f"\n  {count} audit entries signed with the audit key.\n")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_auditentry_key_id"),
    ]

    operations = [
        migrations.RunPython(rekey_legacy_entries, migrations.RunPython.noop),
    ]
