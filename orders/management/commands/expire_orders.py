"""Expire unpaid orders past their deadline: `manage.py expire_orders`.

Run it from cron (every 15 minutes is plenty). Two runs at once are safe: each
order is locked with SKIP LOCKED and re-checked, so its stock is released once.
"""

from django.core.management.base import BaseCommand

from orders.services import expire_due_orders


class Command(BaseCommand):
    help = (
        "Expire unpaid orders past their deadline: transfer after "
        "PASAR_ORDER_EXPIRY_HOURS, cash not confirmed by the POSDAYA after "
        "PASAR_COD_CONFIRM_HOURS."
    )

    def handle(self, *args, **options):
        count = expire_due_orders()
        self.stdout.write(f"{count} order(s) expired.")
