"""Browser mode in a real browser: `perceptron-lab serve` and Debian's headless Chromium.

Marked `slow` (make test-slow, which CI runs after make test) and `browser` (`pytest -m browser`
runs it alone). .ci/run installs Debian's chromium if it is missing; where it is still missing
(no apt-get, no root, no package registry) the test is skipped with one reason.
"""

from __future__ import annotations

import asyncio
import struct
from urllib.parse import urlsplit

import pytest
from browser import NO_CHROMIUM, WINDOW, Chromium, Served, alive, have_chromium

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not have_chromium(), reason=NO_CHROMIUM),
]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def status_versions(tab, seconds: float) -> int:
    """How many different status lines (`Epoch: …`) the page showed in `seconds` (looked at 10
    times a second)."""
    seen = set()
    for _ in range(int(seconds * 10)):
        seen.add(next((line for line in (await tab.text()).splitlines() if "Epoch:" in line), ""))
        await asyncio.sleep(0.1)
    return len(seen)


async def test_the_app_in_a_browser_draws_takes_keys_and_ends_with_its_tab(tmp_path):
    with Served("--lesson", "and", "--epochs", "100000") as served:
        async with Chromium() as browser:
            tab = await browser.new_tab()
            await tab.send("Network.enable")
            requests = browser.listen("Network.requestWillBeSent", tab.session)
            sockets = browser.listen("Network.webSocketCreated", tab.session)
            await tab.open(served.url)

            # The panels are drawn: the terminal's screen, which the canvas shows, has them all.
            await tab.wait_for("Epoch: 0/100000")
            screen = await tab.text()
            for title in ("Truth table", "Network", "Loss", "Weights", "Epoch: 0/100000", "Run/pause"):
                assert title in screen, screen
            shot = await tab.screenshot(tmp_path / "browser.png")
            assert png_size(shot.read_bytes()) == WINDOW and shot.stat().st_size > 20_000

            # Nothing came from outside the server, and its font is the one the page uses.
            urls = []
            while not requests.empty():
                urls.append((await requests.get())["request"]["url"])
            while not sockets.empty():
                urls.append((await sockets.get())["url"])
            assert any(url.startswith("ws://") for url in urls)
            assert any(url.endswith("RobotoMono-VariableFont_wght.ttf") for url in urls)
            assert all(
                urlsplit(url).netloc == f"127.0.0.1:{served.port}" for url in urls if not url.startswith("data:")
            ), urls
            assert await tab.evaluate("""document.fonts.check('16px "Roboto Mono"')""")
            assert await tab.evaluate("document.title") == "Perceptron Lab"

            # Keys reach the app without a click: n advances the epoch.
            await tab.press("n")
            await tab.wait_for("Epoch: 1/100000", timeout=10)
            await tab.press("n")
            await tab.wait_for("Epoch: 2/100000", timeout=10)

            # In view (the page's focus reaches the app), training at 100 epochs/s redraws the status
            # line at every tick (4 a second); out of view, once a second.
            await tab.press("s")
            await tab.wait_for("100/s")
            await tab.press(" ")
            await tab.wait_for("running")
            watched = await status_versions(tab, 3)
            await tab.evaluate("document.querySelector('.xterm-helper-textarea').blur()")
            await asyncio.sleep(0.5)
            unwatched = await status_versions(tab, 3)
            assert watched >= 8 and unwatched <= 5, (watched, unwatched)

            # One app process for the tab; closing the tab ends it, and the server goes on.
            apps = served.apps()
            assert len(apps) == 1
            await tab.close()
            for _ in range(100):
                if not alive(apps[0]):
                    break
                await asyncio.sleep(0.1)
            assert not alive(apps[0])
            assert served.process.poll() is None
        assert served.stop() == 0
