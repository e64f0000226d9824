"""Settings: one definition, validated at start with Polish messages naming the variable and
what it accepts; a settings file below the environment; the README's table from the same
definition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.resources import monitor_settings
from pipelines.settings import (
    PROJECT_ROOT,
    SAMPLE_AS_OF,
    SETTINGS,
    SettingsError,
    load_settings,
    readme_table,
)

SHARE = "liczba od 0 do 1, np. 0.05 (albo 0,05)"
MIN_PERSONS = ("liczba całkowita nie mniejsza niż 3 (najmniejsza publikowana liczba osób nie "
               "może być niższa)")
REGION = "dwucyfrowy parzysty kod TERYT województwa od 02 do 32 (np. 28)"
DATE = "data w postaci RRRR-MM-DD, np. 2026-10-31"
URL = "pusty albo adres http:// lub https://"

BAD_VALUES = [
    ("PES_MIN_PERSONS", "abc", MIN_PERSONS),
    ("PES_MIN_PERSONS", "0", MIN_PERSONS),
    ("PES_MIN_PERSONS", "2", MIN_PERSONS),
    ("PES_MIN_PERSONS", "3.5", MIN_PERSONS),
    ("PES_PERIOD_END", "31.10.2026", DATE),
    ("PES_PERIOD_END", "2026-02-30", DATE),
    ("PES_PERIOD_END", "2026-1-31", DATE),
    ("PES_REGION", "29", REGION),
    ("PES_REGION", "34", REGION),
    ("PES_REGION", "00", REGION),
    ("PES_REGION", "8", REGION),
    ("PES_REGION", "warmińsko-mazurskie", REGION),
    ("PES_MAX_QUARANTINE_SHARE", "1.5", SHARE),
    ("PES_MAX_QUARANTINE_SHARE", "-0.1", SHARE),
    ("PES_MAX_QUARANTINE_SHARE", "5%", SHARE),
    ("PES_MAX_MONTHLY_CHANGE", "dużo", SHARE),
    ("PES_MAX_ROW_DROP_SHARE", "2", SHARE),
    ("PES_MAX_DUPLICATE_SHARE", "", SHARE),
    ("PES_LOCK_WAIT", "-1", "liczba sekund, 0 lub więcej"),
    ("PES_KRS_REQUESTS_PER_SECOND", "0", "liczba większa od 0"),
    ("PES_KRS_BASE_URL", "ftp://krs.example/api", URL),
    ("PES_NOTIFY_URL", "127.0.0.1:8000/hook", URL),
    ("PES_INBOX", "", "ścieżka folderu"),
]


@pytest.mark.parametrize(("variable", "value", "accepted"), BAD_VALUES)
def test_a_bad_value_is_refused_naming_the_variable_and_what_it_accepts(
        variable: str, value: str, accepted: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({variable: value})
    assert refused.value.problems == [
        f"{variable}={value}: niepoprawna wartość. Dozwolone: {accepted}."]


def test_every_bad_value_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"PES_MIN_PERSONS": "abc", "PES_PERIOD_END": "31.10.2026"})
    assert [p.split("=")[0] for p in refused.value.problems] == ["PES_PERIOD_END",
                                                                  "PES_MIN_PERSONS"]


def test_the_key_itself_is_never_repeated_in_a_message(tmp_path: Path) -> None:
    settings_file = tmp_path / "pes.toml"
    settings_file.write_text("pseudonym_key = ['tajny-klucz']\n", encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        load_settings({}, settings_file)
    assert "tajny-klucz" not in str(refused.value)


GOOD_VALUES = [
    ({"PES_MIN_PERSONS": "3"}, "min_persons", 3),
    ({"PES_MIN_PERSONS": "10"}, "min_persons", 10),
    ({"PES_MAX_QUARANTINE_SHARE": "0,2"}, "max_quarantine_share", 0.2),
    ({"PES_MAX_QUARANTINE_SHARE": "1"}, "max_quarantine_share", 1.0),
    ({"PES_MAX_MONTHLY_CHANGE": "0"}, "max_monthly_change", 0.0),
    ({"PES_REGION": "02"}, "region", "02"),
    ({"PES_REGION": "22"}, "region", "22"),
    ({"PES_REGION": "32"}, "region", "32"),
    ({"PES_PERIOD_END": "2020-12-31"}, "period_end", date(2020, 12, 31)),
    ({"PES_LOCK_WAIT": "0"}, "lock_wait", 0.0),
    ({"PES_NOTIFY_URL": "http://127.0.0.1:8000/hook"}, "notify_url",
     "http://127.0.0.1:8000/hook"),
]


@pytest.mark.parametrize(("env", "name", "expected"), GOOD_VALUES)
def test_a_good_value_is_taken(env: dict[str, str], name: str, expected: object) -> None:
    assert getattr(load_settings(env), name) == expected


def test_defaults_are_the_clones_folders_and_the_samples_date() -> None:
    settings = load_settings({})
    assert settings.inbox == PROJECT_ROOT / "data" / "sample" and not settings.inbox_given
    assert settings.warehouse == PROJECT_ROOT / "var" / "warehouse.duckdb"
    assert settings.dagster_home == PROJECT_ROOT / "var" / "dagster"
    assert settings.period_end == SAMPLE_AS_OF
    assert (settings.region, settings.min_persons, settings.max_quarantine_share) == (
        "28", 3, 0.05)


def test_an_own_inbox_without_a_period_end_means_the_month_before_each_run(tmp_path) -> None:
    settings = load_settings({"PES_INBOX": str(tmp_path)})
    assert settings.period_end is None and settings.inbox_given
    assert monitor_settings(settings).period_end == ""  # decided when a run starts


def test_var_moves_every_folder_under_it_unless_one_is_set(tmp_path: Path) -> None:
    settings = load_settings({"PES_VAR": str(tmp_path), "PES_PUBLISH": "/srv/publikacje"})
    assert settings.warehouse == tmp_path / "warehouse.duckdb"
    assert settings.landing == tmp_path / "landing"
    assert settings.publish == Path("/srv/publikacje")


def test_a_settings_file_gives_values_the_environment_overrides(tmp_path: Path) -> None:
    settings_file = tmp_path / "pes.toml"
    settings_file.write_text('min_persons = 5\nregion = "22"\nmax_quarantine_share = 0.1\n',
                             encoding="utf-8")
    settings = load_settings({"PES_MIN_PERSONS": "4"}, settings_file)
    assert (settings.min_persons, settings.region, settings.max_quarantine_share) == (
        4, "22", 0.1)
    same = load_settings({"PES_SETTINGS": str(settings_file)})
    assert (same.min_persons, same.region) == (5, "22")


def test_a_bad_settings_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    settings_file = tmp_path / "pes.toml"
    settings_file.write_text('min_persons = 1\nregon = "28"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        load_settings({}, settings_file)
    assert refused.value.problems[0].startswith(
        f"Plik ustawień {settings_file}: nieznany klucz „regon”. Dozwolone klucze: inbox, ")
    assert refused.value.problems[1] == (
        f"min_persons w pliku ustawień {settings_file}=1: niepoprawna wartość. "
        f"Dozwolone: {MIN_PERSONS}.")
    settings_file.write_text("min_persons = \n", encoding="utf-8")
    with pytest.raises(SettingsError, match="to nie jest poprawny plik TOML"):
        load_settings({}, settings_file)


def test_command_line_options_win_and_are_named_in_messages() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"PES_PERIOD_END": "2020-12-31"},
                      overrides={"period_end": ("--period-end", "31.12.2020")})
    assert refused.value.problems == [f"--period-end=31.12.2020: niepoprawna wartość. "
                                      f"Dozwolone: {DATE}."]


def test_the_assets_resource_is_built_from_the_validated_settings(tmp_path: Path) -> None:
    resource = monitor_settings(load_settings({
        "PES_INBOX": str(tmp_path), "PES_MIN_PERSONS": "4", "PES_PERIOD_END": "2020-12-31",
        "PES_REGION": "22", "PES_REGION_NAME": "województwo pomorskie"}))
    assert (resource.inbox_dir, resource.min_persons, resource.period_end) == (
        str(tmp_path), 4, "2020-12-31")
    assert (resource.region_code, resource.region_name_pl) == ("22", "województwo pomorskie")
    assert resource.decisions_path() == tmp_path / "decisions"


def test_the_readme_table_is_the_definitions() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme
    assert len(readme_table().splitlines()) == len(SETTINGS) + 2
