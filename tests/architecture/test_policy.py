"""One permission policy: templates ask `{% can %}`, selectors hold no role rules."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A template deciding by a role's name instead of asking the policy.
ROLE_TEST = re.compile(
    r"{%\s*(?:el)?if\b[^%]*(?:\b(?:pengelola|petugas|koordinator)\b|is_koordinator"
    r"|posdaya_roles)"
)


def role_tests_in_templates() -> list[str]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_TEST.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_no_template_compares_role_names():
    assert role_tests_in_templates() == []


def test_the_template_check_can_fail():
    probe = ROOT / "templates" / "_policy_probe.html"
    probe.write_text('{% if "pengelola" in posdaya_roles %}x{% endif %}\n')
    try:
        assert role_tests_in_templates() == ["templates/_policy_probe.html:1"]
    finally:
        probe.unlink()


def test_selectors_hold_no_role_rules():
    source = (ROOT / "posdaya" / "selectors.py").read_text()
    assert re.findall(r"Role\.|pengelola|petugas|koordinator", source) == []
