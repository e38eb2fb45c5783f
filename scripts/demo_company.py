"""The demo company of `make run` as a Brazilian ISP: invoicing in BRL, its
users speaking pt_BR (English one click away: each user's Preferences >
Language). The addon's demo data gives it its name, address and CNPJ and
its customers' CPFs (oletv_integration/demo/oletv_demo.xml); the test
databases keep Odoo's defaults (USD, English).

Called by scripts/db.sh when it builds the demo database, in two phases:

- currency: Odoo 11 refuses to change a company's currency once journal
  items exist, and loading the chart of accounts sets it to the chart's
  (USD): so the dependencies are installed without Odoo's demo data (no
  journal item yet), then BRL is set on the company and its pricelist,
  before the addon's demo invoices are made;
- language: once pt_BR is loaded, the administrator and the demo users
  (not the portal customers, who keep their own) speak pt_BR, in Brazil's
  time zone.

The browser tests (tests/browser/conftest.py) call a third phase on their
copy of the test database, whose screenshots are the operator's guide's:

- browser: the company in Brazil and BRL, its pricelists in BRL, pt_BR for
  the company and the administrator. The test database keeps Odoo's demo
  journal items, which make Odoo refuse the currency: it is written under
  that check (the demo items' amounts then read as reais; a copy only).

Usage: demo_company.py ODOO_CONF DATABASE currency|language|browser"""
import os
import sys

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")  # as scripts/odoo-bin

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

CURRENCY = "BRL"
LANG = "pt_BR"
TZ = "America/Sao_Paulo"
# the back-office users of the demo: Odoo's administrator and demo user,
# and the addon's TV operator
BACK_OFFICE_USERS = ("base.user_root", "base.user_demo", "oletv_integration.demo_user_operator")


def set_currency(env):
    """The main company and its pricelists in BRL (refused by Odoo once
    journal items exist: the chart of accounts is loaded in USD, so it runs
    between the dependencies, installed without Odoo's demo entries, and
    the addon's demo invoices)."""
    brl = env.ref("base.BRL")
    brl.active = True
    company = env.ref("base.main_company")
    company.currency_id = brl
    pricelists = env["product.pricelist"].search(
        [("company_id", "in", (company.id, False)), ("currency_id", "!=", brl.id)])
    pricelists.write({"currency_id": brl.id})
    return "company %s: currency %s, %d pricelist(s)" % (company.name, brl.name, len(pricelists))


def set_language(env):
    """pt_BR (installed beside English) for the back-office users and the company."""
    if not env["res.lang"]._lang_get(LANG):
        raise SystemExit("%s is not installed: load it first (--load-language=%s)" % (LANG, LANG))
    users = env["res.users"]
    for xmlid in BACK_OFFICE_USERS:
        users |= env.ref(xmlid, raise_if_not_found=False) or users
    users.write({"lang": LANG, "tz": TZ})
    env.ref("base.main_company").partner_id.write({"lang": LANG, "tz": TZ})
    return "%s and %s for %s" % (LANG, TZ, ", ".join(users.mapped("login")))


def set_browser_company(env):
    """A copy of the test database as a Brazilian company (BRL, pt_BR), for
    the browser tests' screenshots."""
    if not env["res.lang"]._lang_get(LANG):
        raise SystemExit("%s is not installed in the test database" % LANG)
    brl = env.ref("base.BRL")
    brl.active = True
    company = env.ref("base.main_company")
    # res.company.write refuses a new currency once journal items exist
    company._write({"currency_id": brl.id})
    company.country_id = env.ref("base.br")
    company.partner_id.write({"lang": LANG, "tz": TZ})
    env["product.pricelist"].search([("company_id", "in", (company.id, False))]).write(
        {"currency_id": brl.id})
    env.ref("base.user_root").write({"lang": LANG, "tz": TZ})
    return "company %s in %s, %s for admin" % (company.name, brl.name, LANG)


PHASES = {"currency": set_currency, "language": set_language, "browser": set_browser_company}


def main(conf, database, phase):
    odoo.tools.config.parse_config(["-c", conf, "-d", database, "--no-http", "--log-level=warn"])
    registry = odoo.registry(database)
    with api.Environment.manage(), registry.cursor() as cr:  # commits on exit
        print("Demo company: %s" % PHASES[phase](api.Environment(cr, SUPERUSER_ID, {})))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[3] not in PHASES:
        sys.exit(__doc__)
    main(*sys.argv[1:4])
