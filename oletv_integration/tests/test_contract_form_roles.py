# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract form as each role sees it: the TV buttons only for those
whose call the Python check lets through (the TV operators), the
Delinquency page for those who may read it (the TV roles and billing), and
the form loads for every role (what the web client reads, as that user)."""
import json

from lxml import etree

from odoo.exceptions import AccessError

from .common import OleTVCase
from .security_common import make_role_users

CONTRACT_FORM = "contract.account_analytic_account_recurring_form_form"
# the contract form's TV buttons (name or action xml id): all TV operators'
OPERATOR_BUTTONS = (
    "action_contract_activate", "action_contract_release", "action_contract_late_notice",
    "action_contract_block", "action_contract_awaiting_signature",
    "action_contract_deactivate", "action_tv_trust_release", "action_tv_confirm_termination",
    "oletv_integration.action_tv_request_suspension_wizard",
    "oletv_integration.action_tv_plan_change_wizard")
# the pages that show TV records, read by the TV roles and billing
TV_PAGES = ("tv", "delinquency", "tv_suspensions", "tv_plan_changes")
OPERATORS = ("manager", "operator")
CONTRACT_OWN = {"recurring_invoice_line_ids"}
READERS = OPERATORS + ("viewer", "clerk")
ROLES = READERS + ("salesperson", "employee")


class TestContractFormRoles(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_role_users(cls.env, cls.env.user.company_id, "form")

    def form(self, user):
        """(arch, fields) of the contract form (the contracts' menu's) as
        `user` gets it."""
        view = self.env["account.analytic.account"].sudo(user).fields_view_get(
            view_id=self.env.ref(CONTRACT_FORM).id, view_type="form")
        return etree.fromstring(view["arch"]), view["fields"]

    @staticmethod
    def shown(nodes):
        """Whether the user may see the node: in the arch, unless a groups=
        the user lacks made it invisible for good (Odoo 11 keeps the node,
        its attrs dropped); a view of groups the user lacks is not applied
        at all."""
        return any(json.loads(node.get("modifiers") or "{}").get("invisible") is not True
                   for node in nodes)

    def test_buttons_for_the_operators_only(self):
        for role in ROLES:
            arch, _fields = self.form(self.users[role])
            for name in OPERATOR_BUTTONS:
                if "." in name:
                    name = str(self.env.ref(name).id)
                self.assertEqual(self.shown(arch.xpath("//header/button[@name='%s']" % name)),
                                 role in OPERATORS, (role, name))
            self.assertTrue(self.shown(arch.xpath("//header/field[@name='contract_status']")))

    def test_tv_pages_for_the_tv_roles_and_billing(self):
        for role in ROLES:
            arch, _fields = self.form(self.users[role])
            for name in TV_PAGES:
                self.assertEqual(self.shown(arch.xpath("//page[@name='%s']" % name)),
                                 role in READERS, (role, name))
            self.assertEqual(self.shown(arch.xpath("//button[@name='action_view_tv_users']")),
                             role in READERS, role)

    def unreadable(self, user, records, names):
        """The fields of `names` the web client would fail to read as `user`
        on `records`, and, for those it reads, those of their x2many lines."""
        failed = set()
        for name in names:
            try:
                with self.env.cr.savepoint():
                    records.sudo(user).read([name])
            except AccessError:
                failed.add(name)
        return failed

    def test_every_role_loads_the_form(self):
        """What the web client does to open the form: read the view's fields,
        then each x2many's lines with the fields of its list."""
        with self.mock() as mock:
            self.create_tv_user(mock, status="active")
        self.contract.action_contract_block()
        for role in ROLES:
            user = self.users[role]
            _arch, fields = self.form(user)
            failed = self.unreadable(user, self.contract, fields)
            # OCA contract's own lines are billing's (and the TV roles'): its
            # form is not a salesperson's, whose menus do not lead to it
            self.assertEqual(failed, set() if role in READERS else CONTRACT_OWN, role)
            for name in set(fields) - failed:
                lines = fields[name].get("views", {}).get("tree")
                records = self.contract[name]
                if lines and records:
                    self.assertFalse(self.unreadable(user, records, lines["fields"]),
                                     (role, name))

    def test_buttons_follow_the_contract_not_status_lists(self):
        """The header's buttons show from the contract's tv_can_* fields
        (access_rules), never from statuses written in the views."""
        arch, _fields = self.form(self.users["operator"])
        for button in arch.xpath("//header/button"):
            self.assertNotIn("contract_status", button.get("modifiers") or "",
                             button.get("string"))
        contract = self.contract
        self.assertEqual((contract.tv_can_suspend_on_request, contract.tv_can_change_plan,
                          contract.tv_can_confirm_termination), (True, True, False))
        contract.action_contract_block()
        contract._tv_write_owned({"tv_termination_proposed_on": "2026-12-01"})
        self.assertEqual((contract.tv_can_suspend_on_request, contract.tv_can_change_plan,
                          contract.tv_can_confirm_termination), (False, True, True))
        contract.action_contract_deactivate()
        self.assertEqual((contract.tv_can_suspend_on_request, contract.tv_can_change_plan,
                          contract.tv_can_confirm_termination), (False, False, False))

    def test_suspend_is_not_offered_to_a_contract_released_in_trust(self):
        """A trust release leaves the contract active with overdue invoices:
        the suspension's own check refuses it, so its button is hidden too."""
        contract = self.contract
        contract._tv_write_owned({"trust_release_until": "2999-12-31"})
        self.assertIn("released in trust", contract._tv_why_not_suspendable(contract._tv_today()))
        self.assertEqual((contract.contract_status, contract.tv_can_suspend_on_request),
                         ("active", False))

    def test_nothing_acts_on_a_contract_not_saved_yet(self):
        new = self.env["account.analytic.account"].new({
            "name": "Unsaved", "partner_id": self.contract.partner_id.id,
            "contract_status": "active"})
        self.assertFalse([name for name in new._fields
                          if name.startswith("tv_can_") and new[name]])

    def test_the_integration_buttons_wait_for_the_record(self):
        arch = etree.fromstring(self.env["tv.integration"].fields_view_get(
            view_type="form")["arch"])
        for name in ("action_test_connection", "action_sync_catalog"):
            button = arch.xpath("//header/button[@name='%s']" % name)[0]
            self.assertEqual(json.loads(button.get("modifiers"))["invisible"],
                             [["id", "=", False]], name)

    def test_the_back_office_lists_the_requests_and_the_platform_calls(self):
        """Suspensions, plan changes, trust releases and the platform calls
        have their menu in the TV back office, which the TV roles open."""
        menus = ["oletv_integration.menu_tv_request_suspension",
                 "oletv_integration.menu_tv_plan_change",
                 "oletv_integration.menu_tv_trust_release",
                 "oletv_integration.menu_tv_api_call"]
        for role in OPERATORS:
            user = self.users[role]
            visible = self.env["ir.ui.menu"].sudo(user)._visible_menu_ids()
            for xml_id in menus:
                menu = self.env.ref(xml_id)
                self.assertIn(menu.id, visible, (role, xml_id))
                model = menu.action.res_model
                self.env[model].sudo(user).search_read([], limit=1)
        visible = self.env["ir.ui.menu"].sudo(self.users["salesperson"])._visible_menu_ids()
        self.assertFalse({self.env.ref(xml_id).id for xml_id in menus} & set(visible))
