"""Re-sign the audit trail in format 2 (the hash covers keyed digests of the values that
may hold personal data), so that a data subject's values can be erased later while the
chain still verifies (audit.redact, docs/data-subject-requests.md).

As with 0003, the trail is verified first: an intact trail is re-signed; a trail with
problems is left as it is, so that `prima verify-audit` keeps showing them (then see
`prima audit-rekey`). Hashes change: take a new checkpoint afterwards.
"""

import sys

from django.db import migrations


def resign_in_digest_format(apps, schema_editor):
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
            "its entries were left in the old format. Run `prima verify-audit`, then see "
            "`prima audit-rekey` in docs/commands.md.\n"
        )
        return
    if count:
        sys.stdout.write(
            f"\n  {count} audit entries re-signed in the erasable format; take a new "
            "checkpoint (prima audit-checkpoint).\n"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0006_auditentry_version_redacted"),
    ]

    operations = [
        migrations.RunPython(resign_in_digest_format, migrations.RunPython.noop),
    ]
