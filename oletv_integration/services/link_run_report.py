# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The report of a link run (services/link_runs.py): one CSV line per row
of the file with its outcome, written as the run's attachment at the end
of each phase. A run has up to 100,000 rows: they are read a page at a
time and written straight into the file's bytes, so a worker never holds
them all (the rows at once: 70 MB more in the worker that ends the run,
kept by the process afterwards)."""
import base64
import csv
import io

from odoo import _

from ..core.login_rules import spreadsheet_text
from .link_planner import ALREADY_LINKED, ERROR, LINK, LINKED

NEW = "new"
PAGE_ROWS = 5000
REPORT_PAGE_SQL = (
    "SELECT line.row, coalesce(line.file_contract, line.file_vat, ''), "
    "coalesce(line.login, ''), coalesce(line.account_number, line.file_account, ''), "
    "coalesce(contract.code, contract.name, ''), "
    "coalesce(product.default_code, template.name, ''), line.status, "
    "coalesce(line.reason, ''), line.tv_user_id "
    "FROM tv_link_run_line line "
    "LEFT JOIN account_analytic_account contract ON contract.id = line.contract_id "
    "LEFT JOIN product_product product ON product.id = line.product_id "
    "LEFT JOIN product_template template ON template.id = product.product_tmpl_id "
    "WHERE line.run_id = %s AND line.row > %s ORDER BY line.row LIMIT %s")


def attach_csv(run, filename, data):
    """`data` (bytes) as a CSV attachment of the link run `run`."""
    return run.env["ir.attachment"].create({
        "name": filename, "datas_fname": filename, "datas": base64.b64encode(data),
        "res_model": run._name, "res_id": run.id, "mimetype": "text/csv"})


class LinkRunReport:
    """The report of a run, in the language of `env` (the system's)."""

    def __init__(self, env):
        self.env = env

    def attach(self, run, dry_run):
        """The run's report as its attachment (replacing the previous
        phase's): the dry run's, or the link's."""
        data = self.csv_bytes(run)
        if run.report_attachment_id:
            run.report_attachment_id.unlink()
        name = "%s-%s.csv" % (run.name.replace("/", "-"),
                              "dry-run" if dry_run else "report")
        return attach_csv(run, name, data)

    def csv_bytes(self, run):
        """The report's CSV (UTF-8 with a BOM, `;`: what a Brazilian
        spreadsheet opens), one line per row of the file in its order."""
        labels, header = self._status_labels(), self._header()  # before the pages: _() reads
        out = io.BytesIO()
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row, file_ref, login, account, contract, product, status, reason, user_id \
                in self._lines(run):
            writer.writerow([row] + [spreadsheet_text(value) for value in (
                file_ref, login, account, contract, product, labels.get(status, status),
                reason)] + [user_id or ""])
        text.flush()
        data = out.getvalue()
        text.detach()
        return data

    def _lines(self, run):
        after = -1
        while True:
            self.env.cr.execute(REPORT_PAGE_SQL, (run.id, after, PAGE_ROWS))
            page = self.env.cr.fetchall()
            if not page:
                return
            yield from page
            after = page[-1][0]

    def _header(self):
        return [_("Line"), _("Contract / VAT in the file"), _("Login"), _("Account number"),
                _("Contract"), _("Product"), _("Outcome"), _("Reason"), _("TV user ID")]

    def _status_labels(self):
        return {NEW: _("Not planned"), LINK: _("To link"), LINKED: _("Linked"),
                ALREADY_LINKED: _("Already linked"), ERROR: _("Error")}
