"""Browser test of add-ons and of the move of a retired package (docs/operate.md,
Add-ons), headless Chromium against a real Odoo server with its job runner and
a live Olé TV sandbox:

- admin prepares over XML-RPC a TV integration synced with the sandbox, a
  plan (Família + HBO), Telecine sold as an add-on, and three customers
  whose TV users are active on the sandbox; the moves go in chunks of one
  TV user (oletv_integration.package_move_chunk_size);
- the TV operator (conftest's OPERATOR) opens a customer's contract, its TV
  user and the *Adicionais* dialog: chooses Telecine and reads, before
  confirming, its price, the date, the first amount and its days, in
  Portuguese and in reais (no label in English, none broken in two);
  confirms: the contract has the add-on's line for that TV user, the TV
  user's *Adicionais* tab lists it and the sandbox subscriber gains
  TELECINE; then removes it the same way (the package leaves the sandbox,
  the line never charged is gone);
- the TV manager (MANAGER) moves the plan's retired HBO to its successor
  (Olé Esportes) from the integration: the dialog previews the plan
  changed and the three TV users; *Iniciar a migração* opens the move,
  which ends done (3 of 3, 100%), each subscriber with the successor on
  the sandbox.

Screenshots: .local/screenshots/addons-*.png, published to docs/screenshots/
with OLETV_PUBLISH_SCREENSHOTS=1 (as the other browser tests)."""
import os
import re

from oletv_testing.odoo_server import wait_until

from .conftest import (MANAGER, OPERATOR, back_office_user, company_today, log_in_as,
                       publish_screenshots, synced_integration)
from .odoo_browser import xpath_literal
from .test_customer_lifecycle import (dialog_button, live_tv_users, open_contract,
                                      tv_user_on_a_contract)

LOG_NAME = "browser-test-addons-odoo.log"
SHOTS = "addons-*.png"
INTEGRATION = "Olé TV adicionais"
PLAN = "Olé TV Família + HBO (adicionais)"
ADDON = "Telecine (adicional)"
CUSTOMERS = (("Tiago Adicional", "tiago.adicional@example.com"),
             ("Lara Migração", "lara.migracao@example.com"),
             ("Davi Migração", "davi.migracao@example.com"))
DIALOG = ".modal .o_form_view"
CURRENT_STATUS = ".o_content .o_form_statusbar .o_statusbar_status .btn-primary"
# the add-on dialog's preview, as a TV operator reads it (pt_BR)
PREVIEW = {"price": "Preço por período", "effective_date": "Vale a partir de",
           "first_amount": "Primeiro valor", "first_period": "Referente a",
           "document_date": "Faturado em"}
ENGLISH = ("Price per period", "Takes effect on", "First amount", "Invoiced on", "Add-on",
           "TV user", "Contract", "Action")
DATE = "%d/%m/%Y"  # pt_BR


# --- admin's preparation, over XML-RPC --------------------------------------------------


def plan_and_addon(rpc, sandbox):
    integration, packages = synced_integration(rpc, sandbox, INTEGRATION)
    plan = rpc("product.product", "create", {
        "name": PLAN, "type": "service", "list_price": 89.90, "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration,
        "tv_main_package_id": packages["FAMILY"],
        "tv_additional_line_ids": [(0, 0, {"package_id": packages["HBO"]})]})
    addon = rpc("product.product", "create", {
        "name": ADDON, "type": "service", "list_price": 29.90, "is_tv_product": True,
        "tv_platform": "oletv", "tv_product_kind": "addon", "tv_integration_id": integration,
        "tv_additional_line_ids": [(0, 0, {"package_id": packages["TELECINE"]})]})
    rpc("ir.config_parameter", "set_param", "oletv_integration.package_move_chunk_size", "1")
    return integration, plan, addon


def active_tv_users(rpc, sandbox, plan):
    """[tv user read back] of CUSTOMERS, each on its own contract, created on
    the sandbox and past its first access."""
    users = live_tv_users(rpc, sandbox, {
        index: tv_user_on_a_contract(rpc, plan, name, email, line_name=PLAN)
        for index, (name, email) in enumerate(CUSTOMERS)})
    return [users[index] for index in sorted(users)]


def sandbox_packages(sandbox, user):
    found = [(s["main_package"], s["additional_packages"]) for s in sandbox.state()["subscribers"]
             if s["account_number"] == user["account_number"]]
    assert len(found) == 1, found
    return found[0]


def wait_packages(sandbox, user, what, test):
    wait_until(lambda: test(*sandbox_packages(sandbox, user)), 60,
               "the sandbox subscriber of %s %s" % (user["login"], what))


# --- the TV operator's Adicionais dialog --------------------------------------------------


def open_tv_user(b):
    """From the contract's form, its (only) TV user's form."""
    b.click(b.stat_button("Usuários TV"))
    if b.find_all(".o_content .o_list_view"):
        b.click(b.find(".o_content .o_list_view tbody tr.o_data_row"))
    b.find(".o_content .o_form_view.o_form_readonly")


def field_text(b, name):
    return " ".join(b.find(b.field_css(name, DIALOG)).text.split())


def check_the_dialog_reads_in_portuguese(b):
    """Every label of the dialog in pt_BR, on one line, the preview's among them."""
    labels = b.find_all(DIALOG + " td.o_td_label label")
    texts = [" ".join(label.text.split()) for label in labels]
    assert set(PREVIEW.values()) <= set(texts), texts
    assert not set(ENGLISH) & set(texts), texts
    wrapped = b.wrapped(labels)
    assert not wrapped, "labels broken in two: %s" % wrapped
    for name, label in PREVIEW.items():
        assert field_text(b, name), "%s (%s) shows nothing" % (label, name)


def open_the_dialog(b, action_label):
    b.click(b.header_button("Adicionais"))
    b.find(DIALOG)
    b.wait_for_text(".modal .modal-title", "Adicionais")
    b.click(b.find_xpath("//div[contains(@class, 'modal')]//div[@name='action']"
                         "//label[normalize-space(.)=%s]" % xpath_literal(action_label)))
    b.set_many2one("product_id", "Telecine", pick=ADDON, scope=DIALOG)


def add_the_addon(b, rpc, sandbox, user):
    today = company_today().strftime(DATE)
    open_contract(b, CUSTOMERS[0][0])
    open_tv_user(b)
    open_the_dialog(b, "Incluir")
    b.wait_for_text(b.field_css("price", DIALOG), "R$ 29,90")
    assert field_text(b, "effective_date") == today, field_text(b, "effective_date")
    assert "R$" in field_text(b, "first_amount"), field_text(b, "first_amount")
    period = field_text(b, "first_period")
    assert re.search(r"\d+ de \d+ dias \(\d\d/\d\d/\d{4} a \d\d/\d\d/\d{4}\)", period), period
    assert re.match(r"\d\d/\d\d/\d{4}$", field_text(b, "document_date"))
    check_the_dialog_reads_in_portuguese(b)
    b.screenshot("addons-01-dialog-add")
    b.click(dialog_button(b, "Confirmar"))
    b.wait().until(lambda d: not b.find_all(".modal"))
    wait_packages(sandbox, user, "with Telecine", lambda main, extra: main == "FAMILY" and
                  sorted(extra) == ["HBO", "TELECINE"])
    lines = rpc("account.analytic.invoice.line", "search_read", [
        ("analytic_account_id", "=", user["contract_id"][0]), ("tv_user_id", "=", user["id"])],
        fields=["product_id", "tv_addon_from", "tv_addon_to", "price_unit"])
    assert [(line["product_id"][1], line["tv_addon_from"], line["tv_addon_to"],
             round(line["price_unit"], 2)) for line in lines] == [
        (ADDON, company_today().isoformat(), False, 29.90)], lines
    b.tab("Adicionais")  # the form read again when the dialog closed
    tab = b.field_css("tv_addon_line_ids")
    b.wait_for_text(tab, ADDON)
    b.wait_for_text(tab, "29,90")
    b.wait_for_text(tab, today)
    headers = b.find_all(tab + " thead th")
    assert not b.wrapped(headers), b.wrapped(headers)
    b.scroll_to(".o_content .o_form_view .o_notebook")
    b.screenshot("addons-02-tv-user-addons-tab")


def the_contract_has_the_line(b, user):
    open_contract(b, CUSTOMERS[0][0])
    lines = b.field_css("recurring_invoice_line_ids")
    row = b.find_xpath("//div[@name='recurring_invoice_line_ids']//tr[contains(@class, "
                       "'o_data_row')][.//td[normalize-space(.)=%s]]" % xpath_literal(ADDON))
    assert user["login"] in row.text, row.text
    # the add-on's column on one line, the lines' own (price, subtotal) in sight
    headers = b.find_all(lines + " thead th")
    texts = [" ".join(th.text.split()) for th in headers]
    assert "Usuário TV" in texts and not b.wrapped(headers[texts.index("Usuário TV"):][:1]), texts
    overflow = b.driver.execute_script(
        "var el = arguments[0].querySelector('.table-responsive') || arguments[0];"
        "return el.scrollWidth - el.clientWidth;", b.find(lines))
    assert overflow <= 0, "the contract's lines scroll sideways (%d px): %s" % (overflow, texts)
    b.scroll_to(lines, block="center")
    b.screenshot("addons-03-contract-addon-line")


def remove_the_addon(b, rpc, sandbox, user):
    open_tv_user(b)
    open_the_dialog(b, "Retirar")
    b.wait_for_text(b.field_css("first_amount", DIALOG), "R$")
    b.wait_for_text(b.field_css("price", DIALOG), "R$ 29,90")
    check_the_dialog_reads_in_portuguese(b)
    b.screenshot("addons-04-dialog-remove")
    b.click(dialog_button(b, "Confirmar"))
    b.wait().until(lambda d: not b.find_all(".modal"))
    wait_packages(sandbox, user, "without Telecine", lambda main, extra: main == "FAMILY" and
                  extra == ["HBO"])
    assert not rpc("tv.user", "read", [user["id"]], ["tv_addon_line_ids"])[0][
        "tv_addon_line_ids"]


# --- the TV manager's move of a retired package -------------------------------------------


def move_the_retired_package(b, rpc, sandbox, users):
    b.menu("account.menu_finance", "oletv_integration.menu_integrations",
           "oletv_integration.menu_tv_integration")
    b.click(b.find_xpath("//div[contains(@class, 'o_content')]//tr[contains(@class, "
                         "'o_data_row')][./td[normalize-space(.)=%s]]"
                         % xpath_literal(INTEGRATION)))
    b.find(".o_content .o_form_view.o_form_readonly")
    b.click(b.header_button("Migrar um pacote retirado"))
    b.find(DIALOG)
    b.set_many2one("old_package_id", "HBO", pick="HBO Max", scope=DIALOG)
    b.set_many2one("new_package_id", "Esportes", pick="Olé Esportes", scope=DIALOG)
    b.wait_for_text(b.field_css("plans", DIALOG), PLAN)
    b.wait_for_text(b.field_css("tv_user_count", DIALOG), "3")
    b.wait_for_text(b.field_css("addons", DIALOG), "(nenhum adicional)")
    labels = b.find_all(DIALOG + " td.o_td_label label")
    assert not b.wrapped(labels), "labels broken in two: %s" % b.wrapped(labels)
    b.screenshot("addons-05-package-move-preview")
    b.click(dialog_button(b, "Iniciar a migração"))
    b.wait().until(lambda d: not b.find_all(".modal"))
    b.wait_for_text(".o_control_panel .breadcrumb", "HBO Max para Olé Esportes")
    move = rpc("tv.package.move", "search", [("integration_id", "=", rpc(
        "tv.integration", "search", [("name", "=", INTEGRATION)])[0])])
    assert len(move) == 1, move
    wait_until(lambda: rpc("tv.package.move", "read", move, ["state"])[0]["state"] == "done",
               90, "the move's chunks to end")
    for user in users:
        wait_packages(sandbox, user, "with the successor", lambda main, extra: main == "FAMILY"
                      and extra == ["SPORTS"])
    b.reload()
    b.wait_for_text(CURRENT_STATUS, "Concluído")
    for name, text in (("total_count", "3"), ("done_count", "3"), ("progress", "100")):
        b.wait_for_text(b.field_css(name), text)
    b.wait_for_text(b.field_css("product_tmpl_ids"), PLAN)
    b.wait_for_text(".o_content .o_form_view .o_horizontal_separator", "Produtos alterados")
    b.assert_no_stray_labels()
    b.screenshot("addons-06-package-move-done")


def test_operator_addons_and_package_move(browser, odoo, sandbox):
    b, rpc = browser, odoo.rpc
    assert not rpc("tv.integration", "search", [("name", "=", INTEGRATION)]), \
        "run the browser test on a fresh copy of the test database"
    _integration, plan, _addon = plan_and_addon(rpc, sandbox)
    operator, manager = back_office_user(rpc, OPERATOR), back_office_user(rpc, MANAGER)
    users = active_tv_users(rpc, sandbox, plan)

    log_in_as(b, rpc, OPERATOR, operator)
    add_the_addon(b, rpc, sandbox, users[0])
    the_contract_has_the_line(b, users[0])
    remove_the_addon(b, rpc, sandbox, users[0])
    b.assert_no_console_errors("the operator's add-on dialog")

    log_in_as(b, rpc, MANAGER, manager)
    move_the_retired_package(b, rpc, sandbox, users)
    b.assert_no_console_errors("the manager's package move")
    if os.environ.get("OLETV_PUBLISH_SCREENSHOTS"):
        publish_screenshots(b.screenshots, SHOTS)
