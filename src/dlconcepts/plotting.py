"""One house style and the plots the notebooks share.

Every function draws on an ``Axes`` (a new figure when none is given) and returns it;
the notebook ends the cell with ``plt.show()`` so no object repr is printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch

HOUSE_STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "axes.prop_cycle": mpl.cycler(
        color=["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    ),
}


def use_house_style() -> None:
    """Apply the collection's matplotlib settings."""
    mpl.rcParams.update(HOUSE_STYLE)


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _finish(ax, xlabel: str, ylabel: str, logy: bool, title: str | None):
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    ax=None,
    xlabel: str = "step",
    ylabel: str = "loss",
    logy: bool = False,
    title: str | None = None,
    x: Sequence[float] | None = None,
):
    """One line per named curve (loss, accuracy, ...), against step or epoch."""
    if not curves:
        raise ValueError("curves: expected at least one named curve")
    ax = _axes(ax)
    for name, values in curves.items():
        xs = x if x is not None else np.arange(1, len(values) + 1)
        ax.plot(xs[: len(values)], values, label=name)
    return _finish(ax, xlabel, ylabel, logy, title)


def plot_per_layer(
    values: Mapping[str, Sequence[float]],
    ax=None,
    ylabel: str = "gradient norm",
    logy: bool = True,
    title: str | None = None,
):
    """A value per layer (layer 1 = next to the input), one marked line per model."""
    if not values:
        raise ValueError("values: expected at least one named series")
    ax = _axes(ax)
    for name, series in values.items():
        ax.plot(np.arange(1, len(series) + 1), series, marker="o", markersize=3.5, label=name)
    return _finish(ax, "layer (1 = input side)", ylabel, logy, title)


def plot_decision_boundary(model, X: torch.Tensor, y: torch.Tensor, ax=None, resolution: int = 150):
    """Predicted class over a grid covering the 2-D data, with the points on top."""
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X: expected shape (n, 2), got {tuple(X.shape)}")
    ax = _axes(ax)
    lo, hi = X.min(0).values - 0.3, X.max(0).values + 0.3
    gx, gy = torch.meshgrid(
        torch.linspace(lo[0], hi[0], resolution),
        torch.linspace(lo[1], hi[1], resolution),
        indexing="xy",
    )
    was_training = model.training
    model.eval()
    with torch.no_grad():
        grid = torch.stack([gx.flatten(), gy.flatten()], dim=1)
        pred = model(grid.to(next(model.parameters()).device)).argmax(dim=1).cpu()
        pred = pred.reshape(gx.shape)
    model.train(was_training)
    levels = np.arange(-0.5, int(y.max()) + 1)
    ax.contourf(gx.numpy(), gy.numpy(), pred.numpy(), alpha=0.25, cmap="coolwarm", levels=levels)
    X, y = X.detach().cpu().numpy(), y.detach().cpu().numpy()
    ax.scatter(X[:, 0], X[:, 1], c=y, s=8, cmap="coolwarm", edgecolors="none")
    ax.set_aspect("equal")
    return ax


def image_grid(images: torch.Tensor, labels: Sequence | None = None, ncols: int = 8, scale=1.1):
    """Show images (``(n, H, W)`` or ``(n, 1, H, W)``) in a grid; returns the figure."""
    if images.ndim == 4:
        images = images[:, 0]
    if images.ndim != 3 or len(images) == 0:
        shape = tuple(images.shape)
        raise ValueError(f"images: expected shape (n, H, W) or (n, 1, H, W), got {shape}")
    n = len(images)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * scale, nrows * scale), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i].detach().cpu().numpy(), cmap="gray_r")
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=8)
    return fig
