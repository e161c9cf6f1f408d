"""The starting catalogue: the report's table "Eksempler på tilbud som kan inngå i integrert
ettervern" (Integrert ettervern – gode forløp, hvordan får vi det til?), one generic offer per
bullet. The rows are data, in Norwegian as the report writes them; administrators edit, add and
retire offers in the admin afterwards. Written out here, not read from a file, so that the
migration gives the same catalogue for ever."""

from django.db import migrations

SPECIALIST, MUNICIPALITY, NAV, NEXT_OF_KIN = "specialist", "municipality", "nav", "next_of_kin"

# (level, name, description, can start before discharge)
OFFERS = [
    (SPECIALIST, "Brukerstyrt seng",
     "Korte innleggelser pasienten selv tar initiativ til, etter avtale for en periode etter "
     "utskrivelse.", False),
    (SPECIALIST, "Brukerstyrt poliklinikk",
     "Pasienten tar selv kontakt med poliklinikken og får time uten ny henvisning.", False),
    (SPECIALIST, "Ambulant virksomhet",
     "Behandlere fra spesialisthelsetjenesten møter pasienten hjemme eller i nærmiljøet.", True),
    (SPECIALIST, "FACT-team eller andre samhandlingsteam",
     "Tverrfaglig team der spesialisthelsetjenesten og kommunen følger opp sammen.", True),
    (SPECIALIST, "Andre forsterkede tiltak",
     "Tettere oppfølging i overgangen fra døgnbehandling.", True),
    (SPECIALIST, "Digital eller telefonisk oppfølging",
     "Oppfølging på video eller telefon, også mens pasienten er innlagt.", True),
    (SPECIALIST, "IPS – jobbspesialister i samarbeid med NAV",
     "Individuell jobbstøtte knyttet til behandlingen.", True),
    (SPECIALIST, "Gruppetilbud",
     "For eksempel psykoedukative grupper som kan fortsette etter behandlingen.", True),
    (MUNICIPALITY, "Helse- og omsorgstjenester",
     "Kommunens helse- og omsorgstjenester etter behov.", True),
    (MUNICIPALITY, "Samtaler og oppfølging",
     "Samtaler og oppfølging, også digitalt eller på telefon.", True),
    (MUNICIPALITY, "Fastlege", "Oppfølging hos fastlegen.", True),
    (MUNICIPALITY, "IPS – jobbspesialister i samarbeid med NAV",
     "Individuell jobbstøtte i kommunen, sammen med NAV.", True),
    (MUNICIPALITY, "Kurs, opplæring og gruppetilbud", "", True),
    (MUNICIPALITY, "Nettverksmøter",
     "Møter med pasienten, nettverket og tjenestene.", True),
    (MUNICIPALITY, "Arbeids- og aktivitetstilbud", "", True),
    (MUNICIPALITY, "Tjenester i hjemmet", "", False),
    (MUNICIPALITY, "FACT-team eller andre samhandlingsteam",
     "Tverrfaglig team der kommunen og spesialisthelsetjenesten følger opp sammen.", True),
    (MUNICIPALITY, "Bolig til vanskeligstilte på boligmarkedet",
     "Bolig til personer som blir vurdert til å være vanskeligstilt på boligmarkedet, jf. lov "
     "om kommunens ansvar på det boligsosiale feltet.", True),
    (NAV, "Økonomisk rådgivning", "", True),
    (NAV, "Økonomiske ytelser", "", True),
    (NAV, "Tilrettelegging for arbeid og utdanning", "", True),
    (NAV, "IPS – jobbspesialister", "Individuell jobbstøtte fra NAV.", True),
    (NAV, "Midlertidig botilbud", "", True),
    (NEXT_OF_KIN, "Nettverksmøter med pårørende",
     "Møter med pasienten, pårørende og tjenestene.", True),
    (NEXT_OF_KIN, "Pårørendegrupper", "", True),
    (NEXT_OF_KIN, "Pårørendedager", "", True),
    (NEXT_OF_KIN, "Helgeopphold for pårørende", "", True),
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Offer = apps.get_model("catalogue", "Offer")
    for level, name, description, before in OFFERS:
        Offer.objects.get_or_create(
            level=level, name=name, organisation=None,
            defaults={"description": description, "starts_before_discharge": before})


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    Offer = apps.get_model("catalogue", "Offer")
    for level, name, _description, _before in OFFERS:
        Offer.objects.filter(level=level, name=name, organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_offers")]
    operations = [migrations.RunPython(load, unload)]
