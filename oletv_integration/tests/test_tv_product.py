# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError

from .common import OleTVCase


class TestTvProduct(OleTVCase):

    def test_same_additional_package_may_repeat(self):
        product = self.make_tv_product("Double HBO", self.pkg_basic, [self.pkg_hbo, self.pkg_hbo])
        self.assertEqual(product.product_tmpl_id.tv_package_codes(), ("BASIC", ["HBO", "HBO"]))

    def test_tv_product_needs_integration_and_main_package(self):
        with self.assertRaises(ValidationError):
            self.env["product.product"].create({"name": "Broken", "is_tv_product": True})

    def test_additional_package_is_not_a_main_package(self):
        with self.assertRaises(ValidationError):
            self.make_tv_product("Wrong main", self.pkg_hbo)

    def test_equipment_requires_extra_point(self):
        with self.assertRaises(ValidationError) as raised:
            self.make_tv_product("Box without extra point", self.pkg_basic, [self.pkg_hbo],
                                 with_equipment=True)
        self.assertIn("Ponto adicional", raised.exception.name)

    def test_saved_tv_product_is_locked(self):
        template = self.tv_product.product_tmpl_id
        self.assertTrue(template.tv_locked)
        with self.assertRaises(UserError) as raised:
            template.write({"tv_main_package_id": self.pkg_family.id})
        self.assertIn("cannot be changed", raised.exception.name)
        with self.assertRaises(UserError):
            template.write({"tv_additional_line_ids": [(0, 0, {"package_id": self.pkg_hbo.id})]})
        with self.assertRaises(UserError):
            self.tv_product_box.product_tmpl_id.tv_additional_line_ids[:1].unlink()
        self.assertEqual(template.tv_main_package_id, self.pkg_basic)

    def test_non_tv_fields_stay_editable(self):
        self.tv_product.product_tmpl_id.write({"list_price": 79.9, "name": "TV Básico 2026"})
        self.assertEqual(self.tv_product.list_price, 79.9)

    def test_packages_come_from_the_product_integration(self):
        other = self.env["tv.integration"].with_context(tv_skip_connection_check=True).create(
            {"name": "Other"})
        with self.assertRaises(ValidationError):
            self.make_tv_product("Mixed", self.pkg_basic, integration=other)
