# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One row of a link run's file and its outcome (the system's: written in
bulk by services/link_runs.py)."""
from odoo import api, fields, models

from ..core import link_csv
from ..services.link_planner import STATUS_SELECTION


class TvLinkRunLine(models.Model):
    _name = "tv.link.run.line"
    _description = "Link of existing TV subscribers (run): row"
    _inherit = ["tv.field.guard"]
    _order = "run_id, row"

    run_id = fields.Many2one("tv.link.run", required=True, ondelete="cascade", index=True,
                             readonly=True)
    row = fields.Integer(string="Line", readonly=True,
                         help="Line number in the file (the header is line 1).")
    file_contract = fields.Char(string="Contract in the file", readonly=True)
    file_vat = fields.Char(string="VAT in the file", readonly=True)
    login = fields.Char(readonly=True)
    file_account = fields.Char(string="Account in the file", readonly=True)
    file_product = fields.Char(string="Product in the file", readonly=True)
    file_error = fields.Boolean(string="Refused as read", readonly=True,
                                help="Malformed, or its login is on an earlier line: an error "
                                     "from the start, never planned nor linked.")
    status = fields.Selection([("new", "Not planned")] + STATUS_SELECTION, string="Outcome",
                              required=True, default="new", readonly=True)
    reason = fields.Text(readonly=True)
    applied = fields.Boolean(string="Linked by the run", readonly=True,
                             help="The link (not the dry run) has done this line.")
    account_number = fields.Char(readonly=True)
    contract_id = fields.Many2one("account.analytic.account", readonly=True,
                                  ondelete="set null")
    product_id = fields.Many2one("product.product", readonly=True, ondelete="set null")
    tv_user_id = fields.Many2one("tv.user", string="TV user", readonly=True,
                                 ondelete="set null")

    @api.model_cr_context
    def _auto_init(self):
        result = super()._auto_init()
        # a chunk is the run's rows after a line, in the file's order
        self.env.cr.execute("CREATE INDEX IF NOT EXISTS tv_link_run_line_run_row_idx "
                            "ON tv_link_run_line (run_id, row)")
        return result

    def _tv_csv_row(self):
        """The file's row as link_csv read it; the account found for its
        login (by the dry run when linking, by the platform's listing before
        a large dry run) stands for a missing one: read 200 at a time
        instead of one look-up per login."""
        account = self.file_account or self.account_number or ""
        return link_csv.CsvRow(row=self.row, contract=self.file_contract or "",
                               vat=self.file_vat or "", login=self.login or "", account=account,
                               product=self.file_product or "", error=None, error_args=())
