"""The methodology in Polish is written from the catalogue with every publication.

Checked on the fixture refresh (period end 31.12.2020): each indicator of
assets/sql/marts/indicators.yml has its section with its title, definition, unit, sources,
SQL file and columns; the targets are those of data/reference/targets.csv, in Polish words.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from assets.marts import CATALOGUE
from tests.conftest import Refresh


class Sections(HTMLParser):
    """The text of each <section id=...> of the document."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "section":
            self.current = dict(attrs)["id"]
            self.sections[self.current] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current:
            self.sections[self.current] += data


def sections_of(refresh: Refresh) -> dict[str, str]:
    parser = Sections()
    parser.feed((refresh.publish / "metodologia.html").read_text(encoding="utf-8"))
    return {name: re.sub(r"\s+", " ", text) for name, text in parser.sections.items()}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def test_every_indicator_has_its_section(refreshed: Refresh) -> None:
    sections = sections_of(refreshed)
    assert sorted(sections) == sorted(CATALOGUE)
    for name, entry in CATALOGUE.items():
        text = sections[name]
        assert flat(entry["title_pl"]) in text
        assert flat(entry["description_pl"]) in text
        assert flat(entry["unit_pl"]) in text
        assert f"assets/sql/marts/{name}.sql" in text
        assert f"marts.{name}" in text
        for column, kind in entry["columns"].items():
            assert f"{column}{kind}" in text.replace(" ", "")


def test_targets_and_sources_are_written_in_polish(refreshed: Refresh) -> None:
    sections = sections_of(refreshed)
    meetings = sections["rkres_meetings_per_year"]
    assert "co najmniej 2 posiedzenia w roku, od 1 stycznia 2018 do 31 grudnia 2020" in meetings
    assert "Posiedzenia RKRES (staging.rkres_meeting)" in meetings
    assert "Ocena celu w kolumnie target_status" in meetings
    visits = sections["study_visits_per_year"]
    assert "Austria: co najmniej 1 wizyty, od 1 stycznia 2019 do 31 grudnia 2019" in visits
    budget = sections["project_budget"]
    assert "ogółem: najwyżej 2 158 612,28 zł" in budget  # spaces of the numbers flattened
    assert "Ocena celu" not in budget  # the budget is a figure, not a target to reach
    assert "brak celu" in sections["active_pes_by_type"]
    participants = sections["participants_new_by_quarter"]
    assert "Kolumny new_persons, persons_cumulative: małe liczby ukryte" in participants
    participation = sections["participation_by_quarter"]
    assert "new_persons, persons_cumulative, new_persons_total: małe liczby" in participation


def test_it_is_published_beside_the_dashboard(refreshed: Refresh) -> None:
    page = (refreshed.publish / "metodologia.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"pl\">")
    assert "Dane według stanu na: 31 grudnia 2020" in page
    assert "Liczby osób od 1 do 2 są ukrywane" in page
    materialised = [event for event in refreshed.result.get_asset_materialization_events()
                    if event.asset_key.path == ["publish", "dashboard"]]
    (event,) = materialised
    metadata = event.materialization.metadata
    assert metadata["methodology"].value.endswith("metodologia.html")
