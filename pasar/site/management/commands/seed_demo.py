"""Load the demo data: `python manage.py seed_demo` (idempotent)."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pasar.pagecache import invalidate_public_pages

# Each app's demo module exposes `seed()`; order matters (later steps use earlier).
DEMO_STEPS = [
    "posdaya.demo",
    "banksampah.demo",
    "catalog.demo",
    "orders.demo",
    "reviews.demo",
]


class Command(BaseCommand):
    help = "Load demo POSDAYA, accounts, products, members, weighings and orders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds POSDAYA.",
        )
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="Do not list the accounts."
        )

    def handle(self, *args, **options):
        if not settings.PASAR_DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is never loaded with production settings.")
        from posdaya.models import Posdaya

        if options["if_empty"] and Posdaya.objects.exists():
            self.stdout.write("Database already has data; demo data not loaded.")
            accounts = importlib.import_module("posdaya.demo").seed()
        else:
            accounts = []
            for step in DEMO_STEPS:
                result = importlib.import_module(step).seed()
                if step == "posdaya.demo":
                    accounts = result
                self.stdout.write(f"  {step}: ok")
        invalidate_public_pages()
        if not options["quiet_accounts"]:
            self.stdout.write("")
            self.stdout.write("Demo accounts (password: demo12345):")
            for line in accounts:
                self.stdout.write(f"  {line}")
