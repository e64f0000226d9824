"""The dashboard page loaded in a real headless Chromium, offline: the figures must be drawn.

Static checks cannot tell whether plotly.js actually runs from the page (a broken script tag,
a blocked inline script or a figure needing the network all leave a blank chart), so this
test renders the page the way a committee member's browser would, with every host name
unresolvable, and counts the plots drawn. The page is the one the end-to-end refresh of the
hand-made inbox published. CI must run it: there a missing Chromium is a failure,
elsewhere a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from dashboards.sections import DRAWN_INDICATORS
from tests.conftest import Refresh

BROWSER_TIMEOUT_S = 30
# Drawn as HTML tables rather than plots.
TABLES = ("study_visits_per_year", "project_budget")
TITLE = "Monitoring ekonomii społecznej – województwo warmińsko-mazurskie"


def chromium_or_skip() -> str:
    """Return the Chromium executable; skip without one, but fail in CI, which must run this."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    message = "Chromium not found (install it: apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_headless(chromium: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Run headless Chromium with no network (every host name fails to resolve)."""
    return subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
            "--host-resolver-rules=MAP * ~NOTFOUND", *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=BROWSER_TIMEOUT_S,
        check=True,
    )  # fmt: skip


class Rendered(NamedTuple):
    """The page as Chromium rendered it: its DOM, the browser's log and a screenshot."""

    dom: str
    console: str
    screenshot: Path


@pytest.fixture(scope="module")
def rendered(refreshed: Refresh, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The page the end-to-end refresh published, loaded offline; Chromium logs the page's
    console (script errors included) to stderr with --enable-logging."""
    chromium = chromium_or_skip()
    folder = tmp_path_factory.mktemp("browser")
    page = refreshed.publish / "dashboard.html"
    screenshot = folder / "shot.png"
    dumped = run_headless(
        chromium, folder / "profile-dom", "--enable-logging=stderr", "--v=0", "--dump-dom",
        page.as_uri(),
    )  # fmt: skip
    run_headless(
        chromium, folder / "profile-shot", f"--screenshot={screenshot}",
        "--window-size=1400,2400", page.as_uri(),
    )  # fmt: skip
    return Rendered(dumped.stdout, dumped.stderr, screenshot)


def test_every_figure_is_drawn(rendered: Rendered) -> None:
    dom = rendered.dom
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


def test_tables_are_rendered(rendered: Rendered) -> None:
    dom = rendered.dom
    assert dom.count('<table class="indicator-table">') == len(TABLES)
    assert "Wizyty studyjne według kraju" in dom
    assert "Budżet projektu" in dom


def test_page_raises_no_script_error(rendered: Rendered) -> None:
    messages = [line for line in rendered.console.splitlines() if "CONSOLE" in line]
    assert not [line for line in messages if "Uncaught" in line or "Error" in line], messages


def test_page_title_and_polish_labels_are_rendered(rendered: Rendered) -> None:
    dom = rendered.dom
    assert f"<title>{TITLE}</title>" in dom
    assert "Dane według stanu na: 31 grudnia 2020" in dom
    assert "Liczba podmiotów" in dom  # an axis title drawn into the SVG
    assert "m. Olsztyn" in dom
    assert "kwarantanna.csv" in dom


def test_screenshot_is_taken(rendered: Rendered) -> None:
    screenshot = rendered.screenshot
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 50_000
