"""All 357 municipalities (kommuner) of Norway, for the national synthetic directory.

Numbers, names and populations are public facts (Statistics Norway's classification, 2025
figures); the two pairs of namesakes carry their county, as Statistics Norway writes them.
Which hospital trust's catchment area a municipality belongs to follows the county, with the
known exceptions (Asker and Bærum to Vestre Viken, northern Rogaland and Sunnhordland to Fonna,
the former Sogn og Fjordane to Førde, the former Nord-Trøndelag to Nord-Trøndelag, Helgeland,
Narvik and Evenes to UNN); rounded, not authoritative.
"""

from __future__ import annotations

from dataclasses import dataclass

from ettervern.demo import data

# number|name|population, several to a line.
_TABLE = """
0301|Oslo|717710  1101|Eigersund|15221  1103|Stavanger|149048  1106|Haugesund|38292
1108|Sandnes|83702  1111|Sokndal|3347  1112|Lund|3226  1114|Bjerkreim|2892  1119|Hå|19827
1120|Klepp|20900  1121|Time|19910  1122|Gjesdal|12362  1124|Sola|28685  1127|Randaberg|11742
1130|Strand|13703  1133|Hjelmeland|2643  1134|Suldal|3889  1135|Sauda|4572  1144|Kvitsøy|544
1145|Bokn|883  1146|Tysvær|11570  1149|Karmøy|43306  1151|Utsira|215  1160|Vindafjord|8938
1505|Kristiansund|24404  1506|Molde|32816  1508|Ålesund|58509  1511|Vanylven|3026
1514|Sande|2438  1515|Herøy_(Møre_og_Romsdal)|8968  1516|Ulstein|8861  1517|Hareid|5322
1520|Ørsta|10958  1525|Stranda|4348  1528|Sykkylven|7617  1531|Sula|9720  1532|Giske|8691
1535|Vestnes|7147  1539|Rauma|7299  1547|Aukra|3678  1554|Averøy|5955  1557|Gjemnes|2700
1560|Tingvoll|3041  1563|Sunndal|7227  1566|Surnadal|5953  1573|Smøla|2159  1576|Aure|3408
1577|Volda|11093  1578|Fjord|2492  1579|Hustadvika|13437  1580|Haram|9357  1804|Bodø|53712
1806|Narvik|21580  1811|Bindal|1399  1812|Sømna|1976  1813|Brønnøy|7826  1815|Vega|1208
1816|Vevelstad|480  1818|Herøy_(Nordland)|1842  1820|Alstahaug|7421  1822|Leirfjord|2352
1824|Vefsn|13469  1825|Grane|1447  1826|Hattfjelldal|1284  1827|Dønna|1427  1828|Nesna|1808
1832|Hemnes|4485  1833|Rana|25994  1834|Lurøy|1886  1835|Træna|442  1836|Rødøy|1139
1837|Meløy|6180  1838|Gildeskål|1958  1839|Beiarn|1062  1840|Saltdal|4880  1841|Fauske|9827
1845|Sørfold|1858  1848|Steigen|2672  1851|Lødingen|2060  1853|Evenes|1330  1856|Røst|460
1857|Værøy|683  1859|Flakstad|1229  1860|Vestvågøy|11619  1865|Vågan|9793  1866|Hadsel|8236
1867|Bø|2634  1868|Øksnes|4569  1870|Sortland|10618  1871|Andøy|4553  1874|Moskenes|954
1875|Hamarøy|2729  3101|Halden|31935  3103|Moss|52051  3105|Sarpsborg|59771
3107|Fredrikstad|85230  3110|Hvaler|4787  3112|Råde|7883  3114|Våler_(Østfold)|6145
3116|Skiptvet|3919  3118|Indre_Østfold|47006  3120|Rakkestad|8420  3122|Marker|3658
3124|Aremark|1347  3201|Bærum|130921  3203|Asker|98815  3205|Lillestrøm|94201
3207|Nordre_Follo|63560  3209|Ullensaker|43814  3212|Nesodden|20521  3214|Frogn|16244
3216|Vestby|19493  3218|Ås|22005  3220|Enebakk|11482  3222|Lørenskog|48188
3224|Rælingen|20099  3226|Aurskog-Høland|18058  3228|Nes|24645  3230|Gjerdrum|7398
3232|Nittedal|25882  3234|Lunner|9357  3236|Jevnaker|7037  3238|Nannestad|16126
3240|Eidsvoll|27916  3242|Hurdal|3041  3301|Drammen|104487  3303|Kongsberg|28848
3305|Ringerike|31581  3310|Hole|6989  3312|Lier|28470  3314|Øvre_Eiker|20779  3316|Modum|14665
3318|Krødsherad|2241  3320|Flå|1115  3322|Nesbyen|3301  3324|Gol|4986  3326|Hemsedal|2666
3328|Ål|5007  3330|Hol|4496  3332|Sigdal|3526  3334|Flesberg|2781  3336|Rollag|1395
3338|Nore_og_Uvdal|2486  3401|Kongsvinger|18058  3403|Hamar|32879  3405|Lillehammer|28768
3407|Gjøvik|30903  3411|Ringsaker|35612  3412|Løten|7929  3413|Stange|21605
3414|Nord-Odal|4992  3415|Sør-Odal|8112  3416|Eidskog|6040  3417|Grue|4532  3418|Åsnes|7339
3419|Våler_(Innlandet)|3615  3420|Elverum|21761  3421|Trysil|6566  3422|Åmot|4289
3423|Stor-Elvdal|2276  3424|Rendalen|1837  3425|Engerdal|1361  3426|Tolga|1604
3427|Tynset|5692  3428|Alvdal|2526  3429|Folldal|1532  3430|Os|1891  3431|Dovre|2503
3432|Lesja|1983  3433|Skjåk|2141  3434|Lom|2212  3435|Vågå|3531  3436|Nord-Fron|5586
3437|Sel|5756  3438|Sør-Fron|3119  3439|Ringebu|4413  3440|Øyer|5124  3441|Gausdal|6177
3442|Østre_Toten|14840  3443|Vestre_Toten|13691  3446|Gran|13593  3447|Søndre_Land|5587
3448|Nordre_Land|6510  3449|Sør-Aurdal|2836  3450|Etnedal|1366  3451|Nord-Aurdal|6562
3452|Vestre_Slidre|2112  3453|Øystre_Slidre|3298  3454|Vang|1645  3901|Horten|27939
3903|Holmestrand|26872  3905|Tønsberg|59174  3907|Sandefjord|66231  3909|Larvik|48715
3911|Færder|27501  4001|Porsgrunn|37193  4003|Skien|56619  4005|Notodden|13266
4010|Siljan|2382  4012|Bamble|14269  4014|Kragerø|10445  4016|Drangedal|4086  4018|Nome|6539
4020|Midt-Telemark|10904  4022|Seljord|2979  4024|Hjartdal|1630  4026|Tinn|5533
4028|Kviteseid|2458  4030|Nissedal|1471  4032|Fyresdal|1256  4034|Tokke|2212  4036|Vinje|3851
4201|Risør|6825  4202|Grimstad|24969  4203|Arendal|46355  4204|Kristiansand|116986
4205|Lindesnes|23690  4206|Farsund|9876  4207|Flekkefjord|9279  4211|Gjerstad|2444
4212|Vegårshei|2268  4213|Tvedestrand|6323  4214|Froland|6236  4215|Lillesand|11523
4216|Birkenes|5480  4217|Åmli|1802  4218|Iveland|1380  4219|Evje_og_Hornnes|3967
4220|Bygland|1180  4221|Valle|1205  4222|Bykle|1011  4223|Vennesla|15452  4224|Åseral|923
4225|Lyngdal|10835  4226|Hægebostad|1776  4227|Kvinesdal|6192  4228|Sirdal|1873
4601|Bergen|291940  4602|Kinn|17349  4611|Etne|4072  4612|Sveio|5742  4613|Bømlo|12268
4614|Stord|19287  4615|Fitjar|3203  4616|Tysnes|2922  4617|Kvinnherad|13089
4618|Ullensvang|11017  4619|Eidfjord|968  4620|Ulvik|1089  4621|Voss|16471  4622|Kvam|8496
4623|Samnanger|2502  4624|Bjørnafjorden|26080  4625|Austevoll|5300  4626|Øygarden|39768
4627|Askøy|30145  4628|Vaksdal|3852  4629|Modalen|384  4630|Osterøy|8200  4631|Alver|29986
4632|Austrheim|2881  4633|Fedje|519  4634|Masfjorden|1694  4635|Gulen|2234  4636|Solund|750
4637|Hyllestad|1268  4638|Høyanger|3879  4639|Vik|2551  4640|Sogndal|12319  4641|Aurland|1800
4642|Lærdal|2160  4643|Årdal|5239  4644|Luster|5371  4645|Askvoll|2986  4646|Fjaler|2869
4647|Sunnfjord|22450  4648|Bremanger|3392  4649|Stad|9610  4650|Gloppen|5926  4651|Stryn|7271
5001|Trondheim|214565  5006|Steinkjer|24032  5007|Namsos|15083  5014|Frøya|5453  5020|Osen|898
5021|Oppdal|7389  5022|Rennebu|2484  5025|Røros|5685  5026|Holtålen|2035
5027|Midtre_Gauldal|6140  5028|Melhus|17560  5029|Skaun|8484  5031|Malvik|14783
5032|Selbu|4216  5033|Tydal|773  5034|Meråker|2454  5035|Stjørdal|24717  5036|Frosta|2645
5037|Levanger|20574  5038|Verdal|15193  5041|Snåsa|2114  5042|Lierne|1301  5043|Røyrvik|423
5044|Namsskogan|810  5045|Grong|2322  5046|Høylandet|1222  5047|Overhalla|3924
5049|Flatanger|1116  5052|Leka|604  5053|Inderøy|6938  5054|Indre_Fosen|10023  5055|Heim|6093
5056|Hitra|5323  5057|Ørland|10522  5058|Åfjord|4339  5059|Orkland|18793  5060|Nærøysund|9968
5061|Rindal|1958  5501|Tromsø|78745  5503|Harstad|25056  5510|Kvæfjord|2845
5512|Tjeldsund|4281  5514|Ibestad|1311  5516|Gratangen|1070  5518|Lavangen|986
5520|Bardu|3986  5522|Salangen|2069  5524|Målselv|6714  5526|Sørreisa|3485  5528|Dyrøy|1073
5530|Senja|14894  5532|Balsfjord|5571  5534|Karlsøy|2237  5536|Lyngen|2743
5538|Storfjord|1825  5540|Kåfjord|1974  5542|Skjervøy|2794  5544|Nordreisa|4794
5546|Kvænangen|1157  5601|Alta|21708  5603|Hammerfest|11338  5605|Sør-Varanger|10063
5607|Vadsø|5807  5610|Karasjok|2565  5612|Kautokeino|2848  5614|Loppa|864  5616|Hasvik|979
5618|Måsøy|1113  5620|Nordkapp|2951  5622|Porsanger|3889  5624|Lebesby|1215  5626|Gamvik|1070
5628|Tana|2807  5630|Berlevåg|892  5632|Båtsfjord|2113  5634|Vardø|1972  5636|Nesseby|859
"""

COUNTIES: dict[str, str] = {
    "03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland", "31": "Østfold",
    "32": "Akershus", "33": "Buskerud", "34": "Innlandet", "39": "Vestfold", "40": "Telemark",
    "42": "Agder", "46": "Vestland", "50": "Trøndelag", "55": "Troms", "56": "Finnmark",
}

_BY_COUNTY: dict[str, str] = {
    "03": "Oslo universitetssykehus HF", "11": "Helse Stavanger HF",
    "15": "Helse Møre og Romsdal HF", "18": "Nordlandssykehuset HF",
    "31": "Sykehuset Østfold HF", "32": "Akershus universitetssykehus HF",
    "33": "Vestre Viken HF", "34": "Sykehuset Innlandet HF", "39": "Sykehuset i Vestfold HF",
    "40": "Sykehuset Telemark HF", "42": "Sørlandet sykehus HF", "46": "Helse Bergen HF",
    "50": "St. Olavs hospital HF", "55": "Universitetssykehuset Nord-Norge HF",
    "56": "Finnmarkssykehuset HF",
}

# Municipality number -> trust, where the county does not tell.
_EXCEPTIONS: dict[str, str] = {
    **dict.fromkeys(("3201", "3203"), "Vestre Viken HF"),  # Asker, Bærum
    # Northern Rogaland and Sunnhordland, Hardanger: Helse Fonna.
    **dict.fromkeys(("1106", "1135", "1145", "1146", "1149", "1151", "1160", "4611", "4612",
                     "4613", "4614", "4615", "4616", "4617", "4618", "4619", "4620"),
                    "Helse Fonna HF"),
    # The former Sogn og Fjordane: Helse Førde.
    **dict.fromkeys(("4602", "4635", "4636", "4637", "4638", "4639", "4640", "4641", "4642",
                     "4643", "4644", "4645", "4646", "4647", "4648", "4649", "4650", "4651"),
                    "Helse Førde HF"),
    # The former Nord-Trøndelag: Helse Nord-Trøndelag.
    **dict.fromkeys(("5006", "5007", "5034", "5035", "5036", "5037", "5038", "5041", "5042",
                     "5043", "5044", "5045", "5046", "5047", "5049", "5052", "5053", "5060"),
                    "Helse Nord-Trøndelag HF"),
    # Helgeland; Narvik and Evenes belong to UNN.
    **dict.fromkeys(("1811", "1812", "1813", "1815", "1816", "1818", "1820", "1822", "1824",
                     "1825", "1826", "1827", "1828", "1832", "1833", "1834", "1835", "1836"),
                    "Helgelandssykehuset HF"),
    **dict.fromkeys(("1806", "1853"), "Universitetssykehuset Nord-Norge HF"),
}


@dataclass(frozen=True)
class Kommune:
    number: str
    name: str
    population: int  # people
    trust: str  # the hospital trust whose catchment area it belongs to

    @property
    def county(self) -> str:
        return COUNTIES[self.number[:2]]


def _parse() -> list[Kommune]:
    kommuner = []
    for entry in _TABLE.split():
        if not entry:
            continue
        number, name, population = entry.split("|")
        trust = _EXCEPTIONS.get(number, _BY_COUNTY[number[:2]])
        kommuner.append(Kommune(number, name.replace("_", " "), int(population), trust))
    return kommuner


KOMMUNER: list[Kommune] = _parse()
assert len(KOMMUNER) == 357
assert {k.trust for k in KOMMUNER} == {t.name for t in data.TRUSTS}
