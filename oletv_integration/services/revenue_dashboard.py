# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where people look at an integration's revenue assurance: the counts on
its form, the TV dashboard's tile of the last month computed (the margin,
the vendor bill's difference, the leaks not remedied and their money),
the lists they open, and the month a "Compute month" means.

Read as the caller, never as the system: a user who may not read the
months (a TV operator, a salesperson) gets zeros and an empty month, and
record rules keep each company's months to its own users."""
from datetime import timedelta

from odoo import _, fields

from .company_day import as_date, company_today
from .rpc_arguments import RpcArguments

LINE = "tv.revenue.line"
LEAK = "tv.revenue.leak"
# the tile's figures (tv.integration's fields of the same name)
TILE_FIELDS = ("revenue_month", "revenue_margin", "revenue_bill_diff",
               "revenue_open_leaks", "revenue_open_leak_amount")
# a list opened from the tile: the tile's month only (context key)
TILE_CONTEXT = "tv_revenue_tile"


class RevenueDashboard:
    """The revenue side of `integrations`, as their env's user."""

    def __init__(self, integrations):
        self.integrations = integrations
        self.env = integrations.env

    def readable(self, model):
        return self.env[model].check_access_rights("read", raise_exception=False)

    def counts(self):
        """{integration id: (revenue rows, leaks)} of every month."""
        found = {integration.id: [0, 0] for integration in self.integrations}
        ids = [integration_id for integration_id in found if integration_id]
        for index, model in enumerate((LINE, LEAK)):
            if not ids or not self.readable(model):
                continue
            for group in self.env[model].read_group(
                    [("integration_id", "in", ids)], ["integration_id"], ["integration_id"]):
                found[group["integration_id"][0]][index] = group["integration_id_count"]
        return found

    def last_months(self):
        """{integration id: the first day of its last month computed (a date)}:
        a search per integration (a company has a handful)."""
        if not self.readable(LINE):
            return {}
        months = {}
        for integration in self.integrations.filtered("id"):
            last = self.env[LINE].search([("integration_id", "=", integration.id)],
                                         order="month desc", limit=1)
            if last:
                months[integration.id] = as_date(last.month)
        return months

    def tile(self):
        """{integration id: {field: value}} for TILE_FIELDS."""
        months = self.last_months()
        tiles = {}
        for integration in self.integrations:
            month = months.get(integration.id)
            tiles[integration.id] = dict(self._tile_of(integration, month),
                                         revenue_month=month and fields.Date.to_string(month))
        return tiles

    def _tile_of(self, integration, month):
        figures = {"revenue_margin": 0.0, "revenue_bill_diff": 0.0, "revenue_open_leaks": 0,
                   "revenue_open_leak_amount": 0.0}
        if not month:
            return figures
        mine = [("integration_id", "=", integration.id),
                ("month", "=", fields.Date.to_string(month))]
        lines = self.env[LINE].read_group(mine, ["margin", "amount_diff"], [], lazy=False)
        if lines:
            figures.update(revenue_margin=lines[0]["margin"] or 0.0,
                           revenue_bill_diff=lines[0]["amount_diff"] or 0.0)
        if self.readable(LEAK):
            leaks = self.env[LEAK].read_group(mine + [("remedy", "=", False)], ["amount"], [],
                                              lazy=False)
            if leaks:
                figures.update(revenue_open_leaks=leaks[0]["__count"],
                               revenue_open_leak_amount=leaks[0]["amount"] or 0.0)
        return figures

    def list_domain(self, integration, model):
        """The domain of the list a button opens: the integration's months,
        or from the tile (its context) the tile's month (its leaks not
        remedied)."""
        domain = [("integration_id", "=", integration.id)]
        if not self.env.context.get(TILE_CONTEXT):
            return domain
        month = self.last_months().get(integration.id)
        if month:
            domain.append(("month", "=", fields.Date.to_string(month)))
        if model == LEAK:
            domain.append(("remedy", "=", False))
        return domain


def requested_month(integration, month):
    """The day a "Compute month" means: `month` ('YYYY-MM-DD', any day of
    the month) or, when none is given, a day of the company's previous
    month."""
    context = integration.env.context  # noqa: F841 (_() reads the language there)
    if month is None or month is False:
        today = company_today(integration.company_id, integration.env.ref("base.user_root"))
        return today.replace(day=1) - timedelta(days=1)
    return RpcArguments(integration.env).date(month, _("Month"))
