from django.db import migrations


class Migration(migrations.Migration):
    """Post-event evaluation and indicators were built side by side."""

    dependencies = [
        ("evaluation", "0001_postevent_coverage"),
        ("evaluation", "0002_indicator_scheduler"),
    ]

    operations: list[migrations.operations.base.Operation] = []
