"""Where the message worker runs: next to runserver (`make run`) and in compose."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_the_worker_as_the_app_role():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker = services["worker"]
    assert worker["command"] == ["python", "manage.py", "db_worker", "--interval", "2"]
    assert worker["environment"]["DATABASE_URL"].startswith("postgres://pasar_app:")
    assert worker["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }


def test_make_run_starts_the_worker_and_stops_it_with_the_server():
    recipe = (
        (ROOT / "Makefile").read_text().split("\nrun: install\n")[1].split("\n\n")[0]
    )
    assert "manage.py db_worker --interval 2 & worker=$$!" in recipe
    assert "trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM" in recipe
    assert recipe.rstrip().endswith("manage.py runserver 127.0.0.1:$(PORT)")
