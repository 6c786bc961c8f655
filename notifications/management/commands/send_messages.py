"""`manage.py send_messages`: deliver every pending message that is due (a sweep).

The worker delivers each message from its own task; this catches the ones
whose task was lost (the queue was down at commit, a retry on a backend that
cannot defer) and frees claims a dead worker left. Safe to run from cron
while workers run: each message is claimed once.
"""

from django.core.management.base import BaseCommand

from notifications.services import deliver_due


class Command(BaseCommand):
    help = "Deliver every pending message that is due."

    def handle(self, *args, **options):
        counts = deliver_due()
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        self.stdout.write(f"Messages: {summary or 'none due'}.")
