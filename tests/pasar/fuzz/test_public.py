"""Garbage posted to the public forms (shop, cart, checkout, accounts)."""

import pytest

from .checks import fuzz_target
from .targets import PUBLIC_TARGETS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", PUBLIC_TARGETS, ids=lambda t: f"{t.method}-{t.name}")
def test_garbage_never_breaks_a_form(target, world):
    fuzz_target(target, world)
