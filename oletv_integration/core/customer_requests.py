# -*- coding: utf-8 -*-
"""The customer's own requests, free of Odoo imports: the rules of a
suspension on request (dates, length, overlap, how many and how many days
per 12 months, the Anatel preset),
the share of an invoicing period a suspension covers, and the day a plan
change "from the next invoicing period" takes effect.

The Odoo layer (models/tv_request_suspension.py, models/tv_plan_change.py)
turns the codes returned here into translated messages."""
from collections import namedtuple
from datetime import timedelta

from .access_rules import ACTIVE

# 12 months, as days: the window of the per-12-months limits.
YEAR_DAYS = 365

# What a policy allows: each suspension of min_days or more; at most
# max_days in any 12 months (0: none at all) and max_count suspensions
# starting within 12 months of each other (0: no count); up_to_date: only a
# customer with no overdue invoice may ask.
SuspensionRule = namedtuple("SuspensionRule", "min_days max_days max_count up_to_date")

# Anatel's rule (pay-TV: Resolução 488/2007 art. 12; broadband: Resolução
# 614/2013 art. 67; no change reported under the RGC of Resolução 765/2023):
# a customer up to date may ask once in 12 months for a suspension of 30 to
# 120 days, at no charge.
ANATEL_SUSPENSION = SuspensionRule(min_days=30, max_days=120, max_count=1, up_to_date=True)
# The addon's rule before the preset (11.0.1.7.0 and older): any length, up
# to 120 days in any 12 months; upgraded policies keep it.
FORMER_SUSPENSION = SuspensionRule(min_days=1, max_days=120, max_count=0, up_to_date=False)

# Refusal codes of check_suspension, first one found wins.
DISABLED = "disabled"            # the policy allows no suspension on request
END_BEFORE_START = "end_before_start"
IN_THE_PAST = "in_the_past"
NOT_UP_TO_DATE = "not_up_to_date"
TOO_SHORT = "too_short"
OVERLAP = "overlap"
TOO_MANY = "too_many"
OVER_LIMIT = "over_limit"


def days_of(date_from, date_to):
    """Days from date_from to date_to, both included (0 if reversed)."""
    return max(0, (date_to - date_from).days + 1)


def overlap_days(first, second):
    """Days two (date_from, date_to) periods share, both ends included."""
    return days_of(max(first[0], second[0]), min(first[1], second[1]))


def max_days_in_a_year(periods, around):
    """The most days of `periods` ((from, to) pairs) falling in one window of
    YEAR_DAYS days that meets the period `around`. The total is piecewise
    linear in the window's end, so its maximum is at a window ending on a
    period's last day or starting on a period's first day."""
    span = timedelta(days=YEAR_DAYS - 1)
    ends = {end for _start, end in periods} | {start + span for start, _end in periods}
    best = 0
    for end in ends:
        window = (end - span, end)
        if not overlap_days(window, around):
            continue
        best = max(best, sum(overlap_days(window, period) for period in periods))
    return best


def check_suspension(date_from, date_to, today, rule, others, overdue=False):
    """Why a suspension from date_from to date_to (both included) requested
    on `today` is refused under `rule` (a SuspensionRule), as (code,
    details), or (None, {}) if allowed. `others`: the contract's other
    suspensions that count ((from, last day) pairs: scheduled, running or
    already taken); `overdue`: the customer has an overdue invoice."""
    if not rule.max_days:
        return DISABLED, {}
    if date_to < date_from:
        return END_BEFORE_START, {}
    if date_from < today:
        return IN_THE_PAST, {}
    if rule.up_to_date and overdue:
        return NOT_UP_TO_DATE, {}
    days = days_of(date_from, date_to)
    if days < rule.min_days:
        return TOO_SHORT, {"min_days": rule.min_days, "days": days}
    period = (date_from, date_to)
    clash = [other for other in others if overlap_days(other, period)]
    if clash:
        return OVERLAP, {"date_from": clash[0][0], "date_to": clash[0][1]}
    near = sorted(other for other in others if abs((other[0] - date_from).days) < YEAR_DAYS)
    if rule.max_count and len(near) >= rule.max_count:
        return TOO_MANY, {"max_count": rule.max_count, "date_from": near[-1][0],
                          "date_to": near[-1][1]}
    used = max_days_in_a_year(list(others) + [period], period)
    if used > rule.max_days:
        taken = used - days
        return OVER_LIMIT, {"max_days": rule.max_days, "taken": taken,
                            "left": max(0, rule.max_days - taken), "days": days}
    return None, {}


def suspended_share(period, suspensions):
    """(suspended days, days of the period): how much of an invoicing
    period (date_from, date_to) the suspensions cover."""
    return days_within(period, suspensions), days_of(*period)


def days_within(period, gaps):
    """Days of `period` that fall in at least one of `gaps` ((first, last)
    pairs, overlapping or not)."""
    clipped = sorted((max(first, period[0]), min(last, period[1])) for first, last in gaps)
    total, reached = 0, None
    for first, last in clipped:
        if reached is not None and first <= reached:
            first = reached + timedelta(days=1)
        if first <= last:
            total += days_of(first, last)
            reached = last
    return total


def share_discount(discount, charged, total):
    """The discount (percent) that makes a line with `discount` charge
    `charged` of its `total` days: on top of the discount it has. A credit
    note's line crediting `charged` of the days its invoice's line charged
    takes the same discount."""
    if not total or charged >= total:
        return discount
    return round(100.0 * (1 - (1 - discount / 100.0) * max(0, charged) / float(total)), 4)


def discount_with_suspension(discount, suspended, total):
    """The line's discount (percent) once `suspended` of `total` days are
    not charged, on top of the discount it already has."""
    if not total or not suspended:
        return discount
    return share_discount(discount, total - suspended, total)


def plan_change_date(next_invoice_date, invoicing_type):
    """The first day of the next invoicing period: a pre-paid contract's next
    invoice covers the period starting on its date; a post-paid one's covers
    the period ending on it, so the next period starts the day after."""
    if invoicing_type == "post-paid":
        return next_invoice_date + timedelta(days=1)
    return next_invoice_date


def suspension_days_left(max_days, periods, first_day):
    """(days taken, days left) of the allowance of `max_days` per 12 months
    for a suspension starting on `first_day`: `periods` are the contract's
    suspensions that count ((first, last day) pairs). The operator's wizard
    and the customer portal show the same figures."""
    taken = max_days_in_a_year(periods, (first_day, first_day)) if periods else 0
    return taken, max(0, max_days - taken)


# The customer's own requests on the portal (controllers/portal.py): the
# kinds, and how many a customer may make in an hour unless the system
# parameter oletv_integration.portal_requests_per_hour says otherwise.
PORTAL_SUSPENSION = "suspension"
PORTAL_SUSPENSION_END = "suspension_end"
PORTAL_RESEND = "resend"
PORTAL_TRUST_RELEASE = "trust_release"
PORTAL_ADDON_ADD = "addon_add"
PORTAL_ADDON_REMOVE = "addon_remove"
PORTAL_KINDS = (PORTAL_SUSPENSION, PORTAL_SUSPENSION_END, PORTAL_RESEND, PORTAL_TRUST_RELEASE,
                PORTAL_ADDON_ADD, PORTAL_ADDON_REMOVE)
PORTAL_REQUESTS_PER_HOUR = 10
# A form's one-time token (idempotency): 32 hexadecimal characters.
PORTAL_TOKEN_LENGTH = 32

# Refusal codes of check_portal_trust_release.
TRUST_NOT_OFFERED = "trust_not_offered"      # the policy keeps trust releases to operators
TRUST_NOT_DELINQUENT = "trust_not_delinquent"  # nothing to release
TRUST_ALREADY_USED = "trust_already_used"    # once for the same overdue invoices


def portal_token_valid(token):
    """A one-time form token as the portal makes them (uuid4 hex)."""
    return (isinstance(token, str) and len(token) == PORTAL_TOKEN_LENGTH
            and all(char in "0123456789abcdef" for char in token))


def over_rate_limit(recent_requests, per_hour):
    """True when a customer with `recent_requests` in the last hour may not
    make another one (`per_hour` <= 0: no request at all)."""
    return recent_requests >= max(0, per_hour)


def portal_may_add_addons(contract_status):
    """Whether a customer may add an add-on on the portal: only with the
    contract up to date, not under a late notice, reduced, blocked or
    suspended (the ISP's operator may still add one; removing is always
    allowed)."""
    return contract_status == ACTIVE


def check_portal_trust_release(offered, releasable, oldest_due, release_dates):
    """Why the customer may not release their own contract in trust on the
    portal (a refusal code), or None. `offered`: the policy lets customers
    do it; `releasable`: the contract is under a late notice, reduced or
    blocked by the policy; `oldest_due`: the due date of its oldest overdue
    invoice (None: none); `release_dates`: the days of its trust releases,
    by anyone. Once: a trust release on or after the oldest overdue
    invoice's due date already covered this debt."""
    if not offered:
        return TRUST_NOT_OFFERED
    if not releasable or oldest_due is None:
        return TRUST_NOT_DELINQUENT
    if any(day >= oldest_due for day in release_dates):
        return TRUST_ALREADY_USED
    return None
