"""The background task that delivers one outbox row (Django's tasks framework).

Enqueued after the commit that wrote the row; the database backend
(django-tasks-db) keeps the queue in the site's own database, and
`manage.py db_worker` runs it (`make run` starts one; README, "Messages").
"""

from django.tasks import task


@task()
def deliver_message(message_id: int) -> str | None:
    """Deliver the message if it is still due; return its status or None."""
    from .services import deliver

    return deliver(message_id=message_id)
