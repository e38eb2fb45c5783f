# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's delinquency policy: the suspension ladder (how many days
an invoice may stay unpaid past its due date before the contract gets a late
notice, reduced access, a total block, a termination proposal), which
notices the customers get, how long a trust release and a suspension on the
customer's request may last. The daily scheduled action
(data/delinquency_cron.xml) applies it; a company without a policy is left
alone."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..core import access_rules as rules
from ..core.customer_requests import ANATEL_SUSPENSION, SuspensionRule
from ..core.delinquency_rules import (
    ANATEL_LADDER, Ladder, check_anatel_ladder, check_ladder, delinquency_target,
    proposes_termination)
from ..services.tv_roles import is_system

# what is charged while the TV is blocked, and whether the system validates
# its corrections: the billing users' decisions
BILLING_SWITCHES = ("charge_blocked_days", "settlement_validate")
# what the policy decides for the customers: each change is tracked in its
# chatter (who, when, from what to what)
AUDITED_FIELDS = (
    "name", "active", "company_id", "ladder_preset", "late_notice_days", "late_notice_blocks_tv",
    "reduce_days", "block_days", "termination_days", "suspension_preset",
    "suspension_min_days", "suspension_max_days", "suspension_max_count",
    "suspension_up_to_date", "trust_release_days", "trust_release_max_days",
    "portal_trust_release",
    "notify_welcome", "notify_late_notice", "notify_reduced", "notify_blocked",
    "notify_released") + BILLING_SWITCHES


class TvDelinquencyPolicy(models.Model):
    _name = "tv.delinquency.policy"
    _description = "Delinquency Policy"
    _inherit = ["mail.thread", "tv.field.guard"]
    _order = "company_id"

    name = fields.Char(required=True, default=lambda self: _("Delinquency policy"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)
    # The ladder, in days an invoice is past its due date: Anatel's rule
    # unless the ISP chooses its own (core/delinquency_rules.py).
    ladder_preset = fields.Selection(
        [("anatel", "Anatel (RGC): notice, block 15 days later, termination 60 days after"),
         ("custom", "Custom")],
        string="Suspension ladder rule", required=True, default="anatel",
        help="Anatel: the rule of Anatel's RGC (Resolução 765/2023, arts. 70 to 78): the "
             "late notice is a notice only, the TV is blocked (no reduced step) at least 15 "
             "days after the notice, and the termination is proposed at least 60 days after "
             "the block; later days are allowed. Custom: any ladder, such as the former "
             "RGC's (Resolução 632/2014: reduced 15 days after the notice, blocked 30 days "
             "later, termination 30 days after that).")
    late_notice_days = fields.Integer(
        string="Late notice after (days)", required=True,
        default=ANATEL_LADDER.late_notice_days,
        help="Days an invoice may stay unpaid past its due date before the contract "
             "gets a late notice.")
    late_notice_blocks_tv = fields.Boolean(
        string="Late notice blocks the TV", default=ANATEL_LADDER.late_notice_blocks_tv,
        help="Checked: the TV access is blocked under a late notice (the custom rule "
             "only). Unchecked: the late notice is a notice only and the TV stays "
             "untouched.")
    reduce_days = fields.Integer(
        string="Reduce access after (days)", required=True, default=ANATEL_LADDER.reduce_days,
        help="Days overdue before the TV access is reduced: only the main package "
             "stays on the platform, the additional packages are removed (restored in "
             "full on release). 0: no reduced step.")
    block_days = fields.Integer(
        string="Block after (days)", required=True, default=ANATEL_LADDER.block_days,
        help="Days an invoice may stay unpaid past its due date before the contract "
             "is blocked automatically. Equal to the late notice days: block at once.")
    termination_days = fields.Integer(
        string="Propose termination after (days)", required=True,
        default=ANATEL_LADDER.termination_days,
        help="Days overdue before the contract's responsible gets an activity "
             "proposing its termination (confirming it deactivates the contract and "
             "removes its TV users from the platform). 0: never proposed.")
    # Customer notices (mail templates, in the customer's language).
    notify_welcome = fields.Boolean(
        string="Welcome", default=True,
        help="When a TV user is created on the platform: its login and how to make "
             "the first access.")
    notify_late_notice = fields.Boolean(
        string="Late notice", default=True,
        help="The overdue invoices, their amounts and the date the TV will be reduced "
             "or blocked.")
    notify_reduced = fields.Boolean(string="Reduced access", default=True)
    notify_blocked = fields.Boolean(string="Blocked", default=True,
                                    help="When the TV access is blocked.")
    notify_released = fields.Boolean(string="Released", default=True,
                                     help="When the TV access is released again.")
    # Suspension on the customer's request: Anatel's rule unless the ISP
    # chooses its own (core/customer_requests.py).
    suspension_preset = fields.Selection(
        [("anatel", "Anatel (RGC): 30 to 120 days, once in 12 months, customer up to date"),
         ("custom", "Custom")],
        string="Suspension on request rule", required=True, default="anatel",
        help="Anatel: the rule Anatel gives telecom consumers (pay-TV: Resolução 488/2007 "
             "art. 12; broadband: Resolução 614/2013 art. 67): a customer with no overdue "
             "invoice may ask once in 12 months for a suspension of 30 to 120 days, at no "
             "charge. Custom: the limits below.")
    suspension_min_days = fields.Integer(
        string="Shortest suspension (days)", required=True, default=ANATEL_SUSPENSION.min_days)
    suspension_max_days = fields.Integer(
        string="Suspension on request (days per 12 months)", required=True,
        default=ANATEL_SUSPENSION.max_days,
        help="The most days a customer may have the TV suspended on request in any "
             "12 months. 0: no suspension on request.")
    suspension_max_count = fields.Integer(
        string="Suspensions per 12 months", required=True,
        default=ANATEL_SUSPENSION.max_count,
        help="How many suspensions on request may start within 12 months of each other. "
             "0: no limit but the days.")
    suspension_up_to_date = fields.Boolean(
        string="Only customers up to date", default=ANATEL_SUSPENSION.up_to_date,
        help="Refuse a suspension on request while the customer has an overdue invoice.")
    trust_release_days = fields.Integer(
        string="Trust release (days)", required=True, default=3,
        help="How long a trust release lasts by default. When it ends and the "
             "invoices are still overdue, the contract is blocked again.")
    trust_release_max_days = fields.Integer(
        string="Trust release limit (days)", required=True, default=7,
        help="The longest trust release an operator may grant.")
    portal_trust_release = fields.Boolean(
        string="Customers release in trust on the portal", default=False,
        help="Checked: a customer whose contract is under a late notice, reduced or blocked "
             "by this policy may release it in trust once from the customer portal, for the "
             "trust release's days, until the overdue invoices are paid (once for the same "
             "debt, whoever released it). A block by the provider is never released there.")
    # Billing: what is charged while the TV is not provided, and how the
    # corrections of periods already invoiced are issued (services/settlement.py).
    charge_blocked_days = fields.Boolean(
        string="Charge the days blocked", default=False,
        help="Unchecked (Anatel: nothing is charged for a service suspended for "
             "non-payment): the days a contract is Blocked are not charged on its TV "
             "lines, pro rata on the invoice or by a credit note when the period was "
             "invoiced already. Checked: they are charged in full.")
    settlement_validate = fields.Boolean(
        string="Validate corrections at once", default=False,
        help="The credit notes and invoices the TV integration makes for days already "
             "invoiced (a suspension on request, a plan change, a block, the contract's "
             "end): unchecked, drafts for the billing clerk to validate; checked, "
             "validated at once.")

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has a single delinquency policy."),
    ]

    @api.model
    def _get_tracked_fields(self, updated_fields):
        return self.fields_get(list(AUDITED_FIELDS))

    @api.constrains("late_notice_days", "reduce_days", "block_days", "termination_days",
                    "trust_release_days", "trust_release_max_days", "suspension_max_days",
                    "suspension_min_days", "suspension_max_count", "suspension_preset",
                    "suspension_up_to_date", "ladder_preset", "late_notice_blocks_tv")
    def _check_days(self):
        messages = {  # literal _() calls: the translation export finds them
            "negative": _("The days of a delinquency policy cannot be negative."),
            "block_before_notice": _(
                "The contract cannot be blocked before its late notice: the block days must "
                "be at least the late notice days."),
            "reduce_outside": _(
                "The access is reduced between the late notice and the block: the reduce "
                "days must be at least the late notice days and at most the block days."),
            "termination_before_block": _(
                "The termination can only be proposed after the block: the termination "
                "days must be at least the block days."),
        }
        messages.update(self._tv_anatel_ladder_messages())
        for policy in self:
            refused = check_ladder(policy.late_notice_days, policy.reduce_days,
                                   policy.block_days, policy.termination_days)
            if not refused and policy.ladder_preset == "anatel":
                refused = check_anatel_ladder(policy._tv_ladder())
            if refused or min(policy.suspension_max_days, policy.suspension_max_count) < 0:
                raise ValidationError(messages[refused or "negative"])
            policy._tv_check_suspension_rule()
            if not 1 <= policy.trust_release_days <= policy.trust_release_max_days:
                raise ValidationError(_("The trust release must last at least one day and no "
                                        "more than its limit."))

    @api.model
    def _tv_anatel_ladder_messages(self):
        return {  # literal _() calls: the translation export finds them
            "anatel_notice_blocks": _(
                "Under the Anatel ladder the late notice is a notice only: the TV may be "
                "suspended only 15 days after the customer is notified of the debt (Resolução "
                "765/2023 art. 70). Choose the custom rule to block the TV with the notice."),
            "anatel_reduced": _(
                "The Anatel ladder has no reduced access: the TV is blocked in full after the "
                "notice. Set the reduce days to 0, or choose the custom rule."),
            "anatel_block_early": _(
                "Under the Anatel ladder the block comes at least 15 days after the late "
                "notice (Resolução 765/2023 art. 70): the block days must be at least the "
                "late notice days plus 15."),
            "anatel_termination_early": _(
                "Under the Anatel ladder the termination may follow only 60 days of "
                "suspension (Resolução 765/2023 arts. 73 and 75): the termination days must "
                "be 0 or at least the block days plus 60."),
        }

    def _tv_ladder(self):
        """The policy's ladder (core/delinquency_rules.Ladder)."""
        self.ensure_one()
        return Ladder(self.late_notice_days, self.late_notice_blocks_tv, self.reduce_days,
                      self.block_days, self.termination_days)

    @api.onchange("ladder_preset")
    def _onchange_ladder_preset(self):
        """Anatel's rule: its ladder, with the late notice sent (the notice
        the block must follow)."""
        if self.ladder_preset == "anatel":
            for name, value in ANATEL_LADDER._asdict().items():
                self[name] = value
            self.notify_late_notice = True

    def _tv_check_suspension_rule(self):
        if self.suspension_preset == "anatel" and (
                self._tv_suspension_rule() != ANATEL_SUSPENSION):
            raise ValidationError(_(
                "The Anatel rule sets the suspensions on request (30 to 120 days, once in 12 "
                "months, customer up to date): choose the custom rule to change them."))
        if self.suspension_min_days < 1 or (
                self.suspension_max_days and self.suspension_min_days > self.suspension_max_days):
            raise ValidationError(_(
                "The shortest suspension on request must last at least one day and no more "
                "than the days allowed per 12 months."))

    @api.onchange("suspension_preset")
    def _onchange_suspension_preset(self):
        if self.suspension_preset == "anatel":
            self.suspension_min_days, self.suspension_max_days, self.suspension_max_count, \
                self.suspension_up_to_date = ANATEL_SUSPENSION

    def _tv_suspension_rule(self):
        """The policy's rule for suspensions on request (customer_requests)."""
        self.ensure_one()
        return SuspensionRule(self.suspension_min_days, self.suspension_max_days,
                              self.suspension_max_count, self.suspension_up_to_date)

    # -- the late notice's TV access follows the policy ------------------------

    @api.model
    def create(self, vals):
        policy = super().create(vals)
        # checked on the record created (context defaults and ir.default included)
        policy._tv_check_billing_switches(policy.read(list(BILLING_SWITCHES))[0],
                                          self._tv_static_switches())
        policy._tv_refresh_late_notice_access(policy.company_id)
        return policy

    @api.multi
    def write(self, vals):
        for policy in self:
            current = policy.read(list(BILLING_SWITCHES))[0]
            policy._tv_check_billing_switches(vals, current)
            if "company_id" in vals or ("active" in vals and not vals["active"]):
                # archived or moved, its company reads the switches' defaults
                policy._tv_check_billing_switches(self._tv_static_switches(), current)
        companies = self.mapped("company_id")
        result = super().write(vals)
        if {"late_notice_blocks_tv", "company_id", "active"} & set(vals):
            self._tv_refresh_late_notice_access(companies | self.mapped("company_id"))
        return result

    @api.model
    def _tv_check_billing_switches(self, vals, current):
        """What is charged and whether the system validates its corrections
        is the billing users' (a TV manager may not be one)."""
        changed = [name for name in BILLING_SWITCHES
                   if name in vals and bool(vals[name]) != bool(current.get(name))]
        if changed and not is_system(self.env) and not self.env.user.has_group(
                "account.group_account_invoice"):
            raise AccessError(_("Only billing users can change what the delinquency policy "
                                "charges or validates. Nothing was changed."))

    def _tv_static_switches(self):
        return {name: self._fields[name].default(self) for name in BILLING_SWITCHES}

    @api.multi
    def unlink(self):
        for policy in self:  # a billing user's choice is not reset by a new policy
            policy._tv_check_billing_switches(self._tv_static_switches(),
                                              policy.read(list(BILLING_SWITCHES))[0])
        companies = self.mapped("company_id")
        result = super().unlink()
        self._tv_refresh_late_notice_access(companies)
        return result

    @api.model
    def _tv_refresh_late_notice_access(self, companies):
        """Recompute the TV access of the companies' contracts under a late
        notice: the automated actions then block or release them on the
        platform (a late notice blocks the TV or is a notice only)."""
        contracts = self.env["account.analytic.account"].sudo().search([
            ("company_id", "in", companies.ids), ("contract_status", "=", rules.LATE_NOTICE)])
        if contracts:
            # what modified() does for a dependency: forget, mark, recompute
            contracts.invalidate_cache(["tv_access"], contracts.ids)
            self.env.add_todo(contracts._fields["tv_access"], contracts)
            contracts.recompute()

    @api.model
    def _late_notice_blocks(self, company):
        """Whether a late notice blocks the TV in `company` (no policy: it
        does, as the integration always did)."""
        policy = self.sudo()._for_company(company)
        return policy.late_notice_blocks_tv if policy else True

    @api.model
    def _for_company(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _target_status(self, days_overdue):
        """The status this policy asks for (no policy: any overdue invoice
        counts, but nothing is ever escalated without one)."""
        if not self:
            return rules.ACTIVE if days_overdue <= 0 else rules.LATE_NOTICE
        self.ensure_one()
        return delinquency_target(days_overdue, self.late_notice_days, self.block_days,
                                  self.reduce_days)

    def _proposes_termination(self, days_overdue):
        return bool(self) and proposes_termination(days_overdue, self.termination_days)
