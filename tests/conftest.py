# ruff: noqa: I001  (core first: it chooses torch's portable kernels before anything loads torch)
import core  # noqa: F401
import pytest

NOTEBOOK_MLP = """\
Sequential(
  (0): Linear(in_features=2, out_features=64, bias=True)
  (1): Sigmoid()
  (2): Linear(in_features=64, out_features=32, bias=True)
  (3): Sigmoid()
  (4): Linear(in_features=32, out_features=16, bias=True)
  (5): Sigmoid()
  (6): Linear(in_features=16, out_features=1, bias=True)
  (7): Sigmoid()
)"""


@pytest.fixture(autouse=True, scope="session")
def _one_thread():
    import torch

    torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    """The CLI's language follows the locale; tests that do not pick one get English."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
