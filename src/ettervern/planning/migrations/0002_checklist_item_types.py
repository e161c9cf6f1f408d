"""The starting checklist: the clarifications the report lists under "Før innleggelse"
(care duties, housing, pets, finances, allergies, work, network, other considerations, travel,
who follows up locally, the treatment and tapering plan before detox). Data, in Norwegian with
English names; administrators add, reorder and retire items in the admin.

Pathways already in pre-admission get their checklist here, as the phase change gives it to
those that enter it from now on."""

from django.db import migrations

# (key, name, English name, in plain words for the patient, guidance)
ITEM_TYPES = [
    ("care-duties-children", "Omsorgsoppgaver: barn", "Care duties: children",
     "Hvem som tar vare på barna dine mens du er borte",
     "Hvem har omsorgen for barn under oppholdet? Er barneverntjenesten kjent med oppholdet?"),
    ("care-duties-others", "Omsorgsoppgaver: andre", "Care duties: others",
     "Hvem som hjelper andre du har ansvar for",
     "Andre pasienten har omsorg for, for eksempel foreldre eller søsken."),
    ("housing", "Bolig: kontrakt og husleie", "Housing: contract and rent",
     "At boligen din er i orden, med kontrakt og husleie betalt",
     "Er leiekontrakten i orden, og er husleie betalt for perioden pasienten er borte?"),
    ("pets", "Kjæledyr", "Pets", "Hvem som passer dyrene dine", "Hvem passer husdyr?"),
    ("finances", "Økonomi og gjeld", "Finances and debt",
     "Pengene dine og eventuell gjeld",
     "Inntekt under oppholdet, regninger som forfaller, gjeld og behov for NAV."),
    ("allergies", "Allergier", "Allergies", "Allergier du har",
     "Allergier og overfølsomhet som behandlingsstedet må vite om."),
    ("work-activity", "Arbeid og aktivitet", "Work and activity",
     "Jobb, skole eller aktiviteter du har",
     "Arbeidsgiver, skole eller aktivitetstilbud: hva må ordnes før oppholdet?"),
    ("network", "Nettverk", "Network", "Hvem du har rundt deg",
     "Pårørende og andre i nettverket: hvem kan og vil bidra, og hva har pasienten samtykket "
     "til?"),
    ("other", "Øvrige hensyn", "Other considerations", "Annet som er viktig for deg",
     "Annet som må tas hensyn til før innleggelse."),
    ("travel", "Reise og behov for bistand", "Travel and assistance needed",
     "Hvordan du kommer deg til behandlingsstedet, og om du trenger følge",
     "Avtal reisemåte og om pasienten trenger bistand eller følge."),
    ("local-follow-up", "Hvem følger opp lokalt", "Who follows up locally",
     "Hvem som følger deg opp der du bor",
     "Hvem i kommunen (og eventuelt NAV og fastlege) følger opp før, under og etter oppholdet?"),
    ("treatment-plan", "Behandlingsplan og nedtrappingsplan før avrusning",
     "Treatment and tapering plan before detox",
     "Planen for behandlingen din, og for nedtrapping hvis det trengs",
     "Før eventuell avrusning lager det polikliniske teamet en behandlingsplan sammen med "
     "pasienten, med plan for nedtrapping dersom det er aktuelt."),
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    ItemType = apps.get_model("planning", "ChecklistItemType")
    Item = apps.get_model("planning", "ChecklistItem")
    Pathway = apps.get_model("pathways", "Pathway")
    types = []
    for order, (key, name, name_en, plain, guidance) in enumerate(ITEM_TYPES, start=1):
        item_type, _created = ItemType.objects.get_or_create(key=key, defaults={
            "name": name, "name_en": name_en, "patient_text": plain, "description": guidance,
            "order": order * 10})
        types.append(item_type)
    waiting = list(Pathway.objects.filter(phase="pre_admission").values_list("pk", flat=True))
    for chunk_start in range(0, len(waiting), 1000):
        chunk = waiting[chunk_start:chunk_start + 1000]
        Item.objects.bulk_create(
            [Item(pathway_id=pk, item_type=t) for pk in chunk for t in types],
            ignore_conflicts=True)


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("planning", "ChecklistItem").objects.all().delete()
    apps.get_model("planning", "ChecklistItemType").objects.filter(
        key__in=[row[0] for row in ITEM_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_checklist"), ("pathways", "0005_text_limits")]
    operations = [migrations.RunPython(load, unload)]
