# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where people look at revenue assurance, as the roles: the menu (TV
managers and billing users; the TV manager also from the TV back office),
the pivot and graph of the months and the leaks, the TV dashboard's tile
of the last month computed, and the dispute export a controller sends to
Olé TV. The month is test_platform_history's November built on the
sandbox, with Olé TV's bill off by 3 on BASIC: the export's figures and
its subscribers are checked against it. Refused: the salesperson, the TV
read-only user, company B's users, the portal customer; over HTTP too."""
import csv
import io

from lxml import etree

from odoo.exceptions import AccessError, UserError

from ..services.dispute_export import DisputeExport
from ..services.tv_roles import as_system
from .portal_common import PortalHttpCase
from .security_common import make_role_users
from .test_platform_history import NOVEMBER, PlatformMonthCase

MONTH = "2026-11-01"
MENUS = ("menu_tv_revenue", "menu_tv_revenue_line", "menu_tv_revenue_leak",
         "menu_tv_revenue_span", "menu_tv_revenue_back_office")


def read_csv(data, separator):
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


class TestRevenueScreens(PlatformMonthCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ole = cls.env["res.partner"].create({"name": "Olé TV Ltda", "supplier": True,
                                                 "is_company": True})

    def setUp(self):
        super().setUp()
        self.manager, self.clerk = self.users_a["manager"], self.users_a["clerk"]
        self.accounts = self.build_month()
        self.integration.sudo(self.manager).write({"vendor_partner_id": self.ole.id})
        for package, price in ((self.pkg_basic, 20.0), (self.pkg_family, 30.0),
                               (self.pkg_hbo, 10.0)):
            package.sudo(self.manager).write({"platform_price": price})
        self.register_bill(self.clerk, self.ole)
        self.integration.sudo(self.manager).action_compute_revenue_month(MONTH)

    def rows(self, user):
        return self.env["tv.revenue.line"].sudo(user).search(
            [("integration_id", "=", self.integration.id), ("month", "=", MONTH)])

    # -- the menu ----------------------------------------------------------------

    def visible_menus(self, user):
        menus = self.env["ir.ui.menu"].sudo(user).search(
            [("id", "in", [self.env.ref("oletv_integration.%s" % xmlid).id for xmlid in MENUS])])
        return {xmlid for xmlid in MENUS
                if self.env.ref("oletv_integration.%s" % xmlid) in menus.sudo()}

    def test_the_menu_for_the_managers_and_the_billing_users_only(self):
        self.assertEqual(self.visible_menus(self.manager), set(MENUS))
        only_invoicing = set(MENUS) - {"menu_tv_revenue_back_office"}
        self.assertEqual(self.visible_menus(self.clerk), only_invoicing)
        self.assertEqual(self.visible_menus(self.invoicing_manager), only_invoicing)
        for role in ("salesperson", "viewer", "employee"):
            self.assertEqual(self.visible_menus(self.users_a[role]), set(), role)

    def test_the_clerk_reads_the_month_with_no_compute_and_no_remedy(self):
        action = self.env.ref("oletv_integration.action_tv_revenue_line")
        self.assertEqual(action.view_mode, "tree,pivot,graph,form")
        self.assertEqual(self.env.ref("oletv_integration.action_tv_revenue_leak").view_mode,
                         "tree,pivot,graph,form")
        # a leak's form: its remedies in the header, the TV roles' only (Odoo hides a
        # button of another group: always invisible)
        for user, shown in ((self.clerk, False), (self.manager, True)):
            form = etree.fromstring(self.env["tv.revenue.leak"].sudo(user).fields_view_get(
                view_type="form")["arch"])
            buttons = form.xpath("//header/button[@name='action_link']")
            self.assertEqual(len(buttons), 1)
            self.assertEqual('"invisible": true' in buttons[0].get("modifiers"), not shown)
        rows = self.rows(self.clerk)
        self.assertEqual(len(rows), 3)
        # the export is his too; the rows are read-only, a Compute refused
        self.assertEqual(rows[0].action_dispute_export()["type"], "ir.actions.act_url")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rows[0].write({"bill_quantity": 1.0})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.integration.sudo(self.clerk).action_compute_revenue_month(MONTH)
        leaks = self.env["tv.revenue.leak"].sudo(self.clerk)
        for method in ("action_link", "action_delete_on_platform"):
            leak = leaks.search([("integration_id", "=", self.integration.id),
                                 ("kind", "=", "unlinked_subscriber")], limit=1)
            with self.assertRaises((AccessError, UserError)), self.env.cr.savepoint():
                getattr(leak, method)()

    def test_the_pivot_per_month_package_and_integration(self):
        """The pivot's measures as the clerk's web client reads them."""
        lines = self.env["tv.revenue.line"].sudo(self.clerk)
        pivot = lines.fields_view_get(view_type="pivot")["arch"]
        for measure in ("revenue", "platform_cost", "margin", "counted_quantity",
                        "invoiced_quantity"):
            self.assertIn('name="%s"' % measure, pivot)
        self.assertIn("graph", lines.fields_view_get(view_type="graph")["arch"])
        groups = {group["package_id"][0]: group for group in lines.read_group(
            [("month", "=", MONTH)], ["package_id", "platform_cost", "margin",
                                      "counted_quantity", "amount_diff"], ["package_id"])}
        basic = groups[self.pkg_basic.id]
        self.assertAlmostEqual(basic["counted_quantity"], 3.17)
        self.assertAlmostEqual(basic["platform_cost"], 123.4)  # the bill's
        self.assertAlmostEqual(basic["amount_diff"], 60.0)
        by_integration = lines.read_group([], ["integration_id", "month", "margin"],
                                          ["integration_id", "month:month"], lazy=False)
        self.assertEqual(len(by_integration), 1)
        leaks = self.env["tv.revenue.leak"].sudo(self.clerk).read_group(
            [("month", "=", MONTH)], ["kind", "amount"], ["kind"])
        kinds = {group["kind"]: group["amount"] for group in leaks}
        # dora: BASIC 25 billable days linked to no TV user, 25 x 20 / 30
        self.assertAlmostEqual(kinds["unlinked_subscriber"], 16.67)
        for role in ("salesperson", "viewer"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.env["tv.revenue.line"].sudo(self.users_a[role]).read_group(
                    [], ["package_id", "margin"], ["package_id"])

    # -- the dashboard's tile -------------------------------------------------------

    def test_the_tile_shows_the_last_month_to_its_readers_only(self):
        rows = self.rows(self.manager)
        leaks = self.env["tv.revenue.leak"].search(
            [("integration_id", "=", self.integration.id), ("month", "=", MONTH)])
        for user in (self.manager, self.clerk, self.invoicing_manager):
            tile = self.integration.sudo(user).read(
                ["revenue_month", "revenue_margin", "revenue_bill_diff", "revenue_open_leaks",
                 "revenue_open_leak_amount"])[0]
            self.assertEqual(tile["revenue_month"], MONTH)
            self.assertAlmostEqual(tile["revenue_margin"], sum(rows.mapped("margin")))
            self.assertAlmostEqual(tile["revenue_bill_diff"], 60.0)
            self.assertEqual(tile["revenue_open_leaks"], len(leaks))
            self.assertAlmostEqual(tile["revenue_open_leak_amount"],
                                   sum(leaks.mapped("amount")), places=2)
        # a remedy done leaves the tile's open leaks
        as_system(leaks[:1]).write({"remedy": "linked"})
        self.integration.invalidate_cache()
        self.assertEqual(self.integration.sudo(self.manager).revenue_open_leaks, len(leaks) - 1)
        # the kanban shows it to them; the TV read-only user gets neither it nor a figure
        kanban = self.env.ref("oletv_integration.view_tv_integration_dashboard").id
        for user, shown in ((self.manager, True), (self.users_a["viewer"], False)):
            arch = self.env["tv.integration"].sudo(user).fields_view_get(
                view_id=kanban, view_type="kanban")["arch"]
            self.assertEqual("revenue_margin" in arch, shown)
        viewer = self.integration.sudo(self.users_a["viewer"])
        self.assertEqual((viewer.revenue_month, viewer.revenue_margin, viewer.revenue_open_leaks),
                         (False, 0.0, 0))
        # company B's manager reads none of company A's integration
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.integration.sudo(self.users_b["manager"]).read(["revenue_margin"])

    def test_the_tile_opens_its_months_lists(self):
        integration = self.integration.sudo(self.manager).with_context(tv_revenue_tile=1)
        # an older month computed: the tile's lists keep to the last one
        self.integration.sudo(self.manager).action_compute_revenue_month("2026-10-01")
        lines = integration.action_open_revenue_lines()
        self.assertIn(("month", "=", MONTH), lines["domain"])
        leaks = integration.action_open_revenue_leaks()
        self.assertIn(("remedy", "=", False), leaks["domain"])
        found = self.env["tv.revenue.line"].sudo(self.manager).search(lines["domain"])
        self.assertEqual(set(found.mapped("month")), {MONTH})
        everything = self.integration.sudo(self.manager).action_open_revenue_lines()
        self.assertEqual(everything["domain"], [("integration_id", "=", self.integration.id)])

    # -- the dispute export -------------------------------------------------------------

    def test_the_dispute_export_sets_the_bill_against_the_counted_subscribers(self):
        name, data = DisputeExport(self.integration.sudo(self.clerk), NOVEMBER).content()
        self.assertEqual(name, "dispute-Olé-TV-test-2026-11.csv")
        found = read_csv(data, ",")
        self.assertEqual(found[0], ["Integration", "Olé TV test"])
        self.assertEqual(found[1], ["Month", "2026-11"])
        header = found[found.index([]) + 1]
        self.assertEqual(header[:5], ["Package code", "Package", "Quantity billed",
                                      "Amount billed", "Counted quantity"])
        packages = {row[0]: dict(zip(header, row)) for row in
                    found[found.index(header) + 1:found.index([], found.index(header))]}
        basic = packages["BASIC"]
        self.assertEqual((basic["Quantity billed"], basic["Amount billed"],
                          basic["Counted quantity"], basic["Subscribers"],
                          basic["Subscriber-days"], basic["Quantity difference"],
                          basic["Amount difference"]),
                         ("6.17", "123.40", "3.17", "4", "95", "3.00", "60.00"))
        self.assertEqual(packages["FAMILY"]["Quantity difference"], "0.00")
        # the subscribers behind each count (by hand: test_platform_history)
        second = found.index(["Package code", "Account number", "Login", "Billable days"])
        subscribers = [tuple(row) for row in found[second + 1:]]
        acc = self.accounts
        self.assertEqual([row for row in subscribers if row[0] == "BASIC"], sorted([
            ("BASIC", acc["ana"], "ana@example.com", "30"),
            ("BASIC", acc["caio"], "caio@example.com", "15"),
            ("BASIC", acc["dora"], "dora@example.com", "25"),
            ("BASIC", acc["edu"], "edu@example.com", "25")]))
        self.assertEqual(sum(int(row[3]) for row in subscribers if row[0] == "HBO"), 35)
        # each package's list adds up to its count
        for code, row in packages.items():
            self.assertEqual(sum(int(sub[3]) for sub in subscribers if sub[0] == code),
                             int(row["Subscriber-days"]), code)

    def test_a_portuguese_user_gets_semicolons_and_a_decimal_comma(self):
        clerk = self.integration.sudo(self.clerk).with_context(lang="pt_BR")
        _name, data = DisputeExport(clerk, NOVEMBER).content()
        found = read_csv(data, ";")
        self.assertEqual(found[1][1], "11/2026")
        self.assertTrue(any(row[:5] == ["BASIC", self.pkg_basic.name, "6,17", "123,40", "3,17"]
                            for row in found), found)

    def test_the_export_is_refused_to_who_may_not_read_the_month(self):
        for user in (self.users_a["salesperson"], self.users_a["viewer"],
                     self.users_a["employee"], self.users_a["portal"],
                     self.users_b["manager"], self.users_b["clerk"]):
            with self.assertRaises(AccessError, msg=user.login), self.env.cr.savepoint():
                DisputeExport(self.integration.sudo(user), NOVEMBER).content()
        for user in (self.manager, self.invoicing_manager):
            self.assertTrue(DisputeExport(self.integration.sudo(user), NOVEMBER).content()[1])
        with self.assertRaises(UserError):
            DisputeExport(self.integration.sudo(self.clerk), "2026-09-01").content()


class TestDisputeDownload(PortalHttpCase):
    """The download over HTTP (controllers/revenue.py): as the logged-in
    user; a refusal is 403, a month not computed 404, no session the login."""

    def setUp(self):
        super().setUp()
        self.integration = self.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({"name": "Olé TV HTTP",
                                                   "environment": "homologation"})
        package = self.env["tv.package"].create({"integration_id": self.integration.id,
                                                 "code": "BASIC", "name": "Básico",
                                                 "kind": "main"})
        as_system(self.env["tv.revenue.line"]).create({
            "integration_id": self.integration.id, "company_id": self.env.user.company_id.id,
            "month": MONTH, "package_id": package.id, "package_code": "BASIC",
            "status": "differs", "counted_quantity": 2.0, "bill_quantity": 5.0,
            "bill_amount": 100.0, "quantity_diff": 3.0, "amount_diff": 60.0})
        self.users = make_role_users(self.env, self.env.user.company_id, "http")
        self.path = "/oletv/revenue/dispute/%d/%s" % (self.integration.id, MONTH)

    def test_the_clerk_downloads_others_are_refused(self):
        clerk_row = self.env["tv.revenue.line"].sudo(self.users["clerk"]).search(
            [("integration_id", "=", self.integration.id)])
        self.assertEqual(clerk_row.action_dispute_export()["url"], self.path)
        self.login_as(self.users["clerk"])
        response = self.get(self.path)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("2026-11.csv", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        self.assertIn("BASIC", response.content.decode("utf-8-sig"))
        self.assertEqual(self.get(self.path.replace(MONTH, "2026-09-01")).status_code, 404)
        for role in ("salesperson", "viewer"):
            self.login_as(self.users[role])
            self.assertEqual(self.get(self.path).status_code, 403, role)
        self.anonymous()
        response = self.get(self.path, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
