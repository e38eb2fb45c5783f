# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The TV user's buttons: which one shows in which state (pinned over every
platform state, sync state and removal request), and that the views read it
from the TV user's computed tv_can_* fields (core/sync_plan.py), never from
states written in the views."""
import json

from lxml import etree

from .common import OleTVCase

HEADER_BUTTONS = ("action_create_on_platform", "action_refresh_from_platform",
                  "action_recreate_on_platform", "action_sync_now",
                  "action_tv_resend_access_instructions", "action_tv_addon_wizard")


def _value(values, record, name):
    return values[name] if name in values else record[name]


def _leaf(values, record, leaf):
    name, operator, wanted = leaf
    value = _value(values, record, name)
    if operator == "=":
        return value == wanted
    if operator == "!=":
        return value != wanted
    if operator == "in":
        return value in wanted
    if operator == "not in":
        return value not in wanted
    raise AssertionError("operator %r not handled by this test" % operator)


def evaluate(domain, record, values):
    """What the web client makes of a modifier's domain (a prefix-notation
    list of leaves, an implicit '&' between what is left) on `record`,
    `values` overriding its fields (its id)."""
    if isinstance(domain, bool):
        return domain
    stack = []
    for item in reversed(domain):
        if item == "!":
            stack.append(not stack.pop())
        elif item in ("&", "|"):
            first, second = stack.pop(), stack.pop()
            stack.append(first and second if item == "&" else first or second)
        else:
            stack.append(_leaf(values, record, item))
    return all(stack)


def named_fields(domain):
    """The field names a modifier's domain reads."""
    if isinstance(domain, bool):
        return set()
    return {item[0] for item in domain if isinstance(item, (list, tuple))}


class TestTvUserButtons(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Operator buttons", "login": "operator-buttons",
            "groups_id": [(6, 0, [cls.env.ref("oletv_integration.group_tv_user").id])]})

    def form_buttons(self):
        """{name: modifiers} of the form's header buttons (the add-ons' dialog,
        an action button, named as in HEADER_BUTTONS)."""
        view = self.env["tv.user"].sudo(self.operator).fields_view_get(view_type="form")
        arch = etree.fromstring(view["arch"])
        addons = str(self.env.ref("oletv_integration.action_tv_addon_wizard").id)
        return {("action_tv_addon_wizard" if button.get("name") == addons
                 else button.get("name")): json.loads(button.get("modifiers") or "{}")
                for button in arch.xpath("//header/button")}

    @staticmethod
    def expected(platform_state, sync_state, to_delete, saved):
        """The buttons the form showed before they read the tv_can_* fields
        (the states then written in the views)."""
        shown = set()
        if saved and platform_state == "draft":
            shown.add("action_create_on_platform")
        if platform_state not in ("draft", "deleted"):
            shown.update(("action_refresh_from_platform", "action_tv_resend_access_instructions"))
        if platform_state == "deleted" and not to_delete:
            shown.add("action_recreate_on_platform")
        if sync_state == "error":
            shown.add("action_sync_now")
        if saved and not to_delete:
            shown.add("action_tv_addon_wizard")
        return shown

    def test_each_button_shows_in_the_same_states(self):
        buttons = self.form_buttons()
        self.assertEqual(set(buttons), set(HEADER_BUTTONS))
        users = self.env["tv.user"].sudo(self.operator)
        platform_states = [key for key, _label in users._fields["platform_state"].selection]
        sync_states = [key for key, _label in users._fields["sync_state"].selection]
        self.assertEqual(len(platform_states), 5)
        self.assertEqual(len(sync_states), 4)
        for platform_state in platform_states:
            for sync_state in sync_states:
                for to_delete in (False, True):
                    user = users.new({"platform_state": platform_state,
                                      "sync_state": sync_state, "to_delete": to_delete})
                    for saved in (True, False):
                        values = {"id": 7 if saved else False}
                        shown = {name for name, modifiers in buttons.items()
                                 if not evaluate(modifiers.get("invisible", False), user, values)}
                        self.assertEqual(
                            shown, self.expected(platform_state, sync_state, to_delete, saved),
                            (platform_state, sync_state, to_delete, saved))

    def test_a_saved_tv_user_reads_the_same_fields(self):
        """On a stored TV user too (not only a new one in the form's cache)."""
        with self.mock() as mock:
            user = self.create_tv_user(mock, status="active")
        self.assertEqual((user.tv_can_create_on_platform, user.tv_can_refresh_from_platform,
                          user.tv_can_recreate_on_platform, user.tv_can_sync_now,
                          user.tv_can_resend_access_instructions),
                         (False, True, False, False, True))
        user._tv_write_owned({"platform_state": "deleted", "sync_state": "error"})
        self.assertEqual((user.tv_can_create_on_platform, user.tv_can_refresh_from_platform,
                          user.tv_can_recreate_on_platform, user.tv_can_sync_now,
                          user.tv_can_resend_access_instructions),
                         (False, False, True, True, False))

    def test_no_button_reads_a_state_in_the_views(self):
        """Every button of every TV user view shows from a computed
        tv_can_* field (or the record's id), never from a state list."""
        users = self.env["tv.user"]
        views = self.env["ir.ui.view"].search([("model", "=", "tv.user"), ("mode", "=", "primary"),
                                               ("type", "in", ("form", "tree", "kanban"))])
        self.assertTrue(views)
        checked = 0
        for view in views:
            arch = etree.fromstring(users.fields_view_get(view_id=view.id,
                                                          view_type=view.type)["arch"])
            for button in arch.xpath("//button"):
                label = (view.xml_id, button.get("name"))
                self.assertFalse(button.get("states"), label)
                for domain in json.loads(button.get("modifiers") or "{}").values():
                    for name in named_fields(domain) - {"id"}:
                        self.assertTrue(name.startswith("tv_can_"), label + (name,))
                        field = users._fields[name]
                        self.assertEqual((field.type, field.store, bool(field.compute)),
                                         ("boolean", False, True), label + (name,))
                checked += 1
        self.assertGreaterEqual(checked, len(HEADER_BUTTONS))

    def test_the_contracts_request_buttons_read_computed_fields(self):
        """End now (suspension on request) and Cancel (plan change), in the
        contract form's tabs (their models' tree views), show from
        tv_can_end and tv_can_cancel, which the buttons' methods check too."""
        checked = 0
        for button_name, model in (("action_end", "tv.request.suspension"),
                                   ("action_cancel", "tv.plan.change")):
            tree = self.env[model].sudo(self.operator).fields_view_get(view_type="tree")["arch"]
            for button in etree.fromstring(tree).xpath("//button[@name='%s']" % button_name):
                modifiers = json.loads(button.get("modifiers") or "{}")
                names = named_fields(modifiers.get("invisible", []))
                self.assertEqual(len(names), 1, (button_name, names))
                field = self.env[model]._fields[names.pop()]
                self.assertTrue(field.name.startswith("tv_can_"), button_name)
                self.assertEqual((field.type, field.store, bool(field.compute)),
                                 ("boolean", False, True), button_name)
                checked += 1
        self.assertEqual(checked, 2)
        states = {"scheduled": True, "running": True, "done": False, "cancelled": False}
        suspensions = self.env["tv.request.suspension"]
        for state, can_end in states.items():
            self.assertEqual(suspensions.new({"state": state}).tv_can_end, can_end, state)
        changes = self.env["tv.plan.change"]
        for state in ("scheduled", "done", "cancelled"):
            self.assertEqual(changes.new({"state": state}).tv_can_cancel, state == "scheduled")
