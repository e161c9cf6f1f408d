# Free text gets a limit (pathways.models.*_MAX_LENGTH; constraints in 0005). Text written
# before the limit existed and longer than it is shortened first, ending in "…", so that the
# constraints can be added; see docs/decisions/0011-api-limits-and-errors.md.
# Its own migration (own transaction), so PostgreSQL adds the constraints after these updates.

from django.db import migrations

LIMITS = [("Pathway", "note", 2000), ("Pathway", "referrer", 200),
          ("PhaseTransition", "note", 2000), ("CoordinatorHandover", "reason", 1000),
          ("Stay", "cancel_reason", 1000)]


def shorten_long_texts(apps, schema_editor):
    from django.db.models import F
    from django.db.models.functions import Length

    for model_name, field, limit in LIMITS:
        model = apps.get_model("pathways", model_name)
        long = model.objects.annotate(_length=Length(field)).filter(_length__gt=limit)
        for row in long.only("pk", field):
            text = getattr(row, field)[:limit - 1] + "…"
            changes = {field: text}
            if model_name in ("Pathway", "Stay"):  # a reader holding the old version reloads
                changes["version"] = F("version") + 1
            model.objects.filter(pk=row.pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ('pathways', '0003_stay_cancel_reason'),
    ]

    operations = [
        migrations.RunPython(shorten_long_texts, migrations.RunPython.noop),
    ]
