# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Production never talks plain http, whatever changed last (the environment,
or the URL's system parameter afterwards) and however the scheme is
written; a redirect is never followed (the token would go along)."""
import responses

from odoo.exceptions import UserError, ValidationError

from .common import OleTVCase

PRODUCTION_URL = "oletv_integration.production_url"


class TestTvHttps(OleTVCase):

    def set_production_url(self, url):
        self.env["ir.config_parameter"].sudo().set_param(PRODUCTION_URL, url)

    def test_uppercase_http_scheme_is_refused_on_save(self):
        self.set_production_url("HTTP://127.0.0.1:9")
        with self.assertRaises(ValidationError):
            self.integration.with_context(tv_skip_connection_check=True).write(
                {"environment": "production"})

    def test_url_changed_to_http_after_save_stops_every_call(self):
        self.set_production_url("https://127.0.0.1:9")
        self.integration.with_context(tv_skip_connection_check=True).write(
            {"environment": "production"})
        self.set_production_url("http://127.0.0.1:9")  # no constraint sees this
        with self.mock() as mock:  # nothing may be sent
            with self.assertRaises(UserError) as raised:
                self.integration.action_test_connection()
            self.assertIn("https://", raised.exception.name)
            user = self.env["tv.user"].create({"contract_id": self.contract.id,
                                               "product_id": self.tv_product.id})
            self.run_jobs()
            self.assertEqual(len(mock.calls), 0)
        self.assertEqual(user.sync_state, "error")
        self.assertIn(PRODUCTION_URL, user.sync_error)
        self.assertIn("http://127.0.0.1:9", user.sync_error)

    def test_homologation_off_this_machine_needs_https_too(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("oletv_integration.homologation_url", "http://192.0.2.10:8099")
        with self.assertRaises(ValidationError):
            self.env["tv.integration"].with_context(tv_skip_connection_check=True).create(
                {"name": "Homologation far away", "environment": "homologation"})
        with self.mock() as mock:  # nothing may be sent
            with self.assertRaises(UserError) as raised:
                self.integration.action_test_connection()
            self.assertEqual(len(mock.calls), 0)
        self.assertIn("https://", raised.exception.name)
        params.set_param("oletv_integration.homologation_url", "http://localhost:8099")
        self.integration.invalidate_cache()
        self.assertFalse(self.integration._tv_requires_https())

    def test_redirect_is_not_followed(self):
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/ping"), status=302,
                     headers={"Location": "http://127.0.0.1:10/v1/ping"})
            with self.assertRaises(UserError) as raised:
                self.integration.action_test_connection()
            self.assertEqual(len(mock.calls), 1)
        self.assertIn("redirect", raised.exception.name)
        self.assertNotIn("SECRET", raised.exception.name)
