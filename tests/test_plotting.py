import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from dlconcepts import plotting  # noqa: E402
from dlconcepts.models import MLP  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_house_style_applies():
    plotting.use_house_style()
    assert matplotlib.rcParams["axes.spines.top"] is False


def test_plot_curves_draws_one_line_per_curve():
    ax = plotting.plot_curves({"a": [3, 2, 1], "b": [1, 2]}, logy=True, title="t")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_yscale() == "log" and ax.get_title() == "t"
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2, 3]
    with pytest.raises(ValueError, match="^curves:"):
        plotting.plot_curves({})


def test_plot_per_layer_numbers_layers_from_one():
    ax = plotting.plot_per_layer({"net": [1e-3, 1e-2, 1e-1]})
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2, 3]
    assert ax.get_yscale() == "log" and "layer" in ax.get_xlabel()
    with pytest.raises(ValueError, match="^values:"):
        plotting.plot_per_layer({})


def test_decision_boundary_keeps_training_mode():
    net = MLP(2, 2, width=8, depth=1, dropout=0.5)
    net.train()
    X = torch.randn(30, 2)
    y = (X[:, 0] > 0).long()
    ax = plotting.plot_decision_boundary(net, X, y, resolution=20)
    assert net.training and len(ax.collections) >= 2
    with pytest.raises(ValueError, match="^X:"):
        plotting.plot_decision_boundary(net, torch.randn(5, 3), y[:5])


def test_image_grid_layout():
    fig = plotting.image_grid(torch.rand(10, 1, 8, 8), labels=list(range(10)), ncols=4)
    assert len(fig.axes) == 12
    assert fig.axes[0].get_title() == "0" and not fig.axes[11].images
    with pytest.raises(ValueError, match="^images:"):
        plotting.image_grid(torch.rand(3, 8))
