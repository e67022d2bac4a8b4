"""exp, the sigmoid, the hidden activations and softplus over float64 arrays, with the same bits on
every machine: IEEE additions, multiplications, divisions, ldexp and a table only. numpy's own exp,
log and tanh choose AVX2 or AVX-512 code by CPU and differ in their last bits; core.maps.boundary
draws its maps with these, and core.surface its loss surfaces.
"""

from __future__ import annotations

import decimal
import math
import threading

import numpy as np

# exp(x) = 2**(n / 32) · exp(r), n = round(32 x / ln 2), |r| ≤ ln 2 / 64: 2**(n / 32) as 2**(n // 32)
# (ldexp) times a table of 2**(j / 32), r by Cody and Waite's two-part ln 2 / 32 (fdlibm's ln 2:
# n · _LN2_32_HI is exact), exp(r) by its Taylor series to r**6 / 6! (error < 1e-15 relative).
_LN2_32_HI, _LN2_32_LO = 6.93147180369123816490e-01 / 32, 1.90821492927058770002e-10 / 32
_INV_LN2_32 = 32 / 0.6931471805599453
_TAYLOR = tuple(1.0 / math.factorial(k) for k in range(7))


def _exp_reduced(r: np.ndarray) -> np.ndarray:
    p = np.full_like(r, _TAYLOR[-1])
    for c in _TAYLOR[-2::-1]:
        p *= r
        p += c
    return p


def _powers_of_two() -> np.ndarray:
    # 2**(j/32) rounded once from 40 digits: decimal's arithmetic is the same everywhere (no libm pow).
    with decimal.localcontext() as context:
        context.prec = 40
        ln2 = decimal.Decimal(2).ln()
        return np.array([float((ln2 * j / 32).exp()) for j in range(32)], dtype=np.float64)


_POWERS = _powers_of_two()
_scratch = threading.local()  # per thread: the map is painted by a worker while the UI thread may draw another


def _buffers(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scratch arrays for `exp_inplace`, kept per thread and shape: fresh ones cost more in page
    faults than the arithmetic does."""
    cache = getattr(_scratch, "cache", None)
    if cache is None:
        cache = _scratch.cache = {}
    if shape not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[shape] = (np.empty(shape), np.empty(shape), np.empty(shape, np.int64), np.empty(shape, np.int32))
    return cache[shape]


# Elements an exp (and a sigmoid) works through at a time: each of its ~25 steps is a pass over the
# array, and a map's first layer (1,089 points × 64 neurons) is five arrays of 560 KB. In blocks of
# 32,768 (256 KB an array) the passes stay in the core's cache: a 33×33 xor-mlp map's forward pass took
# 1.33 ms, not 1.81, while the machine was busy with other work (on a quiet one, 1.33 either way).
# Element by element, the same bits.
BLOCK = 32_768


def exp_inplace(x: np.ndarray) -> np.ndarray:
    """x = e**x (float64, C-contiguous), the same bits on every machine: IEEE additions,
    multiplications, ldexp and a table only. x is clipped to [-708, 709], where float64 stays
    finite and normal."""
    for block in _blocks(x):
        _exp_block(block)
    return x


def _blocks(x: np.ndarray) -> list[np.ndarray]:
    """x as views of at most BLOCK elements (a C-contiguous x; any other, whole)."""
    if x.size <= BLOCK or not x.flags.c_contiguous:
        return [x]
    flat = x.reshape(-1)  # a view of x
    return [flat[start : start + BLOCK] for start in range(0, flat.size, BLOCK)]


def _exp_block(x: np.ndarray) -> np.ndarray:
    n, r, k, e = _buffers(x.shape)
    np.clip(x, -708.0, 709.0, out=x)
    np.multiply(x, _INV_LN2_32, out=n)
    np.rint(n, out=n)
    np.multiply(n, _LN2_32_HI, out=r)
    np.subtract(x, r, out=r)
    np.multiply(n, _LN2_32_LO, out=x)
    r -= x
    x.fill(_TAYLOR[-1])  # exp(r) by Horner's rule, in x
    for c in _TAYLOR[-2::-1]:
        x *= r
        x += c
    np.copyto(k, n, casting="unsafe")  # whole numbers already
    np.bitwise_and(k, 31, out=e)
    np.take(_POWERS, e, out=r)
    x *= r
    np.right_shift(k, 5, out=k)
    np.copyto(e, k, casting="unsafe")  # |n // 32| ≤ 1022
    return np.ldexp(x, e, out=x)


def exp(x: np.ndarray) -> np.ndarray:
    """e**x for a float64 array (a new one), the same bits on every machine (see exp_inplace)."""
    return exp_inplace(np.array(x, dtype=np.float64, order="C"))


def sigmoid_inplace(z: np.ndarray) -> np.ndarray:
    for block in _blocks(z):  # each block through all four steps while it is in the cache
        np.negative(block, out=block)
        _exp_block(block)
        block += 1.0
        np.reciprocal(block, out=block)
    return z


def activate_inplace(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "sigmoid":
        return sigmoid_inplace(z)
    if activation == "tanh":  # 2σ(2z) - 1
        z *= 2.0
        sigmoid_inplace(z)
        z *= 2.0
        z -= 1.0
        return z
    if activation == "relu":
        return np.maximum(z, 0.0, out=z)
    raise ValueError(f"unknown activation {activation!r}")


# log(1 + t) = 2 atanh(s), s = t / (2 + t): for 0 ≤ t ≤ 1, s ≤ 1/3 and the odd series to s**35 is
# within 1e-17 of it. A division is correctly rounded by IEEE, so this too is the same everywhere.
_ATANH = tuple(2.0 / (2 * k + 1) for k in range(18))


def softplus_inplace(z: np.ndarray) -> np.ndarray:
    """z = log(1 + e**z) (float64), the same bits on every machine: max(z, 0) + log(1 + e**-|z|),
    with exp by `exp_inplace` and the log by a series. Binary cross-entropy from the logit z of a
    row with target y is softplus((1 − 2y)·z), with no log of 0 however far z goes."""
    t = np.abs(z)
    np.maximum(z, 0.0, out=z)
    np.negative(t, out=t)
    exp_inplace(t)  # e**-|z| in (0, 1]
    s = t / (t + 2.0)
    s2 = s * s
    p = np.full_like(s, _ATANH[-1])
    for c in _ATANH[-2::-1]:
        p *= s2
        p += c
    p *= s
    z += p
    return z
