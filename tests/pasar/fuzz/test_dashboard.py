"""Garbage posted to the dashboard forms, each as a user entitled to it."""

import pytest

from .checks import fuzz_target
from .targets import DASHBOARD_TARGETS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target", DASHBOARD_TARGETS, ids=lambda t: f"{t.method}-{t.name}"
)
def test_garbage_never_breaks_a_form(target, world):
    fuzz_target(target, world)
