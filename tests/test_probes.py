import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlconcepts.models import MLP
from dlconcepts.probes import activation_stats, activations, layer_gradients, weight_layers


def batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(64, 8, generator=g), torch.randint(0, 3, (64,), generator=g)


def test_weight_norms_match_autograd_and_grads_are_cleared():
    X, y = batch()
    torch.manual_seed(0)
    net = MLP(8, 3, width=16, depth=3)
    g = layer_gradients(net, X, y)
    assert all(p.grad is None for p in net.parameters())
    F.cross_entropy(net(X), y).backward()
    expected = [float(layer.weight.grad.norm()) for layer in net.linear_layers()]
    assert g.weight_norms == pytest.approx(expected, rel=1e-6)
    assert g.names[0] == "hidden.0.linear" and g.names[-1] == "output"


def test_signal_norm_of_output_layer_is_the_softmax_error():
    X, y = batch()
    net = MLP(8, 3, width=16, depth=2)
    g = layer_gradients(net, X, y)
    with torch.no_grad():
        delta = (torch.softmax(net(X), 1) - F.one_hot(y, 3)) / len(X)
    assert g.signal_norms[-1] == pytest.approx(float(delta.norm(dim=1).mean()), rel=1e-5)


def test_sigmoid_net_vanishes_relu_he_does_not():
    X, y = batch()
    torch.manual_seed(0)
    deep_sigmoid = layer_gradients(MLP(8, 3, width=32, depth=15, activation="sigmoid"), X, y)
    torch.manual_seed(0)
    deep_relu = layer_gradients(MLP(8, 3, width=32, depth=15, init="he"), X, y)
    assert deep_sigmoid.ratio_last_to_first() > 1e4
    assert deep_relu.ratio_last_to_first() < 1e2


def test_weight_layers_falls_back_to_module_scan():
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 6 * 6, 3))
    assert [type(m) for m in weight_layers(net)] == [nn.Conv2d, nn.Linear]


def test_activation_stats_see_dead_relus():
    net = MLP(8, 3, width=16, depth=1)
    with torch.no_grad():
        net.hidden[0].linear.bias.fill_(-100.0)  # every ReLU is off
    X, _ = batch()
    (stats,) = activation_stats(net, X, [net.hidden[0]])
    assert stats["zero_fraction"] == 1.0 and stats["mean"] == 0.0
    (out,) = activations(net, X, [net.output])
    assert out.shape == (64, 3)


def test_probes_validate_inputs():
    X, y = batch()
    with pytest.raises(ValueError, match="lengths differ"):
        layer_gradients(MLP(8, 3), X, y[:-1])
    with pytest.raises(ValueError, match="^modules:"):
        activations(MLP(8, 3), X, [])
