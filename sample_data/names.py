"""Polish words the synthetic names are built from (entities, people, streets, activities).

Only common words and common first names and surnames, combined at random: no real entity or
person is described. Every character is encodable in CP-1250, the catalogue's encoding.
"""

#: Words put in quotes in an organisation's name, e.g. Stowarzyszenie „Tęcza”.
WORDS = (
    "Razem", "Nadzieja", "Tęcza", "Horyzont", "Przystań", "Jutrzenka", "Promyk", "Bursztyn",
    "Kormoran", "Żuraw", "Łabędź", "Sokół", "Orlik", "Pojezierze", "Warmia", "Mazury",
    "Nasza Wieś", "Dobry Start", "Wspólna Sprawa", "Zielony Most", "Kaczeniec", "Wrzos",
    "Mazurska Chata", "Warmiński Zakątek", "Zakątek", "Przylesie", "Sąsiedzi", "Iskra", "Płomyk",
    "Słoneczko", "Pod Lipami", "Pod Dębem", "Kłos", "Jantar", "Bociek", "Perkoz", "Łoś", "Żubr",
    "Wiatrak", "Młyn", "Stara Kuźnia", "Gościniec", "Przyjazna Dłoń", "Pomocna Dłoń",
    "Otwarte Drzwi", "Nowa Droga", "Szansa", "Krok Dalej", "Aktywni", "Pasja", "Wspólnota",
    "Sąsiedzka Pomoc", "Most", "Kotwica", "Latarnia", "Fala", "Łyna", "Drwęca", "Pasłęka",
    "Krutynia", "Śniardwy", "Mamry", "Jeziorak", "Niegocin", "Guber", "Mazurskie Klimaty",
    "Warmińskie Smaki", "Kraina Jezior", "Kraina Bociana", "Zielone Płuca", "Leśna Ostoja",
    "Ostoja", "Arka", "Przystanek", "Sztuka Życia", "Złota Jesień", "Srebrny Wiek", "Uśmiech",
    "Radość", "Motyl", "Empatia", "Horyzonty", "Perspektywa", "Rozwój", "Integracja", "Pszczółka",
    "Kalina", "Jarzębina", "Malwa", "Słonecznik", "Dąbrowa", "Grądy", "Zagroda", "Spichlerz",
    "Kuźnia Pomysłów", "Warsztat", "Cegiełka", "Mozaika", "Tratwa", "Żagiel", "Wędrowiec",
    "Szlak", "Ścieżka", "Źródło", "Strumyk", "Rzeka", "Brzask", "Zorza", "Gwiazda", "Kometa",
    "Orion", "Wega", "Feniks", "Albatros", "Mewa", "Czapla", "Jastrząb", "Bielik", "Rybitwa",
    "Lipa", "Topola", "Sosna", "Modrzew", "Jodła", "Klon", "Buk", "Olcha", "Wierzba", "Brzoza",
    "Jaśmin", "Konwalia", "Chaber", "Mak", "Rumianek", "Niezapominajka", "Sasanka", "Przebiśnieg",
)

#: Kinds of association, placed before the quoted word.
ASSOCIATION_PREFIXES = (
    "Stowarzyszenie", "Stowarzyszenie Kulturalne", "Stowarzyszenie Sportowe",
    "Stowarzyszenie Turystyczne", "Stowarzyszenie Edukacyjne", "Stowarzyszenie Ekologiczne",
    "Stowarzyszenie Kulturalno-Oświatowe", "Stowarzyszenie Rozwoju Wsi",
    "Stowarzyszenie Lokalna Grupa Działania", "Stowarzyszenie Inicjatyw Społecznych",
    "Stowarzyszenie Rodziców i Przyjaciół Dzieci Niepełnosprawnych",
    "Stowarzyszenie Seniorów", "Stowarzyszenie Gospodyń Wiejskich",
    "Warmińsko-Mazurskie Stowarzyszenie", "Stowarzyszenie Aktywnych Kobiet",
)

#: Sports clubs: associations named after a word and their town.
CLUB_PREFIXES = ("Klub Sportowy", "Uczniowski Klub Sportowy", "Ludowy Klub Sportowy")

#: Purposes of foundations, placed before the quoted word.
FOUNDATION_PREFIXES = (
    "Fundacja", "Fundacja Rozwoju Przedsiębiorczości", "Fundacja Pomocy Dzieciom",
    "Fundacja na rzecz Osób Niepełnosprawnych", "Fundacja Edukacji i Kultury",
    "Fundacja Ochrony Przyrody", "Fundacja Aktywizacji Społecznej", "Fundacja Rozwoju Regionu",
    "Fundacja Wspierania Seniorów", "Fundacja Inicjatyw Lokalnych",
)

#: The full names of the four kinds of unit, for CIS, KIS, ZAZ and WTZ.
UNIT_NAMES = {
    "CIS": "Centrum Integracji Społecznej",
    "KIS": "Klub Integracji Społecznej",
    "ZAZ": "Zakład Aktywności Zawodowej",
    "WTZ": "Warsztat Terapii Zajęciowej",
}

FEMALE_FIRST_NAMES = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
    "Elżbieta", "Magdalena", "Joanna", "Aleksandra", "Monika", "Zofia", "Teresa", "Danuta",
    "Natalia", "Julia", "Karolina", "Marta", "Beata", "Dorota", "Jadwiga", "Halina", "Irena",
    "Iwona", "Justyna", "Paulina", "Renata", "Grażyna",
)

MALE_FIRST_NAMES = (
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Jan", "Paweł", "Michał", "Marcin", "Stanisław",
    "Jakub", "Adam", "Marek", "Łukasz", "Grzegorz", "Mateusz", "Wojciech", "Mariusz", "Dariusz",
    "Zbigniew", "Jerzy", "Maciej", "Rafał", "Robert", "Kamil", "Józef", "Janusz", "Ryszard",
    "Sławomir", "Artur", "Dawid",
)

#: Surnames in their masculine form; `surname()` gives the feminine one.
SURNAMES = (
    "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski",
    "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król", "Majewski",
    "Olszewski", "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski", "Walczak", "Stępień",
    "Górski", "Rutkowski", "Michalak", "Sikora", "Ostrowski", "Baran", "Duda", "Szewczyk",
    "Tomaszewski", "Pietrzak", "Marciniak", "Wróblewski", "Zalewski", "Jakubowski", "Jasiński",
    "Zawadzki", "Sadowski", "Bąk", "Chmielewski", "Włodarczyk", "Borkowski", "Czarnecki",
    "Sawicki", "Sokołowski", "Urbański", "Kubiak", "Maciejewski", "Szczepański", "Kucharski",
    "Wilk", "Kalinowski", "Lis", "Mazurek",
)

#: Street names as the KRS writes them.
STREETS = (
    "KOŚCIUSZKI", "MICKIEWICZA", "DŁUGA", "KRÓTKA", "OGRODOWA", "LEŚNA", "SZKOLNA", "KOŚCIELNA",
    "MAZURSKA", "WARMIŃSKA", "JANA PAWŁA II", "PIŁSUDSKIEGO", "SŁONECZNA", "POLNA", "LIPOWA",
    "1 MAJA", "WOJSKA POLSKIEGO", "KOLEJOWA", "SPACEROWA", "ZIELONA", "JEZIORNA", "PLAC WOLNOŚCI",
)

#: PKD codes (PKD 2007) a social cooperative runs: (description, division, class, subclass).
BUSINESS_PKD = (
    ("RESTAURACJE I INNE STAŁE PLACÓWKI GASTRONOMICZNE", "56", "10", "A"),
    ("POZOSTAŁA USŁUGOWA DZIAŁALNOŚĆ GASTRONOMICZNA", "56", "29", "Z"),
    ("NIESPECJALISTYCZNE SPRZĄTANIE BUDYNKÓW I OBIEKTÓW PRZEMYSŁOWYCH", "81", "21", "Z"),
    ("DZIAŁALNOŚĆ USŁUGOWA ZWIĄZANA Z ZAGOSPODAROWANIEM TERENÓW ZIELENI", "81", "30", "Z"),
    ("WYKONYWANIE POZOSTAŁYCH ROBÓT BUDOWLANYCH WYKOŃCZENIOWYCH", "43", "39", "Z"),
    ("OBIEKTY NOCLEGOWE TURYSTYCZNE I MIEJSCA KRÓTKOTRWAŁEGO ZAKWATEROWANIA", "55", "20", "Z"),
    ("PRODUKCJA PIECZYWA; PRODUKCJA ŚWIEŻYCH WYROBÓW CIASTKARSKICH I CIASTEK", "10", "71", "Z"),
    ("SPRZEDAŻ DETALICZNA PROWADZONA PRZEZ DOMY SPRZEDAŻY WYSYŁKOWEJ LUB PRZEZ INTERNET", "47",
     "91", "Z"),
    ("POZOSTAŁA DZIAŁALNOŚĆ USŁUGOWA, GDZIE INDZIEJ NIESKLASYFIKOWANA", "96", "09", "Z"),
    ("DZIAŁALNOŚĆ ZWIĄZANA Z ORGANIZACJĄ TARGÓW, WYSTAW I KONGRESÓW", "82", "30", "Z"),
    ("OPIEKA DZIENNA NAD DZIEĆMI", "88", "91", "Z"),
    ("POMOC SPOŁECZNA BEZ ZAKWATEROWANIA DLA OSÓB W PODESZŁYM WIEKU I OSÓB NIEPEŁNOSPRAWNYCH",
     "88", "10", "Z"),
)

#: PKD codes of public-benefit (OPP) activity of an NGO.
SOCIAL_PKD = (
    ("POZOSTAŁA POMOC SPOŁECZNA BEZ ZAKWATEROWANIA, GDZIE INDZIEJ NIESKLASYFIKOWANA", "88", "99",
     "Z"),
    ("POMOC SPOŁECZNA BEZ ZAKWATEROWANIA DLA OSÓB W PODESZŁYM WIEKU I OSÓB NIEPEŁNOSPRAWNYCH",
     "88", "10", "Z"),
    ("DZIAŁALNOŚĆ POZOSTAŁYCH ORGANIZACJI CZŁONKOWSKICH, GDZIE INDZIEJ NIESKLASYFIKOWANA", "94",
     "99", "Z"),
    ("POZOSTAŁE POZASZKOLNE FORMY EDUKACJI, GDZIE INDZIEJ NIESKLASYFIKOWANE", "85", "59", "B"),
    ("POZASZKOLNE FORMY EDUKACJI SPORTOWEJ ORAZ ZAJĘĆ SPORTOWYCH I REKREACYJNYCH", "85", "51", "Z"),
    ("DZIAŁALNOŚĆ KLUBÓW SPORTOWYCH", "93", "12", "Z"),
    ("DZIAŁALNOŚĆ OBIEKTÓW KULTURALNYCH", "90", "04", "Z"),
    ("DZIAŁALNOŚĆ WSPOMAGAJĄCA EDUKACJĘ", "85", "60", "Z"),
    ("POZOSTAŁA DZIAŁALNOŚĆ WYDAWNICZA", "58", "19", "Z"),
    ("POMOC SPOŁECZNA Z ZAKWATEROWANIEM DLA OSÓB W PODESZŁYM WIEKU I OSÓB NIEPEŁNOSPRAWNYCH",
     "87", "30", "Z"),
)

#: Purposes of an NGO as its statute states them (KRS `celDzialania`).
PURPOSES = (
    "DZIAŁALNOŚĆ NA RZECZ ROZWOJU SPOŁECZNOŚCI LOKALNEJ, KULTURY I TRADYCJI REGIONU.",
    "WSPIERANIE OSÓB NIEPEŁNOSPRAWNYCH I ICH RODZIN ORAZ PRZECIWDZIAŁANIE WYKLUCZENIU SPOŁECZNEMU.",
    "UPOWSZECHNIANIE KULTURY FIZYCZNEJ I SPORTU WŚRÓD DZIECI I MŁODZIEŻY.",
    "OCHRONA ŚRODOWISKA PRZYRODNICZEGO I DZIEDZICTWA KULTUROWEGO WARMII I MAZUR.",
    "AKTYWIZACJA ZAWODOWA I SPOŁECZNA OSÓB ZAGROŻONYCH WYKLUCZENIEM SPOŁECZNYM.",
    "DZIAŁALNOŚĆ NA RZECZ OSÓB W WIEKU EMERYTALNYM ORAZ INTEGRACJA MIĘDZYPOKOLENIOWA.",
    "WSPIERANIE EDUKACJI, OŚWIATY I WYCHOWANIA ORAZ ROZWOJU TALENTÓW.",
)

#: What a social enterprise does, as the register's free-text column says it.
SOCIAL_ENTERPRISE_ACTIVITIES = (
    "usługi gastronomiczne i cateringowe", "usługi porządkowe i utrzymanie zieleni",
    "usługi opiekuńcze dla osób starszych", "usługi remontowo-budowlane",
    "prowadzenie agroturystyki i usług turystycznych", "produkcja i sprzedaż wyrobów rękodzieła",
    "wypiek pieczywa i wyrobów cukierniczych", "usługi pralnicze i krawieckie",
    "organizacja szkoleń i wydarzeń", "opieka nad dziećmi do lat 3",
)


def surname(masculine: str, female: bool) -> str:
    """The surname in the form for the person's sex (`Kowalski` -> `Kowalska`)."""
    if female and masculine.endswith(("ski", "cki", "dzki")):
        return f"{masculine[:-1]}a"
    return masculine
