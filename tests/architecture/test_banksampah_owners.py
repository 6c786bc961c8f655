"""Only the bank sampah services write its ledgers and cached balances.

Savings entries, waste stock movements, the cached totals computed from them
(a member's balance, a POSDAYA's waste stock, the account-number counter) and
the other bank sampah records (deposits and their lines, withdrawals, pengepul
sales, production uses, dated prices) have one writer: `banksampah/services/`.
Everything else, the bank sampah's own views and demo included, calls it.

The check reads the source of every shipped module (the apps and `manage.py`)
and reports, outside `banksampah/services/`:

- a write through a manager or queryset of one of those models
  (`SavingsEntry.objects.create(...)`, `Member.objects.filter(...).update(...)`,
  `WasteStock.objects.bulk_update(...)`, ...), also through their related
  managers (`member.entries.create(...)`, `posdaya.members.create(...)`);
- building a row of one of them (`SavingsEntry(...)`), which only a save can
  follow;
- writing a cached field on anything: `.update(balance=...)`,
  `.update(weight=...)`, `bulk_update(..., ["balance"])`, `F("balance")`,
  `member.balance = ...`;
- raw SQL that inserts into, updates or deletes from a `banksampah_` table.

Not scanned, on purpose: migrations (schema and triggers), `tests/` (which
plant a drifted balance to prove `recompute_balances` finds it) and
`benchmarks/` (scale fixtures that bulk-load a million entries in the shape
`recompute_balances` accepts; never run by the site).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    "pasar",
    "posdaya",
    "notifications",
    "banksampah",
    "catalog",
    "orders",
    "reviews",
]
OWNER = ROOT / "banksampah" / "services"

# The models whose rows only the services create, change or remove.
OWNED_MODELS = {
    "SavingsEntry",
    "WasteStockMovement",
    "WasteStock",
    "Member",
    "MemberSequence",
    "Deposit",
    "DepositLine",
    "Withdrawal",
    "PengepulSale",
    "PengepulSaleLine",
    "ProductionUse",
    "WastePrice",
}
# Related managers that lead to those models and to nothing else in the project.
OWNED_RELATED = {
    "entries",
    "deposits",
    "withdrawals",
    "members",
    "waste_stock",
    "pengepul_sales",
    "production_uses",
    "prices",
}
MANAGERS = {"objects", "_base_manager", "_default_manager"}
WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
}
# Cached totals: a member's balance, a stock row's weight, the number counter.
CACHED_FIELDS = {"balance", "weight", "last_number"}
RAW_WRITE = re.compile(
    r"\b(insert\s+into|update|delete\s+from)\s+[\"'`]?banksampah_", re.IGNORECASE
)


def shipped_files() -> list[Path]:
    files = [ROOT / "manage.py"]
    for app in SHIPPED:
        files += sorted((ROOT / app).rglob("*.py"))
    return [f for f in files if "migrations" not in f.parts and OWNER not in f.parents]


def chain(node: ast.AST) -> list[str]:
    """Names along `a.b(...).c.d`, outermost last: ['a', 'b', 'c', 'd']."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names[::-1]


def string_list(node: ast.AST) -> set[str]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return {
            e.value
            for e in node.elts
            if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
    return set()


def call_problems(node: ast.Call) -> list[str]:
    problems = []
    func = node.func
    names = chain(func)
    method = names[-1] if names else ""
    owned = [n for n in names[:-1] if n in OWNED_MODELS]
    if method in WRITES:
        if owned and MANAGERS & set(names):
            problems.append(f"{owned[0]} written ({method})")
        elif set(names[:-1]) & OWNED_RELATED:
            related = next(n for n in names[:-1] if n in OWNED_RELATED)
            problems.append(f"related manager {related} written ({method})")
    if isinstance(func, ast.Name) and func.id in OWNED_MODELS:
        problems.append(f"{func.id} row built")
    elif isinstance(func, ast.Attribute) and func.attr in OWNED_MODELS:
        problems.append(f"{func.attr} row built")
    if method == "update":
        for keyword in node.keywords:
            if keyword.arg in CACHED_FIELDS:
                problems.append(f"cached {keyword.arg} updated")
    if method == "bulk_update":
        fields = set()
        for arg in node.args[1:2]:
            fields |= string_list(arg)
        for keyword in node.keywords:
            if keyword.arg == "fields":
                fields |= string_list(keyword.value)
        for name in sorted(fields & CACHED_FIELDS):
            problems.append(f"cached {name} updated")
    if (
        names == ["F"]
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value in CACHED_FIELDS
    ):
        problems.append(f'F("{node.args[0].value}")')
    return problems


def violations(files=None) -> list[str]:
    """Return `path:line what` for every write outside banksampah/services/."""
    found = set()
    for path in files if files is not None else shipped_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            problems = []
            if isinstance(node, ast.Call):
                problems = call_problems(node)
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                problems = [
                    f"cached {t.attr} assigned"
                    for t in targets
                    if isinstance(t, ast.Attribute) and t.attr in CACHED_FIELDS
                ]
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and RAW_WRITE.search(node.value)
            ):
                problems = ["raw SQL write to a banksampah table"]
            found |= {(str(where), node.lineno, problem) for problem in problems}
    return [f"{where}:{line} {problem}" for where, line, problem in sorted(found)]


def test_only_the_services_write_bank_sampah_ledgers_and_balances():
    assert violations() == []


PROBE = """\
from django.db import connection
from django.db.models import F

from banksampah import models
from banksampah.models import Member, SavingsEntry, WasteStock, WasteStockMovement


def cheat(member, stock, posdaya):
    SavingsEntry.objects.create(member=member, kind="deposit", amount=1)
    Member.objects.filter(pk=member.pk).update(balance=F("balance") + 1)
    WasteStock.objects.bulk_update([stock], ["weight"])
    rows = [WasteStockMovement(posdaya=posdaya, weight=1)]
    models.WasteStockMovement.objects.bulk_create(rows)
    member.balance = 5
    member.entries.create(kind="deposit", amount=1, balance_after=6)
    posdaya.members.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE banksampah_member SET balance = 0")
"""


def test_the_check_sees_every_kind_of_write():
    """Planted writes are each caught, and the same code is fine in the owner."""
    probe = ROOT / "banksampah" / "_owners_probe.py"
    owner_probe = OWNER / "_owners_probe.py"
    probe.write_text(PROBE)
    owner_probe.write_text(PROBE)
    try:
        assert violations([probe]) == [
            "banksampah/_owners_probe.py:9 SavingsEntry written (create)",
            'banksampah/_owners_probe.py:10 F("balance")',
            "banksampah/_owners_probe.py:10 Member written (update)",
            "banksampah/_owners_probe.py:10 cached balance updated",
            "banksampah/_owners_probe.py:11 WasteStock written (bulk_update)",
            "banksampah/_owners_probe.py:11 cached weight updated",
            "banksampah/_owners_probe.py:12 WasteStockMovement row built",
            "banksampah/_owners_probe.py:13 WasteStockMovement written (bulk_create)",
            "banksampah/_owners_probe.py:14 cached balance assigned",
            "banksampah/_owners_probe.py:15 related manager entries written (create)",
            "banksampah/_owners_probe.py:16 related manager members written (delete)",
            "banksampah/_owners_probe.py:18 raw SQL write to a banksampah table",
        ]
        scanned = shipped_files()
        assert probe in scanned
        assert owner_probe not in scanned
    finally:
        probe.unlink()
        owner_probe.unlink()


def test_the_scan_covers_the_apps_and_skips_the_owner():
    scanned = {str(p.relative_to(ROOT)) for p in shipped_files()}
    assert {
        "manage.py",
        "banksampah/demo.py",
        "banksampah/views/dashboard.py",
        "pasar/site/management/commands/recompute_balances.py",
        "catalog/services.py",
        "orders/services/checkout.py",
    } <= scanned
    assert not any(p.startswith("banksampah/services/") for p in scanned)
    assert not any("/migrations/" in p for p in scanned)


def test_the_bank_sampah_never_patches_the_clock():
    """History is recorded with `at=`, never by mocking `timezone.now`."""
    users = [
        f"{path.relative_to(ROOT)}"
        for path in sorted((ROOT / "banksampah").rglob("*.py"))
        if re.search(r"\bunittest\b|\bmock\b", path.read_text())
    ]
    assert users == []
