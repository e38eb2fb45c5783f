# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's delinquency policy: how many days an invoice may stay
unpaid past its due date before the contract gets a late notice, and before
it is blocked; how long a trust release lasts. The daily scheduled action
(data/delinquency_cron.xml) applies it; a company without a policy is left
alone."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import access_rules as rules


def delinquency_target(days_overdue, late_notice_days, block_days):
    """The status the policy asks for, given how many days the contract's
    oldest open invoice is past its due date (0: nothing overdue)."""
    if days_overdue > block_days:
        return rules.BLOCKED
    if days_overdue > late_notice_days:
        return rules.LATE_NOTICE
    return rules.ACTIVE


class TvDelinquencyPolicy(models.Model):
    _name = "tv.delinquency.policy"
    _description = "Delinquency Policy"
    _order = "company_id"

    name = fields.Char(required=True, default=lambda self: _("Delinquency policy"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)
    late_notice_days = fields.Integer(
        string="Late notice after (days)", required=True, default=5,
        help="Days an invoice may stay unpaid past its due date before the contract "
             "gets a late notice (the TV access is blocked under a late notice).")
    block_days = fields.Integer(
        string="Block after (days)", required=True, default=15,
        help="Days an invoice may stay unpaid past its due date before the contract "
             "is blocked automatically. Equal to the late notice days: block at once.")
    trust_release_days = fields.Integer(
        string="Trust release (days)", required=True, default=3,
        help="How long a trust release lasts by default. When it ends and the "
             "invoices are still overdue, the contract is blocked again.")
    trust_release_max_days = fields.Integer(
        string="Trust release limit (days)", required=True, default=7,
        help="The longest trust release an operator may grant.")

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has a single delinquency policy."),
    ]

    @api.constrains("late_notice_days", "block_days", "trust_release_days",
                    "trust_release_max_days")
    def _check_days(self):
        for policy in self:
            if policy.late_notice_days < 0:
                raise ValidationError(_("The late notice days cannot be negative."))
            if policy.block_days < policy.late_notice_days:
                raise ValidationError(_("The contract cannot be blocked before its late notice: "
                                        "the block days must be at least the late notice days."))
            if not 1 <= policy.trust_release_days <= policy.trust_release_max_days:
                raise ValidationError(_("The trust release must last at least one day and no "
                                        "more than its limit."))

    @api.model
    def _for_company(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _target_status(self, days_overdue):
        """The status this policy asks for (no policy: any overdue invoice
        counts, but nothing is ever escalated without one)."""
        if not self:
            return rules.ACTIVE if days_overdue <= 0 else rules.LATE_NOTICE
        self.ensure_one()
        return delinquency_target(days_overdue, self.late_notice_days, self.block_days)
