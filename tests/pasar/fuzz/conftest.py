import pytest

from .world import build_world


@pytest.fixture
def world(posdaya, other_posdaya, pengelola, petugas, koordinator, shopper):
    return build_world(posdaya, other_posdaya, pengelola, petugas, koordinator, shopper)
