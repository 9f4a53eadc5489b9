import pytest
import torch

from dlconcepts import data


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("make", [data.xor, data.moons, data.spirals])
def test_two_class_2d_datasets(make):
    X, y = make(200, generator=gen())
    assert X.shape == (200, 2) and X.dtype == torch.float32
    assert y.dtype == torch.int64 and set(y.tolist()) == {0, 1}
    X2, y2 = make(200, generator=gen())
    assert torch.equal(X, X2) and torch.equal(y, y2)
    X3, _ = make(200, generator=gen(1))
    assert not torch.equal(X, X3)


def test_xor_labels_follow_the_signs():
    X, y = data.xor(500, noise=0.05, generator=gen())
    assert torch.equal(y, ((X[:, 0] > 0) ^ (X[:, 1] > 0)).long())


def test_spirals_has_requested_classes():
    _, y = data.spirals(300, num_classes=3, generator=gen())
    assert set(y.tolist()) == {0, 1, 2}


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: data.xor(0), "n"),
        (lambda: data.moons(10, noise=-1), "noise"),
        (lambda: data.spirals(10, turns=0), "turns"),
        (lambda: data.sawtooth(torch.zeros(3), 0), "depth"),
        (lambda: data.adding_problem(10, 1), "length"),
        (lambda: data.sine_sequences(10, 0), "length"),
    ],
)
def test_bad_arguments_name_the_argument(call, name):
    with pytest.raises(ValueError, match=f"^{name}:"):
        call()


def test_sawtooth_is_the_iterated_tent_map():
    x = torch.linspace(0, 1, 1025)
    assert torch.allclose(data.sawtooth(x, 1), 1 - torch.abs(2 * x - 1))
    s3 = data.sawtooth(x, 3)
    # depth 3: 4 teeth, peaks at odd multiples of 1/8
    assert torch.allclose(s3[[128, 384, 640, 896]], torch.ones(4))
    assert torch.allclose(s3[[0, 256, 512, 768, 1024]], torch.zeros(5))


def test_adding_problem_target_is_sum_of_marked_values():
    X, y = data.adding_problem(64, 50, generator=gen())
    assert X.shape == (64, 50, 2) and y.shape == (64,)
    markers = X[:, :, 1]
    assert torch.equal(markers.sum(1), torch.full((64,), 2.0))
    assert torch.all(markers[:, :25].sum(1) == 1) and torch.all(markers[:, 25:].sum(1) == 1)
    assert torch.allclose((X[:, :, 0] * markers).sum(1), y)


def test_sine_sequences_target_is_next_value():
    X, y = data.sine_sequences(8, 30, generator=gen())
    assert X.shape == y.shape == (8, 30, 1)
    assert torch.equal(X[:, 1:], y[:, :-1])


def test_digits_are_bundled_and_scaled():
    X, y = data.digits()
    assert X.shape == (1797, 64) and 0 <= float(X.min()) and float(X.max()) == 1.0
    assert set(y.tolist()) == set(range(10))
    images, _ = data.digits(images=True)
    assert images.shape == (1797, 1, 8, 8)


def test_digits_read_directly_equal_scikit_learns_loader():
    # digits() reads scikit-learn's bundled file without importing scikit-learn (faster
    # start): it must give exactly what load_digits gives.
    from sklearn.datasets import load_digits

    X, y = data.digits()
    bunch = load_digits()
    assert torch.equal(X, torch.tensor(bunch.data, dtype=torch.float32) / 16.0)
    assert torch.equal(y, torch.tensor(bunch.target, dtype=torch.int64))


def test_train_test_split_partitions_the_data():
    X = torch.arange(100).float()[:, None]
    y = torch.arange(100)
    split = data.train_test_split(X, y, 0.2, gen())
    assert len(split.X_test) == 20 and len(split.X_train) == 80
    assert sorted(split.y_train.tolist() + split.y_test.tolist()) == list(range(100))
    assert torch.equal(split.X_train[:, 0].long(), split.y_train)
    with pytest.raises(ValueError, match="test_fraction"):
        data.train_test_split(X, y, 1.0)
    with pytest.raises(ValueError, match="lengths differ"):
        data.train_test_split(X, y[:-1])


def test_standardize_uses_training_statistics():
    a = torch.randn(200, 3, generator=gen()) * 5 + 2
    b = a + 1
    a_s, b_s = data.standardize(a, b)
    assert torch.allclose(a_s.mean(0), torch.zeros(3), atol=1e-5)
    assert torch.allclose(a_s.std(0), torch.ones(3), atol=1e-4)
    assert torch.allclose(b_s - a_s, (1 / a.std(0)).expand(200, 3), atol=1e-5)
