"""make mutants: mutmut over the engine's modules and the app's run and key logic (docs/mutants.md).

Runs `mutmut run` on the modules given (all of [tool.mutmut] only_mutate by default), then prints,
per module, the mutants made, killed (a test failed or timed out), survived, of those the ones
docs/mutants.md calls equivalent, and the time mutmut spent on them. mutmut keeps its copy of the
code and its results in mutants/ (git-ignored): a second run of the same module tests its mutants
again; `rm -rf mutants` starts from scratch (mutmut then runs the tests once more to learn which
tests call which function, about 4 minutes on one core).

    python bench/mutants.py [--jobs N] [--report-only] [core/history.py tui/run/owner.py ...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {1, 3, 36, -24, 24, 152, 255}  # a test failed, or the tests ran out of time (an endless loop)
SURVIVED = {0}


def modules_to_mutate() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]


def dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def equivalents() -> set[str]:
    """The survivors docs/mutants.md lists as equivalent (a table row naming the mutant)."""
    doc = ROOT / "docs" / "mutants.md"
    if not doc.exists():
        return set()
    return set(re.findall(r"^\| `([^`]+__mutmut_\d+)` \| equivalent", doc.read_text(), re.MULTILINE))


def report(modules: list[str]) -> int:
    equivalent = equivalents()
    rows, totals = [], [0] * 6
    left: list[str] = []
    for module in modules:
        meta = ROOT / "mutants" / (module + ".meta")
        if not meta.exists():
            print(f"{module}: no results (run make mutants MODULES={module})")
            continue
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        made = len(codes)
        killed = sum(code in KILLED for code in codes.values())
        survivors = sorted(name for name, code in codes.items() if code in SURVIVED)
        eq = sum(name in equivalent for name in survivors)
        other = made - killed - len(survivors)  # no tests, not checked, suspicious
        seconds = sum(data.get("durations_by_key", {}).values())
        left += [name for name in survivors if name not in equivalent]
        left += [name for name, code in codes.items() if code not in KILLED | SURVIVED | {None}]
        row = [made, killed, len(survivors), eq, other, seconds]
        totals = [a + b for a, b in zip(totals, row)]
        rows.append((module, row))
    print()
    print(
        f"{'module':32} {'made':>5} {'killed':>6} {'survived':>8} {'equiv.':>6} {'other':>5} {'kill %':>6} {'time':>7}"
    )
    for module, (made, killed, survived, eq, other, seconds) in [*rows, ("all", totals)]:
        rate = 100 * killed / made if made else 0.0
        print(f"{module:32} {made:5} {killed:6} {survived:8} {eq:6} {other:5} {rate:6.1f} {seconds / 60:6.1f}m")
    print("\nkill %: killed over made. other: no test calls the function, or not run yet")
    if left:
        print(f"\n{len(left)} not killed and not listed as equivalent in docs/mutants.md (mutmut show NAME):")
        for name in left:
            print("  " + name)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="files to mutate (default: all of only_mutate)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--report-only", action="store_true", help="print the figures of the last run")
    args = parser.parse_args()
    known = modules_to_mutate()
    modules = args.modules or known
    unknown = [m for m in modules if m not in known]
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {' '.join(unknown)}")
    if not args.report_only:
        mutmut = Path(sys.executable).with_name("mutmut")
        names = [dotted(m) + ".*" for m in modules]
        start = time.monotonic()
        done = subprocess.run([str(mutmut), "run", "--max-children", str(args.jobs), *names], cwd=ROOT)
        minutes = (time.monotonic() - start) / 60
        print(f"\nmutmut run: {minutes:.1f} minutes wall time, {args.jobs} job(s), exit code {done.returncode}")
    return report(modules)


if __name__ == "__main__":
    sys.exit(main())
