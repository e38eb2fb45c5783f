# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's status history: one row per status change, whatever made
it (a button, the contract list's bulk actions, the delinquency ladder, a
payment, a suspension on request), with who asked and when.

The chatter tracks the status of a contract changed on its own; a bulk
change (hundreds of contracts in one request) writes the status without
chatter tracking (Odoo's per-record tracking costs about 13 queries per
contract) and is found here. The rows are the system's (owned_fields.py):
no role creates, changes or deletes them."""
from odoo import fields, models

from .account_analytic_account import BLOCK_REASON_SELECTION, CONTRACT_STATUS_SELECTION


class TvContractStatusChange(models.Model):
    _name = "tv.contract.status.change"
    _description = "Contract Status Change"
    _inherit = ["tv.field.guard"]
    _order = "date desc, id desc"

    contract_id = fields.Many2one("account.analytic.account", required=True,
                                  ondelete="cascade", index=True, readonly=True)
    # follows the contract to another company (the record rule reads it)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True,
                                 index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Changed by", readonly=True,
                              ondelete="set null")
    old_status = fields.Selection(CONTRACT_STATUS_SELECTION, string="From", readonly=True)
    new_status = fields.Selection(CONTRACT_STATUS_SELECTION, string="To", required=True,
                                  readonly=True)
    block_reason = fields.Selection(BLOCK_REASON_SELECTION, readonly=True)
    bulk = fields.Boolean(readonly=True,
                          help="Changed with other contracts in one request (the contract "
                               "list's actions): not tracked in the chatter, only here.")

    def _record(self, rows, new_status, block_reason, bulk, user):
        """One row per (contract id, status before, company id) of `rows`,
        in one INSERT (the table is the addon's own); `bulk`: the contracts
        changed without chatter tracking; `user`: who changed them."""
        if not rows:
            return
        self.env.cr.execute(
            "INSERT INTO tv_contract_status_change (contract_id, old_status, company_id, "
            "new_status, block_reason, bulk, user_id, date, create_uid, create_date, "
            "write_uid, write_date) "
            "SELECT r.contract_id, r.old_status, r.company_id, %s, %s, "
            "r.contract_id = ANY(%s::int[]), %s, "
            "now() at time zone 'UTC', %s, now() at time zone 'UTC', %s, "
            "now() at time zone 'UTC' "
            "FROM unnest(%s::int[], %s::varchar[], %s::int[]) "
            "AS r(contract_id, old_status, company_id)",
            (new_status, block_reason or None, bulk.ids, user.id, self.env.uid, self.env.uid,
             [row[0] for row in rows], [row[1] for row in rows],
             [row[2] or None for row in rows]))
        self.env["account.analytic.account"].invalidate_cache(
            ["tv_status_change_ids"], [row[0] for row in rows])
