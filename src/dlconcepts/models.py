"""Small model builders shared by the notebooks: MLPs, CNNs and sequence models."""

from __future__ import annotations

import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "identity": nn.Identity,
}
NORMS = (None, "batch", "layer")
INITS = ("default", "he", "xavier")


def _choice(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: expected one of {list(allowed)}, got {value!r}")


def _positive(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: expected a whole number >= 1, got {value!r}")


class Block(nn.Module):
    """``activation(norm(linear(x)))`` then dropout.

    With ``residual=True`` it is the pre-activation residual block of He et al. (2016),
    ``x + linear(activation(norm(x)))``: the identity path carries the signal (forward)
    and the gradient (backward) past the block unchanged.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        activation: str,
        norm: str | None,
        dropout: float,
        residual: bool,
    ):
        super().__init__()
        if residual and in_features != out_features:
            raise ValueError("residual: needs in_features == out_features")
        self.linear = nn.Linear(in_features, out_features)
        norm_features = in_features if residual else out_features
        if norm == "batch":
            self.norm: nn.Module = nn.BatchNorm1d(norm_features)
        elif norm == "layer":
            self.norm = nn.LayerNorm(norm_features)
        else:
            self.norm = nn.Identity()
        self.act = ACTIVATIONS[activation]()
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.residual = residual

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.residual:  # pre-activation residual block: x + W act(norm(x))
            return x + self.drop(self.linear(self.act(self.norm(x))))
        return self.drop(self.act(self.norm(self.linear(x))))


class MLP(nn.Module):
    """A multilayer perceptron of ``depth`` hidden layers of ``width`` units.

    ``init``: ``"default"`` keeps PyTorch's initialization (uniform, variance
    1/(3 fan_in)); ``"he"`` draws N(0, 2/fan_in) (Kaiming, for ReLU); ``"xavier"`` draws
    N(0, 2/(fan_in + fan_out)) (Glorot). ``init_scale`` multiplies every weight afterwards
    (above 1 makes gradients explode, below 1 vanish). Hidden layers after the first are
    residual when ``residual=True``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        width: int = 64,
        depth: int = 2,
        activation: str = "relu",
        norm: str | None = None,
        dropout: float = 0.0,
        residual: bool = False,
        init: str = "default",
        init_scale: float = 1.0,
    ):
        super().__init__()
        for name, value in [("in_features", in_features), ("out_features", out_features)]:
            _positive(name, value)
        _positive("width", width)
        _positive("depth", depth)
        _choice("activation", activation, ACTIVATIONS)
        _choice("norm", norm, NORMS)
        _choice("init", init, INITS)
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout: expected a probability in [0, 1), got {dropout!r}")
        if not init_scale > 0:
            raise ValueError(f"init_scale: expected a number > 0, got {init_scale!r}")
        self.hidden = nn.ModuleList(
            Block(
                in_features if i == 0 else width,
                width,
                activation,
                norm,
                dropout,
                residual and i > 0,
            )
            for i in range(depth)
        )
        self.output = nn.Linear(width, out_features)
        self._initialize(init, init_scale)

    def _initialize(self, init: str, scale: float) -> None:
        with torch.no_grad():
            for layer in self.linear_layers():
                if init == "he":
                    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                    nn.init.zeros_(layer.bias)
                elif init == "xavier":
                    nn.init.xavier_normal_(layer.weight)
                    nn.init.zeros_(layer.bias)
                layer.weight.mul_(scale)

    def linear_layers(self) -> list[nn.Linear]:
        """The linear layers from input to output (the ones that hold weights)."""
        return [block.linear for block in self.hidden] + [self.output]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.hidden:
            x = block(x)
        return self.output(x)


class SmallCNN(nn.Module):
    """Two or more 3x3 conv + ReLU + 2x2 max-pool stages, then a linear classifier."""

    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 10,
        channels: tuple[int, ...] = (16, 32),
        image_size: int = 8,
    ):
        super().__init__()
        _positive("in_channels", in_channels)
        _positive("num_classes", num_classes)
        if not channels:
            raise ValueError("channels: expected at least one stage")
        if image_size % (2 ** len(channels)):
            raise ValueError(
                f"image_size: {image_size} is not divisible by 2**{len(channels)} "
                "(one pooling per stage)"
            )
        layers: list[nn.Module] = []
        previous = in_channels
        for c in channels:
            _positive("channels", c)
            layers += [nn.Conv2d(previous, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            previous = c
        self.features = nn.Sequential(*layers)
        side = image_size // 2 ** len(channels)
        self.classifier = nn.Linear(previous * side * side, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x).flatten(1))


RECURRENT = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceModel(nn.Module):
    """A recurrent layer (``"rnn"``, ``"lstm"`` or ``"gru"``) and a linear read-out.

    Reads ``(batch, time, features)``. With ``every_step=False`` it predicts from the
    last hidden state (shape ``(batch, output_size)``), else at every step.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        cell: str = "lstm",
        num_layers: int = 1,
        every_step: bool = False,
    ):
        super().__init__()
        _choice("cell", cell, RECURRENT)
        for name, value in [
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("output_size", output_size),
            ("num_layers", num_layers),
        ]:
            _positive(name, value)
        self.rnn = RECURRENT[cell](input_size, hidden_size, num_layers, batch_first=True)
        self.readout = nn.Linear(hidden_size, output_size)
        self.every_step = every_step

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        states, _ = self.rnn(x)
        return self.readout(states if self.every_step else states[:, -1])


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
