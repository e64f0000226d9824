"""What an analyst should do about each kind of quarantined row, in Polish.

Keyed by the reason codes the row rules emit; the quality report shows the advice beside the
count of rows, so a reason without advice here is reported with a general one.
"""

GENERAL_ADVICE_PL = ("Popraw wiersz w pliku źródłowym (plik, arkusz i wiersz podano obok) "
                     "i uruchom odświeżenie ponownie.")

REASON_ADVICE_PL = {
    "invalid_nip": "Sprawdź NIP w KRS lub w dokumentach podmiotu i popraw go w pliku źródłowym; "
                   "NIP z błędną cyfrą kontrolną nie jest poprawiany automatycznie.",
    "invalid_regon": "Sprawdź REGON (9 lub 14 cyfr) w rejestrze REGON i popraw go w pliku.",
    "invalid_krs": "Numer KRS ma do 10 cyfr; popraw go w pliku (zera wiodące można pominąć).",
    "invalid_date": "Wpisz datę jako dd.mm.rrrr (np. 05.03.2024) albo jako datę Excela.",
    "missing_value": "Uzupełnij brakującą wartość w pliku źródłowym.",
    "unknown_value": "Użyj jednej z wartości ze słownika źródła albo dopisz nową wartość do "
                     "pliku mapowania (sources/mappings/) — to zmiana konfiguracji, nie kodu.",
    "unknown_teryt_unit": "Popraw nazwę lub kod jednostki (powiat, gmina) tak, by odpowiadała "
                          "rejestrowi TERYT województwa.",
    "ambiguous_teryt_unit": "Nazwa pasuje do kilku jednostek (np. gmina miejska i wiejska o tej "
                            "samej nazwie): dopisz rodzaj gminy, powiat lub miejscowość; "
                            "kandydatów podano w opisie.",
    "cells_beyond_header": "Wiersz ma więcej pól niż nagłówek (zwykle przecinek lub średnik "
                           "w nazwie bez cudzysłowu): ujmij tekst w cudzysłów w pliku źródłowym.",
    "report_name_mismatch": "Nazwa pliku sprawozdania nie zgadza się z kodem OWES lub kwartałem "
                            "wpisanym w arkuszu: popraw nazwę pliku albo komórki B2:B3.",
    "date_outside_period": "Data leży poza okresem sprawozdawczym: sprawdź datę lub okres.",
    "duplicate_key": "Ten sam wiersz (ten sam identyfikator) występuje w pliku kilka razy: "
                     "usuń powtórzenie albo popraw identyfikator.",
    "invalid_amount": "Wpisz kwotę w złotych, z przecinkiem i najwyżej dwoma miejscami po "
                      "przecinku (np. 12 500,00), bez liter.",
    "end_before_start": "Data zakończenia jest przed datą początku: sprawdź obie daty.",
    "invalid_pesel": "Sprawdź PESEL uczestnika na liście obecności (w dokumentach, nie w tym "
                     "raporcie); osoba jest liczona jako niezidentyfikowana.",
    "missing_pesel": "Uzupełnij PESEL na liście obecności; do tego czasu osoba jest liczona "
                     "jako niezidentyfikowana.",
    "invalid_number": "Wpisz liczbę (przecinek dziesiętny jest dozwolony, bez jednostek).",
    "invalid_period": "Okres sprawozdawczy wpisz jako RRRR-Qn, np. 2024-Q3.",
    "report_after_period": "Sprawdź okres w komórce B3 i w nazwie pliku: jeśli to literówka, "
                           "popraw ją; jeśli sprawozdanie przyszło przed czasem, zostaw je w "
                           "folderze – zostanie policzone w odświeżeniu za ten kwartał.",
    "cell_too_long": "Komórka ma więcej znaków, niż mieści Excel (32 767): to zwykle sklejony "
                     "lub uszkodzony eksport. Popraw ten wiersz w pliku źródłowym; pozostałe "
                     "wiersze pliku przyjęto.",
    # KRS extracts (issue 15): what an unusable file of the krs/ folder is, and what to do
    "malformed_json": "Plik odpisu jest ucięty lub uszkodzony: pobierz odpis z KRS ponownie "
                      "(ten sam numer) i podmień plik w folderze krs/.",
    "unexpected_extract_shape": "Plik nie ma budowy odpisu z API KRS: sprawdź, czy to odpis "
                                "w formacie JSON (OdpisAktualny lub OdpisPelny), i pobierz go "
                                "ponownie.",
    "api_error_body": "To zapisana odpowiedź API z błędem, nie odpis: usuń plik z folderu krs/ "
                      "i pobierz odpis tego numeru ponownie (dla podmiotu wykreślonego: odpis "
                      "pełny).",
    "extract_without_data": "Odpis nie ma części „dane”: pobierz odpis pełny tego numeru "
                            "ponownie; do tego czasu podmiot nie ma dat z KRS.",
    "invalid_pkd": "Sprawdź kod PKD w odpisie: kod działu, grupy, klasy lub podklasy PKD 2007; "
                   "podmiot jest liczony dalej, ten kod nie.",
}

#: Each reason in a few words, for the report's table of what problems cost the counts.
REASON_LABEL_PL = {
    "invalid_nip": "NIP z błędną cyfrą kontrolną",
    "invalid_regon": "REGON z błędną cyfrą kontrolną",
    "invalid_krs": "błędny numer KRS",
    "invalid_date": "nieczytelna data",
    "missing_value": "brak wymaganej wartości",
    "unknown_value": "wartość spoza słownika",
    "unknown_teryt_unit": "nieznana gmina lub powiat",
    "ambiguous_teryt_unit": "niejednoznaczna gmina",
    "cells_beyond_header": "przesunięte kolumny",
    "end_before_start": "zakończenie przed początkiem",
    "unidentified_row": "wiersz bez identyfikatora i miejsca",
}
