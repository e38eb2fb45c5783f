"""The shared Odoo server and job runner (oletv_testing.odoo_server) with
the system tests' defaults, on a database prepared by `make test`, and
their helpers."""
import os

from oletv_testing import odoo_server
from pure_addon import load

# The job runner's channels, as scripts/odoo_conf.sh writes them (no integration).
DEFAULT_CHANNELS = load("channels").server_channels()


def required_env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError("%s is not set: run the system tests through `make test`." % name)
    return value


class OdooServer(odoo_server.OdooServer):
    """Logs in .local/ (log_name), the previous one kept unless fresh_log."""

    def __init__(self, db, conf, channels=DEFAULT_CHANNELS, log_name="system-test-odoo.log",
                 **options):
        super().__init__(db, conf, channels, log_path=log_name, **options)


class JobRunner(odoo_server.JobRunner):

    def __init__(self, db, conf, channels, port, log_name="system-test-runner.log"):
        super().__init__(db, conf, channels, port, log_path=log_name)


def tv_contract(rpc, name, email, product, uom):
    """A customer, a contract with a TV/Streaming line of `product`: the
    contract's id."""
    partner = rpc("res.partner", "create", {"name": name, "email": email})
    return rpc("account.analytic.account", "create", {
        "name": "%s contract" % name, "partner_id": partner,
        "recurring_invoice_line_ids": [(0, 0, {
            "line_type": "tv", "product_id": product, "name": "TV", "quantity": 1,
            "uom_id": uom})]})
