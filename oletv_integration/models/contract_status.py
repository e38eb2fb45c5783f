# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's status, which OCA contract 11.0 lacks, driven by buttons.
Automated actions (data/base_automation.xml) turn its transitions into TV
access changes; the rules themselves live in access_rules.py."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import access_rules as rules
from .tv_roles import check_tv_operator, is_system

CONTRACT_STATUS_SELECTION = [
    (rules.AWAITING_SIGNATURE, "Awaiting signature"),
    (rules.ACTIVE, "Active"),
    (rules.LATE_NOTICE, "Late notice"),
    (rules.BLOCKED, "Blocked"),
    (rules.DEACTIVATED, "Deactivated"),
]


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    contract_status = fields.Selection(
        CONTRACT_STATUS_SELECTION, string="Contract status", required=True,
        default=rules.ACTIVE, copy=False, index=True, track_visibility="onchange")
    block_reason = fields.Selection(
        [("manual", "Manual"), ("automatic", "Automatic")], copy=False,
        track_visibility="onchange",
        help="Manual blocks are never lifted by a payment.")
    tv_user_ids = fields.One2many("tv.user", "contract_id", string="TV users")
    tv_user_count = fields.Integer(compute="_compute_tv_user_count")
    tv_product_ids = fields.Many2many(
        "product.product", compute="_compute_tv_product_ids",
        string="TV products", help="The products of the contract's TV/Streaming lines.")

    @api.depends("tv_user_ids")
    def _compute_tv_user_count(self):
        for contract in self:
            contract.tv_user_count = len(contract.tv_user_ids)

    @api.depends("recurring_invoice_line_ids.product_id", "recurring_invoice_line_ids.line_type")
    def _compute_tv_product_ids(self):
        for contract in self:
            contract.tv_product_ids = contract.recurring_invoice_line_ids.filtered(
                lambda line: line.line_type == "tv").mapped("product_id")

    def _tv_write_owned(self, vals):
        """Write fields the workflow owns (contract_status, block_reason,
        trust_release_until; see owned_fields.py): only the addon's own
        methods call it, after their checks. The chatter still names the
        user who asked, not the superuser who wrote."""
        return self.sudo().with_context(
            tv_tracking_author_id=self.env.user.partner_id.id).write(vals)

    @api.multi
    def message_post(self, **kwargs):
        author = self.env.context.get("tv_tracking_author_id")
        if author and is_system(self.env) and not kwargs.get("author_id"):
            kwargs["author_id"] = author
        return super().message_post(**kwargs)

    def _tv_operator_set_status(self, new_status, block_reason=False):
        """The status buttons: a TV operator who can read the contracts gets
        exactly this change (and the TV access it implies), nothing more."""
        check_tv_operator(self)
        return self._set_contract_status(new_status, block_reason=block_reason)

    def _set_contract_status(self, new_status, block_reason=False):
        labels = dict(CONTRACT_STATUS_SELECTION)
        for contract in self:
            if not rules.can_transition(contract.contract_status, new_status):
                raise UserError(_('The contract %s is "%s" and cannot become "%s".') % (
                    contract.display_name, _(labels[contract.contract_status]),
                    _(labels[new_status])))
        self._tv_write_owned({"contract_status": new_status, "block_reason": block_reason})
        return True

    @api.multi
    def action_contract_activate(self):
        return self._tv_operator_set_status(rules.ACTIVE)

    @api.multi
    def action_contract_awaiting_signature(self):
        return self._tv_operator_set_status(rules.AWAITING_SIGNATURE)

    @api.multi
    def action_contract_late_notice(self):
        return self._tv_operator_set_status(rules.LATE_NOTICE)

    @api.multi
    def action_contract_block(self):
        return self._tv_operator_set_status(rules.BLOCKED, block_reason="manual")

    @api.multi
    def action_contract_release(self):
        return self._tv_operator_set_status(rules.ACTIVE)

    @api.multi
    def action_contract_deactivate(self):
        return self._tv_operator_set_status(rules.DEACTIVATED)

    @api.multi
    def _tv_apply_contract_access(self):
        """Called by the automated actions after a status change that flips
        the TV access: queue the platform change for the TV users that exist
        there (one query to find them)."""
        self.env["tv.user"].search([
            ("contract_id", "in", self.ids),
            ("platform_state", "in", ("awaiting_activation", "active", "blocked")),
        ])._tv_request_sync()

    @api.multi
    def action_view_tv_users(self):
        action = self.env.ref("oletv_integration.action_tv_user").read()[0]
        action["domain"] = [("contract_id", "in", self.ids)]
        action["context"] = {"default_contract_id": self[:1].id}
        return action
