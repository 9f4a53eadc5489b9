"""Training loops: ``fit`` and ``evaluate``, returning a ``History``.

The loop is the textbook one (zero_grad, forward, loss, backward, step) over a
``DataLoader``; the notebooks write the mechanism they teach and leave this to the
library.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

LOSSES: dict[str, Callable[[], nn.Module]] = {
    "cross_entropy": nn.CrossEntropyLoss,
    "mse": nn.MSELoss,
    "bce": nn.BCEWithLogitsLoss,
}
OPTIMIZERS = ("sgd", "momentum", "adam", "adamw")


@dataclass
class History:
    """What happened in training.

    ``step_loss``: the mini-batch loss at every step. Per epoch: ``train_loss`` and
    ``val_loss`` (full passes in eval mode), ``train_acc`` and ``val_acc`` (None for
    regression). ``best_epoch``: the epoch whose weights were kept (early stopping).
    """

    step_loss: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_acc: list[float | None] = field(default_factory=list)
    val_acc: list[float | None] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    diverged: bool = False

    @property
    def epochs(self) -> int:
        return len(self.train_loss)


def _loss_fn(loss: str | Callable) -> Callable:
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"loss: expected one of {list(LOSSES)} or a callable, got {loss!r}")
        return LOSSES[loss]()
    if not callable(loss):
        raise ValueError(f"loss: expected a name or a callable, got {loss!r}")
    return loss


def make_optimizer(
    model: nn.Module,
    optimizer: str = "sgd",
    lr: float = 0.1,
    weight_decay: float = 0.0,
    momentum: float = 0.9,
) -> torch.optim.Optimizer:
    """Build a ``torch.optim`` optimizer by name: sgd, momentum, adam or adamw."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer: expected one of {list(OPTIMIZERS)}, got {optimizer!r}")
    if not lr > 0:
        raise ValueError(f"lr: expected a number > 0, got {lr!r}")
    params = model.parameters()
    if optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    if optimizer == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss: str | Callable = "cross_entropy",
    batch_size: int = 4096,
) -> tuple[float, float | None]:
    """Mean loss and accuracy (None unless the targets are class labels), in eval mode.

    The model's training mode is restored afterwards.
    """
    loss_fn = _loss_fn(loss)
    was_training = model.training
    model.eval()
    outputs = torch.cat([model(X[i : i + batch_size]) for i in range(0, len(X), batch_size)])
    model.train(was_training)
    value = float(loss_fn(outputs, y))
    acc = None
    if y.dtype == torch.int64 and outputs.ndim == 2 and outputs.shape[1] > 1:
        acc = float((outputs.argmax(dim=1) == y).float().mean())
    return value, acc


def fit(
    model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    val: tuple[torch.Tensor, torch.Tensor] | None = None,
    *,
    loss: str | Callable = "cross_entropy",
    optimizer: str | torch.optim.Optimizer = "sgd",
    lr: float = 0.1,
    num_epochs: int = 10,
    batch_size: int = 64,
    weight_decay: float = 0.0,
    momentum: float = 0.9,
    generator: torch.Generator | None = None,
    clip_grad_norm: float | None = None,
    early_stopping_patience: int | None = None,
    scheduler: Callable[[torch.optim.Optimizer], object] | None = None,
    max_steps: int | None = None,
) -> History:
    """Train ``model`` on ``train`` with mini-batches; evaluate after every epoch.

    - ``optimizer``: a name (see ``make_optimizer``) or a ready ``torch.optim`` optimizer.
    - ``clip_grad_norm``: clip the global gradient norm to this value before each step.
    - ``early_stopping_patience``: stop after this many epochs without a lower
      validation loss, and restore the best weights (needs ``val``).
    - ``scheduler``: a factory called with the optimizer; its ``step()`` runs every step.
    - ``max_steps``: stop after this many optimizer steps in all.
    Training stops (``history.diverged``) as soon as the loss is not finite.
    """
    X, y = train
    if len(X) != len(y):
        raise ValueError(f"train: X and y lengths differ ({len(X)} vs {len(y)})")
    if not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f"num_epochs: expected a whole number >= 1, got {num_epochs!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size: expected a whole number >= 1, got {batch_size!r}")
    if early_stopping_patience is not None and val is None:
        raise ValueError("early_stopping_patience: needs a validation set (val)")
    if clip_grad_norm is not None and not clip_grad_norm > 0:
        raise ValueError(f"clip_grad_norm: expected a number > 0, got {clip_grad_norm!r}")
    loss_fn = _loss_fn(loss)
    opt = (
        optimizer
        if isinstance(optimizer, torch.optim.Optimizer)
        else make_optimizer(model, optimizer, lr, weight_decay, momentum)
    )
    sched = scheduler(opt) if scheduler is not None else None
    loader = DataLoader(
        TensorDataset(X, y),
        batch_size=batch_size,
        shuffle=True,
        generator=generator if generator is not None else torch.Generator().manual_seed(0),
    )
    history = History()
    best_loss, best_state, waited, steps = math.inf, None, 0, 0
    for epoch in range(num_epochs):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            batch_loss = loss_fn(model(xb), yb)
            batch_loss.backward()
            if clip_grad_norm is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip_grad_norm)
            opt.step()
            if sched is not None:
                sched.step()
            value = batch_loss.item()
            history.step_loss.append(value)
            steps += 1
            if not math.isfinite(value):
                history.diverged = True
                break
            if max_steps is not None and steps >= max_steps:
                break
        if history.diverged:  # nothing left to evaluate: the weights are not finite
            history.train_loss.append(math.nan)
            history.train_acc.append(None)
            break
        train_loss, train_acc = evaluate(model, X, y, loss_fn)
        history.train_loss.append(train_loss)
        history.train_acc.append(train_acc)
        if val is not None:
            val_loss, val_acc = evaluate(model, *val, loss_fn)
            history.val_loss.append(val_loss)
            history.val_acc.append(val_acc)
            if early_stopping_patience is not None:
                if val_loss < best_loss:
                    best_loss, waited = val_loss, 0
                    best_state = copy.deepcopy(model.state_dict())
                    history.best_epoch = epoch
                else:
                    waited += 1
                    if waited >= early_stopping_patience:
                        history.stopped_early = True
                        break
        if max_steps is not None and steps >= max_steps:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return history


class BatchedAdam:
    """``torch.optim.Adam``'s update for many models trained side by side.

    Every tensor in ``params`` (a list, or a dict of named tensors) carries a leading
    model axis, and model ``i`` takes steps of size ``rates[i]``: one batched run trains
    a small grid of learning rates or seeds at once. Without weight decay or amsgrad, the
    update is the one ``torch.optim.Adam`` makes for each model on its own (a unit test
    compares them).

    ``step(grads)`` takes one gradient per tensor, in the order of ``params``; with no
    argument it uses each tensor's ``.grad`` and clears it.
    """

    def __init__(self, params, rates, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.tensors = list(params.values()) if isinstance(params, dict) else list(params)
        if not self.tensors:
            raise ValueError("params: expected at least one tensor")
        self.rates = torch.as_tensor(rates, dtype=self.tensors[0].dtype).flatten()
        for p in self.tensors:
            if p.dim() == 0 or p.shape[0] != len(self.rates):
                raise ValueError(
                    f"each tensor needs a leading model axis of {len(self.rates)} (one per rate); "
                    f"got shape {tuple(p.shape)}"
                )
        self.betas, self.eps, self.t = betas, eps, 0
        self.m = [torch.zeros_like(p) for p in self.tensors]
        self.v = [torch.zeros_like(p) for p in self.tensors]

    @torch.no_grad()
    def step(self, grads=None) -> None:
        if grads is None:
            grads = [p.grad for p in self.tensors]
        (b1, b2), self.t = self.betas, self.t + 1
        for p, g, m, v in zip(self.tensors, grads, self.m, self.v, strict=True):
            m.lerp_(g, 1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
            p -= self.rates.view(-1, *[1] * (p.dim() - 1)) * m_hat / (v_hat.sqrt() + self.eps)
            p.grad = None


def adam_many(params, loss_fn: Callable, rates, num_steps: int, on_step: Callable | None = None):
    """Train many models at once with ``BatchedAdam``, full control of the loss.

    ``loss_fn(params, t)`` returns the *sum over models* of each model's own loss at step
    ``t`` (1-based), so each model's gradient is that of its own loss. ``on_step(t,
    params)``, if given, runs after every step, without autograd (to log a curve).
    Returns ``params``, trained in place.
    """
    optimizer = BatchedAdam(params, rates)
    for p in optimizer.tensors:
        p.requires_grad_()
    for t in range(1, num_steps + 1):
        optimizer.step(torch.autograd.grad(loss_fn(params, t), optimizer.tensors))
        if on_step is not None:
            with torch.no_grad():  # logging needs no graph (and builds none)
                on_step(t, params)
    return params
