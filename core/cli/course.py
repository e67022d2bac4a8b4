"""`perceptron-lab course [--report] [--progress FILE ...] [--format text|json|csv]`: the course's
steps, or a learner's answers (each step, the prediction, what the run said, whether they matched),
or, from several learners' files, for each question how many predicted what (a teacher's table).

A progress file that cannot be read is one line on stderr, never a traceback; the others are
still reported. Exit status 0, 1 if some file could not be read, 2 if none could.
"""

from __future__ import annotations

import csv
import io
import json
import sys

from core.cli import PROG
from core.cli.options import add_lang, choice
from core.words import count, say

NAME = "course"
FORMATS = ("text", "json", "csv")


def add_arguments(parser, lang: str) -> None:
    from core.files.progress_file import default_path

    o = "cli.course."
    parser.add_argument("--report", action="store_true", help=say(o + "report", lang))
    parser.add_argument(
        "--progress", nargs="+", metavar="FILE", default=None, help=say(o + "progress", lang, path=default_path())
    )
    parser.add_argument(
        "--format", type=choice("format", FORMATS, lang), default="text", metavar="{text,json,csv}",
        help=say(o + "format", lang),
    )  # fmt: skip
    add_lang(parser, lang)


def run(args) -> int:
    from core.course.steps import STEPS
    from core.files.progress_file import ProgressError, default_path, read_progress

    lang = args.lang
    if not args.report:
        return _steps(STEPS, args.format, lang)
    paths = args.progress or [str(default_path())]
    read, bad = [], 0
    for path in paths:
        try:
            # The default file missing is a learner with no answers yet; a named one must be there.
            read.append((path, read_progress(path, missing_ok=args.progress is None)))
        except ProgressError as error:
            bad += 1
            print(f"{PROG} course: {error.message(lang)}", file=sys.stderr)
    if not read:
        return 2
    if len(paths) == 1:
        _learner(STEPS, read[0][1], args.format, lang)
    else:
        _teacher(STEPS, [progress for _, progress in read], args.format, lang)
        if bad:
            print(f"{PROG} course: {say('cli.course.bad_files', lang, n=bad, total=len(paths))}", file=sys.stderr)
    return 1 if bad else 0


def _steps(steps, form: str, lang: str) -> int:
    rows = [{"step": i + 1, "id": s.id, "lesson": s.lesson, "kind": s.kind, "title": s.title(lang),
             "question": s.question(lang)} for i, s in enumerate(steps)]  # fmt: skip
    if form == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif form == "csv":
        _csv(rows)
    else:
        for row in rows:
            print(f"{row['step']:>2}. {row['title']}  [{row['lesson']}]")
            print(f"    {row['question']}")
    return 0


def _status(step, answer, lang: str) -> tuple[str, str, str]:
    """(prediction, what the run said, matched) in words."""
    w = "cli.course."
    if answer is None:
        return say(w + "not_answered", lang), "", ""
    prediction = step.shown(answer.prediction, lang)
    if not answer.compared:
        return prediction, say(w + "not_compared", lang), ""
    return prediction, step.shown(answer.actual, lang), say(w + ("yes" if answer.matched else "no"), lang)


def _learner(steps, progress, form: str, lang: str) -> None:
    w = "cli.course."
    rows = []
    for i, step in enumerate(steps):
        answer = progress.answers.get(step.id)
        prediction, actual, matched = _status(step, answer, lang)
        run = answer.run if answer is not None else None
        rows.append({
            "step": i + 1, "id": step.id, "title": step.title(lang),
            "prediction": None if answer is None else answer.prediction,
            "actual": None if answer is None else answer.actual,
            "matched": None if answer is None else answer.matched,
            "predicted_at": None if answer is None else answer.predicted_at,
            "compared_at": None if answer is None else answer.compared_at,
            "run": None if run is None else vars(run).copy(),
            "shown": (prediction, actual, matched),
        })  # fmt: skip
    if form == "json":
        print(json.dumps([{k: v for k, v in r.items() if k != "shown"} for r in rows], ensure_ascii=False, indent=1))
        return
    if form == "csv":
        flat = []
        for r in rows:
            run = r["run"] or {}
            flat.append({
                "step": r["step"], "id": r["id"], "prediction": _cell(r["prediction"]), "actual": _cell(r["actual"]),
                "matched": "" if r["matched"] is None else str(r["matched"]).lower(),
                "predicted_at": r["predicted_at"] or "", "compared_at": r["compared_at"] or "",
                "lesson": run.get("lesson", ""), "seed": _cell(run.get("seed")), "lr": _cell(run.get("lr")),
                "epoch": _cell(run.get("epoch")),
            })  # fmt: skip
        _csv(flat)
        return
    for r in rows:
        prediction, actual, matched = r["shown"]
        print(f"{r['step']:>2}. {r['title']}")
        if r["prediction"] is None:
            print(f"    {prediction}")
            continue
        print(f"    {say(w + 'prediction', lang)}: {prediction}")
        if actual:
            print(
                f"    {say(w + 'actual', lang)}: {actual}"
                + (f"   {say(w + 'matched', lang)}: {matched}" if matched else "")
            )
        if r["run"] is not None:
            run = r["run"]
            if run["seed"] is None or run["lr"] is None:  # the neuron, set by hand: no seed, no lr
                settings = say(w + "run_by_hand", lang, lesson=run["lesson"])
            else:
                settings = say(
                    w + "run_settings", lang, lesson=run["lesson"], seed=run["seed"], lr=run["lr"], epoch=run["epoch"]
                )
            print(f"    {say(w + 'run', lang)}: {settings}")
    answered = [r for r in rows if r["matched"] is not None]
    matched_n = sum(1 for r in answered if r["matched"])
    print("\n" + say(w + "summary", lang, matched=matched_n, answered=len(answered), total=len(rows)))


def _teacher(steps, progresses, form: str, lang: str) -> None:
    """For each question, how many learners predicted what, and how many of them matched their run."""
    w = "cli.course."
    table = []
    for i, step in enumerate(steps):
        counts: dict[str, list[int]] = {}
        for progress in progresses:
            answer = progress.answers.get(step.id)
            if answer is None:
                continue
            tally = counts.setdefault(_cell(answer.prediction), [0, 0])
            tally[0] += 1
            tally[1] += bool(answer.matched)
        table.append((i + 1, step, counts))
    if form == "json":
        out = [{"step": n, "id": step.id, "learners": len(progresses),
                "predictions": [{"prediction": p, "count": c, "matched": m} for p, (c, m) in sorted(counts.items())]}
               for n, step, counts in table]  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    if form == "csv":
        _csv([{"step": n, "id": step.id, "prediction": p, "count": c, "matched": m}
              for n, step, counts in table for p, (c, m) in sorted(counts.items())])  # fmt: skip
        return
    print(count(w + "learners", len(progresses), lang))
    for n, step, counts in table:
        print(f"{n:>2}. {step.title(lang)}")
        if not counts:
            print(f"    {say(w + 'nobody', lang)}")
        for prediction, (c, m) in sorted(counts.items(), key=lambda item: -item[1][0]):
            shown = step.shown(_value(prediction) if step.kind == "number" else prediction, lang)
            line = say(w + "predicted", lang, count=c, prediction=shown)
            print(f"    {line} {say(w + 'of_them_matched', lang, matched=m)}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _value(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def _csv(rows: list[dict]) -> None:
    if not rows:
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    sys.stdout.write(out.getvalue())
