"""End-to-end browser test: the seed's four steps in the real Odoo web client
(headless Debian Chromium through selenium), against a real Odoo server with
its queue_job runner and a live Olé TV sandbox.

1. TV integration (homologation, sandbox credentials), Sync catalog;
2. TV product: main package and additional packages HBO and "Ponto
   adicional" picked from the synced lists, for customers with equipment;
3. contract of a customer with an e-mail, with a TV/Streaming line;
4. TV user on the contract's TV tab; the job runner creates it on the
   sandbox, the customer's first access is simulated, "Check on platform"
   sees it active; then Block and Release on the contract, checked on the
   sandbox each time.

Steps 1 to 3 are the TV manager's (who also has Invoicing / Adviser and
Analytic Accounting: a contract is an analytic account whose lines OCA
contract lets only advisers write), the TV user, the
first access, Block and Release the operator's (conftest's MANAGER and
OPERATOR; the operator does not edit contracts: the TV user is made from
TV Back Office > TV Users), in Portuguese in a BRL company: the labels the
test reads are the addon's and Odoo's pt_BR translations. The contract and TV
user forms read naturally: no label left over an empty field, the
recurrence in words.

A screenshot of each screen goes to .local/screenshots/ (git-ignored); when
the test passes with OLETV_PUBLISH_SCREENSHOTS=1, the set is copied to
docs/screenshots/ (used by docs/operate.md and docs/pt_BR/operar.md); a plain
`make test` leaves them alone.
Any SEVERE entry in the browser console fails the test (none is ignored).

Run by `make test` (scripts/test.sh) on a copy of the test database, or:
    OLETV_SYSTEM_DB=<copy of a test db> OLETV_ODOO_CONF=.local/odoo.conf \
        .venv/bin/python -m pytest -p no:odoo -s tests/browser
"""
import os

from oletv_testing.odoo_server import wait_until

from .conftest import LANG, MANAGER, OPERATOR, back_office_user, log_in_as, publish_screenshots
from .odoo_browser import xpath_literal

LOG_NAME = "browser-test-odoo.log"
SHOTS = "[0-9][0-9]-*.png"
# Plain names: they show in the screenshots of the user manual. The test
# needs a fresh copy of the test database (scripts/test.sh makes one).
INTEGRATION = "Olé TV homologation"
PRODUCT = "Olé TV Família + HBO"
CUSTOMER = "Maria Navegador"
EMAIL = "maria.navegador@example.com"
CONTRACT = "Olé TV Família"  # shown as "Olé TV Família - Maria Navegador"
CURRENT_STATUS = ".o_content .o_form_statusbar .o_statusbar_status .btn-primary"
TV_TAB = ".o_content .o_form_view .o_notebook"


# --- the steps -------------------------------------------------------------------


def step_1_integration(b, rpc, sandbox):
    b.menu("account.menu_finance", "oletv_integration.menu_integrations",
           "oletv_integration.menu_tv_integration")
    b.create()
    b.set_char("name", INTEGRATION)
    b.set_selection("platform", "Olé TV")
    b.set_selection("environment", "Homologação")
    b.wait_for_text(b.field_css("base_url"), sandbox.url)
    b.set_char("access_token", sandbox.token)
    b.set_char("api_login", sandbox.login)
    b.set_char("api_password", sandbox.password)
    b.screenshot("01-tv-integration-new")
    b.save()  # saving tests the connection with the platform
    b.wait_for_text(CURRENT_STATUS, "Conectada")
    b.click(b.header_button("Sincronizar catálogo"))
    b.tab("Pacotes")
    b.wait_for_text(b.field_css("package_ids"), "Ponto adicional")
    b.wait_for_text(b.field_css("package_ids"), "HBO")
    b.scroll_to(".o_content .o_form_view .o_notebook")
    integration = rpc("tv.integration", "search", [("name", "=", INTEGRATION)])
    assert len(integration) == 1
    codes = {package["code"] for package in rpc("tv.package", "search_read", [
        ("integration_id", "=", integration[0])], fields=["code"])}
    assert {"BASIC", "FAMILY", "PREMIUM", "HBO", "EXTRA_POINT"} <= codes
    b.screenshot("02-tv-integration-catalog")
    return integration[0]


def step_2_product(b, rpc):
    b.menu("account.menu_finance", "account.menu_finance_receivables_master_data",
           "account.product_product_menu_sellable")
    b.create()
    b.set_char("name", PRODUCT)
    b.set_selection("type", "Serviço")
    b.set_char_by_label("Preço de Venda", "89,90")  # pt_BR: decimal comma
    b.tab("TV")
    b.set_checkbox("is_tv_product", True)
    b.set_selection("tv_platform", "Olé TV")
    b.set_many2one("tv_integration_id", INTEGRATION)
    # The main package comes from the synced catalog: its drop-down lists the
    # integration's main packages only.
    offered = []
    b.pick_autocomplete(b.find(b.field_css("tv_main_package_id") + " input"), "",
                        "[FAMILY]", offered=offered)
    assert {"Olé Básico [BASIC]", "Olé Família [FAMILY]", "Olé Premium [PREMIUM]"} <= set(offered)
    assert not [label for label in offered if "[HBO]" in label or "[EXTRA_POINT]" in label]
    add_additional_package(b, "HBO", "[HBO]")
    add_additional_package(b, "Ponto", "Ponto adicional [EXTRA_POINT]")
    b.set_checkbox("tv_with_equipment", True)
    b.screenshot("03-tv-product-tv-tab")
    b.save()
    b.wait_for_text(".o_content .o_form_view .tab-pane.active",
                    "sua configuração de TV não pode mais ser alterada")
    template = rpc("product.template", "search_read", [("name", "=", PRODUCT)],
                   fields=["is_tv_product", "tv_locked", "tv_with_equipment",
                           "tv_additional_line_ids", "product_variant_ids", "list_price"])
    assert len(template) == 1 and template[0]["tv_locked"] and template[0]["tv_with_equipment"]
    assert template[0]["list_price"] == 89.90, template
    assert len(template[0]["tv_additional_line_ids"]) == 2
    b.screenshot("04-tv-product-saved")
    return template[0]["product_variant_ids"][0]


def add_additional_package(b, text, label):
    """Add a line to the additional packages and pick `label` from its drop-down."""
    field = b.field_css("tv_additional_line_ids")
    b.click(field + " .o_field_x2many_list_row_add a")
    row_input = b.find(field + " tr.o_selected_row .o_field_widget[name='package_id'] input")
    offered = []
    b.pick_autocomplete(row_input, text, label, offered=offered)
    assert not [item for item in offered if "[BASIC]" in item], offered  # additional only


def step_3_contract(b, rpc):
    b.menu("account.menu_finance", "account.menu_finance_receivables_documents",
           "contract.menu_action_account_analytic_overdue_all")
    b.create()
    b.set_char("name", CONTRACT)
    b.set_many2one("partner_id", CUSTOMER)
    lines = b.field_css("recurring_invoice_line_ids")
    b.click(lines + " .o_field_x2many_list_row_add a")
    row = lines + " tr.o_selected_row"
    b.set_selection("line_type", "TV/Streaming", scope=row)
    b.set_many2one("product_id", PRODUCT, scope=row)
    b.wait_until_value(row + " .o_field_widget[name='name']", PRODUCT)
    # the recurrence is edited as OCA contract's two fields (read as one phrase)
    assert b.find(b.field_css("recurring_interval")).get_attribute("value") == "1"
    b.find(b.field_css("recurring_rule_type"))
    assert not b.find_all(b.field_css("tv_recurrence"))
    b.screenshot("05-contract-tv-line")
    b.save()
    contract = rpc("account.analytic.account", "search_read", [("name", "=", CONTRACT)],
                   fields=["tv_product_ids", "contract_status", "partner_id"])
    assert len(contract) == 1 and contract[0]["tv_product_ids"], contract
    assert contract[0]["contract_status"] == "active"
    return contract[0]["id"]


def step_4_tv_user(b, rpc, sandbox, contract_id):
    """As the operator, who does not edit contracts: TV Back Office > TV
    Users, Create, on the contract."""
    b.menu("account.menu_finance", "oletv_integration.menu_tv_user_back_office")
    b.create()
    form = ".o_content .o_form_view"
    b.set_many2one("contract_id", CONTRACT, pick=CONTRACT + " - " + CUSTOMER)
    b.set_selection("technology", "IPTV", scope=form)
    b.set_many2one("product_id", PRODUCT, scope=form)
    b.set_checkbox("use_main_email", True, scope=form)
    b.wait_until_value(form + " .o_field_widget[name='login']", EMAIL)
    b.screenshot("06-tv-user-new")
    b.save()
    user = wait_until(lambda: rpc("tv.user", "search_read", [
        ("contract_id", "=", contract_id), ("account_number", "!=", False),
        ("sync_state", "=", "synced")], fields=["account_number", "login", "platform_state"]),
        60, "the job runner to create the TV user on the sandbox")[0]
    assert user["login"] == EMAIL and user["platform_state"] == "awaiting_activation", user
    assert sandbox_subscriber(sandbox, user["account_number"])["status"] == "awaiting_activation"
    open_contract(b)
    b.tab("TV")
    b.wait_for_text(b.field_css("tv_user_ids"), user["account_number"])
    b.scroll_to(TV_TAB)
    b.screenshot("07-contract-tv-user-created")
    return user


def step_5_first_access(b, rpc, sandbox, user):
    sandbox.first_access(user["account_number"])
    b.click(b.stat_button("Usuários TV"))
    if b.find_all(".o_content .o_list_view"):
        b.click(b.find(".o_content .o_list_view tbody tr.o_data_row"))
    b.find(".o_content .o_form_view.o_form_readonly")
    b.wait_for_text(b.field_css("account_number"), user["account_number"])
    b.click(b.header_button("Consultar na plataforma"))
    wait_until(lambda: rpc("tv.user", "search_count", [
        ("id", "=", user["id"]), ("platform_state", "=", "active"), ("sync_state", "=", "synced")]),
        60, "Check on platform to see the first access")
    b.reload()
    b.wait_for_text(CURRENT_STATUS, "Ativo")
    b.assert_no_stray_labels()  # "Dispositivos MAC" over "Equipamento" before
    b.screenshot("08-tv-user-active")
    open_contract(b)


def open_contract(b):
    """Contracts menu, then the test's contract (a reload drops the breadcrumbs)."""
    b.menu("account.menu_finance", "account.menu_finance_receivables_documents",
           "contract.menu_action_account_analytic_overdue_all")
    b.click(b.find_xpath("//div[contains(@class, 'o_content')]//tr[contains(@class, 'o_data_row')]"
                         "[.//td[starts-with(normalize-space(.), %s)]]"
                         % xpath_literal(CONTRACT + " - ")))
    b.find(".o_content .o_form_view.o_form_readonly")


def step_6_block_and_release(b, rpc, sandbox, user):
    """Block, then Release: each time the contract's status bar, the sandbox
    subscriber's status and the TV tab (platform state, Online)."""
    for button, contract_label, tv_state, platform_status, shots in (
            ("Bloquear", "Bloqueado", "blocked", "blocked",
             ("09-contract-blocked", "10-contract-blocked-tv-tab")),
            ("Liberar", "Ativo", "active", "active",
             ("11-contract-released", "12-contract-released-tv-tab"))):
        b.click(b.header_button(button))
        b.wait_for_text(CURRENT_STATUS, contract_label)
        wait_until(lambda: sandbox_subscriber(sandbox, user["account_number"])["status"]
                   == platform_status, 60, "the sandbox subscriber to be %s" % platform_status)
        wait_until(lambda: rpc("tv.user", "search_count", [
            ("id", "=", user["id"]), ("platform_state", "=", tv_state),
            ("sync_state", "=", "synced")]), 30, "the TV user to be %s in Odoo" % tv_state)
        b.reload()
        b.wait_for_text(CURRENT_STATUS, contract_label)
        check_contract_reads_naturally(b)
        b.screenshot(shots[0])
        b.tab("TV")
        b.scroll_to(TV_TAB)
        b.screenshot(shots[1])
        b.scroll_to(".o_content .o_form_statusbar")


def check_contract_reads_naturally(b):
    """Issue 24's contract form: "Referência" (empty) no longer over
    "Cliente", the recurrence in words ("Repetir a cada mês", not "1Mês(es)")."""
    b.assert_no_stray_labels()
    b.find_xpath("//div[contains(@class, 'o_content')]//label[normalize-space(.)='Repetir a cada']")
    assert not b.find_all(b.field_css("recurring_interval") + ", "
                          + b.field_css("recurring_rule_type"))  # edited only
    shown = b.find(b.field_css("tv_recurrence"))
    assert shown.text == "mês", shown.text


def sandbox_subscriber(sandbox, account_number):
    found = [s for s in sandbox.state()["subscribers"] if s["account_number"] == account_number]
    assert len(found) == 1, found
    return found[0]


def test_four_steps_then_block_and_release(browser, odoo, sandbox):
    b, rpc = browser, odoo.rpc
    assert not rpc("tv.integration", "search", [("name", "=", INTEGRATION)]), \
        "run the browser test on a fresh copy of the test database"
    rpc("res.partner", "create", {"name": CUSTOMER, "email": EMAIL, "customer": True,
                                  "lang": LANG})
    manager, operator = back_office_user(rpc, MANAGER), back_office_user(rpc, OPERATOR)
    b.assert_no_console_errors("login")
    log_in_as(b, rpc, MANAGER, manager)
    step_1_integration(b, rpc, sandbox)
    b.assert_no_console_errors("step 1: TV integration")
    step_2_product(b, rpc)
    b.assert_no_console_errors("step 2: TV product")
    contract_id = step_3_contract(b, rpc)
    b.assert_no_console_errors("step 3: contract")
    log_in_as(b, rpc, OPERATOR, operator)
    user = step_4_tv_user(b, rpc, sandbox, contract_id)
    b.assert_no_console_errors("step 4: TV user")
    step_5_first_access(b, rpc, sandbox, user)
    b.assert_no_console_errors("first access, Check on platform")
    step_6_block_and_release(b, rpc, sandbox, user)
    b.assert_no_console_errors("block and release")
    if os.environ.get("OLETV_PUBLISH_SCREENSHOTS"):  # refresh the operator guide's pictures
        publish_screenshots(b.screenshots, SHOTS)
