"""Debian's Chromium through Playwright, with no network, for the dashboard's tests and bench.

Playwright speaks the DevTools protocol to the Chromium the system has (it downloads no browser
of its own here): the page is opened as a committee member would open the file, in a context
that is offline, with every host name unresolvable besides, and what the page logs, asks for and
draws can be read back.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page, sync_playwright

# A laptop or projector, and a phone (CSS pixels).
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
OFFLINE_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"]
# True once every figure of the page is drawn (plotly has put its SVG in each plot's div).
ALL_PLOTS_DRAWN_JS = """() => {
  const plots = [...document.querySelectorAll('div[id^="wykres-"]')];
  return plots.every(p => p.classList.contains('js-plotly-plot') && p.querySelector('.main-svg'));
}"""


def chromium_path() -> str | None:
    """Return Debian's Chromium executable, or None when it is not installed."""
    return next(filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser"))), None)


@contextmanager
def offline_chromium(executable: str) -> Iterator[Browser]:
    """Yield a headless Chromium with no network, closed on leaving."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=OFFLINE_ARGS,
                                             env={**os.environ, "LANG": "pl_PL.UTF-8"})
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page opened offline, with what it logged and asked for while it loaded."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def visit(browser: Browser, url: str, viewport: dict[str, int], *,
          timeout_ms: int = 30_000) -> Iterator[Visit]:
    """Open ``url`` at ``viewport`` in a fresh offline context and wait for every figure.

    Every request other than the page itself is recorded (``data:`` and ``blob:`` URLs are
    the page's own bytes, not the network), and so is every console error and script error.
    """
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, offline=True, locale="pl-PL",
                                  is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda m: seen.console_errors.append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
        page.on("request", lambda r: seen.requests.append(r.url)
                if r.url != url and not r.url.startswith(("data:", "blob:")) else None)
        page.goto(url, wait_until="load", timeout=timeout_ms)
        page.wait_for_function(ALL_PLOTS_DRAWN_JS, timeout=timeout_ms)
        yield seen
    finally:
        context.close()
