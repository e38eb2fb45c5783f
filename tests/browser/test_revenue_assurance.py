"""Browser test of revenue assurance (docs/operate.md, Revenue assurance:
Where to look), headless Chromium against a real Odoo server with its job
runner and a live Olé TV sandbox:

- admin prepares over XML-RPC a TV integration synced with the sandbox,
  its platform prices, Olé TV as its supplier and the rule "active on any
  day of the month" (the platform's history then counts with one day
  observed: today's), five subscribers on the sandbox (three BASIC, two
  FAMILY + HBO, none linked to a TV user: leaks), a customer invoice of TV
  this month, and Olé TV's bill of this month with BASIC one too many;
  the platform history's scheduled action observes today (the job runner
  runs its job) and the month is computed;
- the TV manager (conftest's MANAGER) opens *Faturamento > Garantia de
  receita > Meses* and its pivot, the month's tile on the TV dashboard
  (which opens the month's rows), the leaks with their remedies, the
  platform history and Olé TV's bill's TV tab;
- the billing clerk (CLERK) finds the same menu but not the TV back
  office's, sees the month read-only (no Compute, no edit) and downloads
  its dispute export (';' and a decimal comma: he works in Portuguese).

Screenshots: .local/screenshots/revenue-*.png, published to docs/screenshots/
with OLETV_PUBLISH_SCREENSHOTS=1 (as the other browser tests)."""
import csv
import io
import os

from selenium.webdriver.common.by import By

from oletv_testing.odoo_server import wait_until

from .conftest import (LANG, MANAGER, back_office_user, company_today, log_in_as,
                       publish_screenshots, synced_integration)

LOG_NAME = "browser-test-revenue-odoo.log"
SHOTS = "revenue-*.png"
INTEGRATION = "Olé TV garantia de receita"
PRODUCT = "Olé TV Básico (garantia de receita)"
CLERK = ("Fábio Faturista", "faturista.tv", "faturista-tv-1", "fabio.faturista@example.com",
         ("base.group_user", "account.group_account_invoice"))
PRICES = {"BASIC": 20.0, "FAMILY": 30.0, "HBO": 10.0}
SMALL_SCREEN = (1280, 800)  # a laptop's
SUBSCRIBERS = (("ra1", "BASIC", []), ("ra2", "BASIC", []), ("ra3", "BASIC", []),
               ("ra4", "FAMILY", ["HBO"]), ("ra5", "FAMILY", ["HBO"]))


# --- admin's preparation, over XML-RPC --------------------------------------------------


def account_of(rpc, type_xmlid):
    return rpc("account.account", "search",
               [("user_type_id", "=", rpc.ref(type_xmlid)), ("company_id", "=", 1)],
               limit=1)[0]


def a_computed_month(rpc, sandbox):
    """The integration, its month computed from the sandbox's subscribers,
    a customer invoice and Olé TV's bill: (integration id, month's first day)."""
    integration, packages = synced_integration(rpc, sandbox, INTEGRATION)
    for code, price in PRICES.items():
        rpc("tv.package", "write", [packages[code]], {"platform_price": price})
    vendor = rpc("res.partner", "create", {"name": "Olé TV Serviços Ltda", "supplier": True,
                                           "is_company": True})
    rpc("tv.integration", "write", [integration], {"vendor_partner_id": vendor,
                                                   "platform_billing_rule": "any_day"})
    for login, main, additional in SUBSCRIBERS:
        sandbox.seed_subscriber(login=login + "@example.com", main_package=main,
                                additional_packages=additional, status="active")
    today = company_today()
    first = today.replace(day=1)
    product = rpc("product.product", "create", {
        "name": PRODUCT, "type": "service", "list_price": 59.90, "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration,
        "tv_main_package_id": packages["BASIC"]})
    customer = rpc("res.partner", "create", {"name": "Carla Receita", "customer": True,
                                             "lang": LANG})
    invoice = rpc("account.invoice", "create", {
        "partner_id": customer, "type": "out_invoice", "date_invoice": today.isoformat(),
        "invoice_line_ids": [(0, 0, {"product_id": product, "name": PRODUCT, "quantity": 3,
                                     "price_unit": 59.90,
                                     "account_id": account_of(
                                         rpc, "account.data_account_type_revenue")})]})
    rpc("account.invoice", "action_invoice_open", [invoice])
    expense = account_of(rpc, "account.data_account_type_expenses")
    bill = rpc("account.invoice", "create", {
        "partner_id": vendor, "type": "in_invoice", "date_invoice": today.isoformat(),
        "tv_billing_month": first.isoformat(),
        "invoice_line_ids": [(0, 0, {"name": name, "quantity": quantity, "price_unit": price,
                                     "account_id": expense})
                             for name, quantity, price in (
                                 ("Pacote BASIC", 4, 20.0), ("Pacote FAMILY", 2, 30.0),
                                 ("Pacote HBO", 2, 10.0))]}, context={"type": "in_invoice"})
    rpc("account.invoice", "action_invoice_open", [bill])
    rpc("ir.cron", "method_direct_trigger", [rpc.ref("oletv_integration.cron_tv_platform_history")])
    wait_until(lambda: rpc("tv.integration", "read", [integration], ["history_last_day"])[0][
        "history_last_day"] == today.isoformat(), 90, "the platform history of today")
    rpc("tv.integration", "action_compute_revenue_month", [integration], today.isoformat())
    rows = {row["package_code"]: row for row in rpc(
        "tv.revenue.line", "search_read", [("integration_id", "=", integration)],
        fields=["package_code", "counted_quantity", "bill_quantity", "status"])}
    assert (rows["BASIC"]["counted_quantity"], rows["BASIC"]["bill_quantity"],
            rows["BASIC"]["status"]) == (3.0, 4.0, "differs"), rows
    return integration, first, bill


# --- the TV manager ----------------------------------------------------------------------


def open_groups(b):
    """Open a grouped list's groups, then their subgroups, to show the rows."""
    for _group in range(10):  # one at a time: a click re-renders the list
        closed = b.find_all(".o_content .o_group_header:not(.o_group_open)")
        if not closed:
            break
        b.click(closed[0])


def months_pivot(b):
    b.menu("account.menu_finance", "oletv_integration.menu_tv_revenue_line")
    open_groups(b)  # grouped by month
    b.wait_for_text(".o_content", "Olé Básico")
    b.click(".o_control_panel .o_cp_switch_pivot")
    pivot = b.find(".o_content .o_pivot table")
    b.wait_for_text(".o_content .o_pivot", "Margem")
    assert "Olé Básico" in pivot.text, pivot.text
    b.screenshot("revenue-01-pivot")
    b.click(".o_control_panel .o_cp_switch_graph")
    b.find(".o_content .o_graph_svg_container svg, .o_content .o_graph canvas, "
           ".o_content .o_graph svg")


def dashboard_tile(b):
    b.menu("account.menu_finance", "oletv_integration.menu_tv_dashboard")
    card = "//div[contains(@class, 'o_kanban_record')][.//*[normalize-space(.)='%s']]" \
        % INTEGRATION
    tile = b.find_xpath(card + "//div[contains(@class, 'o_tv_revenue_tile')]")
    assert "R$" in tile.text and "vazamentos em aberto" in tile.text, tile.text
    assert "5 vazamentos" in tile.text, tile.text
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", tile)
    b.screenshot("revenue-02-dashboard-tile")
    b.click(b.find_xpath(card + "//a[contains(@class, 'o_tv_revenue_bill_diff')]"))
    open_groups(b)
    b.wait_for_text(".o_content .o_list_view", "Olé Básico")
    b.wait_for_text(".o_control_panel .breadcrumb", "Garantia de receita de")


def leaks_list(b):
    """The leaks and their remedies, on a laptop's screen (SMALL_SCREEN):
    each row's buttons in sight, no scrolling sideways to find them."""
    with b.viewport(*SMALL_SCREEN):
        b.menu("account.menu_finance", "oletv_integration.menu_tv_revenue_leak")
        open_groups(b)  # grouped by month and kind
        b.wait_for_text(".o_content", "Na plataforma, sem usuário TV")
        b.wait_for_text(".o_content .o_list_view thead", "Número da conta")
        b.find_xpath("//div[contains(@class, 'o_content')]//button[.//span[normalize-space(.)="
                     "'Vincular'] or @title='Vincular' or normalize-space(.)='Vincular']")
        buttons = b.find_all(".o_content .o_list_view td.o_list_button button")
        titles = sorted(button.get_attribute("title") for button in buttons)
        assert titles == ["Excluir na plataforma"] * 5 + ["Vincular"] * 5, titles
        outside = b.outside_viewport(buttons)
        assert not outside, "remedies off the %dx%d screen: %s" % (SMALL_SCREEN + (outside,))
        b.screenshot("revenue-04-leaks")
        # a leak in full (a click on its row): the same remedies at the top of its form
        b.click(b.find(".o_content .o_list_view tr.o_data_row td.o_data_cell"))
        b.wait_for_text(".o_content .o_form_view.o_form_readonly", "Na plataforma, sem usuário TV")
        for label in ("Vincular", "Excluir na plataforma"):
            assert not b.outside_viewport([b.header_button(label)]), label


def platform_history(b):
    b.menu("account.menu_finance", "oletv_integration.menu_tv_revenue_span")
    b.wait_for_text(".o_content", "ra1@example.com")
    b.screenshot("revenue-05-platform-history")


def bill_tv_tab(b, bill):
    b.driver.get(b.base_url + "/web#id=%d&view_type=form&model=account.invoice"
                 "&action=account.action_invoice_tree2" % bill)
    b.wait_web_client()
    b.tab("TV")
    b.find(b.field_css("tv_billing_month"))
    b.screenshot("revenue-06-vendor-bill-tv-tab")


# --- the billing clerk -------------------------------------------------------------------


def clerk_reads_the_month(b):
    assert not b.find_all("#oe_main_menu_navbar a[data-menu-xmlid="
                          "'oletv_integration.menu_tv_back_office']")
    b.menu("account.menu_finance", "oletv_integration.menu_tv_revenue_line")
    assert not b.find_all(".o_sub_menu [data-menu-xmlid="
                          "'oletv_integration.menu_tv_back_office']")
    assert not b.find_all(".o_sub_menu a[data-menu-xmlid="
                          "'oletv_integration.menu_tv_dashboard']")
    open_groups(b)
    row = b.find_xpath("//div[contains(@class, 'o_content')]//tr[contains(@class, "
                       "'o_data_row')][.//td[contains(normalize-space(.), 'Olé Básico')]]")
    b.click(row.find_element(By.XPATH, ".//td[contains(@class, 'o_data_cell')][3]"))
    b.find(".o_content .o_form_view.o_form_readonly")
    assert not b.find_all(".o_control_panel .o_form_button_edit")
    assert not b.find_all(".o_control_panel .o_list_button_add")
    assert "Calcular mês" not in b.find(".o_content").text
    b.header_button("Exportar para contestação")
    b.wait_for_text(".o_control_panel .breadcrumb", "BASIC 20")  # the row's name: package, month
    b.screenshot("revenue-03-month-clerk")


def download(b, url):
    """The CSV a GET of `url` returns in the browser's session: (status, text)."""
    return b.driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) {"
        "  return r.text().then(function (t) { done([r.status, t]); }); });", url)


def test_revenue_assurance_screens(browser, odoo, sandbox):
    b, rpc = browser, odoo.rpc
    assert not rpc("tv.integration", "search", [("name", "=", INTEGRATION)]), \
        "run the browser test on a fresh copy of the test database"
    manager, clerk = back_office_user(rpc, MANAGER), back_office_user(rpc, CLERK)
    integration, first, bill = a_computed_month(rpc, sandbox)

    log_in_as(b, rpc, MANAGER, manager)
    months_pivot(b)
    b.assert_no_console_errors("the months' pivot and graph")
    dashboard_tile(b)
    b.assert_no_console_errors("the dashboard's tile")
    leaks_list(b)
    platform_history(b)
    bill_tv_tab(b, bill)
    b.assert_no_console_errors("leaks, platform history, the bill's TV tab")

    log_in_as(b, rpc, CLERK, clerk)
    clerk_reads_the_month(b)
    status, text = download(b, "/oletv/revenue/dispute/%d/%s" % (integration,
                                                                 first.isoformat()))
    assert status == 200, (status, text[:300])
    found = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert found[0] == ["Integração", INTEGRATION], found[:3]
    assert any(row[:5] == ["BASIC", "Olé Básico", "4,00", "80,00", "3,00"] for row in found), \
        found
    assert sum(1 for row in found if row and row[0] == "BASIC" and "@example.com" in row[2]) == 3
    b.assert_no_console_errors("the clerk's month and its dispute export")
    if os.environ.get("OLETV_PUBLISH_SCREENSHOTS"):
        publish_screenshots(b.screenshots, SHOTS)
