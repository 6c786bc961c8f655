"""Every POST-accepting URL of the URLconf is fuzzed or exempt with a reason."""

from .targets import EXEMPT, TARGETS, URLS, post_url_names


def test_every_post_url_is_fuzzed_or_exempt():
    fuzzed = {target.name for target in TARGETS if target.method == "post"}
    undecided = post_url_names() - fuzzed - set(EXEMPT)
    assert undecided == set(), "fuzz these forms or exempt them with a reason"
    assert set(EXEMPT) <= post_url_names(), "stale exemption"
    assert {t.name for t in TARGETS} <= set(URLS)
