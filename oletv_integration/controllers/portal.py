# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer portal's TV pages: /my/tv lists the logged-in customer's TV
users, /my/tv/<id> shows one, and /my (portal home) gets a "TV" entry.

Who sees what: portal users get no access right on TV users or contracts
(every XML-RPC read or write of them is refused). These pages read them with
sudo() through one domain only, `_tv_portal_domain`: the TV users whose
contract's customer is the logged-in user's commercial partner or one of
its contacts. A TV user id outside it answers 404, like an unknown one. The
template receives plain values (dicts), never the records, so it cannot
wander to other records. docs/integrate.md, "Who sees what", says why this and not
record rules for portal users.

The customer's own requests (POST /my/tv/<id>/<action>: suspension on
request, its early end, the access instructions again, a trust release, an
add-on added or removed) are
made on a TV user found the same way, and nothing else: tv.portal.request's
_tv_portal_submit runs the operator's checked paths with the system's rights
in the customer's name (why that is safe: _tv_request_post). Each form
carries Odoo's CSRF token (a POST without it is refused by Odoo before this
code runs) and a one-time token (the same form sent twice is one request);
the outcome is shown once on the page the browser is sent back to."""
import uuid

from odoo import _
from odoo.exceptions import AccessError, UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..core import addon_rules
from ..core import customer_requests as requests_rules
from ..core import portal_status as status_rules
from ..services.company_day import as_date
from ..services.tv_addons import TvAddons, addon_products
from ..services.tv_roles import as_system

# The URL's action -> the request's kind
REQUEST_ACTIONS = {
    "suspend": requests_rules.PORTAL_SUSPENSION,
    "end-suspension": requests_rules.PORTAL_SUSPENSION_END,
    "resend-instructions": requests_rules.PORTAL_RESEND,
    "trust-release": requests_rules.PORTAL_TRUST_RELEASE,
    "add-addon": requests_rules.PORTAL_ADDON_ADD,
    "remove-addon": requests_rules.PORTAL_ADDON_REMOVE,
}
# where the outcome of the last request waits for the page (the session:
# every worker reads it)
NOTICE_KEY = "oletv_portal_request"
# suspensions shown: those that count or run (ended ones within 12 months)
SHOWN_SUSPENSIONS = ("scheduled", "running", "done")


class TvCustomerPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["tv_user_count"] = request.env["tv.user"].sudo().search_count(
            self._tv_portal_domain())
        return values

    def _tv_portal_domain(self):
        """The only TV users the logged-in customer may see."""
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id)]

    def _tv_portal_users(self, tv_user_id=None):
        domain = self._tv_portal_domain()
        if tv_user_id is not None:
            domain = [("id", "=", tv_user_id)] + domain
        # sudo: portal users have no access right on TV users; the domain
        # above is the only way in
        return request.env["tv.user"].sudo().search(domain)

    @route(["/my/tv"], type="http", auth="user", website=True)
    def portal_my_tv(self, **kw):
        return self._tv_render(self._tv_portal_users(), single=False)

    @route(["/my/tv/<int:tv_user_id>"], type="http", auth="user", website=True)
    def portal_my_tv_user(self, tv_user_id, **kw):
        tv_user = self._tv_portal_users(tv_user_id)
        if not tv_user:
            return request.not_found()
        return self._tv_render(tv_user, single=True)

    @route(["/my/tv/<int:tv_user_id>/<any(%s):action>" % ",".join(
        "'%s'" % action for action in sorted(REQUEST_ACTIONS))],
           type="http", auth="user", website=True, methods=["POST"])
    def portal_my_tv_request(self, tv_user_id, action, **post):
        """A customer's own request about one of their TV users. Odoo has
        already refused a POST without the session's CSRF token."""
        tv_user = self._tv_portal_users(tv_user_id)
        if not tv_user:
            return request.not_found()
        values = {"date_from": post.get("date_from"), "date_to": post.get("date_to")}
        if REQUEST_ACTIONS[action] == requests_rules.PORTAL_SUSPENSION_END:
            suspension = self._tv_portal_suspension(tv_user, post.get("suspension_id"))
            if not suspension:
                return request.not_found()
            values["suspension"] = suspension
        if REQUEST_ACTIONS[action] in (requests_rules.PORTAL_ADDON_ADD,
                                       requests_rules.PORTAL_ADDON_REMOVE):
            addon = self._tv_portal_addon(tv_user, REQUEST_ACTIONS[action],
                                          post.get("product_id"))
            if not addon:
                return request.not_found()
            values["addon"] = addon
        state, message, _row = self._tv_request_post(
            tv_user, REQUEST_ACTIONS[action], post.get("request_token"), values)
        request.session[NOTICE_KEY] = {"tv_user_id": tv_user.id, "state": state,
                                       "message": message}
        return request.redirect("/my/tv/%d" % tv_user.id)

    def _tv_request_post(self, tv_user, kind, token, values):
        """Make the request with the system's rights (sudo): the portal user
        has no access right on TV users, contracts or their logs. Safe
        because `tv_user` (and any suspension in `values`) was found through
        `_tv_portal_domain` only, the logged-in customer's own, and because
        the request runs the same checked paths as the operator's (the
        policy's rules, the contract's status), named after the customer
        (`requester`), never a write the form chooses."""
        # sudo: see the docstring; the only caller found tv_user through the domain
        requests = request.env["tv.portal.request"].sudo()
        return requests._tv_portal_submit(tv_user, request.env.user, kind, token, values)

    def _tv_portal_suspension(self, tv_user, suspension_id):
        """The suspension `suspension_id` if it is of `tv_user`'s contract
        (found through the portal's domain), else an empty recordset."""
        try:
            suspension_id = int(suspension_id)
        except (TypeError, ValueError):
            return request.env["tv.request.suspension"].sudo().browse()
        return tv_user.contract_id.sudo().tv_suspension_ids.filtered(
            lambda suspension: suspension.id == suspension_id)

    def _tv_portal_addon(self, tv_user, kind, product_id):
        """The add-on `product_id` if this TV user (found through the
        portal's domain) is offered it (adding) or has it (removing), else
        an empty recordset."""
        try:
            product_id = int(product_id)
        except (TypeError, ValueError):
            return request.env["product.product"].sudo().browse()
        held, offered = self._tv_addon_products(tv_user)
        choices = offered if kind == requests_rules.PORTAL_ADDON_ADD else held
        return choices.filtered(lambda product: product.id == product_id)

    def _tv_addon_products(self, tv_user):
        """(the add-ons the TV user has, those its plan offers it besides)."""
        return addon_products(tv_user)

    def _tv_addons(self, tv_user, today):
        """The add-ons shown: each with what adding or removing it means
        (services/tv_addons.py's preview: price, date, first amount), or
        the reason the rules refuse it."""
        held, offered = self._tv_addon_products(tv_user)
        if not (held or offered):
            return None
        addons = TvAddons(as_system(tv_user.contract_id), today)
        currency = tv_user.contract_id.company_id.currency_id
        add_refusal = request.env["tv.portal.request"].sudo()._tv_addon_add_refusal(
            tv_user.sudo().contract_id)

        def shown(product, action):
            entry = {"id": product.id, "name": product.display_name, "refusal": None}
            if action == addon_rules.ADD and add_refusal:
                entry["refusal"] = add_refusal
                return entry
            try:
                preview = addons.preview(tv_user, product, action)
            except UserError as refusal:
                entry["refusal"] = refusal.name
                return entry
            entry.update(preview, currency=currency,
                         amount=abs(preview["amount"]), credit=preview["amount"] < 0)
            return entry
        return {"held": [shown(product, addon_rules.REMOVE) for product in held],
                "offered": [shown(product, addon_rules.ADD) for product in offered]}

    def _tv_render(self, tv_users, single):
        values = self._prepare_portal_layout_values()
        notice = request.session.pop(NOTICE_KEY, None) if single else None
        values.update({
            "page_name": "tv",
            "tv_single": single,
            "tv_cards": [self._tv_card(tv_user, requests=single) for tv_user in tv_users],
            "tv_notice": notice if notice and notice.get("tv_user_id") in tv_users.ids
            else None,
        })
        return request.render("oletv_integration.portal_my_tv", values)

    def _tv_card(self, tv_user, requests=False):
        """What the page shows of one TV user (plain values). Its invoices
        are overdue from the contract company's day (_tv_today), as for the
        delinquency policy and the notices: never from the request's time
        zone, which the customer's browser or preferences set. `requests`:
        with the forms of the customer's own requests (the page of one TV
        user)."""
        contract = tv_user.contract_id
        status = status_rules.tv_status(contract.contract_status, contract.tv_access,
                                        contract.block_reason, tv_user.platform_state)
        product = tv_user.product_id
        return {
            "id": tv_user.id,
            "login": tv_user.login,
            "product": product.name,
            "contract": contract.name,
            "main_package": product.tv_main_package_id.name,
            "additional_packages": product.tv_additional_line_ids.mapped("package_id.name"),
            "additional_available": status_rules.additional_packages_available(status),
            "status": status,
            "label_class": status_rules.LABEL_CLASSES[status],
            "suspended_until": contract.tv_suspended_until,
            "instructions": (tv_user.integration_id.access_instructions
                             if status_rules.shows_instructions(status) else False),
            "invoices": [self._tv_invoice(invoice)
                         for invoice in contract._tv_overdue_invoices(contract._tv_today())],
            "equipment": tv_user.equipment_model_id.name or False,
            "macs": (tv_user.mac_devices or "").split(),
            "requests": self._tv_requests(tv_user, status) if requests else None,
        }

    def _tv_requests(self, tv_user, status):
        """What the customer may ask about this TV user, and the figures
        shown beside the forms (plain values), the add-ons with what adding
        or removing each means."""
        contract = tv_user.contract_id
        today = contract._tv_today()
        policy = contract._tv_delinquency_policy()
        allowed, taken, left = contract._tv_suspension_allowance(today)
        refusal = contract._tv_why_not_suspendable(today) if policy else _(
            "Your provider does not take suspensions on request here.")
        if not refusal and not allowed:
            refusal = _("Your provider does not take suspensions on request here.")
        suspensions = contract.sudo().tv_suspension_ids.filtered(
            lambda suspension: suspension.state in SHOWN_SUSPENSIONS
            and (suspension.state != "done"
                 or (today - as_date(suspension.date_end or suspension.date_to)).days
                 < requests_rules.YEAR_DAYS))
        trust_refusal = request.env["tv.portal.request"].sudo()._tv_trust_refusal(
            contract, today)
        return {
            "token": uuid.uuid4().hex,
            "today": today.isoformat(),
            "suspension_refusal": refusal,
            "anatel": bool(policy) and policy.suspension_preset == "anatel",
            "min_days": policy.suspension_min_days if policy else 0,
            "max_days": allowed,
            "max_count": policy.suspension_max_count if policy else 0,
            "up_to_date": bool(policy) and policy.suspension_up_to_date,
            "days_taken": taken,
            "days_left": left,
            "suspensions": [{
                "id": suspension.id, "date_from": suspension.date_from,
                "date_to": suspension.date_end or suspension.date_to,
                "state": suspension.state, "can_end": suspension.tv_can_end,
            } for suspension in suspensions],
            "resend": bool(tv_user.tv_can_resend_access_instructions
                           and contract.partner_id.email),
            "email": contract.partner_id.email or "",
            "trust_release": trust_refusal is None,
            "trust_days": policy.trust_release_days if policy else 0,
            "addons": self._tv_addons(tv_user, today),
            "status": status,
        }

    def _tv_invoice(self, invoice):
        return {
            "number": invoice.number or invoice.display_name,
            "date_due": invoice.date_due,
            "residual": invoice.residual,
            "currency": invoice.currency_id,
            "url": self._tv_invoice_url(invoice),
        }

    def _tv_invoice_url(self, invoice):
        """The account module's portal page of the invoice: as the customer
        when Odoo's invoice rules let them read it (a follower), otherwise
        with the invoice's access token (the link Odoo's invoice e-mail
        gives)."""
        url = "/my/invoices/%d" % invoice.id
        try:
            as_customer = invoice.sudo(request.env.uid)
            as_customer.check_access_rights("read")
            as_customer.check_access_rule("read")
        except AccessError:
            if invoice.access_token:
                return "%s?access_token=%s" % (url, invoice.access_token)
        return url
