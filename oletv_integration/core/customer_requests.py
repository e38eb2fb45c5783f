# -*- coding: utf-8 -*-
"""The customer's own requests, free of Odoo imports: the rules of a
suspension on request (dates, overlap, the days allowed per 12 months),
the share of an invoicing period a suspension covers, and the day a plan
change "from the next invoicing period" takes effect.

The Odoo layer (models/tv_request_suspension.py, models/tv_plan_change.py)
turns the codes returned here into translated messages."""
from datetime import timedelta

# 12 months, as days: the window of the per-12-months limit.
YEAR_DAYS = 365

# Refusal codes of check_suspension, first one found wins.
DISABLED = "disabled"            # the policy allows no suspension on request
END_BEFORE_START = "end_before_start"
IN_THE_PAST = "in_the_past"
OVERLAP = "overlap"
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


def check_suspension(date_from, date_to, today, max_days, others):
    """Why a suspension from date_from to date_to (both included) requested
    on `today` is refused, as (code, details), or (None, {}) if allowed.
    `others`: the contract's other suspensions that count ((from, last day)
    pairs: scheduled, running or already taken)."""
    if not max_days:
        return DISABLED, {}
    if date_to < date_from:
        return END_BEFORE_START, {}
    if date_from < today:
        return IN_THE_PAST, {}
    period = (date_from, date_to)
    clash = [other for other in others if overlap_days(other, period)]
    if clash:
        return OVERLAP, {"date_from": clash[0][0], "date_to": clash[0][1]}
    used = max_days_in_a_year(list(others) + [period], period)
    if used > max_days:
        taken = used - days_of(date_from, date_to)
        return OVER_LIMIT, {"max_days": max_days, "taken": taken,
                            "left": max(0, max_days - taken),
                            "days": days_of(date_from, date_to)}
    return None, {}


def suspended_share(period, suspensions):
    """(suspended days, days of the period): how much of an invoicing
    period (date_from, date_to) the suspensions cover."""
    total = days_of(*period)
    suspended = sum(overlap_days(period, suspension) for suspension in suspensions)
    return min(suspended, total), total


def discount_with_suspension(discount, suspended, total):
    """The line's discount (percent) once `suspended` of `total` days are
    not charged, on top of the discount it already has."""
    if not total or not suspended:
        return discount
    charged = (1 - discount / 100.0) * (1 - float(suspended) / total)
    return round(100.0 * (1 - charged), 4)


def plan_change_date(next_invoice_date, invoicing_type):
    """The first day of the next invoicing period: a pre-paid contract's next
    invoice covers the period starting on its date; a post-paid one's covers
    the period ending on it, so the next period starts the day after."""
    if invoicing_type == "post-paid":
        return next_invoice_date + timedelta(days=1)
    return next_invoice_date
