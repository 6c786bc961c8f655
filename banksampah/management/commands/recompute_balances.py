"""Check every cached balance against the savings entries (the truth)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from banksampah.models import Member, SavingsEntry


class Command(BaseCommand):
    help = (
        "Recompute each member's balance from the savings entries and report "
        "differences; exit with an error when any is found (--fix repairs them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Write the recomputed balance into the cache where it differs.",
        )

    def handle(self, *args, **options):
        entries = SavingsEntry.objects.filter(member=OuterRef("pk"))
        ledger_sum = Coalesce(
            Subquery(
                entries.order_by()
                .values("member")
                .annotate(s=Sum("amount"))
                .values("s")
            ),
            0,
        )
        last_after = Coalesce(
            Subquery(entries.order_by("-id").values("balance_after")[:1]), 0
        )
        rows = (
            Member.objects.annotate(ledger=ledger_sum, last=last_after)
            .order_by("pk")
            .values_list("pk", "account_number", "balance", "ledger", "last")
            .iterator(chunk_size=2000)
        )
        differences = []
        for pk, number, cached, ledger, last in rows:
            if cached != ledger or last != ledger:
                differences.append((pk, number, cached, ledger, last))
                self.stdout.write(
                    f"{number}: cached {cached}, entries sum {ledger}, "
                    f"last running balance {last}"
                )
        if not differences:
            self.stdout.write(self.style.SUCCESS("All balances match the entries."))
            return
        if options["fix"]:
            for pk, _number, _cached, _ledger, _last in differences:
                with transaction.atomic():
                    member = Member.objects.select_for_update().get(pk=pk)
                    total = (
                        SavingsEntry.objects.filter(member=member).aggregate(
                            s=Sum("amount")
                        )["s"]
                        or 0
                    )
                    Member.objects.filter(pk=pk).update(balance=total)
            self.stdout.write(
                self.style.WARNING(f"Fixed {len(differences)} cached balance(s).")
            )
            return
        raise CommandError(f"{len(differences)} balance(s) differ from the entries.")
