"""What the platform bills the ISP for a month (GET /v1/billing/statement).

Mirrors oletv_integration/core/platform_billing.py (the sandbox never
imports the addon); tests/test_platform_billing.py keeps the two equal.
Billable: `active` only (not `awaiting_activation`: no first access yet;
not `blocked`: the ISP blocks to stop paying for the access)."""
import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

BILLABLE_STATUSES = ("active",)
RULE_PER_DAY = "per_day"
RULE_ANY_DAY = "any_day"
RULES = (RULE_PER_DAY, RULE_ANY_DAY)


def quantity(rule, subscriber_days, subscribers, days_in_month):
    """Per day: subscriber-days / days of the month, half up to 2 decimals;
    any day: the subscribers."""
    if rule == RULE_ANY_DAY:
        return float(subscribers)
    if rule != RULE_PER_DAY:
        raise ValueError("unknown billing rule %r" % (rule,))
    value = Decimal(subscriber_days) / Decimal(days_in_month)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def package_codes(main_package, additional_packages):
    """The distinct codes, sorted (a repeated extra point counts once)."""
    return sorted({code for code in [main_package] + list(additional_packages or ()) if code})


def month_days(first):
    """The days of the month starting on `first` (a date)."""
    count = calendar.monthrange(first.year, first.month)[1]
    return [first + timedelta(days=offset) for offset in range(count)]


def statement(changes, first, rule):
    """The month's statement from the per-day record: `changes` maps an
    account number to its [(day ISO text, status, codes)] in day order,
    each the state at the end of that day, kept until the next change."""
    days = month_days(first)
    per_package = {}  # code -> [subscriber-days, accounts]
    for account, rows in changes.items():
        index, state = 0, None
        for day in days:
            text = day.isoformat()
            while index < len(rows) and rows[index][0] <= text:
                state = rows[index]
                index += 1
            if state is None or state[1] not in BILLABLE_STATUSES:
                continue
            for code in state[2]:
                figures = per_package.setdefault(code, [0, set()])
                figures[0] += 1
                figures[1].add(account)
    return {"month": first.strftime("%Y-%m"), "rule": rule, "days": len(days),
            "billable_statuses": list(BILLABLE_STATUSES),
            "packages": [{"code": code, "subscriber_days": figures[0],
                          "subscribers": len(figures[1]),
                          "quantity": quantity(rule, figures[0], len(figures[1]), len(days))}
                         for code, figures in sorted(per_package.items())]}


def parse_month(text):
    """'YYYY-MM' -> the month's first day, or None."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if len(text) != 7:
            return None
        return date(year, month, 1)
    except ValueError:
        return None
