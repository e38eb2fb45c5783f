# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Link existing Olé TV subscribers to Odoo contracts from a CSV.

A provider adopting the addon already has customers on Olé TV. Each CSV row
names a contract (reference, name or the customer's VAT/document), a TV
login and optionally the platform account number and the TV product. The
plan (a dry run: reads only) says for each row whether it will be linked,
is already linked or cannot be, and why; applying it creates the TV users
bound to the existing subscribers (no platform creation) in one transaction,
then asks for their sync so the contract's status drives their access.

Entry points: the wizard on the TV integration and, for scripted migrations,
``tv.integration.link_existing_subscribers(ids, csv_text, dry_run=True)``."""
import logging

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.tv_user import normalize_macs
from . import link_csv
from .link_planner import LINK, LINKED, MANAGER_GROUP, _LinkPlanner

_logger = logging.getLogger(__name__)

class TvIntegration(models.Model):
    _inherit = "tv.integration"

    @api.multi
    def link_existing_subscribers(self, csv_text, dry_run=True):
        """Link the TV users of a CSV to subscribers that already exist on
        the platform (for XML-RPC migrations). Returns one dict per row:
        ``row``, ``status`` (dry run: link / already_linked / error; else
        linked / already_linked / error), ``reason``, ``login``,
        ``account_number``, ``contract_id``, ``product_id``, ``tv_user_id``."""
        self.ensure_one()
        plan = self._tv_link_plan(csv_text)
        if not dry_run:
            self._tv_link_apply(plan)
        return [row.as_dict() for row in plan]

    def _tv_link_check_rights(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only TV Integration managers can link existing subscribers."))

    def _tv_link_csv_error(self, code, params=()):
        """Translated text of a link_csv error code (only the needed text is
        translated; ``_`` takes the language from ``self.env``)."""
        if code == link_csv.ERR_EMPTY:
            text = _("The file is empty: it needs a header line and one line per TV user.")
        elif code == link_csv.ERR_NO_LOGIN_COLUMN:
            text = _("The header has no login column (login, tv_login or email).")
        elif code == link_csv.ERR_NO_CONTRACT_COLUMN:
            text = _("The header needs a contract column (contract, reference) or a customer "
                     "VAT column (vat, document, cpf_cnpj).")
        elif code == link_csv.ERR_DUPLICATE_COLUMN:
            text = _("The header has the same column twice: %s.")
        elif code == link_csv.ERR_COLUMNS:
            text = _("Malformed line: %d columns expected, %d found.")
        elif code == link_csv.ERR_NO_LOGIN:
            text = _("Malformed line: the login is empty.")
        elif code == link_csv.ERR_NO_CONTRACT:
            text = _("Malformed line: neither a contract reference nor a customer VAT/document.")
        else:
            text = _("The file is not a readable CSV text file.")
        return text % tuple(params) if params else text

    def _tv_link_plan(self, csv_data):
        """CSV text or bytes -> list of _PlanRow. Reads only."""
        self.ensure_one()
        self._tv_link_check_rights()
        try:
            csv_rows = link_csv.parse(csv_data or "")
        except link_csv.CsvFileError as exc:
            raise UserError(self._tv_link_csv_error(exc.code, exc.params))
        return _LinkPlanner(self).plan(csv_rows)

    def _tv_link_apply(self, plan):
        """Create the TV users of the plan's LINK rows, bound to their
        subscribers, then request their sync. All or nothing: any failure
        rolls every row back and raises a UserError naming the row."""
        self.ensure_one()
        self._tv_link_check_rights()
        current = None
        try:
            with self.env.clear_upon_failure(), self.env.cr.savepoint():
                message = _("Linked to the existing Olé TV subscriber %s (row %d of an "
                            "imported list); not created on the platform.")
                for row in plan:
                    if row.status == LINK:
                        current = row
                        self._tv_link_row(row, message)
        except Exception as exc:
            for row in plan:
                if row.status == LINKED:
                    row.status, row.tv_user = LINK, None
            reason = getattr(exc, "name", None) or str(exc)
            if not isinstance(exc, UserError):
                _logger.exception("Linking subscribers failed on row %s", current and current.row)
            raise UserError(_("Nothing was linked: row %d could not be linked: %s")
                            % (current.row if current else 0, reason))
        return plan

    def _tv_link_row(self, row, message):
        subscriber = row.subscriber
        partner_email = (row.contract.partner_id.email or "").strip().lower()
        try:
            macs = normalize_macs("\n".join(subscriber.mac_devices))
        except ValidationError:  # the platform's own list: keep the link, skip the copy
            macs = False
        technology = subscriber.technology if subscriber.technology in ("iptv", "ott") else "iptv"
        # No field tracking: the link message below is the chatter's record
        # of it (tracking costs several messages per user, a lot for 1,000).
        quiet = self.env["tv.user"].with_context(tracking_disable=True)
        # sudo: rights checked above (managers); the platform's values are
        # the system's to write
        user = quiet.sudo().with_context(tv_no_platform_sync=True).create({
            "contract_id": row.contract.id, "product_id": row.product.id, "platform": "oletv",
            "technology": technology, "use_main_email": row.login == partner_email,
            "login": row.login, "mac_devices": macs,
            "equipment_model_id": row.equipment.id if row.equipment else False,
        })
        user = quiet.browse(user.id)  # without tv_no_platform_sync
        # The new TV user has no follower: skip mail's notification step,
        # which formats each message for nobody (most of a post's cost).
        user.sudo().with_context(message_create_from_mail_mail=True)._tv_apply_subscriber(
            subscriber, message % (subscriber.account_number, row.row))
        user._tv_request_sync()
        row.tv_user, row.status = user, LINKED
