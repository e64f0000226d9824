"""`pes-monitor` end to end, each command in its own process as an analyst runs it: the
Polish help (English on request), exit codes, the refresh's progress and reasons, status,
check on a good and a bad file, reproduce, ui and sample; notifications on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
import requests
from pytest_httpserver import HTTPServer

from tests.conftest import FIXTURE_PERIOD_END
from tests.fixture_inbox import write_fixture_inbox
from tests.refresh_process import PES_MONITOR
from tests.test_writer_lock import hold_lock

CATALOGUE = "pes_catalogue/katalog_pes_2020-12-31.csv"
ACTIVITY = "activity/dziennik_dzialan_2020-12-31.xlsx"
CIS_REGISTER = "cis_register/rejestr_cis_2020-12-31.csv"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return "127.0.0.1", 0


def pes(*args: str, env: dict[str, str] | None = None,
        timeout: float = 900) -> subprocess.CompletedProcess:
    """`pes-monitor ARGS` with only the given settings (none of the caller's PES_*)."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("PES_") and k not in ("DAGSTER_HOME", "LANG", "LC_ALL")}
    return subprocess.run([PES_MONITOR, *args], env={**clean, "LANG": "C.UTF-8", **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An office's settings: the hand-made inbox, its own var/ and key (no refresh yet)."""
    root = tmp_path_factory.mktemp("office")
    inbox = write_fixture_inbox(root / "inbox")
    return {"PES_INBOX": str(inbox), "PES_VAR": str(root / "var"),
            "PES_KEY_FILE": str(root / "secrets" / "pseudonym.key"),
            "PES_PERIOD_END": FIXTURE_PERIOD_END}


def test_help_is_polish_and_lists_commands_options_exit_codes_and_settings() -> None:
    done = pes("--help")
    assert done.returncode == 0
    assert done.stdout.startswith("użycie: pes-monitor")
    for command in ("refresh", "status", "check", "reproduce", "ui", "sample"):
        assert f"    {command} " in done.stdout
    assert "Kody wyjścia:\n  0  powodzenie" in done.stdout
    assert "  3  hurtownia zajęta" in done.stdout
    assert "  PES_MIN_PERSONS\n      liczby osób mniejsze od tej" in done.stdout
    refresh = pes("refresh", "--help").stdout
    assert "--inbox FOLDER" in refresh and "--period-end RRRR-MM-DD" in refresh
    assert "pokaż tę pomoc i zakończ" in refresh


@pytest.mark.parametrize("way", [("--lang", "en"), ("LANG", "en_GB.UTF-8")])
def test_help_is_english_on_request(way: tuple[str, str]) -> None:
    option, value = way
    done = pes("--help", *([option, value] if option == "--lang" else []),
               env={option: value} if option == "LANG" else None)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: pes-monitor")
    assert "Exit codes:\n  0  success" in done.stdout
    assert "counts of persons below it" in done.stdout


def test_bad_settings_stop_every_command_with_code_2_naming_the_variable(office) -> None:
    done = pes("status", env={**office, "PES_MIN_PERSONS": "2", "PES_REGION": "29"})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "Złe ustawienia, nic nie zostało uruchomione:",
        "  PES_REGION=29: niepoprawna wartość. Dozwolone: dwucyfrowy parzysty kod TERYT "
        "województwa od 02 do 32 (np. 28).",
        "  PES_MIN_PERSONS=2: niepoprawna wartość. Dozwolone: liczba całkowita nie mniejsza niż "
        "3 (najmniejsza publikowana liczba osób nie może być niższa).",
    ]
    refresh = pes("refresh", "--period-end", "31.12.2020", env=office)
    assert refresh.returncode == 2
    assert "--period-end=31.12.2020: niepoprawna wartość. Dozwolone: data w postaci " \
           "RRRR-MM-DD" in refresh.stderr
    assert not Path(office["PES_VAR"], "dagster").exists()  # nothing ran


def test_bad_usage_is_code_2_in_polish() -> None:
    done = pes("check", "plik.csv")
    assert done.returncode == 2
    assert "pes-monitor check: błąd: brak wymaganych argumentów: --source" in done.stderr


def test_check_accepts_a_good_file_and_writes_nothing(office, tmp_path: Path) -> None:
    env = {**office, "PES_VAR": str(tmp_path / "var"),
           "PES_KEY_FILE": str(tmp_path / "pseudonym.key")}
    done = pes("check", str(Path(office["PES_INBOX"], CIS_REGISTER)), "--source",
               "cis_register", env=env)
    assert done.returncode == 0, done.stderr
    assert "  Rejestr CIS (UW CIS 01): wczytano 2, przyjęto 2, do kwarantanny 0, odłożonych " \
           "wartości 0" in done.stdout
    assert done.stdout.splitlines()[-1] == "Wynik: wszystkie wiersze zostałyby przyjęte."
    assert not (tmp_path / "var").exists() and not (tmp_path / "pseudonym.key").exists()


def test_check_names_each_rejected_row_of_a_bad_file(office, tmp_path: Path) -> None:
    env = {**office, "PES_VAR": str(tmp_path / "var")}
    done = pes("check", str(Path(office["PES_INBOX"], CATALOGUE)), "--source", "pes_catalogue",
               env=env)
    assert done.returncode == 1
    # 12 rows; line 10 (powiat warszawski) and line 11 (31.02.2019) rejected; line 9's NIP
    # fails its check digit and is set aside, the row kept
    assert "  Katalog PES (ROPS): wczytano 12, przyjęto 10, do kwarantanny 2, odłożonych " \
           "wartości 1" in done.stdout
    lines = done.stdout.splitlines()
    assert [line.split(":")[0].strip() for line in lines if "      wiersz" in line] == [
        "wiersz 9", "wiersz 10", "wiersz 11"]
    assert "      wiersz 11: Nieczytelna data w polu Data rozpoczęcia działalności " \
           "(oczekiwano dd.mm.rrrr)." in lines
    assert not (tmp_path / "var").exists()


def test_check_of_a_participants_workbook_without_pesel_says_so(office, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(Path(office["PES_INBOX"], ACTIVITY))
    participants = workbook["Uczestnicy"]
    assert participants.cell(1, 2).value == "PESEL"
    participants.delete_cols(2)
    bad = tmp_path / "dziennik_bez_pesel.xlsx"
    workbook.save(bad)
    done = pes("check", str(bad), "--source", "activity",
               env={**office, "PES_VAR": str(tmp_path / "var")})
    assert done.returncode == 1
    assert "  Uczestnicy wydarzeń (pseudonimizowani): PLIK NIE DO ODCZYTANIA. " \
           "dziennik_bez_pesel.xlsx: arkusz „Uczestnicy” pominięty: brak wymaganej kolumny " \
           "„PESEL" in done.stdout
    assert "  Posiedzenia RKRES: wczytano 9, przyjęto 8" in done.stdout  # other sheets read
    assert "85121203459" not in done.stdout + done.stderr


STEP_LINE = re.compile(r"^  \d\d:\d\d:\d\d  (gotowe |BŁĄD   |pominięto)  (\S+)  \d+,\d s$")


def steps_reported(out: str) -> list[str]:
    return [m.group(2) for line in out.splitlines() if (m := STEP_LINE.match(line))]


@pytest.fixture(scope="module")
def refreshes(office, tmp_path_factory, make_httpserver: HTTPServer) -> dict:
    """A refresh that publishes, then one held back by the 5 % quarantine share (the
    catalogue's 2 rejected rows of 12 are 17 %), each notifying a command and a webhook."""
    make_httpserver.clear()
    make_httpserver.expect_request("/pes", method="POST").respond_with_data("ok")
    told = tmp_path_factory.mktemp("told")
    notify = {"PES_NOTIFY_URL": make_httpserver.url_for("/pes")}
    published = pes("refresh", env={**office, **notify, "PES_MAX_QUARANTINE_SHARE": "0.6",
                                     "PES_NOTIFY_COMMAND": f"cat > '{told}/published.json'"})
    held_back = pes("refresh", env={**office, **notify,
                                    "PES_NOTIFY_COMMAND": f"cat > '{told}/held_back.json'"})
    posted = [json.loads(request.get_data(as_text=True))
              for request, _ in make_httpserver.log]
    return {"published": published, "held_back": held_back, "told": told, "posted": posted}


def test_a_published_refresh_shows_progress_and_ends_with_the_dashboard(refreshes) -> None:
    done = refreshes["published"]
    assert done.returncode == 0, done.stderr[-3000:]
    steps = steps_reported(done.stdout)
    assert {"landing.pes_catalogue", "staging.pes_catalogue", "publish.dashboard"} <= set(steps)
    assert len(steps) == len(set(steps))  # one line per step
    assert "  Katalog PES (ROPS): wczytano 12, przyjęto 10, w kwarantannie 2" in done.stdout
    assert re.search(r"^Odświeżenie: opublikowano; koniec \d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
                     r"\(czas polski\), trwało \d+,\d s", done.stdout, re.M)
    dashboard = Path(done.stdout.splitlines()[-1])
    assert dashboard.name == "dashboard.html" and dashboard.is_file()
    assert " - dagster - " not in done.stdout + done.stderr  # Dagster's console log is quiet


def test_a_held_back_refresh_says_why_in_one_line_and_exits_1(refreshes) -> None:
    done = refreshes["held_back"]
    assert done.returncode == 1
    assert "  BŁĄD kontroli: staging/pes_catalogue quarantine_share: 1 plik(i) z udziałem " \
           "wierszy w kwarantannie powyżej 5%." in done.stdout.splitlines()
    assert "Odświeżenie: publikacja wstrzymana; koniec" in done.stdout
    assert "Publikacja wstrzymana: poprzednia opublikowana wersja pozostaje" in done.stderr


def test_each_refresh_notified_the_command_and_the_webhook(refreshes) -> None:
    published = json.loads((refreshes["told"] / "published.json").read_text(encoding="utf-8"))
    held_back = json.loads((refreshes["told"] / "held_back.json").read_text(encoding="utf-8"))
    assert refreshes["posted"] == [published, held_back]
    dashboard = Path(refreshes["published"].stdout.splitlines()[-1])
    assert (published["what"], published["why"]) == ("published", [])
    assert published["dashboard"] == str(dashboard)
    assert published["release"] == dashboard.parent.name
    assert Path(published["report"]).is_file()
    assert held_back["what"] == "held_back"
    assert held_back["why"] == ["staging/pes_catalogue quarantine_share: 1 plik(i) z udziałem "
                                "wierszy w kwarantannie powyżej 5%."]
    assert Path(held_back["report"]).name == "raport_jakosci.html"
    assert Path(held_back["report"]).parent.name == "held_back"


def test_status_shows_the_release_and_the_last_refreshes_with_reasons(office, refreshes) -> None:
    release = Path(refreshes["published"].stdout.splitlines()[-1]).parent.name
    done = pes("status", env=office)
    assert done.returncode == 1  # the newest refresh was held back
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"Bieżąca publikacja: {release} (dane do {FIXTURE_PERIOD_END})")
    runs = [line for line in lines if re.match(r"^  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  ", line)]
    assert ["publikacja wstrzymana" in runs[0], "opublikowano" in runs[1]] == [True, True]
    assert "      przyczyna: staging/pes_catalogue quarantine_share: 1 plik(i) z udziałem " \
           "wierszy w kwarantannie powyżej 5%." in lines


def test_a_refresh_refused_by_a_busy_warehouse_exits_3(office, refreshes, tmp_path) -> None:
    told = tmp_path / "told.json"
    holder = hold_lock(Path(office["PES_VAR"]) / "warehouse.duckdb")
    try:
        done = pes("refresh", env={**office, "PES_NOTIFY_COMMAND": f"cat > '{told}'"})
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 3
    assert done.stderr.startswith("Odświeżenie NIEURUCHOMIONE: Inne odświeżenie zapisuje już "
                                  f"do tej hurtowni (pid {holder.pid}, przebieg run-one")
    notified = json.loads(told.read_text(encoding="utf-8"))
    assert notified["what"] == "failed" and "pid" in notified["why"][0]


def test_reproduce_rebuilds_the_published_release(office, refreshes) -> None:
    release = Path(refreshes["published"].stdout.splitlines()[-1]).parent.name
    done = pes("reproduce", release, env=office)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.splitlines()[-1].startswith("identical: wszystkie wartości")
    missing = pes("reproduce", "nie-ma-takiej", env=office)
    assert missing.returncode == 1
    assert missing.stdout.startswith("Nie ma publikacji nie-ma-takiej")


def test_sample_writes_every_source_folder(tmp_path: Path) -> None:
    done = pes("sample", "--seed", "3", "--out", str(tmp_path / "sample"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Generuję dane przykładowe w {tmp_path / 'sample'}")
    assert all(any((tmp_path / "sample" / source).iterdir()) for source in (
        "pes_catalogue", "krs", "owes", "activity"))


def test_ui_serves_the_dagster_ui_on_127_0_0_1(office, tmp_path: Path) -> None:
    port = 3000 + os.getpid() % 1000
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PES_")}
    ui = subprocess.Popen([PES_MONITOR, "ui", "--port", str(port)],
                          env={**clean, **office, "PES_VAR": str(tmp_path / "var")},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5)
                break
            except requests.ConnectionError:
                assert ui.poll() is None and time.monotonic() < deadline
                time.sleep(2)
        assert answer.status_code == 200 and "dagster_webserver_version" in answer.json()
        assert (tmp_path / "var" / "dagster" / "dagster.yaml").is_symlink()
    finally:
        os.killpg(ui.pid, signal.SIGTERM)
        ui.wait(timeout=60)
