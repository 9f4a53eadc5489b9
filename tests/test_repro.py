import numpy as np
import pytest
import torch

from dlconcepts.repro import SEED_ENV, device, get_seed, seed_everything


def test_seed_defaults_to_zero(monkeypatch):
    monkeypatch.delenv(SEED_ENV, raising=False)
    assert get_seed() == 0


def test_seed_read_from_environment(monkeypatch):
    monkeypatch.setenv(SEED_ENV, "3")
    assert seed_everything().seed == 3


@pytest.mark.parametrize("raw", ["abc", "1.5"])
def test_bad_seed_in_environment_is_named(monkeypatch, raw):
    monkeypatch.setenv(SEED_ENV, raw)
    with pytest.raises(ValueError, match=SEED_ENV):
        get_seed()


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, True])
def test_bad_seed_argument(bad):
    with pytest.raises(ValueError, match="seed"):
        get_seed(bad)


def test_same_seed_same_draws_different_seed_different_draws():
    a, b, c = seed_everything(7), seed_everything(7), seed_everything(8)
    x_a = torch.randn(5, generator=a.torch_gen)
    x_b = torch.randn(5, generator=b.torch_gen)
    x_c = torch.randn(5, generator=c.torch_gen)
    assert torch.equal(x_a, x_b) and not torch.equal(x_a, x_c)
    assert np.array_equal(a.np_gen.random(3), b.np_gen.random(3))


def test_global_generators_are_seeded_too():
    seed_everything(11)
    first = torch.rand(3)
    seed_everything(11)
    assert torch.equal(first, torch.rand(3))


def test_thread_count_is_fixed():
    from threadpoolctl import threadpool_info

    seed_everything(0, threads=1)
    assert torch.get_num_threads() == 1
    assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    with pytest.raises(ValueError, match="threads"):
        seed_everything(0, threads=0)


def test_device_is_cpu_unless_asked(monkeypatch):
    monkeypatch.delenv("DLCONCEPTS_DEVICE", raising=False)
    assert device().type == "cpu"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert device(prefer_gpu=True).type == expected
