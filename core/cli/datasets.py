"""`perceptron-lab datasets`: the truth tables a network can be trained on."""

from __future__ import annotations

from core.cli.options import add_lang
from core.datasets import DATASETS
from core.words import say

NAME = "datasets"


def add_arguments(parser, lang: str) -> None:
    add_lang(parser, lang)


def run(args) -> int:
    lang = args.lang
    for data in DATASETS.values():
        single = say("cli.datasets.one_layer" if data.linearly_separable else "cli.datasets.hidden_layer", lang)
        row = say("cli.datasets.row", lang, inputs=len(data.inputs), column=f"{data.column:<8}")
        print(f"{data.name:<12} {row}  {single}")
    print("\n" + say("cli.datasets.footer", lang))
    return 0
