"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol.

Chromium (the Debian package ``chromium``) is started with ``--remote-debugging-pipe``
and spoken to with the standard library only: JSON messages separated by NUL bytes on
file descriptors 3 (commands in) and 4 (replies and events out). That lets the test see
every console message, uncaught exception, failed or external request, measure the
charts as laid out, and take a full-page screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from community_care.community import load_snapshot, plan_community
from community_care.html import render_html
from community_care.samples import DEMO_DATE, demo_community

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (Debian: apt-get install chromium)",
    ),
    # Slow: run in CI (`.ci/run`), not in the quick test command of the README.
    pytest.mark.slow,
]
TIMEOUT = 60.0


class Browser:
    """A headless Chromium and its DevTools pipe; one page (target) at a time."""

    def __init__(self, executable: str, profile: Path) -> None:
        commands_r, self._commands_w = os.pipe()
        self._replies_r, replies_w = os.pipe()

        def child_fds() -> None:
            # Runs in the child, before the other descriptors are closed: Chromium reads
            # commands on 3 and writes on 4. Copies first, so neither end overwrites the other.
            commands, replies = os.dup(commands_r), os.dup(replies_w)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=child_fds,
            close_fds=False,  # only inheritable fds (3 and 4, made by dup2) reach Chromium
        )
        os.close(commands_r)
        os.close(replies_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its reply; events seen meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands_w, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Wait for an event (already seen or coming)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies_r], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"Chromium said nothing for {TIMEOUT:.0f} s")
            chunk = os.read(self._replies_r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def open(self, url: str, width: int = 1280) -> Page:
        """Open ``url`` in a new page and wait until it has loaded."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.events.clear()
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired")
        # Let layout and fonts settle: an evaluation after document.fonts.ready.
        self.send("Runtime.evaluate", session, expression="document.fonts.ready", awaitPromise=True)
        return Page(self, session)

    def close(self) -> None:
        """Ask Chromium to quit; stop it if it does not."""
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")  # Chromium may close the pipe before it replies
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands_w)
        os.close(self._replies_r)


class Page:
    """A loaded page: evaluate JavaScript, read what it logged, take screenshots."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        """The JSON value of an expression evaluated in the page."""
        reply = self.browser.send(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def _events(self, method: str) -> list[dict[str, Any]]:
        return [
            e["params"]
            for e in self.browser.events
            if e.get("method") == method and e.get("sessionId") == self.session
        ]

    def errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, failed loads, opened dialogs."""
        out = [
            f"console.{e['type']}: {[a.get('value', a.get('description')) for a in e['args']]}"
            for e in self._events("Runtime.consoleAPICalled")
            if e["type"] in ("error", "warning", "assert")
        ]
        out += [
            f"exception: {e['exceptionDetails'].get('text')}"
            for e in self._events("Runtime.exceptionThrown")
        ]
        out += [
            f"log.{e['entry']['level']}: {e['entry']['text']}"
            for e in self._events("Log.entryAdded")
            if e["entry"]["level"] in ("error", "warning")
        ]
        out += [f"failed: {e['errorText']}" for e in self._events("Network.loadingFailed")]
        out += [f"dialog: {e['message']}" for e in self._events("Page.javascriptDialogOpening")]
        return out

    def requests(self) -> list[str]:
        """The URL of every request the page made."""
        return [e["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    def screenshot(self, path: Path) -> tuple[int, int]:
        """A PNG of the whole page (not just the viewport); returns its CSS size."""
        size = self.browser.send("Page.getLayoutMetrics", self.session)["cssContentSize"]
        width, height = int(size["width"]), int(size["height"])
        shot = self.browser.send(
            "Page.captureScreenshot",
            self.session,
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return width, height


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None
    chromium = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    loaded = load_snapshot(demo_community())
    plan = plan_community(loaded.snapshot, on=DEMO_DATE)
    folder = tmp_path_factory.mktemp("report")
    out = {}
    for lang in ("zh", "en"):
        path = folder / f"report-{lang}.html"
        path.write_text(render_html(plan, loaded.snapshot, lang=lang), encoding="utf-8")
        out[lang] = path
    return out


SVG_SIZES = """JSON.stringify([...document.querySelectorAll('svg')].map(s => {
  const r = s.getBoundingClientRect();
  return {id: s.closest('figure') ? s.closest('figure').id : '', width: r.width,
          height: r.height};
}))"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sample_report_loads_cleanly_and_draws_every_chart(
    browser: Browser, sample_reports: dict[str, Path], lang: str, tmp_path: Path
) -> None:
    page = browser.open(sample_reports[lang].as_uri())

    assert page.errors() == []
    # Self-contained: the page itself is the only thing loaded.
    assert page.requests() == [sample_reports[lang].as_uri()]
    assert page.evaluate("document.querySelectorAll('script').length") == 0

    sizes = json.loads(page.evaluate(SVG_SIZES))
    assert {s["id"] for s in sizes} == {
        "chart-coverage",
        "chart-tiers",
        "chart-risks",
        "chart-visits",
        "chart-urgency",
        "chart-party",
        "chart-category",
    }
    for size in sizes:
        assert size["width"] > 0 and size["height"] > 0, size
    # Charts fit the page: nothing wider than the body's content box.
    body = page.evaluate("document.body.clientWidth")
    assert all(s["width"] <= body for s in sizes)

    shot = tmp_path / f"report-{lang}.png"
    width, height = page.screenshot(shot)
    assert shot.stat().st_size > 10_000
    assert width == 1280 and height > 2000


def test_the_harness_sees_console_errors_and_requests(browser: Browser, tmp_path: Path) -> None:
    # The check above is only worth something if a broken page fails it.
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><title>x</title><img src='missing.png'>"
        "<script>console.error('boom'); undefined_function();</script>",
        encoding="utf-8",
    )
    page = browser.open(bad.as_uri())
    errors = page.errors()
    assert any("boom" in e for e in errors)
    assert any(e.startswith("exception:") for e in errors)
    assert any("missing.png" in r for r in page.requests())
    assert any(e.startswith("failed:") for e in errors)


def test_markup_in_names_stays_text_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    data = demo_community()
    data["community"]["name"] = "<script>alert('c')</script>"
    data["elderly"][0]["name"] = "<script>alert(1)</script>"
    data["children"][0]["name"] = "<img src=x onerror=alert(1)>"
    data["offers"][0]["name"] = "<img src=y onerror=alert(2)>"
    loaded = load_snapshot(data)
    plan = plan_community(loaded.snapshot, on=DEMO_DATE)
    path = tmp_path / "xss.html"
    path.write_text(render_html(plan, loaded.snapshot, lang="en"), encoding="utf-8")

    page = browser.open(path.as_uri())
    assert page.errors() == []
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    assert page.requests() == [path.as_uri()]
    assert "<script>alert('c')</script>" in page.evaluate("document.title")
