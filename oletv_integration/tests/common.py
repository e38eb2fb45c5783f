# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared fixtures: an integration with a catalog, TV products and a customer
contract with a TV/Streaming line. Platform calls are mocked with
`responses` on a loopback URL, or served by the real sandbox (e2e)."""
import json

import responses

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.tests.common import SavepointCase, at_install, post_install

MOCK_URL = "http://127.0.0.1:9"


def subscriber_payload(account="OLE-000001", login="ana@example.com", status="awaiting_activation",
                       main="BASIC", additional=(), equipment=None):
    return {"account_number": account, "login": login, "status": status,
            "main_package": main, "additional_packages": list(additional),
            "mac_devices": [], "equipment": equipment, "technology": "iptv",
            "external_ref": None, "first_access_at": None,
            "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:00:00Z"}


def error_payload(code, message, **extra):
    error = {"code": code, "message": message}
    error.update(extra)
    return {"error": error}


@at_install(False)
@post_install(True)
class OleTVCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.set_base_url(MOCK_URL)
        integrations = cls.env["tv.integration"].with_context(tv_skip_connection_check=True)
        cls.integration = integrations.create({
            "name": "Olé TV test", "environment": "homologation",
            "access_token": "tok-SECRET-1", "api_login": "isp", "api_password": "pw-SECRET-2",
        })
        package = cls.env["tv.package"]
        cls.pkg_basic = package.create(dict(cls._pkg("BASIC", "Básico", "main")))
        cls.pkg_family = package.create(dict(cls._pkg("FAMILY", "Família", "main")))
        cls.pkg_hbo = package.create(dict(cls._pkg("HBO", "HBO", "additional")))
        cls.pkg_extra = package.create(dict(cls._pkg("EXTRA_POINT", "Ponto adicional",
                                                     "additional"),
                                            extra_point=True))
        cls.equipment = cls.env["tv.equipment.model"].create({
            "integration_id": cls.integration.id, "code": "STB-X1", "name": "Set-top box X1"})
        cls.tv_product = cls.make_tv_product("TV Básico", cls.pkg_basic)
        cls.tv_product_box = cls.make_tv_product(
            "TV Família com equipamento", cls.pkg_family, [cls.pkg_hbo, cls.pkg_extra],
            with_equipment=True)
        cls.plain_product = cls.env["product.product"].create(
            {"name": "Internet 300M", "type": "service"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Ana Lima", "email": "Ana@Example.com"})
        cls.contract = cls.make_contract(cls.partner, [cls.tv_product, cls.tv_product_box])

    @classmethod
    def set_base_url(cls, url):
        cls.env["ir.config_parameter"].sudo().set_param("oletv_integration.homologation_url", url)

    @classmethod
    def _pkg(cls, code, name, kind):
        return {"integration_id": cls.integration.id, "code": code, "name": name, "kind": kind}

    @classmethod
    def make_tv_product(cls, name, main, additional=(), with_equipment=False, integration=None):
        return cls.env["product.product"].create({
            "name": name, "type": "service", "list_price": 50.0,
            "is_tv_product": True, "tv_platform": "oletv",
            "tv_integration_id": (integration or cls.integration).id,
            "tv_main_package_id": main.id, "tv_with_equipment": with_equipment,
            "tv_additional_line_ids": [(0, 0, {"package_id": package.id})
                                       for package in additional],
        })

    @classmethod
    def make_contract(cls, partner, tv_products=(), plain_products=()):
        journal = cls.env["account.journal"].search([("type", "=", "sale")], limit=1)
        lines = [(0, 0, {"line_type": "tv", "product_id": product.id, "name": product.name,
                         "quantity": 1, "uom_id": product.uom_id.id, "specific_price": 50.0})
                 for product in tv_products]
        lines += [(0, 0, {"product_id": product.id, "name": product.name, "quantity": 1,
                          "uom_id": product.uom_id.id, "specific_price": 99.0})
                  for product in plain_products]
        return cls.env["account.analytic.account"].create({
            "name": "Contract %s" % partner.name, "partner_id": partner.id,
            "recurring_invoices": True, "journal_id": journal.id,
            "recurring_rule_type": "monthly", "recurring_interval": 1,
            "recurring_invoice_line_ids": lines,
        })

    @classmethod
    def make_active_tv_contracts(cls, count, name="Bulk"):
        """`count` contracts of new customers, each with a TV user already
        active and synced on the platform (accounts OLE-000001...):
        (contracts, TV users)."""
        contracts, users = cls.env["account.analytic.account"], cls.env["tv.user"]
        for k in range(1, count + 1):
            partner = cls.env["res.partner"].create(
                {"name": "%s %d" % (name, k), "email": "%s%d@example.com" % (name.lower(), k)})
            contract = cls.make_contract(partner, [cls.tv_product])
            user = cls.env["tv.user"].with_context(tv_no_platform_sync=True).create(
                {"contract_id": contract.id, "product_id": cls.tv_product.id})
            user._tv_write_owned({"account_number": "OLE-00000%d" % k,
                                  "platform_state": "active", "sync_state": "synced"})
            contracts |= contract
            users |= user
        return contracts, users

    # -- responses helpers -------------------------------------------------

    def mock(self):
        return responses.RequestsMock(assert_all_requests_are_fired=True)

    @staticmethod
    def url(path):
        return MOCK_URL + path

    @staticmethod
    def body(call):
        return json.loads(call.request.body)

    def expect_get(self, mock, status="active", account="OLE-000001", **payload):
        mock.add(responses.GET, self.url("/v1/subscribers/%s" % account),
                 json=subscriber_payload(account=account, status=status, **payload))

    def expect_access(self, mock, action, account="OLE-000001"):
        mock.add(responses.POST, self.url("/v1/subscribers/%s/%s" % (account, action)),
                 json=subscriber_payload(account=account, status=(
                     "blocked" if action == "block" else "active")))

    def create_tv_user(self, mock, account="OLE-000001", status="awaiting_activation", **values):
        """Create a TV user on the contract and run its sync job; the
        platform answers the login is new and creates it."""
        def echo_created(request):
            sent = json.loads(request.body)
            return 201, {}, json.dumps(subscriber_payload(
                account=account, login=sent["login"], status=status, main=sent["main_package"],
                additional=sent["additional_packages"], equipment=sent["equipment"]))

        mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
        mock.add_callback(responses.POST, self.url("/v1/subscribers"), callback=echo_created,
                          content_type="application/json")
        vals = {"contract_id": self.contract.id, "product_id": self.tv_product.id}
        vals.update(values)
        user = self.env["tv.user"].create(vals)
        self.run_jobs()
        return user

    # -- queue_job -----------------------------------------------------------

    def pending_jobs(self):
        return self.env["queue.job"].search([("state", "=", "pending"),
                                             ("method_name", "=", "_tv_sync_job")])

    def perform_jobs(self, method_name):
        """Perform the pending jobs of `method_name` (no platform call of
        their own), in the order they were queued, as queue_job's runner
        would; returns their results."""
        results = []
        for record in self.env["queue.job"].search([("state", "=", "pending"),
                                                    ("method_name", "=", method_name)],
                                                   order="id"):
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            job.perform()
            job.set_done()
            job.store()
            results.append(job.result)
        return results

    def run_jobs(self, rounds=1):
        """Run the pending TV sync jobs as queue_job's runner would (eta
        ignored: the test controls time). Returns the number of retries."""
        retries = 0
        for _round in range(rounds):
            for record in self.pending_jobs():
                job = Job.load(self.env, record.uuid)
                job.set_started()
                job.store()  # as queue_job's controller, before it performs the job
                try:
                    job.perform()
                    job.set_done()
                except RetryableJobError as err:
                    retries += 1
                    job.postpone(result=str(err), seconds=err.seconds)
                    job.set_pending(reset_retry=False)
                job.store()
        return retries


class SandboxCase(OleTVCase):
    """OleTVCase against a real sandbox subprocess (reset before each test):
    the integration holds the sandbox's credentials and its synced catalog."""

    @classmethod
    def setUpClass(cls):
        from .sandbox import SandboxServer
        cls.sandbox = SandboxServer().start()
        super().setUpClass()
        cls.set_base_url(cls.sandbox.url)
        cls.integration = cls.integration.with_context(tv_skip_connection_check=False)
        cls.integration.write({"access_token": cls.sandbox.token, "api_login": cls.sandbox.login,
                               "api_password": cls.sandbox.password})
        cls.integration._tv_sync_catalog()  # no platform slot held by the class

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.sandbox.reset()

    def platform(self, account):
        """The sandbox's view of a subscriber (deleted ones included)."""
        subscribers = {s["account_number"]: s for s in self.sandbox.state()["subscribers"]}
        return subscribers[account]
