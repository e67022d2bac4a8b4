"""Batched ways to compute the single kernel's products with its exact bits, for core/sweep/batch_kernel.py.

Each function returns a list of calls (no arguments) that compute one product for every network
of a batch. They reproduce the order in which MKL sums for one network, which a batched
multiply does not always keep; `Chooser` tries them, on random numbers, against the single
kernel's own call made network by network, and keeps the first that agrees in every bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import torch

Call = Callable[[], object]


class Chooser:
    """Picks, for each product of a batch, the first route that gives the single kernel's bits."""

    def __init__(self, n: int, seed: int = 0):
        self.n = n
        self.generator = torch.Generator().manual_seed(seed)
        # Compared on a few networks: the first, middle and last, and five more.
        picks = torch.randint(n, (5,), generator=self.generator).tolist()
        self.sample = sorted({0, n // 2, n - 1, *picks})
        self.routes: dict[str, str] = {}

    def choose(
        self,
        name: str,
        inputs: list[torch.Tensor],
        output: torch.Tensor,
        candidates: list[tuple[str, Call | list[Call]]],
        single_call: Callable[[int], Call],
    ) -> list[Call]:
        """The calls of the first candidate (route, calls) to give single_call(i)'s bits for the
        sampled networks i on random inputs; else single_call(i) for every network i."""
        sample = self.sample
        for tensor in inputs:
            for i in sample:
                tensor[i].uniform_(-2, 2, generator=self.generator)
        for i in sample:
            single_call(i)()
        expected = output[sample].clone()
        for route, calls in candidates:
            calls = calls if isinstance(calls, list) else [calls]
            output[sample] = math.nan
            for call in calls:
                call()
            if torch.equal(output[sample], expected):
                self.routes[name] = route
                return calls
        self.routes[name] = "per network"
        return [single_call(i) for i in range(self.n)]


def first_layer_bit_sums(
    W: torch.Tensor, b: torch.Tensor, out: torch.Tensor, rows: list[tuple[int, ...]]
) -> list[Call]:
    """x·Wᵀ + b for inputs that are bits, as additions. MKL sums the products in input order and
    adds the bias last; with x in {0, 1} that is the sum of the weights of the inputs that are 1,
    then the bias (a product with 0 adds nothing). W (n, width, inputs), b (n, width), out (n, rows, width)."""
    calls, sums = [], {}
    for r, bits in enumerate(rows):
        ones = [j for j, bit in enumerate(bits) if bit]
        if not ones:
            calls.append(partial(out[:, r].copy_, b))
            continue
        total = W[:, :, ones[0]]
        for k in range(1, len(ones)):
            key = tuple(ones[: k + 1])
            if key not in sums:  # shared by the rows whose inputs start the same
                sums[key] = torch.empty(W.shape[0], W.shape[1])
                calls.append(partial(torch.add, total, W[:, :, ones[k]], out=sums[key]))
            total = sums[key]
        calls.append(partial(torch.add, total, b, out=out[:, r]))
    return calls


def first_weight_gradient_bit_sums(delta: torch.Tensor, dW: torch.Tensor, rows: list[tuple[int, ...]]) -> list[Call]:
    """δᵀX for inputs that are bits: for each input, the sum in row order of δ over the rows where
    it is 1 (MKL sums over the rows in order). delta (n, rows, width), dW (n, width, inputs)."""
    calls = []
    for j in range(dW.shape[2]):
        ones = [r for r, bits in enumerate(rows) if bits[j]]
        target = dW[:, :, j]
        if len(ones) == 1:
            calls.append(partial(target.copy_, delta[:, ones[0]]))
            continue
        calls.append(partial(torch.add, delta[:, ones[0]], delta[:, ones[1]], out=target))
        for r in ones[2:]:
            calls.append(partial(target.add_, delta[:, r]))
    return calls


def sgemv_order_output(h: torch.Tensor, w: torch.Tensor, b: torch.Tensor, out: torch.Tensor) -> list[Call]:
    """h · w + b for a width-1 layer, summed as MKL's sgemv sums under MKL_CBWR=COMPATIBLE.

    With k inputs and q = (k - 1) // 4, MKL keeps four lanes: lane j = x0·[j = 0] + x(1+j) +
    x(5+j) + ... over the first 1 + 4q products; then ((lane 0 + lane 2) + (lane 1 + lane 3)) +
    x(1+4q) + ... + x(k-1); then the bias. Sums in order are what ATen's plain loop computes for a
    tiny batched product (bmm with a row of ones), and what these calls are made of.
    h (n, rows, k), w (n, 1, k), b (n, 1), out (n, rows).
    """
    n, rows, k = h.shape
    q = (k - 1) // 4
    body = 1 + 4 * q
    # blocks: [x0, 0, 0, 0, x1 .. x4q] per network and row; lanes 1-3 start at 0 (never written).
    blocks = torch.zeros(n, rows, 4 * (q + 1))
    # terms: [lane 0 + lane 2, lane 1 + lane 3, x(1+4q) .. x(k-1)]: summed in order, after the bias.
    terms = torch.empty(n, rows, 2 + k - body)
    lanes = torch.empty(n * rows, 1, 4)
    calls = [
        partial(torch.mul, h[:, :, :1], w[:, :, :1], out=blocks[:, :, :1]),
        partial(torch.mul, h[:, :, 1:body], w[:, :, 1:body], out=blocks[:, :, 4:]),
        partial(
            torch.bmm, torch.ones(1, 1, q + 1).expand(n * rows, 1, q + 1), blocks.view(n * rows, q + 1, 4), out=lanes
        ),
        partial(torch.add, lanes[:, 0, :2].view(n, rows, 2), lanes[:, 0, 2:].view(n, rows, 2), out=terms[:, :, :2]),
        partial(
            torch.baddbmm,
            b.unsqueeze(2),
            terms,
            torch.ones(1, terms.shape[2], 1).expand(n, -1, 1),
            out=out.unsqueeze(2),
        ),
    ]
    if body < k:
        calls.insert(2, partial(torch.mul, h[:, :, body:], w[:, :, body:], out=terms[:, :, 2:]))
    return calls


def bias_gradient_sums(pre_grads: torch.Tensor, dB: torch.Tensor) -> list[tuple[str, Call]]:
    """Candidates for the column sums of each network's (rows, Σ widths) pre-activation gradients:
    a product with a row of ones (MKL's sums, faster than ATen's), or ATen's sum."""
    n, rows, _ = pre_grads.shape
    return [
        (
            "bmm with ones",
            partial(torch.bmm, torch.ones(1, 1, rows).expand(n, 1, rows), pre_grads, out=dB.unsqueeze(1)),
        ),
        ("sum", partial(torch.sum, pre_grads, 1, out=dB)),
    ]
