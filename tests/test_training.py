import math

import pytest
import torch

from dlconcepts.data import xor
from dlconcepts.models import MLP
from dlconcepts.training import History, evaluate, fit, make_optimizer


def xor_data(seed=0):
    g = torch.Generator().manual_seed(seed)
    return xor(256, noise=0.1, generator=g), xor(128, noise=0.1, generator=g)


def test_fit_learns_xor_and_records_history():
    (X, y), val = xor_data()
    torch.manual_seed(0)
    net = MLP(2, 2, width=16, depth=2, activation="tanh")
    h = fit(net, (X, y), val, optimizer="adam", lr=0.02, num_epochs=30, batch_size=32)
    assert isinstance(h, History) and h.epochs == 30
    assert len(h.step_loss) == 30 * 8
    assert h.val_acc[-1] > 0.95 and h.train_loss[-1] < 0.5 * h.train_loss[0]


def test_fit_is_deterministic_given_seeds():
    (X, y), _ = xor_data()
    runs = []
    for _ in range(2):
        torch.manual_seed(1)
        net = MLP(2, 2, width=8, depth=2)
        runs.append(fit(net, (X, y), num_epochs=3, generator=torch.Generator().manual_seed(5)))
    assert runs[0].step_loss == runs[1].step_loss


def test_linear_model_cannot_learn_xor():
    (X, y), val = xor_data()
    torch.manual_seed(0)
    net = MLP(2, 2, width=16, depth=3, activation="identity")
    h = fit(net, (X, y), val, optimizer="adam", lr=0.02, num_epochs=30, batch_size=32)
    assert h.val_acc[-1] < 0.8


def test_early_stopping_restores_best_weights():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(40, 10, generator=g)
    y = torch.randint(0, 2, (40,), generator=g)  # pure noise: validation loss will rise
    X_val = torch.randn(40, 10, generator=g)
    y_val = torch.randint(0, 2, (40,), generator=g)
    torch.manual_seed(0)
    net = MLP(10, 2, width=128, depth=2)
    h = fit(
        net, (X, y), (X_val, y_val), optimizer="adam", lr=0.01, num_epochs=200,
        early_stopping_patience=5,
    )  # fmt: skip
    assert h.stopped_early and h.epochs < 200
    assert h.epochs == h.best_epoch + 1 + 5
    restored, _ = evaluate(net, X_val, y_val)
    assert math.isclose(restored, min(h.val_loss), rel_tol=1e-5)


def test_divergence_stops_training():
    (X, y), _ = xor_data()
    torch.manual_seed(0)
    net = MLP(2, 2, width=16, depth=6, activation="relu", init="he", init_scale=8.0)
    h = fit(net, (X, y), optimizer="sgd", lr=10.0, num_epochs=50)
    assert h.diverged and h.epochs == 1 and math.isnan(h.train_loss[-1])


def test_clipping_bounds_the_update():
    (X, y), _ = xor_data()
    torch.manual_seed(0)
    net = MLP(2, 2, width=16, depth=6, activation="relu", init="he", init_scale=4.0)
    before = [p.detach().clone() for p in net.parameters()]
    fit(net, (X, y), optimizer="sgd", lr=0.1, num_epochs=1, clip_grad_norm=1.0, max_steps=1)
    moved = zip(net.parameters(), before, strict=True)
    step = torch.sqrt(sum(((p.detach() - b) ** 2).sum() for p, b in moved))
    assert float(step) <= 0.1 * 1.0 + 1e-6


def test_max_steps_and_regression_loss():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(100, 3, generator=g)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]])
    torch.manual_seed(0)
    net = MLP(3, 1, width=8, depth=1, activation="identity")
    h = fit(net, (X, y), loss="mse", lr=0.05, num_epochs=10, batch_size=10, max_steps=15)
    assert len(h.step_loss) == 15 and h.train_acc[-1] is None


def test_evaluate_restores_training_mode():
    net = MLP(2, 2, dropout=0.5)
    net.train()
    evaluate(net, torch.randn(4, 2), torch.tensor([0, 1, 0, 1]))
    assert net.training


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"num_epochs": 0}, "num_epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"loss": "hinge"}, "loss"),
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"lr": -1.0}, "lr"),
        ({"clip_grad_norm": 0.0}, "clip_grad_norm"),
        ({"early_stopping_patience": 3}, "early_stopping_patience"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, name):
    (X, y), _ = xor_data()
    with pytest.raises(ValueError, match=f"^{name}:"):
        fit(MLP(2, 2), (X, y), **kwargs)


def test_make_optimizer_kinds():
    net = MLP(2, 2)
    assert isinstance(make_optimizer(net, "momentum"), torch.optim.SGD)
    assert make_optimizer(net, "momentum").param_groups[0]["momentum"] == 0.9
    assert isinstance(make_optimizer(net, "adamw"), torch.optim.AdamW)


@pytest.mark.parametrize("as_dict", [False, True])
def test_batched_adam_matches_torch_adam_for_each_model(as_dict):
    from dlconcepts.training import adam_many

    torch.manual_seed(0)
    X, y = torch.randn(32, 5), torch.randn(32)
    rates = [0.003, 0.03, 0.3]
    W0, b0 = torch.randn(3, 5), torch.randn(3)

    def loss_fn(params, t):
        W, b = (params["W"], params["b"]) if as_dict else params
        predictions = W @ X.T + b[:, None]  # (models, examples)
        return ((predictions - y) ** 2).mean(1).sum()  # the sum of each model's own loss

    params = {"W": W0.clone(), "b": b0.clone()} if as_dict else [W0.clone(), b0.clone()]
    seen = []

    def log(t, ps):  # called without autograd: logging builds no graph
        seen.append((t, loss_fn(ps, t).requires_grad))

    adam_many(params, loss_fn, rates, 7, on_step=log)
    assert seen == [(t, False) for t in range(1, 8)]
    W, b = (params["W"], params["b"]) if as_dict else params
    for i, rate in enumerate(rates):
        w, c = W0[i].clone().requires_grad_(), b0[i].clone().requires_grad_()
        optimizer = torch.optim.Adam([w, c], lr=rate)
        for _ in range(7):
            optimizer.zero_grad()
            ((X @ w + c - y) ** 2).mean().backward()
            optimizer.step()
        assert torch.allclose(W[i], w, atol=1e-6), i
        assert torch.allclose(b[i], c, atol=1e-6), i


def test_batched_adam_refuses_tensors_without_a_model_axis():
    from dlconcepts.training import BatchedAdam

    with pytest.raises(ValueError, match="leading model axis of 2"):
        BatchedAdam([torch.zeros(3, 4)], [0.1, 0.2])
