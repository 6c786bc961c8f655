#!/usr/bin/env python3
"""Audit the pinned runtime dependencies for known vulnerabilities.

Runs pip-audit (PyPI's vulnerability data) on the pins. Where pip-audit cannot
look a pin up (this machine's PyPI mirror answers /pypi/<name>/json but not the
per-version /pypi/<name>/<version>/json that pip-audit asks for), fall back to
the project JSON: its `vulnerabilities` list is PyPI's verdict on the newest
release, so it audits a pin that *is* the newest release; an older pin is
reported as not audited (upgrade it, or audit where PyPI answers in full).

Exit 1 on any known vulnerability; with --strict also when a pin went unaudited.
"""

import json

# Runs pip-audit with fixed arguments, no shell.
import subprocess  # nosec B404
import sys
import urllib.request
from pathlib import Path

PYPI = "https://pypi.org/pypi/{name}/json"


def pip_audit(requirements: str) -> list[dict]:
    pip_audit_bin = str(Path(sys.executable).with_name("pip-audit"))
    result = subprocess.run(  # noqa: S603  # nosec B603
        [
            pip_audit_bin,
            "--no-deps",
            "--disable-pip",
            "--progress-spinner=off",
            "--format=json",
            "-r",
            requirements,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        return json.loads(result.stdout)["dependencies"]
    except (ValueError, KeyError):
        sys.stderr.write(result.stderr)
        raise SystemExit("pip-audit gave no report") from None


def newest_release_vulns(name: str, version: str) -> list[str] | None:
    """Return PyPI's vulnerability ids for the pin, or None if it can't tell."""
    url = PYPI.format(name=name)
    # A fixed https:// URL (bandit B310 / ruff S310 warn about file: schemes).
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  # nosec B310
        data = json.load(response)
    if data["info"]["version"] != version:
        return None
    return [
        vuln["id"]
        for vuln in data.get("vulnerabilities", [])
        if not vuln.get("withdrawn")
    ]


def read_pins(requirements: str) -> dict[str, str]:
    """Map each normalised project name to its pinned version."""
    pins = {}
    for line in Path(requirements).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            name = name.split("[", 1)[0].strip().lower().replace("_", "-")
            pins[name] = version.strip()
    return pins


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    strict = "--strict" in sys.argv
    requirements = args[0] if args else "requirements.txt"
    pins = read_pins(requirements)
    vulnerable, unaudited, audited = [], [], 0
    for dep in pip_audit(requirements):
        name = dep["name"]
        version = dep.get("version") or pins.get(name.lower().replace("_", "-"), "?")
        if "skip_reason" not in dep:
            audited += 1
            vulnerable += [f"{name}=={version}: {v['id']}" for v in dep["vulns"]]
            continue
        try:
            ids = newest_release_vulns(name, version)
        except OSError as error:
            unaudited.append(f"{name}=={version} (PyPI unreachable: {error})")
            continue
        if ids is None:
            unaudited.append(f"{name}=={version} (not the newest release)")
            continue
        audited += 1
        vulnerable += [f"{name}=={version}: {vuln_id}" for vuln_id in ids]
    print(f"audited {audited} pins from {requirements}")
    for line in unaudited:
        print(f"NOT AUDITED {line}")
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    if vulnerable or (strict and unaudited):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
