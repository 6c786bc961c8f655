"""Run one target: the page answers, garbage never breaks it, a refusal changes nothing.

A request counts as refused unless it redirected or said so with a success
message, and carried no error message; a refused request must leave the row
count of every model as it was (sessions aside: signing in writes one).
"""

from django.apps import apps
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from pasar.models import AuditLog

from ...conftest import client_for
from .garbage import FUZZ, payload
from .targets import Target
from .world import World


def row_counts() -> dict:
    """Count the rows of every table but sessions', in one query."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label != "sessions.Session" and model._meta.managed
    ]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    # Table names come from the models, quoted by the backend: no user input.
    counts_sql = ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # noqa: S608
    sql = f"SELECT {counts_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, counts, strict=True)}


def is_success(response) -> bool:
    # Only this request's messages: earlier ones wait unread in the session.
    levels = {m.level for m in response.wsgi_request._messages._queued_messages}
    if constants.ERROR in levels:
        return False
    return response.status_code in (301, 302, 303) or constants.SUCCESS in levels


def client_of(world: World, target: Target) -> Client:
    if target.user is None:
        return Client()
    return client_for(world.users[target.user])


def fuzz_target(target: Target, world: World) -> None:
    """Post garbage to one target; never a 500, a refusal changes no row."""
    client = client_of(world, target)
    url = target.url(world)
    # Warm up: the page itself answers, and lazy bookkeeping (allauth syncing a
    # user's EmailAddress on first sight) happens before the counts are taken.
    assert client.get(url).status_code < 500

    @FUZZ
    @given(data=st.data())
    def run(data):
        body = data.draw(payload(world, target))
        for upload in body.values():
            if isinstance(upload, SimpleUploadedFile):
                upload.seek(0)
        before = row_counts()
        audits = AuditLog.objects.count()
        response = getattr(client, target.method)(url, body)
        assert response.status_code < 500, (target.name, body)
        if target.method == "get" or not is_success(response):
            assert row_counts() == before, (target.name, body, response.status_code)
        else:
            assert AuditLog.objects.count() >= audits

    run()
