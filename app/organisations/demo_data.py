"""The fictional organisations of the demo data set (see demo.py). Names, people and numbers are
invented; districts, spheres and the city's programmes are real."""

# The curated competence list city staff start from.
COMPETENCES = (
    "księgowość", "prawo pracy", "prawo stowarzyszeń i fundacji", "praca z seniorami",
    "praca z młodzieżą", "praca z dziećmi", "praca z uchodźcami",
    "praca z osobami z niepełnosprawnościami", "fundraising", "organizacja wydarzeń",
    "pisanie wniosków grantowych", "koordynacja wolontariatu", "grafika i DTP",
    "media społecznościowe", "edukacja ekologiczna", "pierwsza pomoc", "tłumaczenia polsko-ukraińskie",
    "animacja lokalna", "sport i rekreacja", "wsparcie psychologiczne", "strony internetowe i IT",
    "rozliczanie projektów", "fotografia i wideo", "mediacje", "ochrona danych osobowych (RODO)",
)  # fmt: skip

# Their English and Ukrainian names (staff can change them on the competence list).
COMPETENCE_TRANSLATIONS = {
    "księgowość": ("accounting", "бухгалтерія"),
    "prawo pracy": ("labour law", "трудове право"),
    "prawo stowarzyszeń i fundacji": (
        "law of associations and foundations",
        "право асоціацій і фондів",
    ),
    "praca z seniorami": ("working with older people", "робота з людьми похилого віку"),
    "praca z młodzieżą": ("youth work", "робота з молоддю"),
    "praca z dziećmi": ("working with children", "робота з дітьми"),
    "praca z uchodźcami": ("working with refugees", "робота з біженцями"),
    "praca z osobami z niepełnosprawnościami": (
        "working with people with disabilities",
        "робота з людьми з інвалідністю",
    ),
    "fundraising": ("fundraising", "фандрейзинг"),
    "organizacja wydarzeń": ("event organising", "організація заходів"),
    "pisanie wniosków grantowych": ("grant writing", "написання грантових заявок"),
    "koordynacja wolontariatu": ("volunteer coordination", "координація волонтерства"),
    "grafika i DTP": ("graphic design and DTP", "графіка та верстка"),
    "media społecznościowe": ("social media", "соціальні мережі"),
    "edukacja ekologiczna": ("environmental education", "екологічна освіта"),
    "pierwsza pomoc": ("first aid", "перша допомога"),
    "tłumaczenia polsko-ukraińskie": (
        "Polish–Ukrainian translation",
        "польсько-українські переклади",
    ),
    "animacja lokalna": ("community organising", "локальна анімація"),
    "sport i rekreacja": ("sport and recreation", "спорт і відпочинок"),
    "wsparcie psychologiczne": ("psychological support", "психологічна підтримка"),
    "strony internetowe i IT": ("websites and IT", "вебсайти та ІТ"),
    "rozliczanie projektów": ("project accounting and reporting", "звітність за проєктами"),
    "fotografia i wideo": ("photography and video", "фото та відео"),
    "mediacje": ("mediation", "медіація"),
    "ochrona danych osobowych (RODO)": (
        "personal data protection (GDPR)",
        "захист персональних даних (GDPR)",
    ),
}

# theme -> areas, competences, description, projects (title, start, end, funder), offers
THEMES = {
    "seniors": (
        ["seniors", "social_assistance", "health"],
        ["praca z seniorami", "koordynacja wolontariatu", "organizacja wydarzeń"],
        "Wspieramy seniorów w codziennym życiu: odwiedziny wolontariuszy, zakupy, spacery, "
        "warsztaty pamięci i zajęcia ruchowe. Łączymy pokolenia – młodzież uczy seniorów "
        "obsługi smartfonów, a seniorzy dzielą się wspomnieniami o dawnym Toruniu.",
        [
            ("Senior w sieci – warsztaty cyfrowe", 2024, 2025, "grant Gminy Miasta Toruń"),
            ("Klub Seniora „Pod Lipami”", 2019, None, "środki własne i darowizny"),
        ],
        [
            ("expertise", "Doradztwo w pracy z osobami starszymi"),
            ("space", "Sala klubowa na spotkania do 25 osób"),
        ],
    ),
    "youth": (
        ["children_youth", "education", "volunteering"],
        ["praca z młodzieżą", "praca z dziećmi", "koordynacja wolontariatu"],
        "Prowadzimy zajęcia dla dzieci i młodzieży po lekcjach: odrabianie lekcji, warsztaty "
        "teatralne, gry planszowe i wyjazdy. Szkolny wolontariat organizujemy razem z "
        "toruńskimi szkołami podstawowymi i liceami.",
        [
            ("Świetlica „Po Szkole”", 2018, None, "grant Gminy Miasta Toruń"),
            ("Wakacje w mieście", 2025, 2025, "Fundusz Inicjatyw Obywatelskich"),
        ],
        [("equipment", "Gry planszowe i sprzęt sportowy do wypożyczenia")],
    ),
    "refugees": (
        ["foreigners_integration", "social_assistance", "human_rights"],
        ["praca z uchodźcami", "tłumaczenia polsko-ukraińskie", "wsparcie psychologiczne"],
        "Pomagamy uchodźcom i migrantom, głównie z Ukrainy: nauka języka polskiego, pomoc w "
        "urzędach, dyżury psychologa i punkt informacyjny. Organizujemy spotkania sąsiedzkie "
        "polsko-ukraińskie.",
        [
            ("Kurs języka polskiego dla dorosłych", 2022, None, "darowizny i grant wojewódzki"),
            ("Punkt informacyjny dla cudzoziemców", 2023, 2025, "grant Gminy Miasta Toruń"),
        ],
        [
            ("service", "Tłumaczenia polsko-ukraińskie dla organizacji"),
            ("expertise", "Szkolenie: jak pracować z uchodźcami"),
        ],
    ),
    "disability": (
        ["disability", "health", "social_reintegration"],
        ["praca z osobami z niepełnosprawnościami", "wsparcie psychologiczne", "sport i rekreacja"],
        "Działamy na rzecz osób z niepełnosprawnościami i ich rodzin: rehabilitacja ruchowa, "
        "treningi samodzielności, asystencja osobista i grupy wsparcia dla rodziców.",
        [
            ("Asystent osobisty", 2024, 2026, "Program Ministerstwa Rodziny"),
            ("Trening samodzielności", 2021, 2023, "PFRON"),
        ],
        [
            ("expertise", "Audyt dostępności wydarzeń i lokali"),
            ("equipment", "Pętla indukcyjna i rampa przenośna"),
        ],
    ),
    "legal": (
        ["legal_aid", "ngo_support", "human_rights"],
        [
            "prawo pracy",
            "prawo stowarzyszeń i fundacji",
            "mediacje",
            "ochrona danych osobowych (RODO)",
        ],
        "Udzielamy nieodpłatnych porad prawnych mieszkańcom i organizacjom pozarządowym: "
        "statuty, sprawozdania do KRS, umowy z wolontariuszami, prawo pracy i RODO. Prowadzimy "
        "też mediacje sąsiedzkie.",
        [
            ("Prawnik dla NGO", 2023, None, "grant Gminy Miasta Toruń"),
            ("Mediacje sąsiedzkie", 2020, 2022, "Fundusz Inicjatyw Obywatelskich"),
        ],
        [
            ("service", "Porady prawne dla organizacji pozarządowych"),
            ("service", "Wzory umów i porozumień wolontariackich"),
        ],
    ),
    "accounting": (
        ["ngo_support", "economic_development"],
        ["księgowość", "rozliczanie projektów", "pisanie wniosków grantowych", "fundraising"],
        "Wspieramy małe organizacje w księgowości i rozliczaniu dotacji: sprawozdania "
        "finansowe, rozliczenia grantów z Witkaca, szkolenia z fundraisingu i pisania wniosków.",
        [
            ("Akademia Grantowa", 2022, None, "grant Gminy Miasta Toruń"),
            ("Księgowość dla stowarzyszeń zwykłych", 2024, 2024, "środki własne"),
        ],
        [
            ("service", "Preferencyjne usługi księgowe dla NGO"),
            ("expertise", "Konsultacje wniosków grantowych"),
        ],
    ),
    "ecology": (
        ["ecology_animals", "education", "local_communities"],
        ["edukacja ekologiczna", "organizacja wydarzeń", "koordynacja wolontariatu"],
        "Dbamy o zieleń Torunia: sadzimy drzewa, sprzątamy brzegi Wisły, prowadzimy edukację "
        "ekologiczną w szkołach i ogrody społeczne na osiedlach.",
        [
            ("Ogród społeczny na osiedlu", 2023, None, "Budżet Obywatelski Torunia"),
            ("Czysta Wisła", 2019, None, "darowizny"),
        ],
        [("equipment", "Narzędzia ogrodnicze i rękawice dla wolontariuszy")],
    ),
    "animals": (
        ["ecology_animals", "volunteering"],
        ["koordynacja wolontariatu", "fundraising", "media społecznościowe"],
        "Pomagamy bezdomnym zwierzętom: domy tymczasowe, adopcje, zbiórki karmy i współpraca "
        "ze schroniskiem. Szukamy wolontariuszy do spacerów z psami.",
        [("Adopcje z sercem", 2020, None, "darowizny i 1,5% podatku")],
        [("space", "Magazyn na zbiórki rzeczowe")],
    ),
    "culture": (
        ["culture", "national_tradition", "local_communities"],
        ["organizacja wydarzeń", "fotografia i wideo", "grafika i DTP"],
        "Organizujemy koncerty, wystawy i spacery historyczne po Starym Mieście i Podgórzu. "
        "Dokumentujemy historię mówioną mieszkańców i dziedzictwo toruńskich osiedli.",
        [
            ("Historia mówiona Torunia", 2021, 2024, "grant Gminy Miasta Toruń"),
            ("Festiwal Podwórek", 2022, None, "Toruńska Agenda Kulturalna"),
        ],
        [
            ("equipment", "Nagłośnienie i projektor na wydarzenia plenerowe"),
            ("expertise", "Pomoc w organizacji koncertów i festiwali"),
        ],
    ),
    "sport": (
        ["sport", "children_youth", "health"],
        ["sport i rekreacja", "praca z młodzieżą", "organizacja wydarzeń", "pierwsza pomoc"],
        "Prowadzimy treningi dla dzieci, młodzieży i dorosłych, organizujemy turnieje osiedlowe "
        "i biegi charytatywne. Trenujemy też pierwszą pomoc na boisku.",
        [
            ("Osiedlowa liga piłkarska", 2017, None, "grant Gminy Miasta Toruń"),
            ("Bieg dla Hospicjum", 2023, 2025, "sponsorzy"),
        ],
        [("equipment", "Bramki, pachołki i stoper do wypożyczenia")],
    ),
    "neighbourhood": (
        ["local_communities", "revitalisation", "volunteering"],
        ["animacja lokalna", "organizacja wydarzeń", "koordynacja wolontariatu"],
        "Ożywiamy życie sąsiedzkie: pikniki, kluby sąsiedzkie, wymiana rzeczy i mikrowolontariat. "
        "Wspieramy inicjatywy mieszkańców w budżecie obywatelskim.",
        [
            ("Sąsiedzkie podwórko", 2022, None, "Budżet Obywatelski Torunia"),
            ("Wymiennik – wymiana rzeczy", 2024, 2024, "środki własne"),
        ],
        [("space", "Świetlica sąsiedzka na spotkania"), ("equipment", "Namiot i stoły piknikowe")],
    ),
    "health": (
        ["health", "addiction_prevention", "family_children_rights"],
        ["wsparcie psychologiczne", "pierwsza pomoc", "praca z młodzieżą"],
        "Zajmujemy się profilaktyką zdrowia i uzależnień, prowadzimy telefon zaufania i grupy "
        "wsparcia. Uczymy pierwszej pomocy w szkołach.",
        [("Telefon zaufania dla młodzieży", 2019, None, "grant Gminy Miasta Toruń")],
        [("expertise", "Szkolenia z pierwszej pomocy dla wolontariuszy")],
    ),
    "digital": (
        ["innovation", "education", "ngo_support"],
        ["strony internetowe i IT", "media społecznościowe", "grafika i DTP"],
        "Uczymy kompetencji cyfrowych i pomagamy organizacjom w technologii: strony internetowe, "
        "bezpieczeństwo danych, narzędzia do pracy zdalnej.",
        [("Cyfrowe NGO", 2024, 2025, "Fundusz Inicjatyw Obywatelskich")],
        [
            ("service", "Strony internetowe dla organizacji po kosztach"),
            ("equipment", "Laptopy do wypożyczenia na szkolenia"),
        ],
    ),
    "family": (
        ["family_foster_care", "family_children_rights", "social_assistance"],
        ["praca z dziećmi", "wsparcie psychologiczne", "mediacje"],
        "Wspieramy rodziny, rodziny zastępcze i samotnych rodziców: konsultacje z psychologiem, "
        "warsztaty dla rodziców, wypoczynek dla dzieci.",
        [("Szkoła dla rodziców", 2021, None, "grant Gminy Miasta Toruń")],
        [("space", "Kącik dla dzieci na czas wydarzeń")],
    ),
    "employment": (
        ["employment", "social_reintegration", "economic_development"],
        ["prawo pracy", "fundraising", "pisanie wniosków grantowych"],
        "Pomagamy osobom bez pracy wrócić na rynek pracy: doradztwo zawodowe, kursy, staże i "
        "spółdzielnie socjalne.",
        [("Aktywni zawodowo", 2023, 2025, "Europejski Fundusz Społeczny Plus")],
        [("expertise", "Doradztwo przy zakładaniu spółdzielni socjalnej")],
    ),
}

# (name, legal form, theme, districts, tags)
ORGANISATIONS = (
    ("Fundacja Złota Jesień", "foundation", "seniors", ["bielany", "stare-miasto"], "spacery, pamięć"),
    ("Stowarzyszenie Seniorzy w Akcji", "association", "seniors", ["rubinkowo"], "taniec, smartfony"),
    ("Klub Seniora „Podgórzanie”", "ordinary_association", "seniors", ["podgorz"], "brydż"),
    ("Fundacja Wnuki na Telefon", "foundation", "seniors", ["chelminskie-przedmiescie", "mokre"], "telefon, rozmowy"),
    ("Stowarzyszenie Młodzi Toruń", "association", "youth", ["na-skarpie", "rubinkowo"], "teatr, planszówki"),
    ("Fundacja Przystań dla Dzieci", "foundation", "youth", ["bydgoskie-przedmiescie"], "świetlica"),
    ("Harcerski Klub Turystyczny „Kompas”", "association", "youth", ["koniuchy", "wrzosy"], "harcerstwo, biwaki"),
    ("Stowarzyszenie Szkolny Wolontariat Toruń", "association", "youth", ["jakubskie-przedmiescie"], "szkoła, wolontariat"),
    ("Fundacja Dom Otwarty", "foundation", "refugees", ["stare-miasto", "bydgoskie-przedmiescie"], "Ukraina, język polski"),
    ("Stowarzyszenie Razem z Ukrainą", "association", "refugees", ["rubinkowo", "na-skarpie"], "integracja"),
    ("Fundacja Nowy Dom", "foundation", "refugees", ["mokre"], "migranci, urzędy"),
    ("Stowarzyszenie Bez Barier", "association", "disability", ["wrzosy", "bielany"], "dostępność"),
    ("Fundacja Krok Dalej", "foundation", "disability", ["na-skarpie"], "rehabilitacja"),
    ("Toruńskie Stowarzyszenie Rodzin Osób z Autyzmem", "association", "disability", ["chelminskie-przedmiescie"], "autyzm, rodzice"),
    ("Klub Sportowy Integracja Toruń", "sports_club", "disability", ["bielany"], "boccia, pływanie"),
    ("Fundacja Prawo dla Każdego", "foundation", "legal", ["stare-miasto"], "porady, KRS"),
    ("Stowarzyszenie Mediatorów Toruńskich", "association", "legal", ["bydgoskie-przedmiescie"], "mediacje"),
    ("Fundacja Obywatelska Kancelaria", "foundation", "legal", ["jakubskie-przedmiescie", "mokre"], "RODO, statuty"),
    ("Fundacja Księgowa NGO", "foundation", "accounting", ["stare-miasto"], "sprawozdania, Witkac"),
    ("Stowarzyszenie Grantowy Toruń", "association", "accounting", ["chelminskie-przedmiescie"], "dotacje"),
    ("Fundacja Wspólny Budżet", "foundation", "accounting", ["rubinkowo"], "fundraising, 1,5%"),
    ("Stowarzyszenie Zielony Toruń", "association", "ecology", ["bielany", "koniuchy"], "drzewa, ogrody"),
    ("Fundacja Czysta Wisła", "foundation", "ecology", ["podgorz", "stare-miasto"], "sprzątanie, rzeka"),
    ("Stowarzyszenie Ogrody Sąsiedzkie", "association", "ecology", ["na-skarpie", "rubinkowo"], "ogród społeczny"),
    ("Fundacja Barbakan Przyrody", "foundation", "ecology", ["kaszczorek", "czerniewice"], "ptaki, łąki"),
    ("Fundacja Psia Łapa", "foundation", "animals", ["glinki", "rudak"], "psy, adopcje"),
    ("Stowarzyszenie Kocia Przystań", "association", "animals", ["mokre"], "koty, domy tymczasowe"),
    ("Towarzystwo Miłośników Podgórza", "association", "culture", ["podgorz", "rudak"], "historia, spacery"),
    ("Fundacja Kultury Ulicznej", "foundation", "culture", ["bydgoskie-przedmiescie", "stare-miasto"], "muzyka, graffiti"),
    ("Stowarzyszenie Teatr na Skarpie", "association", "culture", ["na-skarpie"], "teatr amatorski"),
    ("Fundacja Pamięć Miasta", "foundation", "culture", ["stare-miasto", "jakubskie-przedmiescie"], "archiwum, fotografia"),
    ("Chór Mieszany „Toruńskie Głosy”", "ordinary_association", "culture", ["chelminskie-przedmiescie"], "chór"),
    ("Klub Sportowy Rubinkowo Biega", "sports_club", "sport", ["rubinkowo"], "bieganie"),
    ("Uczniowski Klub Sportowy Wrzosy", "sports_club", "sport", ["wrzosy"], "piłka nożna"),
    ("Toruńskie Towarzystwo Wioślarskie", "sports_club", "sport", ["stare-miasto", "podgorz"], "wioślarstwo, Wisła"),
    ("Stowarzyszenie Rowerowy Toruń", "association", "sport", ["bielany", "katarzynka"], "rowery, wycieczki"),
    ("Akademia Szachowa Hetman", "association", "sport", ["jakubskie-przedmiescie"], "szachy"),
    ("Stowarzyszenie Sąsiedzi z Mokrego", "association", "neighbourhood", ["mokre"], "pikniki"),
    ("Rada Sąsiedzka Na Skarpie", "ordinary_association", "neighbourhood", ["na-skarpie"], "budżet obywatelski"),
    ("Fundacja Wspólne Podwórko", "foundation", "neighbourhood", ["bydgoskie-przedmiescie", "chelminskie-przedmiescie"], "podwórka"),
    ("Stowarzyszenie Przyjaciół Kaszczorka", "association", "neighbourhood", ["kaszczorek"], "festyn"),
    ("Stowarzyszenie Grębocin Razem", "association", "neighbourhood", ["grebocin-nad-struga", "brzezina"], "wieś w mieście"),
    ("Stowarzyszenie Piaski i Winnica", "association", "neighbourhood", ["piaski", "winnica"], "spacery sąsiedzkie"),
    ("Fundacja Zdrowie na Co Dzień", "foundation", "health", ["bielany"], "profilaktyka"),
    ("Stowarzyszenie Trzeźwy Toruń", "association", "health", ["podgorz", "stawki"], "uzależnienia"),
    ("Fundacja Ratujmy Razem", "foundation", "health", ["stawki", "rudak"], "pierwsza pomoc, AED"),
    ("Fundacja Cyfrowy Toruń", "foundation", "digital", ["stare-miasto", "bielany"], "programowanie"),
    ("Stowarzyszenie Technologie dla Dobra", "association", "digital", ["jakubskie-przedmiescie"], "open source"),
    ("Fundacja Kod Młodych", "foundation", "digital", ["na-skarpie", "rubinkowo"], "robotyka, młodzież"),
    ("Fundacja Rodzina Plus", "foundation", "family", ["chelminskie-przedmiescie", "wrzosy"], "rodziny zastępcze"),
    ("Stowarzyszenie Mamy z Torunia", "association", "family", ["koniuchy"], "rodzicielstwo"),
    ("Fundacja Mały Człowiek", "foundation", "family", ["bydgoskie-przedmiescie"], "prawa dziecka"),
    ("Spółdzielnia Socjalna Wspólna Praca", "social_cooperative", "employment", ["stawki", "podgorz"], "catering, praca"),
    ("Fundacja Nowy Start", "foundation", "employment", ["rubinkowo", "mokre"], "doradztwo zawodowe"),
    ("Stowarzyszenie Aktywni 50+", "association", "employment", ["bielany"], "staże, 50+"),
    ("Parafialny Zespół Caritas św. Jakuba", "church_entity", "seniors", ["jakubskie-przedmiescie"], "pomoc sąsiedzka"),
    ("Fundacja Toruńska Spiżarnia", "foundation", "neighbourhood", ["stare-miasto", "mokre"], "żywność, jadłodzielnia"),
    ("Ochotnicza Straż Pożarna Toruń-Czerniewice", "association", "health", ["czerniewice"], "ratownictwo"),
    ("Stowarzyszenie Kobiety Torunia", "association", "legal", ["stare-miasto"], "równość, przedsiębiorczość"),
    ("Fundacja Europa Toruń", "foundation", "youth", ["bydgoskie-przedmiescie"], "wymiany młodzieżowe"),
    ("Stowarzyszenie Kombatantów i Pamięci", "association", "culture", ["chelminskie-przedmiescie"], "pamięć, kombatanci"),
    ("Stowarzyszenie Turystyczne Szlakiem Kopernika", "association", "culture", ["stare-miasto", "winnica"], "turystyka, przewodnicy"),
)  # fmt: skip

# The four organisations other domains refer to by slug get a theme as well.
FOUNDATION_THEMES = {
    "fundacja-razem-dla-seniora": ("seniors", ["rubinkowo", "na-skarpie"], "seniorzy, wolontariat"),
    "stowarzyszenie-rubinkowo-sasiedzi": (
        "neighbourhood",
        ["rubinkowo"],
        "sąsiedzi, mikrowolontariat",
    ),
    "torunski-klub-sportowy-wisla": ("sport", ["podgorz", "stare-miasto"], "kajaki, Wisła"),
    "fundacja-mlodzi-na-skarpie": ("youth", ["na-skarpie"], "młodzież, skatepark"),
}
