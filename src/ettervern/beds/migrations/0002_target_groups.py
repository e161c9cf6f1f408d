from django.db import migrations

# The words every unit uses for whom its programme is for (the search filters on them).
GROUPS = [
    ("voksne", "Voksne"),
    ("unge-voksne", "Unge voksne (18–25 år)"),
    ("kvinner", "Kvinner"),
    ("menn", "Menn"),
    ("lar", "Pasienter i LAR"),
    ("eldre", "Eldre (over 60 år)"),
    ("samtidig-psykisk-lidelse", "Samtidig psykisk lidelse (ROP)"),
    ("gravide-og-foreldre", "Gravide og foreldre med små barn"),
]


def add(apps, schema_editor):
    TargetGroup = apps.get_model("beds", "TargetGroup")
    for order, (code, name) in enumerate(GROUPS, start=1):
        TargetGroup.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def remove(apps, schema_editor):
    apps.get_model("beds", "TargetGroup").objects.filter(
        code__in=[code for code, _name in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("beds", "0001_programmes_agreements_bookings")]
    operations = [migrations.RunPython(add, remove)]
