"""The sections of the report's template "INDIVIDUELL PLAN FOR INTEGRERT ETTERVERN", as data
(planning/plan/sections.py holds them)."""

from django.db import migrations

from ettervern.planning.plan.sections import TEMPLATE, ensure_template


def seed(apps, schema_editor):
    ensure_template(apps.get_model("planning", "SectionType"))


def unseed(apps, schema_editor):
    apps.get_model("planning", "SectionType").objects.filter(
        key__in=[row[0] for row in TEMPLATE]).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_plan")]
    operations = [migrations.RunPython(seed, unseed)]
