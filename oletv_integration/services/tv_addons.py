# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Add-ons of a contract's TV users (core/addon_rules.py): the one checked
path behind the operator's buttons (the contract's action_tv_addon_add and
action_tv_addon_remove, the TV user's Add-ons wizard) and, later, the
customer's portal; `preview` says what a request costs, and from when,
before it is confirmed.

- Adding creates the add-on's contract line for the TV user, from today,
  at the add-on's price for this customer (the contract's or the
  customer's pricelist, else its sales price). Days of a period invoiced
  already are charged at once, pro rata (services/settlement.py: on the
  period's draft invoice, else on an invoice of its own); otherwise the next
  invoice charges the days from today to its period's end (services/
  contract_billing.py's ProRata: OCA contract 11.0 invoices a line for the
  whole period, whenever it was added).
- Removing ends the line yesterday (the packages leave the platform
  today): days invoiced after it are credited (settlement), a period not
  invoiced yet charges up to it. A line never charged is deleted.
- Either way the TV user goes Pending and its sync sends the plan's
  packages with its add-ons (services/tv_packages.py).

`contract` is the caller's: `check` refuses with the reason before
anything is written; the writes are the system's."""
from datetime import timedelta

from odoo import _, fields
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from ..core import addon_rules
from .company_day import as_date
from .settlement import Settlement
from .tv_roles import as_system


def addon_products(tv_user):
    """(the add-ons the TV user has, those its plan offers it besides), as
    the system: add-on products of its integration on sale, of its
    contract's company or none, that its plan accepts. What the operator's
    dialog and the portal list."""
    tv_user = as_system(tv_user)
    held = tv_user.tv_addon_line_ids.mapped("product_id")
    offered = tv_user.env["product.product"].search([
        ("is_tv_product", "=", True), ("tv_product_kind", "=", addon_rules.ADDON),
        ("tv_integration_id", "=", tv_user.integration_id.id), ("sale_ok", "=", True),
        ("company_id", "in", [False, tv_user.contract_id.company_id.id])])
    plan = tv_user.product_id.product_tmpl_id
    return held, (offered - held).filtered(
        lambda product: plan._tv_accepts_addon(product.product_tmpl_id))


class TvAddons:
    """The add-ons of the TV users of `contract` on `today`."""

    def __init__(self, contract, today):
        contract.ensure_one()
        self.contract = contract
        self.system = as_system(contract)
        self.env = contract.env
        self.today = today

    # -- checks -----------------------------------------------------------------

    def check(self, tv_user, addon, action):
        """Refuse (UserError, nothing written) a request the rules do not
        allow; returns the add-on's live line when removing."""
        contract = self.contract
        if action not in (addon_rules.ADD, addon_rules.REMOVE):
            raise UserError(_("Choose whether the add-on is added or removed."))
        if not tv_user or tv_user.contract_id != contract:
            raise UserError(_("Choose a TV user of contract %s.") % contract.display_name)
        if not addon or not addon.product_tmpl_id._tv_is_addon():
            raise UserError(_('"%s" is not an add-on: choose an add-on TV product.')
                            % (addon.display_name or _("(no product)")))
        line = self.live_line(tv_user, addon)
        if action == addon_rules.REMOVE:
            if not line:
                raise UserError(_('The TV user %(login)s has no add-on "%(addon)s".')
                                % {"login": tv_user.login, "addon": addon.display_name})
            return line
        refusal = contract._tv_why_not_addon()
        if refusal:
            raise UserError(refusal)
        if tv_user.to_delete or not tv_user.active:
            raise UserError(_("The TV user %(login)s is being removed: it takes no add-on.")
                            % {"login": tv_user.login})
        if line:
            raise UserError(_('The TV user %(login)s has the add-on "%(addon)s" already.')
                            % {"login": tv_user.login, "addon": addon.display_name})
        if not tv_user.product_id.product_tmpl_id._tv_accepts_addon(addon.product_tmpl_id):
            raise UserError(_('The plan "%(plan)s" of TV user %(login)s does not accept the '
                              'add-on "%(addon)s".') % {
                                  "plan": tv_user.product_id.display_name,
                                  "login": tv_user.login, "addon": addon.display_name})
        return line

    def live_line(self, tv_user, addon):
        return self.system.recurring_invoice_line_ids.filtered(
            lambda line: line.tv_user_id == tv_user and line.product_id == addon
            and not line.tv_addon_to)

    # -- what it costs ------------------------------------------------------------

    def preview(self, tv_user, addon, action):
        """What the request means, before it is confirmed: {"action",
        "date" (it takes effect: today), "price" (a period's), "period_from",
        "period_to" (the period charged or credited first), "days",
        "total_days", "amount" (charged; negative: credited),
        "document_date" (when: today for a period invoiced already, else the
        next invoice's date), "now" (a document today)}. Refused like the
        request itself."""
        line = self.check(tv_user, addon, action)
        invoiced = self.invoiced_period()
        period = invoiced or self.next_period()
        if action == addon_rules.ADD:
            price = self.price(addon)
            days, total, amount = addon_rules.first_charge(price, period, self.today)
        else:
            price = line.price_unit * (line.quantity or 1.0)
            last = addon_rules.removal_last_day(self.today)
            if invoiced:  # credited: a negative amount
                days, total, amount = addon_rules.removal_credit(price, period, last)
                amount = -amount
            else:
                covered = addon_rules.window(period, as_date(line.tv_addon_from), last)
                total = (period[1] - period[0]).days + 1
                days = (covered[1] - covered[0]).days + 1 if covered else 0
                amount = addon_rules.share(price, days, total)
        return {"action": action, "date": fields.Date.to_string(self.today), "price": price,
                "period_from": fields.Date.to_string(period[0]),
                "period_to": fields.Date.to_string(period[1]), "days": days,
                "total_days": total, "amount": amount, "now": bool(invoiced),
                "document_date": fields.Date.to_string(
                    self.today if invoiced else self.next_invoice_date())}

    def price(self, addon):
        """The add-on's price for this customer, for one period."""
        return self.system._tv_product_price(addon)

    def invoiced_period(self):
        """(first, last) of the contract's period holding today that an
        invoice charges already, or None."""
        lines = Settlement(self.system, self.today, self.system, "")._lines(self.today)
        for line in lines:
            period = (as_date(line.tv_period_from), as_date(line.tv_period_to))
            if period[0] <= self.today <= period[1]:
                return period
        return None

    def next_invoice_date(self):
        return as_date(self.system.recurring_next_date) or self.today

    def next_period(self):
        """(first, last) of the period the next invoice charges (OCA
        contract's dates: a pre-paid invoice's period starts on its date, a
        post-paid one's ends on it)."""
        contract = self.system
        date = self.next_invoice_date()
        delta = contract.get_relative_delta(contract.recurring_rule_type or "monthly",
                                            contract.recurring_interval or 1)
        if contract.recurring_invoicing_type == "post-paid":
            return date - delta + timedelta(days=1), date
        return date, date + delta - timedelta(days=1)

    # -- the requests ---------------------------------------------------------------

    def add(self, tv_user, addon, requester):
        """Sell the add-on to the TV user from today; returns its line and
        the preview it followed (the requester's confirmation names it)."""
        self.check(tv_user, addon, addon_rules.ADD)
        preview = self.preview(tv_user, addon, addon_rules.ADD)
        line = self._create_line(tv_user, addon, preview["price"])
        labels = self._labels(tv_user, addon, requester, preview)
        self._post(_("Add-on %(addon)s added by %(requester)s for TV user %(login)s from "
                     "%(date)s, at %(price)s a period.") % labels, tv_user, requester)
        if preview["now"]:
            Settlement(self.system, self.today, self.system, _(
                "Add-on %(addon)s added on %(date)s for TV user %(login)s.") % labels
            ).charge_added_line(line, self.today)
        self._sync(tv_user)
        return line, preview

    def remove(self, tv_user, addon, requester, reason=None):
        """Take the add-on away from today (its last day charged is
        yesterday); returns its line (or an empty one, deleted: never
        charged) and the preview it followed."""
        line = self.check(tv_user, addon, addon_rules.REMOVE)
        preview = self.preview(tv_user, addon, addon_rules.REMOVE)
        labels = self._labels(tv_user, addon, requester, preview)
        self.end(line, addon_rules.removal_last_day(self.today), reason or _(
            "Add-on %(addon)s removed on %(date)s for TV user %(login)s.") % labels)
        self._post(_("Add-on %(addon)s removed by %(requester)s for TV user %(login)s from "
                     "%(date)s.") % labels, tv_user, requester)
        self._sync(tv_user)
        return line.exists(), preview

    def end(self, line, last_day, reason):
        """End an add-on's line on `last_day` (its packages leave the
        platform with the TV user's next sync): what was invoiced after it
        is credited, a line never charged is deleted."""
        line = as_system(line)
        invoice_lines = self.env["account.invoice.line"].sudo().search(
            [("tv_addon_line_id", "=", line.id)])
        if last_day < as_date(line.tv_addon_from) and not invoice_lines:
            line.unlink()
            return
        line.write({"tv_addon_to": fields.Date.to_string(last_day)})
        settlement = Settlement(self.system, self.today, self.system, reason)
        settlement.shorten_lines(invoice_lines, last_day)
        settlement.run(since=last_day + timedelta(days=1))

    def _create_line(self, tv_user, addon, price):
        lines = self.env["account.analytic.invoice.line"]
        draft = lines.new({"analytic_account_id": self.contract.id, "product_id": addon.id,
                           "quantity": 1.0, "uom_id": addon.uom_id.id, "line_type": "tv"})
        draft._onchange_product_id()
        return as_system(lines).create({
            "analytic_account_id": self.contract.id, "product_id": addon.id,
            "name": draft.name or addon.display_name, "quantity": 1.0,
            "uom_id": draft.uom_id.id or addon.uom_id.id, "line_type": "tv",
            "automatic_price": False, "specific_price": price, "tv_user_id": tv_user.id,
            "tv_addon_from": fields.Date.to_string(self.today)})

    def _sync(self, tv_user):
        """The TV user's sync sends its packages (a proposal of the sales
        flow waits for Create on platform, which sends them)."""
        if not tv_user._tv_is_proposal():
            as_system(tv_user)._tv_request_sync()

    def _labels(self, tv_user, addon, requester, preview):
        """The chatter's words: the date and the price as the caller's
        language writes them (05/12/2026, R$ 29,90)."""
        return {"addon": addon.display_name, "login": tv_user.login,
                "requester": requester.name, "date": format_date(self.env, preview["date"]),
                "price": formatLang(self.env, preview["price"],
                                    currency_obj=self.system.company_id.currency_id)}

    def _post(self, body, tv_user, requester):
        author = requester.partner_id.id
        self.system.message_post(body=body, author_id=author)
        as_system(tv_user).message_post(body=body, author_id=author)
