"""Static data for the synthetic population.

Regions, hospital trusts and municipalities are real names (public institutions). Private
providers, GP practices and every person are invented. Organisation numbers, HPR numbers and
national identity numbers are generated (synthetic, with valid check digits), never real ones.
Unit names and role labels are Norwegian because they are data shown as-is, not UI strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ettervern.directory.models import Region


@dataclass(frozen=True)
class Trust:
    name: str
    region: str
    site: str  # where the TSB outpatient clinic and the residential unit are


@dataclass(frozen=True)
class Municipality:
    name: str
    trust: str  # the hospital trust whose catchment area it belongs to
    population: int  # thousands, rounded; weights where patients live


RHFS: dict[str, str] = {
    Region.SOR_OST: "Helse Sør-Øst RHF",
    Region.VEST: "Helse Vest RHF",
    Region.MIDT: "Helse Midt-Norge RHF",
    Region.NORD: "Helse Nord RHF",
}

TRUSTS: list[Trust] = [
    Trust("Oslo universitetssykehus HF", Region.SOR_OST, "Oslo"),
    Trust("Akershus universitetssykehus HF", Region.SOR_OST, "Lørenskog"),
    Trust("Vestre Viken HF", Region.SOR_OST, "Drammen"),
    Trust("Sykehuset Innlandet HF", Region.SOR_OST, "Hamar"),
    Trust("Sørlandet sykehus HF", Region.SOR_OST, "Kristiansand"),
    Trust("Sykehuset i Vestfold HF", Region.SOR_OST, "Tønsberg"),
    Trust("Sykehuset Telemark HF", Region.SOR_OST, "Skien"),
    Trust("Sykehuset Østfold HF", Region.SOR_OST, "Fredrikstad"),
    Trust("Helse Bergen HF", Region.VEST, "Bergen"),
    Trust("Helse Stavanger HF", Region.VEST, "Stavanger"),
    Trust("Helse Fonna HF", Region.VEST, "Haugesund"),
    Trust("Helse Førde HF", Region.VEST, "Førde"),
    Trust("St. Olavs hospital HF", Region.MIDT, "Trondheim"),
    Trust("Helse Møre og Romsdal HF", Region.MIDT, "Ålesund"),
    Trust("Helse Nord-Trøndelag HF", Region.MIDT, "Levanger"),
    Trust("Universitetssykehuset Nord-Norge HF", Region.NORD, "Tromsø"),
    Trust("Nordlandssykehuset HF", Region.NORD, "Bodø"),
    Trust("Helgelandssykehuset HF", Region.NORD, "Mo i Rana"),
    Trust("Finnmarkssykehuset HF", Region.NORD, "Hammerfest"),
]

_OUS, _AHUS, _VV, _SI, _SSHF, _SIV, _STHF, _SØ = (t.name for t in TRUSTS[:8])
_BERGEN, _STAVANGER, _FONNA, _FØRDE = (t.name for t in TRUSTS[8:12])
_STOLAV, _HMR, _HNT = (t.name for t in TRUSTS[12:15])
_UNN, _NLSH, _HSYK, _FIN = (t.name for t in TRUSTS[15:19])

MUNICIPALITIES: list[Municipality] = [
    Municipality("Oslo", _OUS, 717),
    Municipality("Lillestrøm", _AHUS, 90),
    Municipality("Lørenskog", _AHUS, 48),
    Municipality("Bærum", _VV, 130),
    Municipality("Drammen", _VV, 103),
    Municipality("Kongsberg", _VV, 28),
    Municipality("Hamar", _SI, 32),
    Municipality("Lillehammer", _SI, 29),
    Municipality("Gjøvik", _SI, 31),
    Municipality("Kristiansand", _SSHF, 117),
    Municipality("Arendal", _SSHF, 46),
    Municipality("Tønsberg", _SIV, 58),
    Municipality("Sandefjord", _SIV, 66),
    Municipality("Larvik", _SIV, 48),
    Municipality("Skien", _STHF, 56),
    Municipality("Porsgrunn", _STHF, 37),
    Municipality("Fredrikstad", _SØ, 85),
    Municipality("Sarpsborg", _SØ, 59),
    Municipality("Moss", _SØ, 51),
    Municipality("Bergen", _BERGEN, 290),
    Municipality("Askøy", _BERGEN, 30),
    Municipality("Stavanger", _STAVANGER, 147),
    Municipality("Sandnes", _STAVANGER, 83),
    Municipality("Haugesund", _FONNA, 38),
    Municipality("Stord", _FONNA, 19),
    Municipality("Sunnfjord", _FØRDE, 22),
    Municipality("Kinn", _FØRDE, 17),
    Municipality("Trondheim", _STOLAV, 214),
    Municipality("Orkland", _STOLAV, 18),
    Municipality("Ålesund", _HMR, 67),
    Municipality("Molde", _HMR, 32),
    Municipality("Kristiansund", _HMR, 24),
    Municipality("Steinkjer", _HNT, 24),
    Municipality("Levanger", _HNT, 20),
    Municipality("Namsos", _HNT, 15),
    Municipality("Tromsø", _UNN, 78),
    Municipality("Harstad", _UNN, 25),
    Municipality("Narvik", _UNN, 22),
    Municipality("Bodø", _NLSH, 53),
    Municipality("Vågan", _NLSH, 10),
    Municipality("Rana", _HSYK, 26),
    Municipality("Vefsn", _HSYK, 13),
    Municipality("Alta", _FIN, 21),
    Municipality("Hammerfest", _FIN, 11),
    Municipality("Sør-Varanger", _FIN, 10),
]

# Invented private providers (name, region, residential units). Any likeness is accidental.
PRIVATE_PROVIDERS: list[tuple[str, str, list[str]]] = [
    ("Fjordglimt Behandlingssenter AS", Region.SOR_OST,
     ["Fjordglimt døgnbehandling", "Fjordglimt ungdomstun"]),
    ("Stiftelsen Lyngtoppen", Region.SOR_OST, ["Lyngtoppen rehabiliteringstun"]),
    ("Kvistbakken Rusbehandling AS", Region.SOR_OST, ["Kvistbakken døgnavdeling"]),
    ("Havbris Behandlingstun AS", Region.VEST,
     ["Havbris døgnbehandling", "Havbris familieavdeling"]),
    ("Stiftelsen Myrull", Region.VEST, ["Myrull tun"]),
    ("Granlia Rehabilitering AS", Region.MIDT, ["Granlia døgnavdeling"]),
    ("Nordglød Behandlingssenter AS", Region.NORD,
     ["Nordglød døgnbehandling", "Nordglød avrusning"]),
]

# Invented GP practice names; each municipality gets one or two.
GP_PRACTICE_STEMS: list[str] = [
    "Elvekanten", "Måkeskjær", "Bryggetrappa", "Lindealléen", "Solsiden", "Furulunden",
    "Kaiplassen", "Nyhagen", "Bekkestien", "Tårnhagen", "Fjellgløtt", "Strandkanten",
]

GIVEN_NAMES: list[str] = [
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
    "Hilde", "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth",
    "Kristin", "Silje", "Hanne", "Camilla", "Tone", "Emma", "Nora", "Sara", "Thea", "Ingeborg",
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans",
    "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Jon", "Harald",
    "Anders", "Trond", "Espen", "Stian", "Magnus", "Jonas", "Henrik", "Sindre", "Ali", "Ahmed",
    "Fatima", "Piotr", "Agnieszka", "Mohammed", "Aisha", "Tomasz", "Sofia", "Mats", "Elin",
]

FAMILY_NAMES: list[str] = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen",
    "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berge",
    "Moe", "Nygård", "Bakke", "Kowalski", "Nowak", "Hussain", "Fredriksen", "Holm", "Lien",
    "Myhre", "Aas", "Tveit", "Vik", "Brekke", "Sæther", "Nordby", "Rønning", "Aune",
]

NEXT_OF_KIN_RELATIONS: list[str] = ["mor", "far", "søster", "bror", "ektefelle", "samboer",
                                    "datter", "sønn", "venn"]
