# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The XML-RPC retry fix (rpc_retry.py) is narrow and can be switched off:
only calls on the addon's models get the environment cleared, every other
call goes to Odoo's own execute_cr untouched, and `oletv_rpc_retry = False`
in the server's configuration leaves Odoo's function alone. The retry
itself, on a real server: tests/system/test_rpc_retry.py."""
from contextlib import contextmanager
from unittest import mock

from odoo.service import model as service_model
from odoo.tests.common import TransactionCase, at_install, post_install
from odoo.tools import config

from .. import rpc_retry

UNSET = object()


@contextmanager
def option(value):
    """The server option oletv_rpc_retry set to `value` (as read from a
    configuration file: a string) for the block."""
    previous = config.options.get(rpc_retry.CONFIG_OPTION, UNSET)
    config[rpc_retry.CONFIG_OPTION] = value
    try:
        yield
    finally:
        if previous is UNSET:
            config.options.pop(rpc_retry.CONFIG_OPTION, None)
        else:
            config[rpc_retry.CONFIG_OPTION] = previous


@at_install(False)
@post_install(True)
class TestRpcRetry(TransactionCase):

    def setUp(self):
        super().setUp()
        self.calls = []
        self.original = mock.patch.object(rpc_retry, "original_execute_cr", self._odoo_execute_cr)
        self.original.start()
        self.addCleanup(self.original.stop)
        self.addCleanup(self.env.all.todo.clear)

    def _odoo_execute_cr(self, cr, uid, obj, method, *args, **kw):
        """Stands for Odoo's own execute_cr: records what it was given and
        whether the failed attempt's recomputation was still there."""
        self.calls.append((obj, method, args, kw, self._stale_left()))
        return "odoo's answer"

    def _leave_a_failed_attempt(self):
        """What a failed attempt leaves behind: a field to recompute."""
        field = self.env["tv.user"]._fields["desired_access"]
        self.env.all.todo[field] = [self.env["tv.user"].browse(1)]
        return field

    def _stale_left(self):
        return self.env["tv.user"]._fields["desired_access"] in self.env.all.todo

    def _call(self, obj, method="search_count", *args, **kw):
        return rpc_retry.execute_cr(self.env.cr, self.env.uid, obj, method, *args, **kw)

    def test_on_by_default_and_wraps_odoos_function(self):
        self.assertTrue(rpc_retry.enabled())
        self.assertIs(service_model.execute_cr, rpc_retry.execute_cr)
        self.assertEqual(rpc_retry.execute_cr._oletv_original.__module__, "odoo.service.model")

    def test_only_the_addons_models_concern_it(self):
        registry = self.env.registry
        for model in ("tv.user", "tv.integration", "account.analytic.account", "res.partner"):
            self.assertTrue(rpc_retry.concerns_addon(registry, model), model)
        for model in ("res.currency", "res.lang", "ir.ui.view", "no.such.model"):
            self.assertFalse(rpc_retry.concerns_addon(registry, model), model)

    def test_a_call_on_the_addons_model_starts_clean(self):
        self._leave_a_failed_attempt()
        result = self._call("account.analytic.account", "search_count", [], context={})
        self.assertEqual(result, "odoo's answer")
        self.assertEqual(self.calls, [("account.analytic.account", "search_count", ([],),
                                       {"context": {}}, False)])

    def test_other_models_are_left_to_odoos_function(self):
        self._leave_a_failed_attempt()
        self.assertEqual(self._call("res.currency", "search_count", []), "odoo's answer")
        # Odoo's function got the call as it came, environment untouched
        self.assertEqual(self.calls, [("res.currency", "search_count", ([],), {}, True)])

    def test_switched_off_every_call_is_odoos(self):
        for value in ("False", "0", "off", False):
            self.calls = []
            with option(value):
                self.assertFalse(rpc_retry.enabled(), value)
                self._leave_a_failed_attempt()
                self._call("tv.user", "search_count", [])
            self.assertEqual(self.calls, [("tv.user", "search_count", ([],), {}, True)], value)
        with option("True"):
            self.assertTrue(rpc_retry.enabled())

    def test_switched_off_at_start_odoos_function_stays_in_place(self):
        self.original.stop()  # the real function for this test
        self.addCleanup(self.original.start)
        self.addCleanup(rpc_retry.install)  # as the server starts by default
        rpc_retry.uninstall()
        self.assertIs(service_model.execute_cr, rpc_retry.original_execute_cr)
        with option("False"):
            self.assertFalse(rpc_retry.install())
            self.assertIs(service_model.execute_cr, rpc_retry.original_execute_cr)
        self.assertTrue(rpc_retry.install())
        self.assertIs(service_model.execute_cr, rpc_retry.execute_cr)
