"""Generate the web client's asset bundles (the login page's and the
backend's) in a database, before the server opens its port: Odoo 11
generates them on the first page request, and two requests doing it at once
race on the filestore folders ([Errno 17] File exists: an HTTP 500 and an
ERROR line on the first start). The bundles must be the very ones the
server computes (same content, same version), or the server generates them
again: the backend bundle embeds the module list the server computes in a
request (`odoo._modules`), computed here the same way.
Usage: build_assets.py ODOO_CONF DATABASE (called by prepare_first_start.sh)"""
import json
import os
import sys

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")  # as scripts/odoo-bin

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.addons.base.ir.ir_qweb.ir_qweb import IrQWeb  # noqa: E402

# the login page's bundles, then the web client's (web_editor adds its own)
PAGES = ("web.login_layout", "web.webclient_bootstrap")


def bundles_of(env, template):
    """The bundles a page template calls, in its rendered (inherited) arch."""
    arch = env["ir.ui.view"].read_template(template)
    from lxml import etree
    return list(dict.fromkeys(node.get("t-call-assets")
                              for node in etree.fromstring(arch).iter()
                              if node.get("t-call-assets")))


def main(conf, database):
    odoo.tools.config.parse_config(["-c", conf, "-d", database, "--no-http"])
    odoo.http.root.load_addons()  # the addons' manifests, as the server on its first request
    registry = odoo.registry(database)
    from odoo.addons.web.controllers.main import module_boot
    with api.Environment.manage():
        modules = module_boot(database)
    if "base" not in modules:  # module_boot says nothing when it fails
        sys.exit("The installed modules of %s could not be read: %s" % (database, modules))
    modules_order = json.dumps(modules)
    render = IrQWeb.render

    def render_as_in_a_request(self, id_or_xml_id, values=None, **options):
        if values and "get_modules_order" in values:
            values = dict(values, get_modules_order=lambda: modules_order)
        return render(self, id_or_xml_id, values, **options)

    IrQWeb.render = render_as_in_a_request
    with api.Environment.manage(), registry.cursor() as cr:  # commits on exit
        env = api.Environment(cr, SUPERUSER_ID, {})
        built = []
        for page in PAGES:
            for xmlid in bundles_of(env, page):
                if xmlid not in built:
                    env["ir.qweb"]._get_asset_nodes(xmlid, {}, css=True, js=True)
                    built.append(xmlid)
    print("Web assets ready: %s" % ", ".join(built))


if __name__ == "__main__":
    main(*sys.argv[1:3])
