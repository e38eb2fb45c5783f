# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""mass_editing beside the addon: an ISP's Mass Editing of contracts edits
the fields the back office may edit, and the workflow's own fields (the
contract status) stay refused, whatever the list selected."""
from odoo.exceptions import AccessError

from odoo.addons.oletv_integration.tests.common import OleTVCase
from odoo.addons.oletv_integration.tests.security_common import make_role_users


class TestMassEditingContracts(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a salesperson may write contracts, a TV operator does it through the buttons
        cls.seller = make_role_users(cls.env, cls.env.user.company_id, "mass")["salesperson"]
        cls.other = cls.make_contract(
            cls.env["res.partner"].create({"name": "Bruno Mass"}), [cls.tv_product])
        cls.contracts = cls.contract | cls.other
        fields = cls.env["ir.model.fields"].search([
            ("model", "=", "account.analytic.account"),
            ("name", "in", ("code", "contract_status"))])
        cls.mass = cls.env["mass.object"].create({
            "name": "Contracts",
            "model_id": cls.env.ref("analytic.model_account_analytic_account").id,
            "field_ids": [(6, 0, fields.ids)]})
        cls.mass.create_action()

    def mass_edit(self, user, vals):
        wizard = self.env["mass.editing.wizard"].sudo(user).with_context(
            active_model="account.analytic.account", active_ids=self.contracts.ids,
            mass_editing_object=self.mass.id)
        return wizard.create(vals)

    def test_the_editable_fields_are_edited(self):
        self.mass_edit(self.seller, {"selection__code": "set", "code": "FIBRA-300"})
        self.assertEqual(set(self.contracts.mapped("code")), {"FIBRA-300"})

    def test_the_status_is_refused_and_nothing_changes(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.mass_edit(self.seller, {"selection__contract_status": "set",
                                         "contract_status": "blocked",
                                         "selection__code": "set", "code": "X"})
        self.assertEqual(set(self.contracts.mapped("contract_status")), {"active"})
        self.assertFalse(any(self.contracts.mapped("code")))
        self.assertFalse(self.contracts.mapped("tv_status_change_ids"))
