# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The platform side's leaks of a month (no Odoo import): what Olé TV
bills that no contract pays for, from the platform's daily history
(services/platform_history.py), each with the money it costs:

- UNLINKED: a subscriber on the platform linked to no TV user;
- BLOCKED_LIVE: a TV user billable on the platform while its contract's
  status blocks TV (blocked, deactivated, suspended...);
- PACKAGES_DIFFER: a TV user whose packages on the platform are not the
  ones its product gives under the access its contract wants.

The money: billable days x the platform prices of the packages / the days
of the month (what Olé TV bills for them under the per-day rule)."""
from .bill_check import money, status_at_start

UNLINKED = "unlinked_subscriber"
BLOCKED_LIVE = "blocked_on_platform"
PACKAGES_DIFFER = "packages_differ"


def cost(days, codes, prices, month_days):
    """What `days` billable days of the packages `codes` cost: their
    platform prices ({code: price}; an unknown price counts 0) per day."""
    return money(days * sum(prices.get(code) or 0.0 for code in codes) / float(month_days))


def blocked_days(changes, first, last, current, gives_access):
    """How many days of the month, from `first` to `last`, the contract's
    status gave no TV access (`gives_access(status)`, access_rules)."""
    status, within = status_at_start(changes, first, last, current)
    days, cursor = 0, first
    for day, new_status in within:
        if not gives_access(status):
            days += (day - cursor).days
        cursor, status = day, new_status
    if not gives_access(status):
        days += (last - cursor).days + 1
    return days


def extra_and_missing(platform_codes, wanted_codes):
    """(packages on the platform the product does not give, packages the
    product gives that the platform lacks), each sorted."""
    platform, wanted = set(platform_codes), set(wanted_codes)
    return sorted(platform - wanted), sorted(wanted - platform)
