"""The checkpoints before discharge (discharge/catalogue.py)."""

from django.db import migrations

from ettervern.discharge.catalogue import ensure_checkpoints


def seed(apps, schema_editor):
    ensure_checkpoints(apps.get_model("discharge", "CheckpointType"))


class Migration(migrations.Migration):
    dependencies = [("discharge", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
