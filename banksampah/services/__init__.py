"""Every write of the bank sampah: members, deposits, savings, stock, prices.

Money is integer Rupiah, weights Decimal with three places. The savings
ledger and the waste stock ledger, and the balances cached from them, are
written only by `ledger` (see its docstring for the locks); the other modules
are the operations that call it:

- `members`: open a savings book, change its contact details;
- `claims`: the one-time code with which a member links her account;
- `deposits`: a deposit, weighed, priced, credited and added to stock;
- `withdrawals`: a withdrawal from the book;
- `reversals`: a linked correction that cancels a deposit or a withdrawal;
- `shopping`: an order paid from the book (bayar pakai tabungan), its refunds;
- `sales`, `waste_stock`: waste out to a pengepul, to production, adjustments;
- `prices`, `categories`: the koordinator's price list and waste categories.

Import from here (`from banksampah import services`); the names below are the
public surface.
"""

from .categories import (
    DEFAULT_WASTE_CATEGORIES,
    add_default_waste_categories,
    missing_default_waste_categories,
    save_waste_category,
)
from .claims import IssuedClaimCode, claim_member, issue_claim_code
from .deposits import DepositInput, record_deposit, record_deposits
from .ledger import repair_member_balance, repair_waste_stock
from .members import register_member, update_member
from .prices import price_lines, set_waste_price, value_lines
from .reversals import reverse_deposit, reverse_entry, reverse_withdrawal
from .sales import SaleLine, record_sale
from .shopping import pay_order_from_savings, refund_order_to_savings
from .validation import (
    MAX_AMOUNT,
    MAX_LINE_WEIGHT,
    MAX_LINES,
    BankSampahError,
    PricedLine,
    WeighedLine,
    check_weight,
)
from .waste_stock import adjust_waste_stock, record_production_use
from .withdrawals import record_withdrawal

__all__ = [
    "DEFAULT_WASTE_CATEGORIES",
    "MAX_AMOUNT",
    "MAX_LINES",
    "MAX_LINE_WEIGHT",
    "BankSampahError",
    "DepositInput",
    "IssuedClaimCode",
    "PricedLine",
    "SaleLine",
    "WeighedLine",
    "add_default_waste_categories",
    "adjust_waste_stock",
    "check_weight",
    "claim_member",
    "issue_claim_code",
    "missing_default_waste_categories",
    "pay_order_from_savings",
    "price_lines",
    "record_deposit",
    "record_deposits",
    "record_production_use",
    "record_sale",
    "record_withdrawal",
    "refund_order_to_savings",
    "register_member",
    "repair_member_balance",
    "repair_waste_stock",
    "reverse_deposit",
    "reverse_entry",
    "reverse_withdrawal",
    "save_waste_category",
    "set_waste_price",
    "update_member",
    "value_lines",
]
