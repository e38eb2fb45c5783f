# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which days of its period a contract's invoice line charges: one rule for
the line the invoicing makes (services/contract_billing.py's ProRata) and
for the corrections of periods invoiced already (services/settlement.py).

A line's period has `total` days (its price is for them); the days it covers
are the period, or less: from a plan change on (the line of the new plan),
up to the contract's last day (a contract ended). Of those, it does not
charge:

- the days the contract is suspended on request (TV lines);
- the days it is Blocked, unless the delinquency policy charges them (TV
  lines; Anatel: nothing is charged for a service suspended for
  non-payment); an ongoing block counts up to yesterday;
- the days after a plan change away from its product (a TV line alone of
  its product on its invoice, with one unit), made after the line.

An add-on's line covers the add-on's days of its period only (from the day
it was added to the day before its removal: contract_billing.py's ProRata).

`contract` is the system's (as_system): the caller's rights were checked
before."""
from datetime import timedelta

from odoo import _, fields

from ..core import access_rules as rules
from ..core import customer_requests as requests_rules
from .company_day import as_date, company_day

PLAN_CHANGED, SUSPENDED, BLOCKED = "plan_changed", "suspended", "blocked"


def _days(first, last):
    return {first + timedelta(days=offset) for offset in range((last - first).days + 1)}


class LineDays:
    """A line's period and what it leaves out: `excluded` maps each reason
    to the days it takes (a day counts once, in the order of REASONS)."""

    def __init__(self, period, covered, excluded, addon=False):
        self.period, self.covered, self.excluded = period, covered, excluded
        self.addon = addon  # an add-on's line: it covers the add-on's days

    @property
    def total(self):
        return requests_rules.days_of(*self.period)

    @property
    def charged(self):
        return len(_days(*self.covered)) - sum(map(len, self.excluded.values()))

    def notes(self):
        """The line's text for each reason (the invoice says why)."""
        notes = []
        if self.addon and self.covered != self.period:
            notes.append(_("Add-on from %(first)s to %(last)s: %(days)d of %(total)d days.") % {
                "first": fields.Date.to_string(self.covered[0]),
                "last": fields.Date.to_string(self.covered[1]), "total": self.total,
                "days": requests_rules.days_of(*self.covered)})
        elif self.covered[1] < self.period[1]:
            notes.append(_("Contract ended on %(date)s: %(days)d of %(total)d days not "
                           "charged.") % {"date": fields.Date.to_string(self.covered[1]),
                                          "total": self.total,
                                          "days": (self.period[1] - self.covered[1]).days})
        texts = {
            PLAN_CHANGED: _("Plan changed: %(days)d of %(total)d days not charged."),
            SUSPENDED: _("Suspended on request: %(days)d of %(total)d days not charged."),
            BLOCKED: _("Blocked: %(days)d of %(total)d days not charged."),
        }
        return notes + [texts[reason] % {"days": len(days), "total": self.total}
                        for reason, days in self.excluded.items() if days]


class InvoicedDays:
    """The days a contract's lines charge, from its suspensions on request,
    blocks and plan changes as they stand now."""

    def __init__(self, contract, today):
        self.contract = contract
        self.today = today
        self._suspensions = None
        self._blocks = None

    def line_days(self, period, product, covered=None, created=None, sole_unit=False,
                  addon=False):
        """LineDays of a line of `product` for `period` ((first, last day)),
        covering `covered` (default: the period); `created`: when the line
        was made (plan changes after it count), `sole_unit`: it is the only
        line of its product on its invoice, with one unit; `addon`: an
        add-on's line (covering the add-on's days)."""
        covered = covered or self.covered(period)
        left = _days(*covered)
        excluded = {}
        for reason, days in self._excluded(period, product, created, sole_unit):
            excluded[reason] = days & left
            left -= days
        return LineDays(period, covered, excluded, addon)

    def covered(self, period):
        """The days of a period a new line covers: up to the contract's end."""
        end = as_date(self.contract.date_end) if self.contract.date_end else None
        return period[0], min(period[1], end) if end else period[1]

    def _excluded(self, period, product, created, sole_unit):
        if not product.is_tv_product:
            return
        if sole_unit and created:
            yield PLAN_CHANGED, self._changed_away(period, product, created)
        yield SUSPENDED, self._within(period, self.suspensions())
        yield BLOCKED, self._within(period, self.blocks())

    @staticmethod
    def _within(period, intervals):
        days = set()
        for first, last in intervals:
            first, last = max(first, period[0]), min(last, period[1])
            if first <= last:
                days |= _days(first, last)
        return days

    def _changed_away(self, period, product, created):
        days = set()
        for change in self.contract.tv_plan_change_ids:
            date = as_date(change.date)
            if (change.state == "done" and change.old_product_id == product
                    and period[0] <= date <= period[1] and change.create_date >= created):
                days |= _days(date, period[1])
        return days

    def suspensions(self):
        if self._suspensions is None:
            self._suspensions = [period for period in (
                suspension._tv_period() for suspension in self.contract.tv_suspension_ids)
                if period]
        return self._suspensions

    def blocks(self):
        """The contract's Blocked days ((first, last) per block), from its
        status history in the company's time zone; none when the policy
        charges them."""
        if self._blocks is None:
            policy = self.contract._tv_delinquency_policy()
            self._blocks = [] if policy.charge_blocked_days else self._blocked_intervals()
        return self._blocks

    def _blocked_intervals(self):
        company = self.contract.company_id
        system_user = self.contract.env.ref("base.user_root")
        intervals, since = [], None
        changes = self.contract.tv_status_change_ids
        for change in changes.sorted(lambda change: (change.date, change.id)):
            day = company_day(company, system_user, change.date)
            if change.new_status == rules.BLOCKED and since is None:
                since = day
            elif change.new_status != rules.BLOCKED and since is not None:
                intervals.append((since, day - timedelta(days=1)))
                since = None
        if since is not None:
            intervals.append((since, self.today - timedelta(days=1)))
        return intervals
