# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the platform bills the ISP for a month: which subscribers count,
and the quantity of a package under each billing rule. No Odoo import.

The one definition the addon uses (services/platform_history.py); the
sandbox (oletv_sandbox/billing.py) cannot import the addon and mirrors it,
and tests/test_platform_billing.py keeps the two equal.

Billable: a subscriber the customer can watch, `active`. Not billable:
`awaiting_activation` (no first access yet: the service starts at the
first access) and `blocked` (the ISP blocks a delinquent customer precisely
to stop paying for the access). An ISP whose contract with the platform
bills blocked subscribers too changes BILLABLE_STATUSES here (and the
sandbox's mirror)."""
from decimal import ROUND_HALF_UP, Decimal

BILLABLE_STATUSES = ("active",)

# the ISP's contract with the platform: a package's quantity in a month is
RULE_PER_DAY = "per_day"  # its subscriber-days / the days of the month
RULE_ANY_DAY = "any_day"  # the subscribers who had it on any day of the month
RULES = (RULE_PER_DAY, RULE_ANY_DAY)


def quantity(rule, subscriber_days, subscribers, days_in_month):
    """A package's billed quantity for the month under `rule`: per day,
    subscriber-days / days of the month rounded half up to 2 decimals (as
    an invoice line's quantity); any day, the subscribers."""
    if rule == RULE_ANY_DAY:
        return float(subscribers)
    if rule != RULE_PER_DAY:
        raise ValueError("unknown billing rule %r" % (rule,))
    value = Decimal(subscriber_days) / Decimal(days_in_month)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def package_codes(main_package, additional_packages):
    """A subscriber's packages as the history keeps them: the distinct
    codes, sorted (an additional package repeated, such as two extra
    points, counts once)."""
    return sorted({code for code in [main_package] + list(additional_packages or ()) if code})
