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
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Tests of scale and of processes, 3 to 23 s each, that a surviving mutant would run every time: make
# test runs them, make mutants leaves them out (a mutant only they would kill counts as survived).
SLOW_TESTS = [
    "tests/unit/test_history.py::test_a_100000_epoch_run_keeps_little_and_replays_a_bounded_number_of_steps",
    "tests/unit/test_blowup.py::test_the_lessons_never_raise_a_false_alarm[xor-mlp]",
    "tests/unit/test_session_file.py::test_a_save_killed_at_any_moment_leaves_the_old_file_or_the_new_one_whole",
    "tests/unit/test_import_hygiene.py",
    "tests/app/test_app.py::test_sigterm_restores_the_terminal",
    "tests/app/test_app.py::test_quit_while_running_returns_within_a_second",
]
# make mutants BATCH=k: the modules split so that each batch fits in an hour on 2 cores (docs/mutants.md
# gives each one's measured time, or says it has not been measured). The modules the issue puts first
# come first.
BATCHES = {
    1: ["tui/key_rule.py", "tui/run/owner.py", "tui/run/epochs.py"],
    2: ["core/history.py", "core/trainer.py"],
    3: ["core/kernel.py"],
    4: ["core/files/session_file.py"],
    5: ["core/sweep/batch_kernel.py"],
    6: ["core/explain/explain.py"],
    7: ["core/maps/boundary.py"],
    8: ["core/sweep/sweep.py"],
    9: ["core/sweep/plateaus.py", "core/datasets.py", "core/config.py"],
}
KILLED = {1, 3, 36, -24, 24, 152, 255}  # a test failed, or the tests ran out of time (an endless loop)
SURVIVED = {0}
# Seconds of each mutant's fastest tests (by mutmut's recorded times) run by default: of 503 killed
# mutants timed with no budget, none took more than 9.4 s in all (99 % within 5.9 s).
BUDGET = 10.0
TIMES = ROOT / "mutants" / "times.json"  # wall time of each module's last run


def modules_to_mutate() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]


def dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def equivalents(verdicts: str = "equivalent") -> set[str]:
    """The survivors docs/mutants.md lists as equivalent (a table row naming the mutant; with
    verdicts="equivalent|left", every one it lists)."""
    doc = ROOT / "docs" / "mutants.md"
    if not doc.exists():
        return set()
    return set(re.findall(rf"^\| `([^`]+__mutmut_\d+)` \| (?:{verdicts}) ", doc.read_text(), re.MULTILINE))


MAKE_MUTANTS = """
from pathlib import Path
from mutmut.__main__ import create_mutants
from mutmut.utils.file_utils import copy_src_dir
from mutmut.mutation.trampoline import set_mutant_under_test
set_mutant_under_test("mutant_generation")
Path("mutants").mkdir(exist_ok=True)
copy_src_dir()
create_mutants(1)
"""


# `mutmut run`, with two changes to how each mutant's tests run (the tests and the verdicts are mutmut's),
# unless --as-mutmut-does:
# - gc.freeze() in the fork server once it has imported the tests: pytest ends every run with five
#   gc.collect() calls (to report unraisable exceptions), which otherwise walk every object of torch,
#   textual and the tests in each forked mutant, 0.6 s of the 0.7 s a mutant with one fast test took;
# - each mutant's tests fastest first (by the time mutmut recorded for each), as mutmut's own fork
#   runner does but its fork server does not (a set's order): pytest stops at the first failure (-x),
#   so a mutant a fast test kills stops there.
# - with a budget (--budget S, the default), only the fastest of its tests, as many as fit in S seconds
#   of their recorded time (always one at least): a mutant that survives them counts as survived, never
#   as killed, so a budget can only lower the kill rate; it bounds what a survivor costs (one that ran
#   every test of a kernel function ran the whole selection), and its time limits are mutmut's formula
#   over the tests it runs (over all of them, a mutant stuck in a loop held a worker past 8 minutes).
#   Which survivors it cut is not recorded (mutmut hands out the tests in its main process, they run in
#   the fork server's children): --budget 0 runs every test that covers a mutant.
# And each mutant's wall and CPU seconds, measured in its own process, go to mutants/mutant-times.jsonl
# (mutmut's fork server records 0 s for every mutant), with the number of tests it ran.
RUN_MUTMUT = """
import gc, json, math, os, resource, sys, time
from mutmut.__main__ import cli
from mutmut.configuration import config
from mutmut.runners.harness import PytestRunner
from mutmut.state import state
from mutmut.workers.isolation import ForkServerRunner

AS_MUTMUT_DOES = sys.argv.pop(1) == "as-mutmut-does"
BUDGET = float(sys.argv.pop(1))
TIMES = os.path.abspath("mutants/mutant-times.jsonl")  # mutmut runs in the project, the tests in mutants/
warm_up, submit, run_tests = PytestRunner.warm_up, ForkServerRunner.submit, PytestRunner.run_tests

def warm_up_and_freeze(self):
    warm_up(self)
    gc.freeze()

def fastest_first(self, mutant_name, tests, cpu_time_limit, estimated_time):
    duration = state().duration_by_test
    tests = sorted(tests, key=lambda test: (duration.get(test, 0.0), test))
    if BUDGET > 0:
        spent, kept = 0.0, []
        for test in tests:
            spent += duration.get(test, 0.0)
            if kept and spent > BUDGET:
                break
            kept.append(test)
        if len(kept) < len(tests):  # mutmut's time limits, for the tests it runs
            tests, cfg = kept, config()
            estimated_time = sum(duration.get(test, 0.0) for test in tests)
            cpu_time_limit = math.ceil((estimated_time + cfg.timeout_constant) * cfg.timeout_multiplier * 2)
    submit(self, mutant_name, tests, cpu_time_limit, estimated_time)

def timed(self, *, mutant_name, tests):
    start = time.monotonic()
    code = run_tests(self, mutant_name=mutant_name, tests=tests)
    if mutant_name is None:  # the clean run of the tests, before the mutants
        return code
    usage = resource.getrusage(resource.RUSAGE_SELF)  # this forked process's own, from its fork
    line = {"mutant": mutant_name, "wall": time.monotonic() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "exit": code, "tests": len(tests), "as_mutmut_does": AS_MUTMUT_DOES}
    with open(TIMES, "a") as out:
        out.write(json.dumps(line) + "\\n")
    return code

PytestRunner.run_tests = timed
if not AS_MUTMUT_DOES:
    PytestRunner.warm_up, ForkServerRunner.submit = warm_up_and_freeze, fastest_first
sys.argv[0] = "mutmut"
cli()
"""


# The functions that run as the tests are imported (datasets and config built at import): mutmut's fork
# server imports the tests once, before any mutant is chosen, so their mutants cannot fail there.
CALLED_AT_IMPORT = """
import json, os, sys
import pytest
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.state import state
sys.path.insert(0, os.getcwd())
set_mutant_under_test("stats")
pytest.main(["--collect-only", "-qqq", "-p", "no:cacheprovider", *sys.argv[1:]])
print("CALLED " + json.dumps(sorted(state()._stats)))
"""
FRESH = ROOT / "mutants" / "fresh-verdicts.json"  # survivors of those, run again in a fresh process


def deselected() -> str:
    return " ".join(f"--deselect={t}" for t in SLOW_TESTS)


def test_selection() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]


def pytest(tests: list[str], env: dict) -> subprocess.CompletedProcess:
    """A fresh pytest in mutants/ over `tests` (stopping at the first failure)."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=ROOT / "mutants", env=env, capture_output=True)


def recheck_survivors_called_at_import(env: dict) -> None:
    """Run again, each in a fresh pytest (as make test would), the survivors whose function runs as the
    tests are imported, with the tests mutmut gave them and their module's unit tests: a failure or an
    error there, where the same tests pass with no mutant, is a kill."""
    found = subprocess.run(
        [sys.executable, "-c", CALLED_AT_IMPORT, *test_selection()],
        cwd=ROOT / "mutants",
        env=env,
        capture_output=True,
        text=True,
    )
    called = set(json.loads(found.stdout.rpartition("CALLED ")[2]))
    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text())["tests_by_mangled_function_name"]
    verdicts = json.loads(FRESH.read_text()) if FRESH.exists() else {}
    baseline: dict[tuple, int] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            function = name.rpartition("__mutmut_")[0]
            if code not in SURVIVED or function not in called:
                verdicts.pop(name, None)
                continue
            # mutmut's record gives a function run at import the tests that happened to call it
            # again; its module's own unit tests are the ones that state what it builds.
            own = f"tests/unit/test_{Path(meta.name.removesuffix('.py.meta')).name}.py"
            tests = [*stats.get(function, []), *([own] if (ROOT / own).exists() else [])] or test_selection()
            if tuple(tests) not in baseline:  # the same tests with no mutant, which must pass
                baseline[tuple(tests)] = pytest(tests, env).returncode
            code = pytest(tests, dict(env, MUTANT_UNDER_TEST=name)).returncode
            # Under the mutant the tests fail, or cannot even be collected (an error importing them,
            # pytest's 2 to 4), where they pass without it: a kill.
            verdicts[name] = 1 if code != 0 and baseline[tuple(tests)] == 0 else 0
            print(f"  {name}: {'killed' if verdicts[name] else 'survived'} in a fresh process (pytest {code})")
    FRESH.write_text(json.dumps(verdicts, indent=1))


# --recheck TESTS: every survivor of the last run, against the given test files (the tests written for
# the survivors since the run), each in a process forked from one that has imported them (as mutmut's
# fork server does, without its record of which test calls what): pytest -x, a failure is a kill.
RECHECK = """
import gc, json, os, sys
import pytest
from mutmut.mutation.trampoline import set_mutant_under_test
sys.path.insert(0, os.getcwd())
names, tests = json.loads(sys.argv[1]), sys.argv[2:]
pytest.main(["--collect-only", "-qqq", "-p", "no:cacheprovider", *tests])
gc.freeze()
for name in names:
    pid = os.fork()
    if pid == 0:
        set_mutant_under_test(name)
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1), os.dup2(fd, 2)
        os._exit(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests]))
    _, status = os.waitpid(pid, 0)
    print("VERDICT " + json.dumps([name, os.waitstatus_to_exitcode(status)]), flush=True)
"""
RECHECKED = ROOT / "mutants" / "recheck-verdicts.json"


def recheck(modules: list[str], tests: list[str]) -> None:
    """Run every survivor of the last run in `modules` (not killed in a fresh process either, and not
    one docs/mutants.md already says why it survives) against `tests`, files under tests/ copied into
    mutants/ first (the tests written since the run)."""
    fresh = json.loads(FRESH.read_text()) if FRESH.exists() else {}
    judged = equivalents("equivalent|left")
    names = []
    for meta in [ROOT / "mutants" / (module + ".meta") for module in modules]:
        if not meta.exists():
            continue
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if ((code in SURVIVED and fresh.get(name) not in (1, 2)) or code in (5, 33)) and name not in judged:
                names.append(name)
    for test in tests:
        (ROOT / "mutants" / test).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / "mutants" / test).write_bytes((ROOT / test).read_bytes())
    env = dict(os.environ, PYTEST_ADDOPTS=deselected())
    run = subprocess.Popen(
        [sys.executable, "-c", RECHECK, json.dumps(names), *tests],
        cwd=ROOT / "mutants",
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    found = {}
    for text in run.stdout:
        if text.startswith("VERDICT "):
            name, code = json.loads(text[8:])
            found[name] = {"exit": code, "tests": tests}
    run.wait()
    verdicts = json.loads(RECHECKED.read_text()) if RECHECKED.exists() else {}  # another recheck's, kept
    verdicts.update(found)
    RECHECKED.write_text(json.dumps(verdicts, indent=1))
    kills = sum(verdicts[name]["exit"] in (1, 2) for name in names if name in verdicts)
    print(f"{kills} of {len(names)} survivors (and mutants no test called) fail under {' '.join(tests)}")


def untested(module: str) -> list[str]:
    """The module's mutants that have no verdict yet."""
    meta = ROOT / "mutants" / (module + ".meta")
    if not meta.exists():
        return [dotted(module) + ".*"]
    return [name for name, code in json.loads(meta.read_text())["exit_code_by_key"].items() if code is None]


def sample(module: str, size: int) -> list[str]:
    """`size` of the module's mutants, evenly spaced in mutmut's order (the same ones every time)."""
    meta = ROOT / "mutants" / (module + ".meta")
    if not meta.exists():
        return []
    names = list(json.loads(meta.read_text())["exit_code_by_key"])
    step = max(1, len(names) / size)
    return [names[int(i * step)] for i in range(min(size, len(names)))]


def report(modules: list[str]) -> int:
    equivalent = equivalents()
    fresh = json.loads(FRESH.read_text()) if FRESH.exists() else {}
    after = {name: v["exit"] for name, v in (json.loads(RECHECKED.read_text()) if RECHECKED.exists() else {}).items()}
    latest = latest_times()
    print()
    print(
        f"{'module':28} {'made':>5} {'run':>5} {'killed':>6} {'+after':>6} {'equiv.':>6} {'left':>5} {'no test':>7}"
        f" {'killed %':>8} {'+after %':>8} {'+equiv %':>8} {'minutes':>7}"
    )
    totals = [0] * 8 + [0.0]
    left: list[str] = []
    for module in modules:
        meta = ROOT / "mutants" / (module + ".meta")
        if not meta.exists():
            print(f"{module:28} not run yet (make mutants MODULES={module})")
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        tested = {name: code for name, code in codes.items() if code is not None}
        tested.update({name: 1 for name, code in fresh.items() if name in tested and code in (1, 2)})
        killed = sum(code in KILLED for code in tested.values())
        rest = sorted(name for name, code in tested.items() if code not in KILLED)
        later = [name for name in rest if after.get(name) in (1, 2)]
        rest = [name for name in rest if name not in later]
        eq = [name for name in rest if name in equivalent]
        no_test = [name for name in rest if tested[name] not in SURVIVED and name not in equivalent]
        left += [name for name in rest if name not in equivalent]
        seconds = sum(e["wall"] for name, e in latest.items() if name.startswith(dotted(module) + "."))
        row = [len(codes), len(tested), killed, len(later), len(eq), len(rest) - len(eq) - len(no_test), len(no_test)]
        totals = [a + b for a, b in zip(totals, [*row, seconds])]
        print(line(module, [*row, seconds]))
    print(line("all", totals))
    print(
        "\nrun: mutants with a verdict (a sample, or all). killed: by mutmut's run (a test failed or timed out),"
        "\nwith those of functions run at import that failed in a fresh process. +after: killed since by the"
        "\ntests written for them (--recheck). equiv.: the rest docs/mutants.md shows equivalent; left: the"
        "\nother survivors; no test: no test of the selection calls the function. %: over run."
        "\nminutes: the mutants' own time (their tests, forked), one after another; the run adds its start."
    )
    if fresh:
        kills = sum(code in (1, 2) for code in fresh.values())
        print(
            f"\n{kills} of the killed survived in mutmut's fork server and failed their tests in a fresh process"
            f"\n(of {len(fresh)} survivors whose function runs as the tests are imported, run again)."
        )
    own_times(modules, latest)
    if left:
        print(f"\n{len(left)} survived, not listed as equivalent in docs/mutants.md (mutmut show NAME):")
        for name in left:
            print("  " + name)
    return 0


def own_times(modules: list[str], latest: dict[str, dict]) -> None:
    """Each module's mutants' own seconds (their tests in their forked process, the latest run of each),
    without the run's start: making the mutants, learning which tests call what, the clean run."""
    if latest:
        print("\nEach mutant's own time (its tests, forked; mean over the mutants timed, latest run of each):")
    for module in modules:
        entries = [e for name, e in latest.items() if name.startswith(dotted(module) + ".")]
        if entries:
            wall = sum(e["wall"] for e in entries) / len(entries)
            cpu = sum(e["cpu"] for e in entries) / len(entries)
            print(f"  {module:28} {len(entries):5} mutants  {wall:6.2f} s wall  {cpu:6.2f} s CPU")


def record_time(modules: list[str], names: list[str], seconds: float, jobs: int, sampled: bool) -> None:
    """Keep the run's wall time, shared among its modules by their mutants run (a sample's time is
    the whole run's over its mutants: the time of one module's share is an estimate)."""
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    counts = {}
    for module in modules:
        codes = json.loads((ROOT / "mutants" / (module + ".meta")).read_text())["exit_code_by_key"]
        counts[module] = sum(name.startswith(dotted(module) + ".") for name in names) if sampled else len(codes)
    total = sum(counts.values()) or 1
    for module, count in counts.items():
        times[module] = {"seconds": seconds * count / total, "mutants": count, "jobs": jobs, "sample": sampled}
    TIMES.write_text(json.dumps(times, indent=1))


def line(module: str, row: list) -> str:
    made, run, killed, later, eq, left, no_test, seconds = row
    rates = [100 * part / run if run else 0.0 for part in (killed, killed + later, killed + later + eq)]
    return (
        f"{module:28} {made:5} {run:5} {killed:6} {later:6} {eq:6} {left:5} {no_test:7}"
        + "".join(f" {rate:8.1f}" for rate in rates)
        + f" {seconds / 60:7.1f}"
    )


def latest_times() -> dict[str, dict]:
    """Each mutant's latest entry in mutants/mutant-times.jsonl (its own seconds and exit code)."""
    path = ROOT / "mutants" / "mutant-times.jsonl"
    latest: dict[str, dict] = {}
    if path.exists():
        for text in path.read_text().splitlines():
            entry = json.loads(text)
            latest[entry["mutant"]] = entry
    return latest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="files to mutate (default: all of only_mutate)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--batch", type=int, choices=sorted(BATCHES), help="the modules of one batch (BATCHES)")
    parser.add_argument("--sample", type=int, help="run only this many mutants of each module, evenly spaced")
    parser.add_argument(
        "--as-mutmut-does", action="store_true", help="as mutmut runs: its test order, no gc.freeze, no budget"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=BUDGET,
        help=f"seconds of each mutant's fastest tests to run (default {BUDGET:g}; 0: every test that covers it)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="one run of the mutants that have no verdict yet (after a stop)"
    )
    parser.add_argument("--together", action="store_true", help="the modules in one mutmut run, not one run each")
    parser.add_argument(
        "--recheck-only", action="store_true", help="only run again, in fresh processes, the survivors called at import"
    )
    parser.add_argument(
        "--recheck", nargs="+", metavar="TEST", help="every survivor against these test files (written since the run)"
    )
    parser.add_argument("--report-only", action="store_true", help="print the figures of the last run")
    args = parser.parse_args()
    known = modules_to_mutate()
    modules = args.modules or (BATCHES[args.batch] if args.batch else known)
    assert sorted(m for batch in BATCHES.values() for m in batch) == sorted(known), "a module in no batch"
    unknown = [m for m in modules if m not in known]
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {' '.join(unknown)}")
    failed: list[str] = []
    if args.recheck:
        recheck(modules, args.recheck)
    elif args.recheck_only:
        recheck_survivors_called_at_import(dict(os.environ, PYTEST_ADDOPTS=deselected()))
    elif not args.report_only:
        mutmut = [sys.executable, "-c", RUN_MUTMUT]
        mode = "as-mutmut-does" if args.as_mutmut_does else "faster"
        env = dict(os.environ, PYTEST_ADDOPTS=deselected())
        if args.sample and not all((ROOT / "mutants" / (m + ".meta")).exists() for m in modules):
            subprocess.run([sys.executable, "-c", MAKE_MUTANTS], cwd=ROOT, check=True)  # to sample from
        if args.resume:  # one run, of the mutants with no verdict yet (a run stopped part way)
            batches = [(modules, [name for m in modules for name in untested(m)])]
            if not batches[0][1]:
                print("every mutant of these modules has a verdict (rm -rf mutants to start again)")
                batches = []
        elif args.together:  # one run for all: the tests the mutants need run clean once, not once a module
            batches = [(modules, [dotted(m) + ".*" for m in modules])]
        elif args.sample:  # one run for all: mutmut first runs every test the mutants need, once a run
            batches = [(modules, [name for m in modules for name in sample(m, args.sample)])]
        else:  # one run a module, so that each has its own time
            batches = [([m], [dotted(m) + ".*"]) for m in modules]
        for batch, names in batches:
            names = names or [dotted(m) + ".*" for m in batch]  # no mutants made yet: all of them
            start = time.monotonic()
            command = [*mutmut, mode, str(args.budget), "run", "--max-children", str(args.jobs), *names]
            done = subprocess.run(command, cwd=ROOT, env=env)
            seconds = time.monotonic() - start
            record_time(batch, names, seconds, args.jobs, sampled=bool(args.sample or args.resume))
            print(f"\n{' '.join(batch)}: {seconds / 60:.1f} minutes, {args.jobs} job(s), exit {done.returncode}")
            if done.returncode != 0:
                failed.append(" ".join(batch))
        if not args.as_mutmut_does:
            recheck_survivors_called_at_import(env)
    code = report(modules)
    if failed:  # mutmut's own run failed: most often a test that fails with no mutant at all
        print(f"mutmut failed for {', '.join(failed)} (a test failing unmutated? run make test)", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
