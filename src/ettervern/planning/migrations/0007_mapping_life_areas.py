"""The mapping's life areas, as data (planning/mapping/areas.py)."""

from django.db import migrations

from ettervern.planning.mapping.areas import AREAS, ensure_areas


def seed(apps, schema_editor):
    ensure_areas(apps.get_model("planning", "LifeArea"))


def unseed(apps, schema_editor):
    apps.get_model("planning", "LifeArea").objects.filter(
        code__in=[code for code, _nb, _en in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0006_mapping")]
    operations = [migrations.RunPython(seed, unseed)]
