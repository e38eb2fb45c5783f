# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One user per role (docs/integrate.md, Security model) in two companies, and an
XML-RPC stand-in: the dispatcher's own checks (no private method) then the
call as that user, never as the superuser."""
from odoo import api
from odoo.exceptions import UserError
from odoo.models import check_method_name

from ..services.delinquency_ladder import DelinquencyLadder
from .common import SandboxCase

ROLE_GROUPS = {
    "manager": ["oletv_integration.group_tv_manager"],
    "operator": ["oletv_integration.group_tv_user", "account.group_account_invoice"],
    "clerk": ["account.group_account_invoice"],
    "salesperson": ["sales_team.group_sale_salesman"],
    "viewer": ["oletv_integration.group_tv_viewer"],
    "employee": ["base.group_user"],
    "portal": ["base.group_portal"],
}


def make_role_users(env, company, tag):
    """{role: res.users} for `company` (logins suffixed with `tag`)."""
    users = {}
    for role, groups in ROLE_GROUPS.items():
        users[role] = env["res.users"].with_context(no_reset_password=True).create({
            "name": "%s %s" % (role.title(), tag), "login": "%s-%s" % (role, tag),
            "email": "%s-%s@example.com" % (role, tag),
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [env.ref(group).id for group in groups])]})
    return users


class UnchangedOnRefusal(object):
    """assertRefused for cases whose snapshot() lists what a refused call
    must leave as it was (in Odoo), and whose requests_before the sandbox's
    request count before it."""

    def assertRefused(self, call, words, exception=None):
        before = self.snapshot()
        with self.assertRaises(exception or UserError) as raised, self.env.cr.savepoint():
            call()
        self.assertIn(words, raised.exception.name)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.sandbox.stats()["total_requests"], self.requests_before)


class RolesCase(SandboxCase):
    """Company A (the main company: the integration, products and contract
    of SandboxCase) and company B with its own integration, contract, TV
    user, policy, trust release and audit record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.user.company_id
        cls.company_b = cls.env["res.company"].create({"name": "ISP B"})
        cls.users_a = make_role_users(cls.env, cls.company_a, "a")
        cls.users_b = make_role_users(cls.env, cls.company_b, "b")
        cls.integration_b = cls.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({
                "name": "Olé TV B", "environment": "homologation", "company_id": cls.company_b.id,
                "access_token": "tok-B", "api_login": "isp-b", "api_password": "pw-B"})
        cls.pkg_b = cls.env["tv.package"].create({
            "integration_id": cls.integration_b.id, "code": "BASIC", "name": "Básico B",
            "kind": "main"})
        cls.tv_product_b = cls.make_tv_product("TV B", cls.pkg_b, integration=cls.integration_b)
        cls.tv_product_b.company_id = cls.company_b
        partner_b = cls.env["res.partner"].create(
            {"name": "Cliente B", "email": "cliente.b@example.com", "company_id": False})
        cls.contract_b = cls.env["account.analytic.account"].create({
            "name": "Contract B", "partner_id": partner_b.id, "company_id": cls.company_b.id,
            "recurring_invoice_line_ids": [(0, 0, {
                "line_type": "tv", "product_id": cls.tv_product_b.id, "name": "TV B",
                "quantity": 1, "uom_id": cls.tv_product_b.uom_id.id, "specific_price": 50.0})]})
        cls.tv_user_b = cls.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": cls.contract_b.id, "product_id": cls.tv_product_b.id})
        cls.tv_user_b.write({"account_number": "OLE-B-1", "platform_state": "active",
                             "sync_state": "synced"})
        cls.policy_b = cls.env["tv.delinquency.policy"].create({"company_id": cls.company_b.id})
        cls.contract_b._set_contract_status("blocked", block_reason="manual")
        DelinquencyLadder(cls.env, cls.contract_b._tv_today()).trust_release(cls.contract_b, 2)
        cls.api_call_b = cls.env["tv.api.call"].create({
            "integration_id": cls.integration_b.id, "tv_user_id": cls.tv_user_b.id,
            "operation": "get_subscriber", "request_body": "login=cliente.b@example.com"})
        cls.env["queue.job"].search([]).unlink()

    @classmethod
    def make_live_tv_user(cls, platform_state="active"):
        """A TV user of contract A bound to the platform account OLE-A-1, with
        no job queued."""
        user = cls.env["tv.user"].create(
            {"contract_id": cls.contract.id, "product_id": cls.tv_product.id})
        user.write({"account_number": "OLE-A-1", "platform_state": platform_state,
                    "sync_state": "synced"})
        cls.env["queue.job"].search([]).unlink()
        return user

    @staticmethod
    def rpc(user, model, method, *args, **kwargs):
        """What an XML-RPC `execute_kw` does, as `user`."""
        check_method_name(method)
        return api.call_kw(user.env[model].sudo(user), method, list(args), kwargs)

    def as_user(self, user, records):
        return records.sudo(user)

    def jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_tv_sync_job")])

    def pay(self, invoice, user):
        """`user` registers the payment of the invoice's residual (bank
        journal of the invoice's company) and posts it."""
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", invoice.company_id.id)], limit=1)
        payment = self.env["account.payment"].sudo(user).create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": invoice.partner_id.id, "amount": invoice.residual,
            "journal_id": bank.id,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, invoice.ids)]})
        payment.post()
        return payment
