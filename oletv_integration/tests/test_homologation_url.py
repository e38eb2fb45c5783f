# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon ships no platform URL: on a real server a default pointing at
the project's sandbox (127.0.0.1:8099) made a homologation integration
report the platform down. Olé TV gives the URLs; until the manager sets one,
the integration says which system parameter to set, in the user's language.
The sandbox's URL is set by `make run` (scripts/demo_bootstrap.py) and by the
tests themselves (common.py, tests/system, tests/browser)."""
import ast
import io
import os
from xml.etree import ElementTree

from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase, at_install, post_install

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SANDBOX_MARKS = ("127.0.0.1", "localhost", "8099", "[::1]")


@at_install(False)
@post_install(True)
class TestHomologationUrl(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "oletv_integration.homologation_url", False)  # False deletes it
        cls.integration = cls.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({
                "name": "Homologation without URL", "environment": "homologation",
                "access_token": "tok", "api_login": "isp", "api_password": "pw"})

    def test_the_addons_data_names_no_platform_url(self):
        with io.open(os.path.join(ADDON, "__manifest__.py"), encoding="utf-8") as handle:
            manifest = ast.literal_eval(handle.read())
        for name in manifest["data"]:
            path = os.path.join(ADDON, name)
            if name.endswith(".xml"):  # the records, not the comments
                text = " ".join(ElementTree.parse(path).getroot().itertext())
            else:
                with io.open(path, encoding="utf-8") as handle:
                    text = handle.read()
            for mark in SANDBOX_MARKS:
                self.assertNotIn(mark, text, "%s: the sandbox belongs to the demo and the "
                                             "tests, not to a real server" % name)

    def test_no_url_says_which_parameter_to_set(self):
        self.assertFalse(self.integration.base_url)
        with self.assertRaises(UserError) as caught:
            self.integration.action_test_connection()
        message = caught.exception.name
        self.assertIn("oletv_integration.homologation_url", message)
        self.assertIn("Homologation", message)
        self.assertIn("Olé TV gave", message)

    def test_no_url_message_in_the_users_language(self):
        integration = self.integration.with_context(lang="pt_BR")
        with self.assertRaises(UserError) as caught:
            integration.action_test_connection()
        self.assertIn("Homologação", caught.exception.name)
        self.assertIn("oletv_integration.homologation_url", caught.exception.name)

    def test_saving_without_url_is_refused_with_that_message(self):
        with self.assertRaises(UserError) as caught:
            self.env["tv.integration"].create({
                "name": "Checked", "environment": "homologation", "access_token": "tok",
                "api_login": "isp", "api_password": "pw"})
        self.assertIn("oletv_integration.homologation_url", caught.exception.name)
