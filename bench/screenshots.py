"""`make screenshots`: the snapshot scenarios as SVG files in screenshots/, for the README, and
the app in a web browser as screenshots/browser.png (where Debian's Chromium is installed)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test helpers (scenarios.py)

from browser import NO_CHROMIUM, Chromium, Served, have_chromium
from scenarios import SCENARIOS, build_app, play

OUT = Path(__file__).resolve().parent.parent / "screenshots"


async def shoot(scenario) -> Path:
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        path = OUT / f"{scenario.name}.svg"
        app.save_screenshot(str(path.name), str(OUT))
    return path


async def shoot_browser(path: Path, steps: int = 40) -> Path:
    """A PNG of `perceptron-lab serve` in headless Chromium (1280×800): xor-mlp stepped 100 epochs
    at a time to epoch 4000, past its plateau: every panel has something to show."""
    with Served("--lesson", "xor-mlp", "--lang", "en") as served:
        async with Chromium() as browser:
            tab = await browser.new_tab()
            await tab.open(served.url)
            await tab.wait_for("Epoch: 0/5000")
            for _ in range(steps):
                await tab.press("N")
            await tab.wait_for(f"Epoch: {steps * 100}/5000", timeout=60)
            await asyncio.sleep(0.5)  # the heavier panels follow the status line
            return await tab.screenshot(path)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for scenario in SCENARIOS:
        print(asyncio.run(shoot(scenario)))
    if have_chromium():
        print(asyncio.run(shoot_browser(OUT / "browser.png")))
    else:
        print(f"screenshots/browser.png not made: {NO_CHROMIUM}")


if __name__ == "__main__":
    main()
