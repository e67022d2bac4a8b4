"""`make screenshots`: the snapshot scenarios as SVG files in screenshots/, for the README."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from scenarios import SCENARIOS, play, scenario_app

OUT = Path(__file__).resolve().parent.parent / "screenshots"


async def shoot(scenario) -> Path:
    app = scenario_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        path = OUT / f"{scenario.name}.svg"
        app.save_screenshot(str(path.name), str(OUT))
    return path


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for scenario in SCENARIOS:
        print(asyncio.run(shoot(scenario)))


if __name__ == "__main__":
    main()
