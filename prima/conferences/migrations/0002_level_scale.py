"""One level scale for the whole product: the three-step issue level (low, medium, high)
becomes the 1–4 scale of the crisis playbook (1 Rendah, 2 Sedang, 3 Tinggi, 4 Kritis).

A conference's "low/medium/high" becomes 1/2/3. A spokesperson cleared for "high" issues
was cleared for the top of the old scale, so they are cleared for 3 and 4.
"""

from django.db import migrations, models

FORWARD = {"low": "1", "medium": "2", "high": "3"}
BACKWARD = {"1": "low", "2": "medium", "3": "high", "4": "high"}


def to_numbers(apps, schema_editor):
    Conference = apps.get_model("conferences", "Conference")
    Spokesperson = apps.get_model("conferences", "Spokesperson")
    for old, new in FORWARD.items():
        Conference.objects.filter(level=old).update(level=new)
    for spokesperson in Spokesperson.objects.all():
        levels = set()
        for value in spokesperson.levels or []:
            if value == "high":
                levels |= {3, 4}
            elif value in FORWARD:
                levels.add(int(FORWARD[value]))
        spokesperson.levels = sorted(levels)
        spokesperson.save(update_fields=["levels"])


def to_codes(apps, schema_editor):
    Conference = apps.get_model("conferences", "Conference")
    Spokesperson = apps.get_model("conferences", "Spokesperson")
    for old, new in BACKWARD.items():
        Conference.objects.filter(level=old).update(level=new)
    for spokesperson in Spokesperson.objects.all():
        codes = {BACKWARD[str(v)] for v in spokesperson.levels or [] if str(v) in BACKWARD}
        spokesperson.levels = [c for c in ("low", "medium", "high") if c in codes]
        spokesperson.save(update_fields=["levels"])


class Migration(migrations.Migration):
    dependencies = [("conferences", "0001_initial")]

    operations = [
        migrations.RunPython(to_numbers, to_codes),
        migrations.AlterField(
            model_name="conference",
            name="level",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Low"), (2, "Medium"), (3, "High"), (4, "Critical")],
                default=1,
                verbose_name="issue level",
            ),
        ),
    ]
