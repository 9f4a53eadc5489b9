import pytest
import torch
from torch import nn

from dlconcepts.models import MLP, SequenceModel, SmallCNN, count_parameters


def test_mlp_shapes_and_layers():
    net = MLP(5, 3, width=16, depth=4)
    assert net(torch.randn(7, 5)).shape == (7, 3)
    layers = net.linear_layers()
    assert len(layers) == 5 and layers[0].in_features == 5 and layers[-1].out_features == 3
    assert count_parameters(net) == (5 * 16 + 16) + 3 * (16 * 16 + 16) + (16 * 3 + 3)


def test_identity_activation_mlp_is_linear():
    net = MLP(4, 2, width=8, depth=3, activation="identity")
    a, b = torch.randn(10, 4), torch.randn(10, 4)
    zero = net(torch.zeros(1, 4))
    assert torch.allclose(net(a + b) - zero, (net(a) - zero) + (net(b) - zero), atol=1e-5)


def test_he_init_variance_and_scale():
    torch.manual_seed(0)
    net = MLP(512, 10, width=512, depth=2, init="he")
    w = net.linear_layers()[1].weight.detach()
    assert abs(float(w.var()) - 2 / 512) < 0.1 * 2 / 512
    assert float(net.linear_layers()[1].bias.detach().abs().max()) == 0.0
    torch.manual_seed(0)
    doubled = MLP(512, 10, width=512, depth=2, init="he", init_scale=2.0)
    assert torch.allclose(doubled.linear_layers()[1].weight, 2 * w)


def test_residual_blocks_add_the_identity():
    net = MLP(6, 2, width=6, depth=3, residual=True)
    block = net.hidden[1]
    with torch.no_grad():
        block.linear.weight.zero_()
        block.linear.bias.zero_()
    x = torch.randn(4, 6)
    assert torch.allclose(block(x), x)
    assert not net.hidden[0].residual  # the first layer changes the width


def test_batch_norm_and_dropout_options():
    net = MLP(3, 2, width=8, depth=2, norm="batch", dropout=0.5)
    kinds = {type(m) for m in net.modules()}
    assert nn.BatchNorm1d in kinds and nn.Dropout in kinds


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"activation": "swish2"}, "activation"),
        ({"norm": "group"}, "norm"),
        ({"init": "orthogonal"}, "init"),
        ({"depth": 0}, "depth"),
        ({"width": -3}, "width"),
        ({"dropout": 1.0}, "dropout"),
        ({"init_scale": 0}, "init_scale"),
    ],
)
def test_mlp_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}:"):
        MLP(3, 2, **kwargs)


def test_small_cnn():
    net = SmallCNN(1, 10, channels=(4, 8), image_size=8)
    assert net(torch.randn(2, 1, 8, 8)).shape == (2, 10)
    with pytest.raises(ValueError, match="image_size"):
        SmallCNN(image_size=6)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sequence_model(cell):
    net = SequenceModel(2, 8, 1, cell=cell)
    assert net(torch.randn(3, 11, 2)).shape == (3, 1)
    net = SequenceModel(2, 8, 1, cell=cell, every_step=True)
    assert net(torch.randn(3, 11, 2)).shape == (3, 11, 1)


def test_sequence_model_rejects_unknown_cell():
    with pytest.raises(ValueError, match="^cell:"):
        SequenceModel(2, 8, 1, cell="transformer")
