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
record rules for portal users."""
from odoo.exceptions import AccessError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..core import portal_status as status_rules


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

    def _tv_render(self, tv_users, single):
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "tv",
            "tv_single": single,
            "tv_cards": [self._tv_card(tv_user) for tv_user in tv_users],
        })
        return request.render("oletv_integration.portal_my_tv", values)

    def _tv_card(self, tv_user):
        """What the page shows of one TV user (plain values). Its invoices
        are overdue from the contract company's day (_tv_today), as for the
        delinquency policy and the notices: never from the request's time
        zone, which the customer's browser or preferences set."""
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
