# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Linking existing Olé TV subscribers from a CSV (docs/configure.md, Linking existing
Olé TV subscribers): the file read by core/link_csv.py, planned by
link_planner.py, applied here all or nothing. The integration's
link_existing_subscribers and the wizard call it once the caller's rights
are checked (TV managers)."""
import logging

from odoo import _
from odoo.exceptions import UserError

from ..core import link_csv
from ..core import login_rules
from .convergence import subscriber_values
from .link_planner import ERROR, LINK, LINKED, _ChosenPlanner, _LinkPlanner
from .reconciliation import Reconciliation
from .tv_packages import PlatformPackages

_logger = logging.getLogger(__name__)


class SubscriberLinks(object):
    """The link of existing subscribers to `integration` (a tv.integration
    record, whose environment gives _() its language)."""

    def __init__(self, integration):
        self.integration = integration
        self.env = integration.env

    def csv_error(self, code, params=()):
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
        elif code == link_csv.ERR_TOO_LARGE:
            return _("The file is larger than %(size)s MB: split it into smaller files.") % {
                "size": "%g" % (params[0] / 1048576.0)}
        elif code == link_csv.ERR_TOO_MANY_ROWS:
            text = _("The file has more than %d lines of TV users: split it into smaller files.")
        elif code == link_csv.ERR_COLUMNS:
            return _("Malformed line: %(expected)d columns expected, %(found)d found.") % {
                "expected": params[0], "found": params[1]}
        elif code == link_csv.ERR_NO_LOGIN:
            text = _("Malformed line: the login is empty.")
        elif code == link_csv.ERR_FORMULA:
            text = _("Malformed line: the login cannot start with %s (a spreadsheet would read "
                     "it as a formula; the platform refuses it).")
        elif code == link_csv.ERR_NO_CONTRACT:
            text = _("Malformed line: neither a contract reference nor a customer VAT/document.")
        elif code == link_csv.ERR_DOCUMENT:
            text = _("Malformed line: %s is not a valid CPF (11 digits) or CNPJ (14 digits): "
                     "check its digits.")
        else:
            text = _("The file is not a readable CSV text file.")
        return text % tuple(params) if params else text

    def parse(self, csv_data, max_bytes=link_csv.MAX_FILE_BYTES, max_rows=link_csv.MAX_ROWS):
        """CSV text or bytes -> link_csv's rows; a file that cannot be read
        or is over the caps is refused with a UserError saying why."""
        return list(self.iter_rows(csv_data, max_bytes, max_rows))

    def iter_rows(self, csv_data, max_bytes=link_csv.MAX_FILE_BYTES, max_rows=link_csv.MAX_ROWS):
        """parse() one row at a time (a link run's file, up to 100,000 rows):
        the refusal comes as the rows are read."""
        try:
            yield from link_csv.iter_rows(csv_data or "", max_bytes=max_bytes, max_rows=max_rows)
        except link_csv.CsvFileError as exc:
            raise UserError(self.csv_error(exc.code, exc.params))

    def plan(self, csv_data):
        """CSV text or bytes -> the plan's rows (link_planner.py). Reads only."""
        return self.plan_rows(self.parse(csv_data))

    def plan_rows(self, csv_rows):
        """link_csv's rows -> the plan's rows (link_planner.py). Reads only."""
        return _LinkPlanner(self.integration, self.csv_error).plan(csv_rows)

    def plan_chosen(self, contract, product, login, account_number):
        """The plan of one subscriber (its login and account) to link to the
        chosen contract and TV product (none: the contract's only one).
        Reads only."""
        row = link_csv.CsvRow(1, None, None, login, account_number, None, None, ())
        return _ChosenPlanner(self.integration, self.csv_error, contract, product).plan([row])

    def apply(self, plan):
        """Create the TV users of the plan's LINK rows, bound to their
        subscribers, then request the sync of those whose subscriber differs
        from what their contract asks for. All or nothing: any failure
        rolls every row back and raises a UserError naming the row."""
        current = None
        try:
            with self.env.clear_upon_failure(), self.env.cr.savepoint():
                message = self._link_message()
                for row in plan:
                    if row.status == LINK:
                        current = row
                        self._link_row(row, message)
                self._differing([row for row in plan if row.status == LINKED]
                                )._tv_request_sync()
        except Exception as exc:
            for row in plan:
                if row.status == LINKED:
                    row.status, row.tv_user = LINK, None
            reason = getattr(exc, "name", None) or str(exc)
            if not isinstance(exc, UserError):
                _logger.exception("Linking subscribers failed on row %s", current and current.row)
            raise UserError(_("Nothing was linked: row %(row)d could not be linked: %(reason)s")
                            % {"row": current.row if current else 0, "reason": reason})
        return plan

    def link_each(self, plan):
        """Create the TV users of the plan's LINK rows, each in a savepoint
        of its own (a run's chunk): a row that fails becomes an error with
        its reason, the others are linked."""
        message = self._link_message()
        for row in plan:
            if row.status != LINK:
                continue
            try:
                with self.env.clear_upon_failure(), self.env.cr.savepoint():
                    self._link_row(row, message)
            except Exception as exc:  # pylint: disable=broad-except
                if not isinstance(exc, UserError):
                    _logger.exception("Linking subscribers failed on row %s", row.row)
                row.status, row.tv_user = ERROR, None
                row.reason = _("This row could not be linked: %s") % (
                    getattr(exc, "name", None) or str(exc))
        # one sync request for the chunk's TV users whose subscriber differs
        # from what Odoo wants (a wake-up per slot, not per row); the others
        # are synced already
        self._differing([row for row in plan if row.status == LINKED])._tv_request_sync()
        return plan

    def _differing(self, rows):
        """The TV users of linked `rows` whose subscriber on the platform
        differs from what their contract asks for (access, packages)."""
        packages = PlatformPackages(self.env)  # the same few for everyone
        packages.load([row.tv_user.id for row in rows])
        differing = self.env["tv.user"].browse()
        for row in rows:
            user = row.tv_user
            if Reconciliation.differs(user.desired_access, packages.of_user(user),
                                      row.subscriber):
                differing |= user
        return differing

    def _link_message(self):
        return _("Linked to the existing Olé TV subscriber %(account)s (row "
                 "%(row)d of an imported list); not created on the platform.")

    def _link_row(self, row, message):
        """The row's TV user, created with what the platform says about its
        subscriber (one create, one chatter message: the link's)."""
        subscriber = row.subscriber
        partner_email = (row.contract.partner_id.email or "").strip().lower()
        macs, invalid = login_rules.split_macs("\n".join(subscriber.mac_devices))
        if invalid:  # the platform's own list: keep the link, skip the copy
            macs = False
        technology = subscriber.technology if subscriber.technology in ("iptv", "ott") else "iptv"
        values = dict(subscriber_values(subscriber), **{
            "contract_id": row.contract.id, "product_id": row.product.id, "platform": "oletv",
            "technology": technology, "use_main_email": row.login == partner_email,
            "login": row.login, "mac_devices": macs,
            "equipment_model_id": row.equipment.id if row.equipment else False,
        })
        # No field tracking (nor, with it, the creation message): the link
        # message below is the chatter's record of it (tracking costs several
        # messages per user, a lot for 50,000). sudo: rights checked by the
        # integration (managers); the platform's values are the system's.
        quiet = self.env["tv.user"].sudo().with_context(tracking_disable=True)
        user = quiet.with_context(tv_no_platform_sync=True).create(values)
        # The new TV user has no follower: skip mail's notification step,
        # which formats each message for nobody (most of a post's cost).
        quiet.browse(user.id).with_context(message_create_from_mail_mail=True).message_post(
            body=message % {"account": subscriber.account_number, "row": row.row})
        row.tv_user, row.status = self.env["tv.user"].browse(user.id), LINKED
