# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The TV login is checked in Odoo, not only on the platform: exact
duplicate check (no LIKE wildcard), the e-mail maximum length, and no
character that starts a spreadsheet formula."""
from odoo.exceptions import ValidationError

from .common import OleTVCase


class TestTvLoginChecks(OleTVCase):

    def new_user(self, login):
        return self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": self.contract.id, "product_id": self.tv_product.id,
            "use_main_email": False, "login": login})

    def test_underscore_and_percent_are_not_wildcards(self):
        self.new_user("axb@example.com")
        self.new_user("a_b@example.com")  # as a pattern, "_" would match the "x"
        self.new_user("1000@example.com")
        self.new_user("100%@example.com")  # and "%" the "0"
        with self.assertRaises(ValidationError):
            self.new_user("A_B@example.com")  # the same login, whatever the case

    def test_login_longer_than_an_email_is_refused(self):
        domain = "@example.com"
        self.new_user("a" * (254 - len(domain)) + domain)
        with self.assertRaises(ValidationError) as raised:
            self.new_user("b" * (255 - len(domain)) + domain)
        self.assertIn("254", raised.exception.name)

    def test_formula_characters_are_refused_at_the_start(self):
        for login in ("=cmd@example.com", "+cmd@example.com", "-cmd@example.com"):
            with self.assertRaises(ValidationError) as raised:
                self.new_user(login)
            self.assertIn("formula", raised.exception.name)
        self.new_user("a-b+c=d@example.com")  # inside the login they are harmless
