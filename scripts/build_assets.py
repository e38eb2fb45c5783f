"""Generate the web client's asset bundles (the login page's and the
backend's) in a database, before the server opens its port: Odoo 11
generates them on the first page request, and two requests doing it at once
race on the filestore folders ([Errno 17] File exists: an HTTP 500 and an
ERROR line on the first start). Usage: build_assets.py ODOO_CONF DATABASE"""
import sys

import odoo
from odoo import SUPERUSER_ID, api

BUNDLES = ("web.assets_common", "web.assets_frontend", "web.assets_backend")


def main(conf, database):
    odoo.tools.config.parse_config(["-c", conf, "-d", database, "--no-http"])
    registry = odoo.registry(database)
    with api.Environment.manage(), registry.cursor() as cr:  # commits on exit
        env = api.Environment(cr, SUPERUSER_ID, {})
        for xmlid in BUNDLES:
            env["ir.qweb"]._get_asset_nodes(xmlid, {}, css=True, js=True)
    print("Web assets ready: %s" % ", ".join(BUNDLES))


if __name__ == "__main__":
    main(*sys.argv[1:3])
