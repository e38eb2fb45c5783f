# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dates as the addon reads them. The company's day: in its time zone (its partner's), else in the
system's (the superuser's preferences), else UTC; never the request's
context nor the caller's own preferences, which an RPC caller sets (a `tz`
moving today by a day)."""
from datetime import datetime, time

import pytz

from odoo import fields


def company_zone(company, system_user):
    tz_name = company.partner_id.tz or system_user.tz or "UTC"
    try:
        return pytz.timezone(tz_name)
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def company_today(company, system_user):
    return datetime.now(company_zone(company, system_user)).date()


def company_day(company, system_user, moment):
    """The company's day of `moment` (a UTC datetime or its string)."""
    if isinstance(moment, str):
        moment = fields.Datetime.from_string(moment)
    return pytz.utc.localize(moment).astimezone(company_zone(company, system_user)).date()


def company_day_start(company, system_user, day):
    """The moment the company's `day` begins, as a UTC datetime string (to
    compare with create_date and write_date)."""
    start = company_zone(company, system_user).localize(datetime.combine(day, time()))
    return fields.Datetime.to_string(start.astimezone(pytz.utc))


def as_date(value):
    """A date field's value as a date (Odoo 11 reads dates as strings)."""
    return fields.Date.from_string(value) if isinstance(value, str) else value
