from django.db import migrations

# The standard tasks the transitions create (docs/decisions/0025-tasks.md): (transition, whom,
# Norwegian title, English title, working days until due, discharge checkpoint). Kept by
# superusers in the admin from here on.
STANDARD = [
    ("admission_date_set", "municipal_contact", "Planlegg oppfølging av bolig etter utskriving",
     "Plan housing follow-up after discharge", 10, "housing"),
    ("admission_date_set", "nav_contact", "Avklar økonomi og inntekt etter utskriving",
     "Clarify economy and income after discharge", 10, "economy"),
    ("discharge_date_set", "coordinator", "Avtal oppfølgingsmøtet etter utskriving",
     "Book the meeting after discharge", 5, "after_meeting_booked"),
    ("discharge_date_set", "coordinator", "Hold samarbeidsmøtet før utskriving",
     "Hold the cooperation meeting before discharge", 5, "before_meeting_held"),
    ("discharge_date_set", "coordinator", "Informer fastlegen om utskrivingen",
     "Inform the GP", 5, "gp_informed"),
    ("discharge_date_set", "gp", "Motta epikrisen etter utskriving",
     "Receive the discharge summary", 10, "gp_informed"),
    ("discharged", "municipal_contact", "Følg opp innen en uke etter utskriving",
     "Follow up within a week of discharge", 5, ""),
    ("handover", "coordinator", "Les planen og møt pasienten",
     "Read the plan and meet the patient", 5, ""),
    ("stay_cancelled", "coordinator", "Avtal med pasienten hva som skjer i stedet for oppholdet",
     "Agree with the patient what happens instead of the stay", 3, ""),
    ("user_controlled_started", "coordinator", "Følg opp etter det brukerstyrte oppholdet",
     "Follow up after the user-controlled stay", 7, ""),
]


def add(apps, schema_editor):
    StandardTask = apps.get_model("tasks", "StandardTask")
    for transition, whom, title_nb, title_en, days, checkpoint in STANDARD:
        StandardTask.objects.update_or_create(
            transition=transition, whom=whom, title_en=title_en,
            defaults={"title_nb": title_nb, "working_days": days, "checkpoint": checkpoint})


def remove(apps, schema_editor):
    StandardTask = apps.get_model("tasks", "StandardTask")
    for transition, whom, _nb, title_en, _days, _checkpoint in STANDARD:
        StandardTask.objects.filter(transition=transition, whom=whom, title_en=title_en,
                                    tasks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_tasks")]
    operations = [migrations.RunPython(add, remove)]
