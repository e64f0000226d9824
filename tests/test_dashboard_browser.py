"""The dashboard page in a real headless Chromium, offline, on a laptop, a phone and A4 paper.

Static checks cannot tell whether plotly.js actually runs from the page (a broken script tag,
a blocked inline script or a figure needing the network all leave a blank chart), nor whether a
title fits its box, so this test opens the page the end-to-end refresh of the hand-made inbox
published, as a committee member's browser would: at 1280x720 and at 390x844, with the
network cut. It fails on a console error, on any request the page makes, and on any heading,
label or chart text cut by its box (measured in the page: an element's text wider than the
element, an SVG text outside its plot). Then it prints the page to A4 PDF. CI must run it:
there a missing Chromium is a failure, elsewhere a skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from dashboards.formatting import plotly_locale
from dashboards.sections import DRAWN_INDICATORS
from tests.chromium import DESKTOP, PHONE, Visit, chromium_path, offline_chromium, visit
from tests.conftest import Refresh

# Drawn as HTML tables rather than plots.
TABLES = ("study_visits_per_year", "project_budget")
TITLE = "Monitoring ekonomii społecznej – województwo warmińsko-mazurskie"
# The fixture's page holds 18 charts (the map among them), 2 small tables, the headline cards
# and one line per source (20). Printed, the header and contents take a page, each of the 5
# sections and the sources start a page, each chart fits a page whole (redrawn at most 800 px
# tall) and short ones share one. One page per chart and table, plus the header's and the
# sources', is 22; a sources table of one row per file, as before, or charts drawn too tall for
# a page would go beyond it.
MAX_A4_PAGES = 22
A4_POINTS = (595, 842)  # 210 x 297 mm in PDF points, rounded

# Every text in the page that is wider than its box: headings, paragraphs, cells (their own
# content, not a table that scrolls in its frame), and chart texts outside their plot.
CUT_TEXTS_JS = """() => {
  const cut = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    cut.push(`strona szersza niż okno: ${root.scrollWidth} > ${root.clientWidth}`);
  for (const el of document.querySelectorAll('h1, h2, h3, p, li, th, td, summary')) {
    if (el.closest('.js-plotly-plot')) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      cut.push(`${el.tagName} „${el.textContent.trim().slice(0, 60)}”: `
               + `${el.scrollWidth} > ${el.clientWidth}`);
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    for (const text of plot.querySelectorAll('svg.main-svg text')) {
      const label = text.textContent.trim();
      const r = text.getBoundingClientRect();
      if (!label || (r.width === 0 && r.height === 0)) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1
          || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        cut.push(`${plot.id} „${label.slice(0, 60)}” poza wykresem`);
    }
  }
  return cut;
}"""
# What the mode bar of every chart offers, by each button's name and tooltip.
MODE_BAR_JS = """() => [...document.querySelectorAll('.modebar-btn')].map(
  b => [b.getAttribute('data-val') || b.getAttribute('data-attr') || '',
        b.getAttribute('data-title')])"""
# The bars' values and the hover texts of one chart, as plotly drew them.
DRAWN_VALUES_JS = """(id) => document.getElementById(id)._fullData.map(t => ({
  type: t.type, name: t.name, orientation: t.orientation,
  x: Array.from(t.x || []), y: Array.from(t.y || []),
  customdata: Array.from(t.customdata || []).map(String), text: Array.from([].concat(t.text || []))
}))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found (install it: apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with offline_chromium(executable) as browser:
        yield browser


@pytest.fixture(scope="module")
def page_url(refreshed: Refresh) -> str:
    return (refreshed.publish / "dashboard.html").resolve().as_uri()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["1280x720", "390x844"])
def opened(request: pytest.FixtureRequest, browser: Browser, page_url: str) -> Iterator[Visit]:
    with visit(browser, page_url, request.param) as seen:
        yield seen


def test_every_figure_is_drawn(opened: Visit) -> None:
    dom = opened.page.content()
    plots = re.findall(r'<div id="(wykres-[a-z0-9-]+)" class="[^"]*js-plotly-plot', dom)
    assert sorted(plots) == sorted(
        f"wykres-{name.replace('_', '-')}" for name in DRAWN_INDICATORS if name not in TABLES
    )
    assert len(plots) == 18
    assert dom.count('class="main-svg"') >= 18
    # Drawn means data marks exist: area/line paths, and bar rectangles.
    assert dom.count('class="scatterlayer') >= 2
    assert dom.count('class="point"') >= 21 + 5  # 21 powiat bars, 5 years of meetings
    # the map, offline: the 21 powiats of its first view (plotly's world map is not fetched)
    assert dom.count('class="choroplethlocation"') == 21


def test_page_makes_no_request_and_logs_no_error(opened: Visit) -> None:
    assert opened.requests == []
    assert opened.console_errors == []


def test_no_title_or_label_is_cut(opened: Visit) -> None:
    assert opened.page.evaluate(CUT_TEXTS_JS) == []


def test_titles_and_dates_are_html_headings_above_each_chart(opened: Visit) -> None:
    figures = opened.page.locator("section.figure")
    assert figures.count() == 18 + len(TABLES)
    headings = figures.locator("h3").all_inner_texts()
    assert "Wizyty studyjne według kraju" in " ".join(headings)
    assert all(headings)
    # the subtitles say the date of each chart's own data
    subtitles = opened.page.locator("section.figure .subtitle").all_inner_texts()
    assert sum("stan na" in s.lower() for s in subtitles) >= 15
    # nothing is left in plotly's own title
    assert not "".join(opened.page.locator(".gtitle").all_text_contents()).strip()


def test_phone_shows_one_chart_across_the_screen(browser: Browser, page_url: str) -> None:
    with visit(browser, page_url, PHONE) as seen:
        widths = seen.page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
            .map(p => p.getBoundingClientRect().width)""")
        font = seen.page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            '.js-plotly-plot .xtick text, .js-plotly-plot .ytick text')]
            .map(t => parseFloat(getComputedStyle(t).fontSize)))""")
    # every chart spans the screen less the page's margins, none sits beside another
    assert all(350 <= width <= 390 for width in widths), widths
    assert font >= 12  # axis labels stay readable


def test_mode_bar_has_no_cloud_or_edit_button_and_speaks_polish(opened: Visit) -> None:
    opened.page.hover("#wykres-active-pes-by-type")
    buttons = opened.page.evaluate(MODE_BAR_JS)
    assert buttons  # the mode bar is there: saving a chart as a picture
    names = {name for name, _ in buttons}
    assert not names & {"sendChartToCloud", "downloadJson", "editInChartStudio"}
    assert opened.page.locator("text=Share chart").count() == 0
    polish = set(plotly_locale()["dictionary"].values())
    assert {title for _, title in buttons} <= polish, buttons
    assert "Pobierz wykres jako obraz PNG" in {title for _, title in buttons}


def test_page_title_and_polish_labels_are_rendered(opened: Visit) -> None:
    dom = opened.page.content()
    assert opened.page.title() == TITLE
    assert "Dane według stanu na: 31 grudnia 2020" in dom
    assert "Liczba podmiotów" in dom  # an axis title drawn into the SVG
    assert "m. Olsztyn" in dom
    assert "kwarantanna.csv" in dom


def test_sources_are_one_line_each_linking_the_report(opened: Visit, refreshed: Refresh) -> None:
    sources = refreshed.query("select count(distinct source) as n, count(*) as files "
                              "from marts.source_status")
    rows = opened.page.locator("table.source-freshness tbody tr")
    assert rows.count() == sources["n"].iloc[0] < sources["files"].iloc[0]
    links = rows.locator("a[href^='raport_jakosci.html#pliki-']")
    assert links.count() == rows.count()


def test_a_count_of_one_or_two_persons_is_nowhere(opened: Visit) -> None:
    """The fixture's hidden cells, counted by hand: new participants 1 woman and 1 man in
    2019-Q2 and 1 woman in 2019-Q4, OWES jobs 1 and 2, Austria's 2 visitors."""
    page = opened.page
    for chart in ("wykres-participants-new-by-quarter", "wykres-owes-jobs-by-group"):
        traces = page.evaluate(DRAWN_VALUES_JS, chart)
        bars = [t for t in traces if t["type"] == "bar"]
        values = [v for t in bars for v in (t["x"] if t["orientation"] == "h" else t["y"])]
        assert bars and not [v for v in values if v in (1, 2)], (chart, values)
        hovers = " ".join(" ".join(t["customdata"] + t["text"]) for t in traces)
        assert "<3" in hovers or "ukryto" in hovers, chart
    austria = page.locator("table.indicator-table tr", has_text="Austria").inner_text()
    assert re.split(r"\t", austria)[3] == "<3", austria
    participants = page.locator("#sekcja-wykres-participants-new-by-quarter .subtitle")
    assert participants.inner_text().startswith("Razem osób: ukryto (kobiety: <3, mężczyźni: <3)")


def test_prints_on_few_a4_pages_without_the_mode_bar(browser: Browser, page_url: str,
                                                    tmp_path: Path) -> None:
    with visit(browser, page_url, DESKTOP) as seen:
        pdf = seen.page.pdf(prefer_css_page_size=True, print_background=True)
        seen.page.emulate_media(media="print")
        assert seen.page.locator(".modebar-container").first.is_hidden()
    (tmp_path / "dashboard.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    pages = len(boxes)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {A4_POINTS}
    assert 5 <= pages < MAX_A4_PAGES, pages


def test_screenshot_is_taken(opened: Visit, tmp_path: Path) -> None:
    screenshot = tmp_path / "shot.png"
    opened.page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 50_000
