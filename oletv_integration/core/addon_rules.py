# -*- coding: utf-8 -*-
"""Add-on packages sold per TV user, free of Odoo imports.

A TV product is a plan (a main package and its additional packages: a TV
user's product) or an add-on (one additional package or a few, sold on the
contract as a line of its own for one TV user of that contract, at its own
price). These rules say which add-ons a plan accepts, what a plan change
keeps, the days an add-on's line charges in an invoicing period, and what
its first charge (or its credit) comes to; the Odoo layer
(services/tv_addons.py) applies them.
"""
from datetime import timedelta

from .customer_requests import days_of

PLAN = "plan"
ADDON = "addon"
KIND_SELECTION = [(PLAN, "Plan"), (ADDON, "Add-on")]

ADD = "add"
REMOVE = "remove"


def accepts(accepted, addon):
    """True if a plan listing `accepted` add-ons (ids) takes `addon`: a plan
    that lists none takes any add-on of its integration (a catalogue starts
    without the list; the list narrows it)."""
    return not accepted or addon in accepted


def kept_and_dropped(addons, accepted):
    """(kept, dropped): which of a TV user's `addons` a new plan listing
    `accepted` keeps, in their order."""
    kept = [addon for addon in addons if accepts(accepted, addon)]
    return kept, [addon for addon in addons if addon not in kept]


def removal_last_day(today):
    """An add-on removed today is not charged today (the packages go now):
    its last day charged is the day before."""
    return today - timedelta(days=1)


def window(period, first, last=None):
    """The days (first, last) of an invoicing `period` an add-on's line
    covers, from its first day to its last (None: not removed), or None
    when it covers none."""
    start, end = max(period[0], first), min(period[1], last) if last else period[1]
    return (start, end) if start <= end else None


def share(price, days, total):
    """What `days` of a `total`-day period come to at a period's `price`
    (cents rounded half up, as the invoice shows them)."""
    if not total or days <= 0:
        return 0.0
    return round(price * days / float(total) + 1e-9, 2)


def first_charge(price, period, first):
    """(days, total, amount) an add-on added on `first` charges for the
    invoicing `period` it falls in: pro rata of the period's price."""
    total = days_of(*period)
    covered = window(period, first)
    days = days_of(*covered) if covered else 0
    return days, total, share(price, days, total)


def removal_credit(price, period, last):
    """(days, total, amount) an add-on removed after `last` no longer
    charges in an invoicing `period` invoiced already (credited)."""
    total = days_of(*period)
    days = days_of(max(period[0], last + timedelta(days=1)), period[1])
    return days, total, share(price, days, total)
