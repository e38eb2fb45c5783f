# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The platform's daily history, compact: a subscriber's status and
packages on the platform from `date_from` to `date_to` (empty while they
still hold; the integration's last day observed ends it for the counts).

Written only by the daily observation (services/platform_history.py, in
SQL into this table); no role creates, changes or deletes a span
(owned_fields.py, ir.model.access.csv). What the platform will bill a
month is read from them (PlatformHistory.month_counts)."""
from odoo import fields, models

from ..core import access_rules as rules

PLATFORM_STATUS_SELECTION = [
    (rules.PLATFORM_AWAITING_ACTIVATION, "Awaiting activation"),
    (rules.PLATFORM_ACTIVE, "Active"),
    (rules.PLATFORM_BLOCKED, "Blocked"),
]


class TvSubscriberSpan(models.Model):
    _name = "tv.subscriber.span"
    _description = "Platform History Span"
    _inherit = ["tv.field.guard"]
    _order = "date_from desc, account_number"
    # about a million rows a year at 100,000 subscribers: no per-row log columns
    _log_access = False

    # indexed by init()'s month index (integration first)
    integration_id = fields.Many2one("tv.integration", required=True, ondelete="cascade",
                                     readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    account_number = fields.Char(required=True, readonly=True)
    tv_user_id = fields.Many2one(
        "tv.user", string="TV user", readonly=True, ondelete="set null",
        help="Empty: the subscriber is linked to no TV user in Odoo.")
    login = fields.Char(readonly=True)
    status = fields.Selection(PLATFORM_STATUS_SELECTION, required=True, readonly=True)
    package_codes = fields.Char(string="Packages", readonly=True,
                                help="The platform's package codes, sorted, separated by commas.")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", readonly=True,
                          help="The last day in this state; empty while it still holds.")

    def init(self):
        # one open span per subscriber, found by the daily observation
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tv_subscriber_span_open_uniq "
            "ON tv_subscriber_span (integration_id, account_number) WHERE date_to IS NULL")
        # a month's spans: those ending in it or later, or still open
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS tv_subscriber_span_month_idx "
            "ON tv_subscriber_span (integration_id, date_to)")
