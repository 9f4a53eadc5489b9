"""Reproducibility: one seed for every random source, a fixed thread count, the device."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

import numpy as np
import torch
from threadpoolctl import threadpool_limits

SEED_ENV = "DLCONCEPTS_SEED"
THREADS_ENV = "DLCONCEPTS_THREADS"
DEVICE_ENV = "DLCONCEPTS_DEVICE"


@dataclass(frozen=True)
class Generators:
    """The seed in force and explicit generators derived from it.

    Pass ``torch_gen`` / ``np_gen`` to every function that draws random numbers, so a
    result does not depend on what ran before it.
    """

    seed: int
    torch_gen: torch.Generator
    np_gen: np.random.Generator


def get_seed(seed: int | None = None) -> int:
    """The seed to use: ``seed`` if given, else ``$DLCONCEPTS_SEED``, else 0."""
    if seed is None:
        raw = os.environ.get(SEED_ENV, "0").strip() or "0"
        try:
            seed = int(raw)
        except ValueError:
            raise ValueError(f"{SEED_ENV}: expected a whole number, got {raw!r}") from None
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise ValueError(f"seed: expected a whole number in [0, 2**32), got {seed!r}")
    return seed


def seed_everything(seed: int | None = None, threads: int | None = None) -> Generators:
    """Seed Python, NumPy and PyTorch, fix the thread count, and return generators.

    ``threads`` defaults to ``$DLCONCEPTS_THREADS`` or 1: one thread gives the same
    floating-point sums on every run and lets two notebooks share two cores.
    """
    seed = get_seed(seed)
    if threads is None:
        raw = os.environ.get(THREADS_ENV, "1")
        try:
            threads = int(raw)
        except ValueError:
            raise ValueError(f"{THREADS_ENV}: expected a whole number, got {raw!r}") from None
    if threads < 1:
        raise ValueError(f"threads: expected at least 1, got {threads}")
    torch.set_num_threads(threads)
    # NumPy / SciPy / scikit-learn use their own BLAS and OpenMP pools: limit those too, so
    # two notebooks running side by side do not oversubscribe the cores. Pools already
    # loaded are limited now; the variables reach the ones loaded later (scipy, sklearn).
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    threadpool_limits(limits=threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return Generators(
        seed=seed,
        torch_gen=torch.Generator().manual_seed(seed),
        np_gen=np.random.default_rng(seed),
    )


def device(prefer_gpu: bool | None = None) -> torch.device:
    """The device to compute on: the CPU unless a GPU is present *and* asked for.

    Ask with ``prefer_gpu=True`` or ``DLCONCEPTS_DEVICE=cuda``. The notebooks are sized
    for a CPU, so the default never depends on the machine.
    """
    if prefer_gpu is None:
        prefer_gpu = os.environ.get(DEVICE_ENV, "cpu").strip().lower() in {"cuda", "gpu"}
    if prefer_gpu and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")
