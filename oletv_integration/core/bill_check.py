# -*- coding: utf-8 -*-
"""Revenue assurance of a month, free of Odoo imports: what the ISP
invoiced per platform package, what the platform bills for it (the counted
subscribers and the platform prices), and Olé TV's vendor bill set against
both.

Inputs are plain rows the Odoo layer reads (services/revenue_month.py):

- `InvoicedLine`: a TV line of a validated customer invoice or refund (a
  refund's quantity and amount negative), with the packages its product
  gives, repeated as often as the product lists them;
- `BillLine`: a line of the platform's vendor bill, its package already
  recognised (or None);
- `counts`: {package code: {"subscriber_days", "subscribers", "quantity"}},
  what the platform's history counted for the month (quantity: what the
  platform bills by the integration's rule);
- `prices`: {package code: platform price or None}.

Allocation of an invoice line across its packages (a product giving
several): its untaxed amount is split in proportion to the packages'
platform prices when every one of them has a price above zero, in equal
shares otherwise (no price, or some missing: a partial proportion would
give the priced packages everything). Each share is rounded to the cent,
and the last package takes what rounding left, so the shares add up to the
line. Every package of the line is invoiced the line's full quantity (one
TV product sold is one subscription to each of its packages)."""
from collections import namedtuple

CENT = 0.01

InvoicedLine = namedtuple("InvoicedLine", "line_id customer packages quantity amount refund")
BillLine = namedtuple("BillLine", "line_id package description quantity amount")
# what the ISP invoiced for one package in the month
Invoiced = namedtuple("Invoiced", "lines customers quantity revenue")

# a package's status in the month
MATCH = "match"              # the bill says what was counted
DIFFERS = "differs"          # quantity or amount differ
NOT_BILLED = "not_billed"    # counted, absent from a registered bill
NOT_COUNTED = "not_counted"  # billed, never counted
NO_BILL = "no_bill"          # no vendor bill registered for the month
UNKNOWN_LINE = "unknown_line"  # a bill line of no package

MonthRow = namedtuple("MonthRow", [
    "package", "description",
    "counted_quantity", "subscriber_days", "subscribers",
    "invoiced_lines", "customers", "invoiced_quantity", "revenue",
    "platform_price", "expected_amount", "platform_cost",
    "bill_quantity", "bill_amount", "quantity_diff", "amount_diff",
    "margin", "status"])


def money(value):
    return round(value + 0.0, 2)


def allocate(amount, prices):
    """`amount` split over packages whose platform prices are `prices` (a
    list, one per package, None when unknown): shares in the same order,
    adding up to `amount` (module docstring: the rule)."""
    if not prices:
        return []
    weights = prices if all(price and price > 0 for price in prices) else [1.0] * len(prices)
    total = float(sum(weights))
    shares = [money(amount * weight / total) for weight in weights[:-1]]
    return shares + [money(amount - sum(shares))]


def invoiced_by_package(lines, prices):
    """{package code: Invoiced} of the month's TV lines. `lines` counts the
    invoice lines (refunds excluded) and `customers` the distinct customers
    of those; a refund lowers the quantity and the revenue."""
    found = {}
    for line in lines:
        shares = allocate(line.amount, [prices.get(code) for code in line.packages])
        for code, share in zip(line.packages, shares):
            entry = found.setdefault(code, {"lines": set(), "customers": set(),
                                            "quantity": 0.0, "revenue": 0.0})
            if not line.refund:
                entry["lines"].add(line.line_id)
                entry["customers"].add(line.customer)
            entry["quantity"] += line.quantity
            entry["revenue"] += share
    return {code: Invoiced(len(entry["lines"]), len(entry["customers"]), entry["quantity"],
                           money(entry["revenue"]))
            for code, entry in found.items()}


def bill_by_package(bill_lines):
    """({package code: (quantity, amount)}, [bill lines of no package])."""
    billed, unknown = {}, []
    for line in bill_lines:
        if line.package is None:
            unknown.append(line)
            continue
        quantity, amount = billed.get(line.package, (0.0, 0.0))
        billed[line.package] = (quantity + line.quantity, money(amount + line.amount))
    return billed, unknown


def _status(has_bill, counted, billed):
    if not has_bill:
        return NO_BILL
    if billed is None:
        return NOT_BILLED if counted else MATCH  # nothing counted, nothing billed
    if not counted:
        return NOT_COUNTED
    return None  # decided by the differences


def package_row(code, counts, invoiced, billed, price, has_bill):
    """The month's row of one package (see compare)."""
    count = counts or {}
    quantity = float(count.get("quantity") or 0.0)
    sold = invoiced or Invoiced(0, 0, 0.0, 0.0)
    expected = money(quantity * (price or 0.0))
    bill_quantity, bill_amount = billed if billed is not None else (0.0, 0.0)
    cost = bill_amount if billed is not None else expected
    quantity_diff = bill_quantity - quantity if has_bill else 0.0
    amount_diff = money(bill_amount - expected) if has_bill else 0.0
    status = _status(has_bill, quantity, billed) or (
        DIFFERS if quantity_diff or amount_diff else MATCH)
    return MonthRow(code, None, quantity, int(count.get("subscriber_days") or 0),
                    int(count.get("subscribers") or 0), sold.lines, sold.customers,
                    sold.quantity, sold.revenue, price, expected, cost,
                    bill_quantity, bill_amount, quantity_diff, amount_diff,
                    money(sold.revenue - cost), status)


def unknown_row(line):
    """A bill line of no package: all of it a difference, and a cost."""
    return MonthRow(None, line.description, 0.0, 0, 0, 0, 0, 0.0, 0.0, None, 0.0,
                    money(line.amount), line.quantity, money(line.amount), line.quantity,
                    money(line.amount), money(-line.amount), UNKNOWN_LINE)


def compare(counts, invoiced, bill_lines, prices, has_bill=None):
    """The month's rows: one per package counted, invoiced or billed (sorted
    by code), then one per bill line of no package.

    - platform cost: the bill's amount for the package when a bill is
      registered and names it, else the counted quantity x the platform
      price;
    - differences (bill minus counted): quantity, and amount against the
      counted quantity x the price; zero when no bill is registered;
    - margin: revenue invoiced minus platform cost.
    `has_bill`: a bill is registered for the month (default: it has lines)."""
    billed, unknown = bill_by_package(bill_lines)
    has_bill = bool(bill_lines) if has_bill is None else has_bill
    codes = sorted(set(counts) | set(invoiced) | set(billed))
    rows = [package_row(code, counts.get(code), invoiced.get(code), billed.get(code),
                        prices.get(code), has_bill) for code in codes]
    return rows + [unknown_row(line) for line in unknown]


def differences(rows):
    """The rows where the bill and the count differ (what a controller
    disputes): quantity or amount differences, packages absent from the
    bill or never counted, bill lines of no package."""
    return [row for row in rows if row.status in (DIFFERS, NOT_BILLED, NOT_COUNTED,
                                                  UNKNOWN_LINE)]


# -- leaks: TV invoiced with no live TV user, live TV users not invoiced ----------

LeakRow = namedtuple("LeakRow", "kind contract_id tv_user_id product_id amount "
                     "account_number login billable_days platform_packages product_packages")
# the platform side's (core/platform_leaks.py) say the subscriber and its packages
LeakRow.__new__.__defaults__ = (None,) * 5
INVOICED_NOT_LIVE = "invoiced_not_live"  # revenue at risk of refund or dispute
LIVE_NOT_INVOICED = "live_not_invoiced"  # revenue lost: the product's price


def month_statuses(changes, first, last, current):
    """The contract statuses the month from `first` to `last` saw: the one
    it started with, then each change within it. `changes`: (day, old
    status, new status) in order (the status history, in the company's
    days); `current`: the contract's status now (its status all along when
    nothing changed)."""
    start, within = status_at_start(changes, first, last, current)
    return [status for status in [start] + [new for _day, new in within] if status]


def status_at_start(changes, first, last, current):
    """(status on the month's first day, [(day, new status)] within the
    month), `changes` and `current` as month_statuses takes them."""
    start, within = None, []
    for day, old_status, new_status in changes:
        if day < first:
            start = new_status
        elif day <= last:
            if start is None and not within:
                start = old_status
            within.append((day, new_status))
        elif start is None and not within:
            start = old_status  # the status it had until then
            break
    if start is None and not within:  # no change before nor in the month
        start = current
    return start, within


def live_in_month(statuses, gives_access):
    """True when the contract gave TV access on some day of the month:
    `gives_access(status)` says whether a status does (access_rules)."""
    return any(gives_access(status) for status in statuses)


def leaks(invoiced, live):
    """The month's leaks from `invoiced` ({contract: [(product, amount)]},
    the TV lines invoiced, refunds netted) and `live` ({contract:
    [(tv_user, product, price)]}, the TV users live in the month):

    - INVOICED_NOT_LIVE: a contract invoiced for TV (a positive net amount)
      with no live TV user, at the amount invoiced;
    - LIVE_NOT_INVOICED: a live TV user whose product the contract was not
      invoiced for, at the product's price."""
    rows = []
    for contract in sorted(invoiced):
        amount = money(sum(amount for _product, amount in invoiced[contract]))
        if amount > 0 and not live.get(contract):
            products = sorted({product for product, _amount in invoiced[contract]})
            rows.append(LeakRow(INVOICED_NOT_LIVE, contract, None,
                                products[0] if len(products) == 1 else None, amount))
    for contract in sorted(live):
        net = {}
        for product, amount in invoiced.get(contract, ()):
            net[product] = net.get(product, 0.0) + amount
        billed = {product for product, amount in net.items() if money(amount) > 0}
        for tv_user, product, price in sorted(live[contract]):
            if product not in billed:
                rows.append(LeakRow(LIVE_NOT_INVOICED, contract, tv_user, product,
                                    money(price or 0.0)))
    return rows
