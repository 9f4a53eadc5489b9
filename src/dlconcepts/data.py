"""Datasets made on the spot or bundled with installed packages: nothing is downloaded.

Every function takes an explicit ``torch.Generator`` so its draw does not depend on
what ran before it. Inputs are ``float32`` tensors, class labels ``int64``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

Tensor = torch.Tensor


class Split(NamedTuple):
    """Train and test tensors."""

    X_train: Tensor
    y_train: Tensor
    X_test: Tensor
    y_test: Tensor


def _check_positive(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: expected a whole number >= 1, got {value!r}")


def _check_nonnegative(name: str, value: float) -> None:
    if not value >= 0:
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}")


def _gen(generator: torch.Generator | None) -> torch.Generator:
    return generator if generator is not None else torch.Generator().manual_seed(0)


def xor(n: int, noise: float = 0.1, generator: torch.Generator | None = None):
    """Four Gaussian blobs at the corners of a square, labelled by XOR of the signs."""
    _check_positive("n", n)
    _check_nonnegative("noise", noise)
    g = _gen(generator)
    corners = torch.randint(0, 2, (n, 2), generator=g)
    X = (corners * 2 - 1).float() + noise * torch.randn(n, 2, generator=g)
    y = (corners[:, 0] ^ corners[:, 1]).long()
    return X, y


def moons(n: int, noise: float = 0.1, generator: torch.Generator | None = None):
    """Two interleaving half circles (the shape of scikit-learn's ``make_moons``)."""
    _check_positive("n", n)
    _check_nonnegative("noise", noise)
    g = _gen(generator)
    y = torch.randint(0, 2, (n,), generator=g)
    t = math.pi * torch.rand(n, generator=g)
    upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
    X = torch.where(y[:, None] == 0, upper, lower) + noise * torch.randn(n, 2, generator=g)
    return X.float(), y.long()


def spirals(
    n: int,
    num_classes: int = 2,
    turns: float = 1.5,
    noise: float = 0.05,
    generator: torch.Generator | None = None,
):
    """Interleaved spiral arms, one per class, in the square [-1, 1]^2."""
    _check_positive("n", n)
    _check_positive("num_classes", num_classes)
    _check_nonnegative("noise", noise)
    if not turns > 0:
        raise ValueError(f"turns: expected a number > 0, got {turns!r}")
    g = _gen(generator)
    y = torch.randint(0, num_classes, (n,), generator=g)
    r = torch.rand(n, generator=g) * 0.9 + 0.1
    angle = 2 * math.pi * (turns * r + y.float() / num_classes)
    X = torch.stack([r * torch.cos(angle), r * torch.sin(angle)], dim=1)
    X = X + noise * torch.randn(n, 2, generator=g)
    return X.float(), y.long()


def tent(x: Tensor) -> Tensor:
    """The tent map on [0, 1]: ``1 - |2x - 1|`` (two ReLUs: ``2 relu(x) - 4 relu(x - 1/2)``)."""
    return 1 - torch.abs(2 * x - 1)


def sawtooth(x: Tensor, depth: int) -> Tensor:
    """The tent map composed with itself ``depth`` times: a sawtooth with 2**(depth-1) teeth."""
    _check_positive("depth", depth)
    for _ in range(depth):
        x = tent(x)
    return x


def sawtooth_dataset(n: int, depth: int, generator: torch.Generator | None = None):
    """Inputs uniform on [0, 1] (shape ``(n, 1)``) and the sawtooth of that depth."""
    _check_positive("n", n)
    g = _gen(generator)
    X = torch.rand(n, 1, generator=g)
    return X, sawtooth(X, depth)


def sine_sequences(
    n: int,
    length: int,
    noise: float = 0.0,
    generator: torch.Generator | None = None,
):
    """Sine waves of random frequency and phase; the target is the next value.

    Returns ``X`` of shape ``(n, length, 1)`` and ``y`` of shape ``(n, length, 1)`` with
    ``y[:, t] = x[t + 1]``.
    """
    _check_positive("n", n)
    _check_positive("length", length)
    _check_nonnegative("noise", noise)
    g = _gen(generator)
    freq = 0.1 + 0.4 * torch.rand(n, 1, generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    t = torch.arange(length + 1).float()[None, :]
    wave = torch.sin(freq * t + phase) + noise * torch.randn(n, length + 1, generator=g)
    return wave[:, :-1, None].float(), wave[:, 1:, None].float()


def adding_problem(n: int, length: int, generator: torch.Generator | None = None):
    """Hochreiter & Schmidhuber's adding problem.

    Each step carries a value in [0, 1] and a marker; exactly two markers are 1, one in
    each half of the sequence. The target is the sum of the two marked values, so the
    answer depends on an input about ``length / 2`` steps back or more.
    Returns ``X`` of shape ``(n, length, 2)`` and ``y`` of shape ``(n,)``.
    """
    _check_positive("n", n)
    if not isinstance(length, int) or length < 2:
        raise ValueError(f"length: expected a whole number >= 2, got {length!r}")
    g = _gen(generator)
    values = torch.rand(n, length, generator=g)
    half = length // 2
    first = torch.randint(0, half, (n,), generator=g)
    second = torch.randint(half, length, (n,), generator=g)
    markers = torch.zeros(n, length)
    rows = torch.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = torch.stack([values, markers], dim=2)
    y = values[rows, first] + values[rows, second]
    return X, y


def _bundled_digits():
    """The rows of scikit-learn's ``digits.csv.gz`` (64 pixel values, then the label).

    Read straight from the file that ``sklearn.datasets.load_digits`` reads, which gives the
    same numbers without importing scikit-learn: that import alone takes about a second,
    a large share of a notebook's run when the notebook needs nothing else from it. Falls
    back to ``load_digits`` if the file is not where scikit-learn keeps it.
    """
    import gzip
    import importlib.util
    from pathlib import Path

    import numpy as np

    spec = importlib.util.find_spec("sklearn")  # locates the package without importing it
    roots = spec.submodule_search_locations if spec is not None else None
    path = Path(list(roots)[0], "datasets", "data", "digits.csv.gz") if roots else None
    if path is not None and path.is_file():
        with gzip.open(path, "rt") as f:
            return np.loadtxt(f, delimiter=",")
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return np.column_stack([bunch.data, bunch.target])


def digits(images: bool = False):
    """scikit-learn's bundled 8x8 handwritten digits (1,797 images), scaled to [0, 1].

    Returns ``X`` of shape ``(1797, 64)``, or ``(1797, 1, 8, 8)`` with ``images=True``,
    and labels ``y`` in 0..9.
    """
    values = _bundled_digits()
    X = torch.tensor(values[:, :-1], dtype=torch.float32) / 16.0
    y = torch.tensor(values[:, -1], dtype=torch.int64)
    if images:
        X = X.reshape(-1, 1, 8, 8)
    return X, y


def train_test_split(
    X: Tensor,
    y: Tensor,
    test_fraction: float = 0.25,
    generator: torch.Generator | None = None,
) -> Split:
    """Shuffle and split along the first dimension."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: expected a number in (0, 1), got {test_fraction!r}")
    if len(X) != len(y):
        raise ValueError(f"X and y: lengths differ ({len(X)} vs {len(y)})")
    n_test = int(round(len(X) * test_fraction))
    if n_test < 1 or n_test >= len(X):
        raise ValueError(f"test_fraction: {test_fraction} leaves an empty split of {len(X)}")
    order = torch.randperm(len(X), generator=_gen(generator))
    test, train = order[:n_test], order[n_test:]
    return Split(X[train], y[train], X[test], y[test])


def standardize(X_train: Tensor, *others: Tensor, eps: float = 1e-8):
    """Scale features to zero mean and unit variance using the training set's statistics."""
    mean = X_train.mean(dim=0, keepdim=True)
    std = X_train.std(dim=0, keepdim=True) + eps
    return tuple((X - mean) / std for X in (X_train, *others))
