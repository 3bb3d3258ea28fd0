"""The audit entry format that can erase a data subject's values (audit.redact).

Existing entries keep format 1 here (their hash covers the values themselves); 0007
re-signs them in format 2.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_merge_0004_account_lifecycle_0004_twofactor"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="redacted",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
