"""A realistic database of the first release, filled through XML-RPC the way
an ISP's operators and the platform would have filled it: integrations, TV
products, contracts in every status, TV users in every platform and sync
state (pending work included), a delinquency policy, a trust release, the
audit trail, a linked subscriber, tuned settings."""
from oletv_testing.odoo_server import wait_until

CUSTOMERS = (  # (key, product, what happens to its TV user / contract)
    ("active", "basic", "activate"),
    ("awaiting", "basic", "create"),
    ("box", "box", "activate"),
    ("blocked", "basic", "activate", "action_contract_block"),
    ("late", "basic", "activate", "action_contract_late_notice"),
    ("trusted", "basic", "activate", "action_contract_late_notice"),
    ("deactivated", "basic", "activate", "action_contract_deactivate"),
    ("signature", "basic", "activate", "action_contract_awaiting_signature"),
    ("panel_deleted", "basic", "create"),
    ("draft", "basic", "draft"),
    ("refused", "basic", "refused"),
    ("dup_first", "basic", "create"),
    ("dup_second", "basic", "none"),
    ("linked", "basic", "none"),
    ("pending_create", "box", "none"),
    ("pending_block", "basic", "activate"),
    ("pending_delete", "basic", "activate"),
)


class Filler:

    def __init__(self, rpc, sandbox):
        self.rpc, self.sandbox = rpc, sandbox
        self.contracts, self.users = {}, {}

    def __call__(self):
        self.settings()
        self.integrations()
        self.products()
        self.policy()
        for key, product, *steps in CUSTOMERS:
            self.customer(key, product, steps[0])
        self.wait_synced()
        self.first_accesses()
        for key, _product, _first, *actions in CUSTOMERS:
            for action in actions:
                self.rpc("account.analytic.account", action, [self.contracts[key]])
        self.wait_synced()
        self.rpc("account.analytic.account", "action_tv_trust_release", [self.contracts["trusted"]],
                 days=2)
        self.panel_deletion()
        self.duplicate_binding()
        self.link_subscriber()
        self.wait_synced()
        self.pending_work()
        return self

    # -- configuration -----------------------------------------------------

    def settings(self):
        for key, value in (("oletv_integration.homologation_url", self.sandbox.url),
                           ("oletv_integration.retry_base_seconds", "1"),
                           ("oletv_integration.retry_max_seconds", "4"),
                           ("oletv_integration.reconcile_spot_check", "500")):
            self.rpc("ir.config_parameter", "set_param", key, value)
        cron = self.rpc.ref("oletv_integration.cron_tv_reconcile")
        self.rpc("ir.cron", "write", [cron], {"interval_number": 30})  # tuned by the ISP

    def integrations(self):
        credentials = {"environment": "homologation", "access_token": self.sandbox.token,
                       "api_login": self.sandbox.login, "api_password": self.sandbox.password,
                       "timeout_seconds": 2}
        self.integration = self.rpc("tv.integration", "create", dict(
            credentials, name="Olé TV", max_concurrency=3))
        self.rpc("tv.integration", "action_sync_catalog", [self.integration])
        branch = self.rpc("tv.integration", "create", dict(credentials, name="Olé TV (branch)"))
        self.rpc("tv.integration", "action_sync_catalog", [branch])
        self.rpc("tv.integration", "write", [branch], {"active": False})

    def code(self, model, code):
        return self.rpc(model, "search", [("integration_id", "=", self.integration),
                                          ("code", "=", code)])[0]

    def products(self):
        package = lambda code: self.code("tv.package", code)  # noqa: E731
        self.basic = self.rpc("product.product", "create", {
            "name": "TV Básico", "type": "service", "list_price": 49.9, "is_tv_product": True,
            "tv_platform": "oletv", "tv_integration_id": self.integration,
            "tv_main_package_id": package("BASIC"),
            "tv_additional_line_ids": [(0, 0, {"package_id": package("HBO")})]})
        self.box = self.rpc("product.product", "create", {
            "name": "TV Família com equipamento", "type": "service", "list_price": 89.9,
            "is_tv_product": True, "tv_platform": "oletv", "tv_integration_id": self.integration,
            "tv_main_package_id": package("FAMILY"), "tv_with_equipment": True,
            "tv_additional_line_ids": [(0, 0, {"package_id": package("SPORTS")}),
                                       (0, 0, {"package_id": package("EXTRA_POINT")})]})
        self.equipment = self.code("tv.equipment.model", "STB-X1")

    def policy(self):
        existing = self.rpc("tv.delinquency.policy", "search", [])
        values = {"late_notice_days": 4, "block_days": 12, "trust_release_days": 2,
                  "trust_release_max_days": 5}
        if existing:
            self.rpc("tv.delinquency.policy", "write", existing, values)
        else:
            self.rpc("tv.delinquency.policy", "create", values)

    # -- customers -----------------------------------------------------------

    def contract(self, key, product):
        partner = self.rpc("res.partner", "create", {
            "name": "Upgrade %s" % key, "email": "%s@upgrade.example.com" % key})
        uom = self.rpc("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
        self.contracts[key] = self.rpc("account.analytic.account", "create", {
            "name": "Upgrade contract %s" % key, "code": "UPG-%s" % key.upper(),
            "partner_id": partner, "recurring_invoices": True,
            "recurring_invoice_line_ids": [(0, 0, {
                "line_type": "tv", "product_id": product, "name": "TV", "quantity": 1,
                "uom_id": uom, "specific_price": 49.9})]})
        return self.contracts[key]

    def tv_user(self, key, product, **context):
        values = {"contract_id": self.contracts[key], "product_id": product}
        if product == self.box:
            values.update(equipment_model_id=self.equipment,
                          mac_devices="aa:bb:cc:00:00:%02x\n" % len(self.users))
        self.users[key] = self.rpc("tv.user", "create", values, context=context)
        return self.users[key]

    def customer(self, key, product_name, first):
        product = self.basic if product_name == "basic" else self.box
        self.contract(key, product)
        if first in ("create", "activate"):
            self.tv_user(key, product)
        elif first == "draft":  # a proposal not yet sent to the platform
            self.tv_user(key, product, tv_no_platform_sync=True)
        elif first == "refused":  # the platform refuses: IP not released
            self.sandbox.set_ip_allowlist(True, ["10.9.9.9"])
            self.tv_user(key, product)
            wait_until(lambda: self.state(key)["sync_state"] == "error", 30, "refusal")
            self.sandbox.set_ip_allowlist(False)

    def state(self, key):
        return self.rpc("tv.user", "read", [self.users[key]],
                        ["platform_state", "sync_state", "account_number", "active"],
                        context={"active_test": False})[0]

    def wait_synced(self):
        wait_until(lambda: not self.rpc("tv.user", "search_count",
                                        [("sync_state", "=", "pending")]),
                   90, "every TV user synced")

    def reconcile(self):
        self.rpc("ir.cron", "method_direct_trigger",
                 [self.rpc.ref("oletv_integration.cron_tv_reconcile")])
        self.wait_synced()

    def first_accesses(self):
        for key, _product, first, *_actions in CUSTOMERS:
            if first == "activate":
                self.sandbox.first_access(self.state(key)["account_number"])
        self.reconcile()

    def panel_deletion(self):
        self.sandbox.delete_from_panel(self.state("panel_deleted")["account_number"])
        self.reconcile()
        assert self.state("panel_deleted")["platform_state"] == "deleted"

    def duplicate_binding(self):
        """The first release's flaw: deleted on the panel, the login reused by
        another contract, then *Re-create on platform* on the first adopts
        the second's subscriber. Databases of that release may hold it."""
        self.sandbox.delete_from_panel(self.state("dup_first")["account_number"])
        self.reconcile()
        first = self.rpc("tv.user", "read", [self.users["dup_first"]], ["login"])[0]["login"]
        self.users["dup_second"] = self.rpc("tv.user", "create", {
            "contract_id": self.contracts["dup_second"], "product_id": self.basic,
            "use_main_email": False, "login": first})
        self.wait_synced()
        self.rpc("tv.user", "action_recreate_on_platform", [self.users["dup_first"]])
        self.wait_synced()
        self.duplicate_account = self.state("dup_second")["account_number"]
        assert self.state("dup_first")["account_number"] == self.duplicate_account

    def link_subscriber(self):
        login = "linked@upgrade.example.com"
        self.sandbox.seed_subscriber(login=login, main_package="BASIC",
                                     additional_packages=["HBO"], status="active")
        rows = self.rpc("tv.integration", "link_existing_subscribers", [self.integration],
                        "contract,login\nUPG-LINKED,%s\n" % login, dry_run=False)
        assert [row["status"] for row in rows] == ["linked"], rows
        self.users["linked"] = rows[0]["tv_user_id"]

    def pending_work(self):
        """Changes made while the platform is down: they wait in the queue."""
        self.sandbox.set_faults(down=True)
        self.tv_user("pending_create", self.box)
        self.rpc("account.analytic.account", "action_contract_block",
                 [self.contracts["pending_block"]])
        self.rpc("tv.user", "unlink", [self.users["pending_delete"]])
        wait_until(lambda: self.rpc("queue.job", "search_count", [
            ("retry", ">", 0), ("state", "=", "pending")]) >= 3,
                   30, "the jobs tried the platform and wait to retry")
        pending = self.rpc("tv.user", "search_count", [("sync_state", "=", "pending")],
                           context={"active_test": False})
        assert pending == 3, pending


class NoticeFiller:
    """A database of the previous release, with what an ISP has of the
    customer notices: a policy whose switches were set by hand, the blocked
    notice's template edited (body, and its pt_BR translation), a notice
    already sent and a notice job still waiting when the upgrade starts."""

    TEMPLATE = "oletv_integration.mail_template_tv_suspended"  # its name then
    EDIT = "<p>Edited by the ISP: call 0800 000 0000.</p>"
    EDIT_PT = "<p>Editado pelo provedor: ligue 0800 000 0000.</p>"

    def __init__(self, rpc):
        self.rpc = rpc
        self.contracts = {}

    def __call__(self):
        self.policy = self.rpc("tv.delinquency.policy", "create", {})  # defaults
        self.set_switches(True)
        self.template = self.rpc.ref(self.TEMPLATE)
        self.edit_template()
        for key in ("sent", "waiting"):
            self.contract(key)
        self.rpc("account.analytic.account", "action_contract_block", [self.contracts["sent"]])
        self.run_notice_jobs()
        self.sent = self.rpc("mail.mail", "search", [("tv_notice", "!=", False)])
        assert len(self.sent) == 1, self.sent
        self.rpc("account.analytic.account", "action_contract_block",
                 [self.contracts["waiting"]])
        self.waiting_jobs = self.notice_jobs()
        assert len(self.waiting_jobs) == 1, self.waiting_jobs
        self.set_switches(False)  # the ISP switched the blocked notice off since
        return self

    def set_switches(self, blocked):
        self.rpc("tv.delinquency.policy", "write", [self.policy], {
            "notify_welcome": False, "notify_late_notice": True, "notify_reduced": True,
            "notify_suspended": blocked, "notify_released": True})

    def edit_template(self):
        for lang, edit in (("en_US", self.EDIT), ("pt_BR", self.EDIT_PT)):
            body = self.rpc("mail.template", "read", [self.template], ["body_html"],
                            context={"lang": lang})[0]["body_html"]
            assert body.count("</div>") == 1, body
            self.rpc("mail.template", "write", [self.template],
                     {"body_html": body.replace("</div>", edit + "</div>")},
                     context={"lang": lang})

    def contract(self, key):
        partner = self.rpc("res.partner", "create", {
            "name": "Notice %s" % key, "email": "%s@notice.example.com" % key})
        self.contracts[key] = self.rpc("account.analytic.account", "create", {
            "name": "Notice contract %s" % key, "code": "NOT-%s" % key.upper(),
            "partner_id": partner})
        return self.contracts[key]

    def notice_jobs(self, states=("pending", "enqueued", "started")):
        return self.rpc("queue.job", "search", [
            ("method_name", "=", "_tv_send_status_notices"), ("state", "in", list(states))])

    def run_notice_jobs(self):
        """The notice jobs wait two minutes: run them now."""
        jobs = self.notice_jobs()
        assert jobs, "a notice job was queued"
        self.rpc("queue.job", "write", jobs, {"eta": False})
        wait_until(lambda: not self.notice_jobs(), 60, "the notice job ran")
        failed = self.notice_jobs(states=("failed",))
        assert not failed, self.rpc("queue.job", "read", failed, ["exc_info"])
