"""`perceptron-lab explain LESSON --epoch E`: one epoch of training, every number, stage by stage."""

from __future__ import annotations

import json
import sys

from core.cli import PROG
from core.cli.options import add_training, choice, training_config, whole
from core.config import MAX_EPOCHS
from core.errors import InputError
from core.lessons import LESSONS
from core.words import say

NAME = "explain"
FORMATS = ("text", "json")
WIDTH = 100  # sentences are wrapped to this many terminal cells; formulas are never broken


def add_arguments(parser, lang: str) -> None:
    add_training(parser, lang)
    o = "cli.explain."
    parser.add_argument(
        "--epoch", type=whole("epoch", 0, MAX_EPOCHS, lang), default=0, metavar="E", help=say(o + "epoch", lang)
    )
    parser.add_argument("--path", default=None, metavar="I,J,...", help=say(o + "path", lang))
    parser.add_argument(
        "--format", type=choice("format", FORMATS, lang), default="text", metavar="{" + ",".join(FORMATS) + "}",
        help=say(o + "format", lang),
    )  # fmt: skip


def read_path(text: str, sizes: tuple[int, ...]) -> tuple[int, ...]:
    """ "2,5,1,3" (counted from 1, output left out) -> (1, 4, 0, 2, 0); InputError("path") otherwise."""
    from core.explain.explain import check_path

    parts = [p.strip() for p in str(text).split(",")]
    if not all(p.isdigit() for p in parts):
        check_path(sizes, (text,))  # raises, saying what a path is
    return check_path(sizes, tuple(int(p) - 1 for p in parts))


def run(args) -> int:
    lang, error = args.lang, args.parser.error
    if not LESSONS[args.lesson].trains:
        error(say("cli.by_hand.no_training", lang, lesson=args.lesson, prog=PROG))
    if LESSONS[args.lesson].rule:
        error(say("cli.rule.no_explain", lang, lesson=args.lesson, prog=PROG))
    config, lesson, epochs = training_config(args)
    if args.epoch > epochs:
        error(say("cli.explain.epoch_range", lang, epoch=args.epoch, last=epochs))
    path = None
    if args.path is not None:
        try:
            path = read_path(args.path, config.sizes)
        except InputError as bad:
            error(bad.message(lang))

    from core.explain.explain import explain
    from core.trainer import Trainer

    trainer = Trainer(config)
    trainer.run(to_epoch=args.epoch)
    blowup = trainer.blowup
    if blowup is not None and blowup.epoch < args.epoch:
        error(say("cli.explain.epoch_beyond", lang, epoch=args.epoch, last=blowup.epoch))
    stopped = blowup is not None and blowup.epoch == args.epoch
    explanation = explain(trainer.history, args.epoch)
    if args.format == "json":
        from core.cli.train import finite

        json.dump(finite(document(explanation, lesson.id, path, stopped)), sys.stdout, allow_nan=False)
        print()
    else:
        print(text(explanation, lang, lesson.id, path, stopped))
    return 0


def text(explanation, lang: str, lesson_id: str, path=None, stopped: bool = False) -> str:
    """The five stages as text, sentences wrapped to WIDTH cells."""
    from core.explain.explain_text import stages, title
    from core.mathtext import cells, wrap

    out = [title(explanation, lang, lesson_id)]
    for stage in stages(explanation, lang, path, stopped):
        out += ["", stage.title, "─" * cells(stage.title)]
        for line in stage.lines:
            out.extend(wrap(line.text, WIDTH) if line.kind in ("text", "note") else [line.text])
    return "\n".join(out)


def document(explanation, lesson_id: str, path=None, stopped: bool = False) -> dict:
    """Every number of the epoch: per layer its parameters, gradients and updated values, per row the
    forward and backward values, and the optimizer's rule with its numbers."""
    from core.explain.explain import path_steps

    ex, u = explanation, explanation.update
    config = ex.config
    update = {"optimizer": u.optimizer, "lr": u.lr, "step": u.step}
    if u.optimizer == "momentum":
        update["momentum"] = u.momentum
    if u.optimizer == "adam":
        update |= {"betas": list(u.betas), "eps": u.eps}
        update |= {"bias_correction1": u.bias_correction1, "bias_correction2": u.bias_correction2}
    result = {
        "lesson": lesson_id,
        "config": {**config.__dict__, "hidden": list(config.hidden), "sizes": list(config.sizes)},
        "epoch": ex.epoch,
        "loss": ex.loss,
        "applied": not stopped,  # False: the run blew up at this epoch and never made this update
        "update": update,
        "rows": [
            {
                "inputs": x,
                "target": y,
                "output": ex.layers[-1].a[r][0],
                "layers": [
                    {
                        "name": layer.name,
                        "z": layer.z[r],
                        "a": layer.a[r],
                        "grad_a": layer.grad_a[r],
                        "delta": layer.delta[r],
                    }
                    for layer in ex.layers
                ],
            }
            for r, (x, y) in enumerate(zip(ex.inputs, ex.targets))
        ],
        "layers": [
            {
                "name": layer.name,
                "activation": layer.activation,
                "weight": layer.weight,
                "bias": layer.bias,
                "weight_grad": layer.weight_grad,
                "bias_grad": layer.bias_grad,
                "weight_next": layer.weight_next,
                "bias_next": layer.bias_next,
                "state": {name: buf.__dict__ for name, buf in layer.state.items()},
                "state_next": {name: buf.__dict__ for name, buf in layer.state_next.items()},
            }
            for layer in ex.layers
        ],
    }
    if path is not None:
        result["path"] = [
            {**step.__dict__, "name": ex.layers[step.layer].name} for step in path_steps(explanation, path)
        ]
    return result
