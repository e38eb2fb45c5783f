"""Harness shared by the tests (tests/system, tests/upgrade, tests/browser,
the plain tests) and the bench (bench/): a real Odoo server and queue_job's
job runner as subprocesses (odoo_server), the addon's Odoo-free core loaded
by its path (core). Not part of the addon; the Olé TV sandbox's own
subprocess is oletv_sandbox.testing."""
