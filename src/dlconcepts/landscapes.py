"""Two-dimensional loss landscapes for watching optimizers move, and a path recorder.

A ``Landscape`` has a value and a gradient that work on NumPy arrays whose last axis
holds the two coordinates (so the same function evaluates one point or a whole grid for
a contour plot), the location of its minimum and a window to draw. ``descend`` runs any
update rule ``x_new = update(x, grad)`` from a starting point and records the path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Landscape:
    """A function of two variables with its gradient, minimum and a window to draw."""

    name: str
    value: Callable[[Array], Array]
    grad: Callable[[Array], Array]
    minimum: Array
    extent: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    log_levels: bool = False  # draw contours on a log scale (Rosenbrock's deep valley)


def quadratic(
    curvatures: tuple[float, float] = (1.0, 10.0),
    extent: tuple[float, float, float, float] = (-5.0, 5.0, -2.5, 2.5),
) -> Landscape:
    """``f(x, y) = (a x^2 + b y^2) / 2``: curvatures ``a`` and ``b``, minimum at the origin.

    Its Hessian is ``diag(a, b)``, so the largest curvature is ``L = max(a, b)`` and the
    condition number is ``max / min``.
    """
    a, b = (float(c) for c in curvatures)
    if not (a > 0 and b > 0):
        raise ValueError(f"curvatures: expected two numbers > 0, got {curvatures!r}")
    c = np.array([a, b])

    def value(x):
        x = np.asarray(x, dtype=float)
        return 0.5 * (c * x**2).sum(axis=-1)

    def grad(x):
        return c * np.asarray(x, dtype=float)

    return Landscape(f"quadratic (curvatures {a:g} and {b:g})", value, grad, np.zeros(2), extent)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Landscape:
    """``f(x, y) = (a - x)^2 + b (y - x^2)^2``: a curved, flat-bottomed valley.

    The minimum is at ``(a, a^2)``, where ``f = 0``.
    """
    if not b > 0:
        raise ValueError(f"b: expected a number > 0, got {b!r}")

    def value(p):
        p = np.asarray(p, dtype=float)
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(p):
        p = np.asarray(p, dtype=float)
        x, y = p[..., 0], p[..., 1]
        dx = -2 * (a - x) - 4 * b * x * (y - x**2)
        dy = 2 * b * (y - x**2)
        return np.stack([dx, dy], axis=-1)

    return Landscape(
        f"Rosenbrock (a={a:g}, b={b:g})",
        value,
        grad,
        np.array([a, a * a]),
        (-2.0, 2.0, -1.0, 3.0),
        log_levels=True,
    )


def descend(
    landscape: Landscape,
    x0,
    update: Callable[[Array, Array], Array],
    num_steps: int,
    stop_within: float | None = None,
) -> Array:
    """Run ``x <- update(x, grad(x))`` for ``num_steps`` steps; return the path.

    The path has shape ``(steps + 1, 2)`` and starts with ``x0``. It stops early (shorter
    path) as soon as a point is not finite, i.e. the run diverged (overflow is not warned
    about), and, with ``stop_within``, once a point is that close to the minimum.
    """
    if not isinstance(num_steps, int) or num_steps < 0:
        raise ValueError(f"num_steps: expected a whole number >= 0, got {num_steps!r}")
    x = np.array(x0, dtype=float)
    if x.shape != (2,):
        raise ValueError(f"x0: expected two coordinates, got shape {x.shape}")
    path = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows: allowed
        for _ in range(num_steps):
            x = np.asarray(update(x, landscape.grad(x)), dtype=float)
            path.append(x.copy())
            if not np.all(np.isfinite(x)):
                break
            if stop_within is not None and np.linalg.norm(x - landscape.minimum) < stop_within:
                break
    return np.array(path)


def steps_to_reach(path: Array, target, tol: float) -> int | None:
    """The first step at which the path is within ``tol`` of ``target`` (None: never)."""
    with np.errstate(over="ignore", invalid="ignore"):
        distance = np.linalg.norm(np.asarray(path) - np.asarray(target), axis=-1)
    hits = np.flatnonzero(distance < tol)
    return int(hits[0]) if hits.size else None


def plot_paths(
    landscape: Landscape,
    paths: Mapping[str, Array],
    ax=None,
    resolution: int = 200,
    title: str | None = None,
):
    """Contours of the landscape with each named path drawn on top; returns the Axes."""
    if ax is None:
        _, ax = plt.subplots()
    x0, x1, y0, y1 = landscape.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    z = landscape.value(np.stack([gx, gy], axis=-1))
    if landscape.log_levels:
        ax.contour(gx, gy, np.log10(z + 1e-3), levels=15, cmap="Greys", linewidths=0.7)
    else:
        levels = np.quantile(z, np.linspace(0.01, 0.9, 12))
        ax.contour(gx, gy, z, levels=levels, cmap="Greys", linewidths=0.7)
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=2.5, lw=1, label=name)
    ax.plot(*landscape.minimum, marker="*", color="black", markersize=11, ls="none")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="x", ylabel="y")
    ax.set_title(title if title is not None else landscape.name)
    ax.legend(loc="best")
    return ax
