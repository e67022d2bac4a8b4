"""Browser mode in a real browser: `perceptron-lab serve` and Debian's headless Chromium.

Marked `browser` and left out of a plain `pytest` run (about 15 s); run it with `pytest -m browser`.
Skipped, saying so, where /usr/bin/chromium is missing (`apt-get install chromium`).
"""

from __future__ import annotations

import asyncio
import struct
from urllib.parse import urlsplit

import pytest

from browser import WINDOW, Chromium, Served, alive, have_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not have_chromium(), reason="no Chromium at /usr/bin/chromium (apt-get install chromium)"),
]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def test_the_app_in_a_browser_draws_takes_keys_and_ends_with_its_tab(tmp_path):
    with Served("--lesson", "xor-mlp", "--epochs", "100000") as served:
        async with Chromium() as browser:
            tab = await browser.new_tab()
            await tab.send("Network.enable")
            requests = browser.listen("Network.requestWillBeSent", tab.session)
            sockets = browser.listen("Network.webSocketCreated", tab.session)
            await tab.open(served.url)

            # The panels are drawn: the terminal's screen, which the canvas shows, has them all.
            screen = await tab.text()
            for title in ("Truth table", "Network", "Loss", "Weights", "Backpropagation solves XOR"):
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
            assert all(urlsplit(url).netloc == f"127.0.0.1:{served.port}" for url in urls if not url.startswith("data:")), urls
            assert await tab.evaluate("""document.fonts.check('16px "Roboto Mono"')""")
            assert await tab.evaluate("document.title") == "Perceptron Lab"

            # Keys reach the app without a click: n advances the epoch.
            await tab.wait_for("Epoch: 0/100000")
            await tab.press("n")
            await tab.wait_for("Epoch: 1/100000", timeout=10)
            await tab.press("n")
            await tab.wait_for("Epoch: 2/100000", timeout=10)

            # In view (the page's focus reaches the app), training at 10 epochs/s redraws every
            # panel; out of view, the heavy panels redraw every few seconds.
            await tab.press(" ")
            await tab.wait_for("running")
            watched = await tab.bytes_per_second(2)
            await tab.evaluate("document.querySelector('.xterm-helper-textarea').blur()")
            await asyncio.sleep(0.5)
            unwatched = await tab.bytes_per_second(2)
            assert unwatched < watched / 3, (watched, unwatched)

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
