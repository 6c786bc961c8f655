"""What the fuzzer posts: plausible values, garbage text and files, stray keys."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from .targets import Target
from .world import World

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


SPECIAL = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e308",
    "-1e400",
    "NaN",
    "inf",
    "1,5",
    "1.000.000",
    "0x1A",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "'; DROP TABLE auth_user; --",
    "\x00",
    "a\x00b",
    "\u202e\u0000\ufeff",
    "9" * 30,
    "9" * 5000,
    "x" * 10_000,
    "🙂" * 300,
]
garbage_text = st.one_of(
    st.text(max_size=40),
    # long strings, built cheaply from a short random piece
    st.builds(
        lambda piece, n: piece * n,
        st.text(min_size=1, max_size=8),
        st.integers(30, 600),
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(SPECIAL),
)
garbage_file = st.builds(
    lambda data, name: SimpleUploadedFile(name, data),
    st.binary(max_size=300),
    st.sampled_from(["a.jpg", "b.png", "c.pdf", "x" * 300 + ".jpg", "d.svg"]),
)


def field_value(world: World, name: str):
    base = name.rsplit("-", 1)[-1] if "-" in name else name
    plausible = [str(v) for v in world.values.get(base, [])]
    choices = [garbage_text, st.lists(garbage_text, min_size=2, max_size=3)]
    if plausible:
        choices.insert(0, st.sampled_from(plausible))
    return st.one_of(*choices)


def payload(world: World, target: Target):
    """A dict of some of the target's fields (maybe none) plus stray keys."""
    names = list(target.fields)
    return st.fixed_dictionaries(
        {},
        optional={
            **{name: field_value(world, name) for name in names},
            **{name: st.one_of(garbage_file, garbage_text) for name in target.files},
            "extra": garbage_text,
            "csrfmiddlewaretoken": garbage_text,
        },
    )
