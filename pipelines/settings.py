"""Every setting of PES Monitor, declared once: its variable, type, default, help and accepted
values. The settings object, its validation at start, `pes-monitor --help` and the README's
settings table are all derived from `SETTINGS` (tests/test_settings.py holds the README to it).

Values come from the environment, else from an optional TOML settings file (`PES_SETTINGS` or
`--settings`; keys are the settings' names, e.g. `min_persons = 3`), else the default. They
are read and validated once, at start: every bad value is reported together, in Polish,
naming the variable and what it accepts, before anything runs.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INBOX = PROJECT_ROOT / "data" / "sample"
#: The bundled sample's date: with no inbox of its own, a refresh monitors up to it.
SAMPLE_AS_OF = date(2026, 10, 31)
SETTINGS_FILE_ENV = "PES_SETTINGS"
#: The smallest count of persons that may be published (docs/privacy.md): never below it.
SMALLEST_MIN_PERSONS = 3


class SettingsError(ValueError):
    """Bad settings, every problem as one Polish line (the CLI exits with code 2)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Setting:
    """One setting: where it is read from, how it is checked and how it is explained."""

    name: str
    env: str
    parse: Callable[[str], object]
    default: str
    help_pl: str
    help_en: str
    accepted_pl: str
    accepted_en: str
    # shown as the default where it depends on other settings; empty: `default` itself
    default_text: str = ""
    secret: bool = False

    def default_shown(self) -> str:
        return self.default_text or self.default


def text(value: str) -> str:
    return value


def path(value: str) -> Path:
    if not value.strip():
        raise ValueError
    return Path(value)


def optional_path(value: str) -> Path | None:
    return Path(value) if value.strip() else None


def number(value: str) -> float:
    return float(value.strip().replace(",", "."))


def share(value: str) -> float:
    parsed = number(value)
    if not 0 <= parsed <= 1:
        raise ValueError
    return parsed


def non_negative(value: str) -> float:
    parsed = number(value)
    if parsed < 0:
        raise ValueError
    return parsed


def positive(value: str) -> float:
    parsed = number(value)
    if parsed <= 0:
        raise ValueError
    return parsed


def min_persons(value: str) -> int:
    parsed = int(value.strip())
    if parsed < SMALLEST_MIN_PERSONS:
        raise ValueError
    return parsed


def region_code(value: str) -> str:
    """A voivodeship's TERYT code: two digits, even, 02 to 32."""
    if not re.fullmatch(r"\d\d", value) or int(value) % 2 or not 2 <= int(value) <= 32:
        raise ValueError
    return value


def iso_date(value: str) -> date | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        raise ValueError
    return date.fromisoformat(value)


def web_address(value: str) -> str:
    if value and (urlparse(value).scheme not in ("http", "https") or not urlparse(value).netloc):
        raise ValueError
    return value


PATH_PL, PATH_EN = "ścieżka folderu", "a folder path"
SHARE_PL, SHARE_EN = "liczba od 0 do 1, np. 0.05 (albo 0,05)", "a number from 0 to 1, e.g. 0.05"
URL_PL = "pusty albo adres http:// lub https://"
URL_EN = "empty, or an http:// or https:// address"

SETTINGS: tuple[Setting, ...] = (
    Setting("inbox", "PES_INBOX", path, "data/sample",
            "skrzynka: folder z podfolderem na każde źródło (docs/inputs.md)",
            "inbox folder, one sub-folder per source (see docs/inputs.md)", PATH_PL, PATH_EN),
    Setting("reference", "PES_REFERENCE", path, "data/reference",
            "dane referencyjne: jednostki TERYT, typy podmiotów, wartości docelowe",
            "TERYT units, entity types, targets", PATH_PL, PATH_EN),
    Setting("decisions", "PES_DECISIONS", optional_path, "",
            "decyzje analityka o łączeniu podmiotów (docs/entity_model.md)",
            "the analyst's entity-resolution decisions (docs/entity_model.md)",
            PATH_PL, PATH_EN, default_text="$PES_INBOX/decisions"),
    Setting("mappings", "PES_MAPPINGS", path, "sources/mappings",
            "pliki mapowań źródeł: nazwy kolumn, typy, słowniki wartości, położenie komórek, "
            "oczekiwana liczba wierszy", "per-source mapping files: column aliases, types, "
            "value lookups, cell positions, expected row counts", PATH_PL, PATH_EN),
    Setting("extra_sources", "PES_EXTRA_SOURCES", optional_path, "",
            "plik rejestru źródeł dodanych przez urząd, dopisywanych do sources/registry.yml "
            "(docs/sources.md)", "a source registry file whose sources are added to "
            "sources/registry.yml (docs/sources.md)", "ścieżka pliku", "a file path"),
    Setting("var", "PES_VAR", path, "var", "wszystko, co zapisuje odświeżenie",
            "everything a refresh writes", PATH_PL, PATH_EN),
    Setting("warehouse", "PES_WAREHOUSE", optional_path, "", "plik hurtowni DuckDB",
            "the DuckDB file", "ścieżka pliku", "a file path",
            default_text="$PES_VAR/warehouse.duckdb"),
    Setting("landing", "PES_LANDING", optional_path, "",
            "niezmienne kopie wczytanych plików", "landing: immutable copies of the inputs",
            PATH_PL, PATH_EN, default_text="$PES_VAR/landing"),
    Setting("publish", "PES_PUBLISH", optional_path, "", "publikacje (releases/, latest)",
            "publication (releases/, latest)", PATH_PL, PATH_EN,
            default_text="$PES_VAR/publish"),
    Setting("dagster_home", "DAGSTER_HOME", optional_path, "",
            "instancja Dagstera (jej dagster.yaml to dowiązanie do pliku z repozytorium)",
            "the Dagster instance (its `dagster.yaml` is a link to this repo's)",
            PATH_PL, PATH_EN, default_text="$PES_VAR/dagster"),
    Setting("key_file", "PES_KEY_FILE", path, ".secrets/pseudonym.key",
            "plik klucza pseudonimizacji (tworzony przy pierwszym odświeżeniu)",
            "the pseudonymisation key file (created on the first run)",
            "ścieżka pliku", "a file path"),
    Setting("pseudonym_key", "PES_PSEUDONYM_KEY", text, "",
            "sam klucz pseudonimizacji zamiast pliku", "the key itself, instead of the file",
            "dowolny tekst", "any text", secret=True),
    Setting("region", "PES_REGION", region_code, "28",
            "kod TERYT monitorowanego województwa (kod bez danych referencyjnych jest odrzucany "
            "przy starcie)", "TERYT code of the voivodeship monitored (a code the reference "
            "data lack is refused at start, naming the accepted ones)",
            "dwucyfrowy parzysty kod TERYT województwa od 02 do 32 (np. 28)",
            "a two-digit even TERYT voivodeship code from 02 to 32 (e.g. 28)"),
    Setting("region_name", "PES_REGION_NAME", text, "",
            "nazwa województwa na stronie wskaźników (domyślnie nazwa z TERYT, np. województwo "
            "pomorskie dla 22)", "the region's Polish name on the pages (by default TERYT's "
            "name of PES_REGION, e.g. województwo pomorskie for 22)",
            "dowolny tekst", "any text", default_text="TERYT's name of PES_REGION"),
    Setting("period_end", "PES_PERIOD_END", iso_date, "",
            "ostatni monitorowany koniec miesiąca (RRRR-MM-DD)",
            "last month end monitored (`YYYY-MM-DD`)",
            "data w postaci RRRR-MM-DD, np. 2026-10-31", "a date as YYYY-MM-DD, e.g. 2026-10-31",
            default_text="end of the previous month (bundled sample: 2026-10-31)"),
    Setting("krs_base_url", "PES_KRS_BASE_URL", web_address, "",
            "adres API KRS: gdy podany, odpisy KRS są pobierane co miesiąc; gdy pusty, czytane "
            "z folderu krs/ skrzynki", "the KRS API's base URL: when set, KRS extracts are "
            "synced from the API monthly; when empty, read from the inbox's `krs/` folder",
            URL_PL, URL_EN),
    Setting("krs_requests_per_second", "PES_KRS_REQUESTS_PER_SECOND", positive, "3",
            "limit zapytań klienta API KRS na sekundę", "politeness limit of the KRS client",
            "liczba większa od 0", "a number above 0"),
    Setting("max_quarantine_share", "PES_MAX_QUARANTINE_SHARE", share, "0.05",
            "plik z większym udziałem odrzuconych wierszy wstrzymuje publikację",
            "a file with a larger share of rejected rows holds the publication back",
            SHARE_PL, SHARE_EN),
    Setting("max_monthly_change", "PES_MAX_MONTHLY_CHANGE", share, "0.10",
            "większa zmiana liczby aktywnych PES z miesiąca na miesiąc jest do sprawdzenia",
            "a larger month-on-month change of active PES is flagged for review",
            SHARE_PL, SHARE_EN),
    Setting("min_persons", "PES_MIN_PERSONS", min_persons, "3",
            "liczby osób mniejsze od tej (ale nie 0) są ukrywane we wszystkim, co publikujemy "
            "(docs/privacy.md)", "counts of persons below it (but not 0) are hidden in "
            "everything published (docs/privacy.md)",
            f"liczba całkowita nie mniejsza niż {SMALLEST_MIN_PERSONS} (najmniejsza "
            "publikowana liczba osób nie może być niższa)",
            f"a whole number, {SMALLEST_MIN_PERSONS} or more (the smallest count of persons "
            "published cannot go lower)"),
    Setting("max_row_drop_share", "PES_MAX_ROW_DROP_SHARE", share, "0.10",
            "źródło z większym spadkiem liczby wierszy wobec ostatniej publikacji wstrzymuje "
            "publikację do decyzji `mniej_wierszy`", "a source read with a larger share fewer "
            "rows than its last published version holds the publication back until a "
            "`mniej_wierszy` decision confirms it", SHARE_PL, SHARE_EN),
    Setting("max_duplicate_share", "PES_MAX_DUPLICATE_SHARE", share, "0.10",
            "plik z większym udziałem powtórzonych wierszy jest do sprawdzenia",
            "a file with a larger share of rows repeating another row is flagged for review",
            SHARE_PL, SHARE_EN),
    Setting("lock_wait", "PES_LOCK_WAIT", non_negative, "0",
            "ile sekund odświeżenie czeka, gdy inne zapisuje do tej samej hurtowni; 0: odmowa "
            "od razu", "seconds a refresh waits while another one writes to the same "
            "warehouse; `0` refuses at once, naming the running one",
            "liczba sekund, 0 lub więcej", "a number of seconds, 0 or more"),
    Setting("notify_command", "PES_NOTIFY_COMMAND", text, "",
            "polecenie uruchamiane po nieudanym lub wstrzymanym odświeżeniu i po publikacji "
            "(JSON na standardowym wejściu)", "a command run on a failed or held-back refresh "
            "and on a published release (the JSON on its standard input)",
            "puste albo polecenie powłoki", "empty, or a shell command"),
    Setting("notify_url", "PES_NOTIFY_URL", web_address, "",
            "adres, na który wysyłany jest JSON (POST) po nieudanym lub wstrzymanym "
            "odświeżeniu i po publikacji", "a webhook the same JSON is POSTed to",
            URL_PL, URL_EN),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The validated settings of this process, with every derived default resolved."""

    inbox: Path
    inbox_given: bool
    reference: Path
    decisions: Path | None
    mappings: Path
    extra_sources: Path | None
    var: Path
    warehouse: Path
    landing: Path
    publish: Path
    dagster_home: Path
    key_file: Path
    pseudonym_key: str
    region: str
    region_name: str
    # None: the end of the month before the day a run starts (the schedule's daemon runs for
    # months)
    period_end: date | None
    krs_base_url: str
    krs_requests_per_second: float
    max_quarantine_share: float
    max_monthly_change: float
    min_persons: int
    max_row_drop_share: float
    max_duplicate_share: float
    lock_wait: float
    notify_command: str
    notify_url: str


def file_values(settings_file: Path) -> tuple[dict[str, str], list[str]]:
    """The values a TOML settings file gives, by setting name, and its problems in Polish."""
    try:
        data = tomllib.loads(settings_file.read_text(encoding="utf-8"))
    except OSError as error:
        return {}, [f"Plik ustawień {settings_file}: nie można go odczytać ({error.strerror})."]
    except tomllib.TOMLDecodeError as error:
        return {}, [f"Plik ustawień {settings_file}: to nie jest poprawny plik TOML ({error})."]
    values, problems = {}, []
    for key, value in data.items():
        if key not in BY_NAME:
            problems.append(f"Plik ustawień {settings_file}: nieznany klucz „{key}”. Dozwolone "
                            f"klucze: {', '.join(BY_NAME)}.")
        elif isinstance(value, dict | list):
            problems.append(f"Plik ustawień {settings_file}, klucz {key}: oczekiwano jednej "
                            f"wartości. Dozwolone: {BY_NAME[key].accepted_pl}.")
        else:
            values[key] = str(value)
    return values, problems


def load_settings(env: Mapping[str, str] = os.environ, settings_file: Path | None = None,
                  overrides: Mapping[str, tuple[str, str]] | None = None) -> Settings:
    """The settings: `overrides` ({name: (option, value)}, from the command line) first, then
    the environment, then the settings file (`settings_file`, else `$PES_SETTINGS`), then the
    defaults (paths of the clone). Raises SettingsError with every bad value."""
    file = settings_file or (Path(env[SETTINGS_FILE_ENV]) if env.get(SETTINGS_FILE_ENV) else None)
    from_file, problems = file_values(file) if file else ({}, [])
    parsed: dict[str, object] = {}
    given: set[str] = set()
    for setting in SETTINGS:
        if overrides and setting.name in overrides:
            origin, raw = overrides[setting.name]
        elif setting.env in env:
            origin, raw = setting.env, env[setting.env]
        elif setting.name in from_file:
            origin, raw = f"{setting.name} w pliku ustawień {file}", from_file[setting.name]
        else:
            value = setting.parse(setting.default)
            parsed[setting.name] = PROJECT_ROOT / value if setting.parse is path else value
            continue
        given.add(setting.name)
        try:
            parsed[setting.name] = setting.parse(raw)
        except ValueError:
            shown = "(ukryta)" if setting.secret else raw
            problems.append(f"{origin}={shown}: niepoprawna wartość. Dozwolone: "
                            f"{setting.accepted_pl}.")
    if problems:
        raise SettingsError(problems)
    var = parsed["var"]
    if parsed["period_end"] is None and "inbox" not in given:
        parsed["period_end"] = SAMPLE_AS_OF
    return Settings(**{
        **parsed, "inbox_given": "inbox" in given,
        "warehouse": parsed["warehouse"] or var / "warehouse.duckdb",
        "landing": parsed["landing"] or var / "landing",
        "publish": parsed["publish"] or var / "publish",
        "dagster_home": parsed["dagster_home"] or var / "dagster",
    })


def help_of(setting: Setting, lang: str) -> tuple[str, str, str]:
    """(meaning, accepted values, default) of a setting in `lang` (pl or en)."""
    if lang == "en":
        return setting.help_en, setting.accepted_en, setting.default_shown() or "empty"
    default = setting.default_shown() or "pusty"
    default = default.replace("end of the previous month (bundled sample: 2026-10-31)",
                              "koniec poprzedniego miesiąca (próbka: 2026-10-31)")
    default = default.replace("TERYT's name of PES_REGION", "nazwa PES_REGION z TERYT")
    return setting.help_pl, setting.accepted_pl, default


def settings_help(lang: str) -> str:
    """The settings as `pes-monitor --help` lists them."""
    lines = []
    for setting in SETTINGS:
        meaning, accepted, default = help_of(setting, lang)
        label = "domyślnie" if lang == "pl" else "default"
        values = "wartości" if lang == "pl" else "values"
        lines.append(f"  {setting.env}\n      {meaning}\n      ({values}: {accepted}; "
                     f"{label}: {default})")
    return "\n".join(lines)


def readme_table() -> str:
    """The README's settings table (English, as the README is)."""
    rows = ["| variable | settings file key | default | accepted values | meaning |",
            "|---|---|---|---|---|"]
    for setting in SETTINGS:
        meaning, accepted, default = help_of(setting, "en")
        rows.append(f"| `{setting.env}` | `{setting.name}` | {default} | {accepted} | "
                    f"{meaning} |")
    return "\n".join(rows)
