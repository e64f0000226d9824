"""Size and first render time of the published dashboard, beside a blank page.

    python bench/dashboard.py [--page var/publish/latest/dashboard.html] [--repeats 5]
                              [--screenshots docs]

Targets (issue 18): the page under 6 MB, drawn in under 2 s in headless Chromium.

The page is opened offline in Debian's Chromium (through Playwright, as the browser test opens
it), each time in a fresh browser context so nothing is cached, and timed from the start of
the navigation until every figure has its SVG: what a committee member waits for before the
page can be read. A blank page is opened the same way in the same run, the two taking turns,
as the baseline: it is what opening any local file costs on this machine at this moment
(context, navigation, polling), so the difference is what the dashboard itself costs. The
median of `--repeats` runs is printed with the smallest and largest, beside the time to the
first text painted. Run a refresh first (`pes-monitor refresh`) so there is a published page.
With `--screenshots FOLDER` the top of the page is also saved there as the README shows it, on
a laptop (dashboard_desktop.png) and on a phone (dashboard_phone.png).

Nothing here is a test: it prints figures for a person to read.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the Chromium helper lives with the tests

from tests.chromium import (  # noqa: E402
    ALL_PLOTS_DRAWN_JS,
    DESKTOP,
    PHONE,
    chromium_path,
    offline_chromium,
    visit,
)

PAGE = ROOT / "var" / "publish" / "latest" / "dashboard.html"
MAX_BYTES = 6 * 1024 * 1024
MAX_RENDER_S = 2.0
# One line of text, so that the blank page has a first contentful paint to time too.
BLANK_HTML = '<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>pusta</title>' \
             '</head><body><p>Pusta strona</p></body></html>'
FIRST_PAINT_JS = "performance.getEntriesByName('first-contentful-paint')[0].startTime / 1000"


def render_seconds(browser, url: str) -> tuple[float, float]:
    """Seconds until the first text is painted (the browser's own count from the start of
    navigation), and until every figure of ``url`` is drawn (from the call to navigate)."""
    context = browser.new_context(viewport=DESKTOP, offline=True)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_function(ALL_PLOTS_DRAWN_JS, timeout=60_000)
        drawn = time.perf_counter() - started
        return page.evaluate(FIRST_PAINT_JS), drawn
    finally:
        context.close()


def save_screenshots(browser, url: str, folder: Path) -> None:
    """Save the top of the page on a laptop and on a phone (a few screens of each)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, viewport, height in (("desktop", DESKTOP, 2 * DESKTOP["height"]),
                                   ("phone", PHONE, 3 * PHONE["height"])):
        with visit(browser, url, viewport) as seen:
            path = folder / f"dashboard_{name}.png"
            seen.page.screenshot(path=str(path), full_page=True, clip={
                "x": 0, "y": 0, "width": viewport["width"], "height": height})
            print(f"zrzut ekranu: {path}")


def machine() -> str:
    """The machine as the figures depend on it: CPU, cores, memory, system, load."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor() or "nieznany")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"CPU: {cpu}; rdzeni: {os.cpu_count()}; pamięć: {int(memory) / 1024 ** 2:.1f} GiB; "
            f"{platform.platform()}; Python {platform.python_version()}; "
            f"obciążenie (1, 5, 15 min): {load}")


def summary(label: str, times: list[float]) -> str:
    return (f"{label}: mediana {statistics.median(times):.3f} s "
            f"(min {min(times):.3f} s, max {max(times):.3f} s, n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=PAGE)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, help="folder for the README's screenshots")
    args = parser.parse_args()
    page = args.page.resolve()
    if not page.exists():
        sys.exit(f"Brak strony {page}: uruchom najpierw `pes-monitor refresh`.")
    executable = chromium_path()
    if executable is None:
        sys.exit("Brak Chromium: apt-get install -y chromium")
    size = page.stat().st_size
    print(machine())
    with tempfile.TemporaryDirectory() as scratch, offline_chromium(executable) as browser:
        print(f"Chromium {browser.version} (bez sieci, okno {DESKTOP['width']}x"
              f"{DESKTOP['height']})")
        blank = Path(scratch) / "blank.html"
        blank.write_text(BLANK_HTML, encoding="utf-8")
        render_seconds(browser, blank.as_uri())  # the first start of a renderer, not counted
        blank_times, page_times = [], []
        for _ in range(args.repeats):
            blank_times.append(render_seconds(browser, blank.as_uri()))
            page_times.append(render_seconds(browser, page.as_uri()))
        if args.screenshots:
            save_screenshots(browser, page.as_uri(), args.screenshots)
    print(f"strona: {page}")
    print(f"rozmiar: {size:,} B ({size / 1024 ** 2:.2f} MiB); cel < 6 MiB: "
          f"{'spełniony' if size < MAX_BYTES else 'NIE'}".replace(",", " "))
    print(summary("pusta strona, pierwszy tekst", [t[0] for t in blank_times]))
    print(summary("pusta strona, wczytana (punkt odniesienia)", [t[1] for t in blank_times]))
    print(summary("panel, pierwszy tekst", [t[0] for t in page_times]))
    print(summary("panel, do narysowania wszystkich wykresów", [t[1] for t in page_times]))
    median = statistics.median(t[1] for t in page_times)
    blank_times = [t[1] for t in blank_times]
    print(f"panel ponad pustą stronę: {median - statistics.median(blank_times):.3f} s; "
          f"cel < {MAX_RENDER_S:.0f} s: {'spełniony' if median < MAX_RENDER_S else 'NIE'}")


if __name__ == "__main__":
    main()
