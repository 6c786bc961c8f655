"""Check every cached balance against its ledger (the truth), and repair it.

Each check reads its differences through the owning app's selector and
repairs one through the owning app's service; this command only wires them
together, so it lives with the wiring (it reaches several apps).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError

from banksampah import selectors as banksampah_selectors
from banksampah import services as banksampah_services
from catalog import stock as catalog_stock
from catalog.models import Product
from orders import selectors as order_selectors
from reviews import selectors as review_selectors
from reviews import services as review_services


@dataclass(frozen=True)
class Check:
    """One cached total: how to find its differences, say them, repair one."""

    find: Callable[[], Iterable]
    describe: Callable[[object], str]
    repair: Callable[[object], object]


CHECKS = [
    # Member balances against the savings entries.
    Check(
        find=banksampah_selectors.balance_mismatches,
        describe=lambda row: (
            f"{row.account_number}: cached {row.cached}, "
            f"entries sum {row.entries_sum}, "
            f"last running balance {row.last_balance_after}"
        ),
        repair=lambda row: banksampah_services.repair_member_balance(
            member_id=row.member_id
        ),
    ),
    # Waste stock of each POSDAYA and category against its movements.
    Check(
        find=banksampah_selectors.waste_stock_mismatches,
        describe=lambda row: (
            f"waste stock {row.posdaya_code} {row.category_slug}: "
            f"cached {row.cached}, movements sum {row.movements_sum}, "
            f"last running weight {row.last_weight_after}"
        ),
        repair=lambda row: banksampah_services.repair_waste_stock(
            stock_id=row.stock_id
        ),
    ),
    # Product stock against its stock movements. The stock column is what
    # every reservation was checked against, so the repair keeps it and adds
    # one correcting movement (audited) that makes the movements add up.
    Check(
        find=catalog_stock.mismatches,
        describe=lambda row: f"product stock: {row}",
        repair=lambda row: catalog_stock.repair(
            product=Product.objects.get(pk=row.product_id),
            reason="recompute_balances --fix",
            by=None,
        ),
    ),
    # Each variant's stock against its movements (repaired the same way), and
    # each product with variants against their sum (reported; a variant's
    # adjustment puts it right, the command does not guess which).
    Check(
        find=catalog_stock.variant_mismatches,
        describe=lambda row: f"variant stock: {row}",
        repair=lambda row: catalog_stock.repair_variant(
            mismatch=row, reason="recompute_balances --fix", by=None
        ),
    ),
    # Each open made-to-order count against the made units of the lines whose
    # sub-order has not been sent yet (recounted under the row lock on --fix).
    Check(
        find=order_selectors.made_to_order_mismatches,
        describe=lambda row: f"made to order: {row}",
        repair=lambda row: catalog_stock.repair_made_to_order(
            mismatch=row,
            count_open=lambda: order_selectors.open_made_to_order_units(
                product_id=row.product_id, variant_id=row.variant_id
            ),
            reason="recompute_balances --fix",
            by=None,
        ),
    ),
    # Each product's stored rating against its visible reviews.
    Check(
        find=review_selectors.rating_mismatches,
        describe=lambda row: f"product rating: {row}",
        repair=lambda row: review_services.repair_product_rating(
            product_id=row.product_id
        ),
    ),
]


class Command(BaseCommand):
    help = (
        "Recompute each member's balance from the savings entries, each waste "
        "stock and each product's stock from its movements (its rating from its "
        "reviews), and report "
        "differences; exit with an error when any is found (--fix repairs them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Write the recomputed balance into the cache where it differs.",
        )

    def handle(self, *args, **options):
        differences = []
        for check in CHECKS:
            for row in check.find():
                differences.append((check, row))
                self.stdout.write(check.describe(row))
        if not differences:
            self.stdout.write(self.style.SUCCESS("All balances match the entries."))
            return
        if options["fix"]:
            for check, row in differences:
                check.repair(row)
            self.stdout.write(
                self.style.WARNING(f"Fixed {len(differences)} cached balance(s).")
            )
            return
        raise CommandError(f"{len(differences)} balance(s) differ from the entries.")
