"""`seed_demo` loads the demo data and is idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

from posdaya.models import Membership, Posdaya

pytestmark = pytest.mark.django_db


def snapshot():
    """Count the rows of every model of our apps."""
    labels = ("pasar", "posdaya", "catalog", "orders", "banksampah", "auth")
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def test_seed_demo_twice_leaves_the_same_data(client):
    call_command("seed_demo", "--quiet-accounts")
    first = snapshot()
    call_command("seed_demo", "--quiet-accounts")
    assert snapshot() == first
    assert Posdaya.objects.count() == 16
    assert set(Posdaya.objects.values_list("slug", flat=True)) >= {
        "bahagia",
        "flamboyan",
    }
    assert Membership.objects.filter(role="koordinator").count() == 1
    assert Membership.objects.filter(role="pengelola").count() == 16
    assert Membership.objects.filter(role="petugas").count() == 16


@pytest.mark.parametrize(
    "username",
    ["koordinator", "pengelola-bahagia", "petugas-flamboyan", "pembeli-demo"],
)
def test_demo_accounts_sign_in(client, username):
    call_command("seed_demo", "--quiet-accounts")
    response = client.post("/akun/login/", {"login": username, "password": "demo12345"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
