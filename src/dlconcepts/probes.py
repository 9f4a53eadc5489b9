"""Look inside a network with hooks: per-layer gradient norms and activation statistics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from .training import _loss_fn


def weight_layers(model: nn.Module) -> list[nn.Module]:
    """The layers that hold weights, input to output.

    Uses ``model.linear_layers()`` when the model defines it, else every ``nn.Linear``
    and ``nn.Conv*d`` in registration order.
    """
    if hasattr(model, "linear_layers"):
        return list(model.linear_layers())
    kinds = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
    return [m for m in model.modules() if isinstance(m, kinds)]


@dataclass
class LayerGradients:
    """Gradients of one backward pass, one entry per layer (input to output).

    ``weight_norms``: the Frobenius norm of dLoss/dWeight.
    ``signal_norms``: the norm of dLoss/d(layer output), averaged over the batch: the
    error signal that backpropagation carries down to that layer.
    """

    names: list[str]
    weight_norms: list[float]
    signal_norms: list[float]

    def ratio_last_to_first(self) -> float:
        """How many times larger the last layer's weight gradient is than the first's."""
        first = self.weight_norms[0]
        return float("inf") if first == 0 else self.weight_norms[-1] / first


def layer_gradients(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss: str | Callable = "cross_entropy",
    layers: Sequence[nn.Module] | None = None,
) -> LayerGradients:
    """One forward and backward pass on (X, y); read every layer's gradients.

    The error signal is captured by a forward hook that attaches a tensor hook to each
    layer's output. The model's parameter gradients are cleared afterwards, so probing
    does not disturb training.
    """
    if len(X) != len(y):
        raise ValueError(f"X and y: lengths differ ({len(X)} vs {len(y)})")
    layers = list(layers) if layers is not None else weight_layers(model)
    if not layers:
        raise ValueError("layers: the model has no layers with weights to probe")
    names = {id(m): n for n, m in model.named_modules()}
    signals: dict[int, float] = {}

    def forward_hook(module, _inputs, output):
        def grad_hook(grad):
            signals[id(module)] = float(grad.flatten(1).norm(dim=1).mean())

        output.register_hook(grad_hook)

    handles = [m.register_forward_hook(forward_hook) for m in layers]
    try:
        model.zero_grad(set_to_none=True)
        _loss_fn(loss)(model(X), y).backward()
        weight_norms = [float(m.weight.grad.norm()) for m in layers]
    finally:
        for h in handles:
            h.remove()
        model.zero_grad(set_to_none=True)
    return LayerGradients(
        names=[names.get(id(m), type(m).__name__) for m in layers],
        weight_norms=weight_norms,
        signal_norms=[signals.get(id(m), float("nan")) for m in layers],
    )


@torch.no_grad()
def activations(
    model: nn.Module, X: torch.Tensor, modules: Sequence[nn.Module]
) -> list[torch.Tensor]:
    """The outputs of ``modules`` on input ``X`` (one forward pass, via forward hooks)."""
    if not modules:
        raise ValueError("modules: expected at least one module to record")
    outputs: dict[int, torch.Tensor] = {}
    handles = [
        m.register_forward_hook(lambda mod, _i, out: outputs.__setitem__(id(mod), out.detach()))
        for m in modules
    ]
    try:
        model(X)
    finally:
        for h in handles:
            h.remove()
    return [outputs[id(m)] for m in modules]


def activation_stats(
    model: nn.Module, X: torch.Tensor, modules: Sequence[nn.Module]
) -> list[dict[str, float]]:
    """Mean, standard deviation and fraction of exact zeros of each module's output."""
    return [
        {
            "mean": float(a.mean()),
            "std": float(a.std()),
            "zero_fraction": float((a == 0).float().mean()),
        }
        for a in activations(model, X, modules)
    ]
