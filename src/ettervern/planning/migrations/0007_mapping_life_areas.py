"""The mapping's life areas, as data: the central areas of the report's mapping of
functioning. More can be added (or retired with `active`) without code."""

from django.db import migrations

AREAS = [
    ("housing", "Bolig", "Housing"),
    ("economy", "Økonomi", "Economy"),
    ("activity", "Arbeid, utdanning og aktivitet", "Work, education and activity"),
    ("physical_health", "Fysisk helse", "Physical health"),
    ("mental_health", "Psykisk helse", "Mental health"),
    ("substance_use", "Rusbruk", "Substance use"),
    ("network", "Nettverk og relasjoner", "Network and relationships"),
    ("leisure", "Fritid", "Leisure"),
    ("daily_living", "Dagliglivets gjøremål", "Daily living"),
]


def seed(apps, schema_editor):
    LifeArea = apps.get_model("planning", "LifeArea")
    for position, (code, name_nb, name_en) in enumerate(AREAS, start=1):
        LifeArea.objects.update_or_create(
            code=code, defaults={"position": position, "name_nb": name_nb, "name_en": name_en})


def unseed(apps, schema_editor):
    apps.get_model("planning", "LifeArea").objects.filter(
        code__in=[code for code, _nb, _en in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0006_mapping")]
    operations = [migrations.RunPython(seed, unseed)]
