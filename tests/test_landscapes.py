import numpy as np
import pytest

from dlconcepts.landscapes import descend, plot_paths, quadratic, rosenbrock, steps_to_reach


def numerical_grad(f, x, h=1e-6):
    e = np.eye(2)
    return np.array([(f(x + h * e[i]) - f(x - h * e[i])) / (2 * h) for i in range(2)])


@pytest.mark.parametrize("landscape", [quadratic((1.0, 20.0)), rosenbrock()])
def test_gradients_match_finite_differences(landscape):
    for x in [np.array([-1.3, 0.7]), np.array([0.4, 2.1])]:
        expected = numerical_grad(landscape.value, x)
        assert landscape.grad(x) == pytest.approx(expected, rel=1e-5, abs=1e-6)


def test_minimum_is_a_stationary_point_and_works_on_grids():
    for landscape in [quadratic(), rosenbrock(a=2.0)]:
        assert landscape.value(landscape.minimum) == pytest.approx(0.0)
        assert np.allclose(landscape.grad(landscape.minimum), 0.0)
        grid = np.zeros((3, 4, 2))
        assert landscape.value(grid).shape == (3, 4)
        assert landscape.grad(grid).shape == (3, 4, 2)


def test_quadratic_rejects_bad_curvatures():
    with pytest.raises(ValueError, match="curvatures"):
        quadratic((1.0, 0.0))


def test_descend_records_the_path_and_converges_below_two_over_L():
    landscape = quadratic((1.0, 4.0))
    path = descend(landscape, [1.0, 1.0], lambda x, g: x - 0.45 * g, 50)
    assert path.shape == (51, 2)
    assert np.allclose(path[0], [1.0, 1.0])
    assert np.linalg.norm(path[-1]) < 1e-3
    assert steps_to_reach(path, landscape.minimum, 1e-2) is not None


def test_descend_stops_when_the_run_diverges():
    landscape = quadratic((1.0, 4.0))
    path = descend(landscape, [1.0, 1.0], lambda x, g: x - 1e200 * g, 100)
    assert len(path) < 101
    assert not np.all(np.isfinite(path[-1]))
    assert steps_to_reach(path, landscape.minimum, 1e-3) is None


def test_descend_validates_its_arguments():
    landscape = quadratic()
    with pytest.raises(ValueError, match="num_steps"):
        descend(landscape, [0.0, 1.0], lambda x, g: x, -1)
    with pytest.raises(ValueError, match="x0"):
        descend(landscape, [0.0, 1.0, 2.0], lambda x, g: x, 1)


def test_plot_paths_draws_every_path():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    landscape = rosenbrock()
    path = descend(landscape, [-1.0, 1.0], lambda x, g: x - 1e-3 * g, 10)
    ax = plot_paths(landscape, {"gd": path, "again": path})
    assert len(ax.get_legend().get_texts()) == 2
    plt.close("all")


def test_descend_can_stop_once_close_to_the_minimum():
    landscape = quadratic((1.0, 4.0))
    path = descend(landscape, [1.0, 1.0], lambda x, g: x - 0.45 * g, 1000, stop_within=1e-2)
    assert len(path) - 1 == steps_to_reach(path, landscape.minimum, 1e-2)
    assert len(path) < 100
