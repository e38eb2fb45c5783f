"""Browser test of the customer portal (docs/operate.md, Customer portal), headless
Chromium against a real Odoo server with its job runner and a live Olé TV
sandbox:

- the ISP (admin) sets up a customer with two TV users over XML-RPC: one
  created on the sandbox and awaiting its first access, one active on the
  sandbox whose contract the delinquency policy then blocks for an invoice
  20 days overdue (blocked on the sandbox too);
- in the web client, admin (who creates logins) gives the customer portal
  access: *Ação > Gerenciamento de Acesso do Portal* (Odoo 11's "Grant
  portal access" wizard);
- the customer logs in, finds "TV" in /my, and /my/tv shows the first TV
  user awaiting its first access with the instructions, and the second
  suspended for late payment with the overdue invoice (number, due date,
  amount, a "Ver e pagar" button to the invoice's portal page); on a
  phone-sized screen the page does not scroll sideways and the button is
  still there; another customer's TV user is a 404.

Everyone speaks pt_BR (the customer too) in a BRL company: the texts read
are the addon's pt_BR translations, dates dd/mm/yyyy, amounts "R$ 79,90".

Screenshots go to .local/screenshots/portal-*.png, published to
docs/screenshots/ with OLETV_PUBLISH_SCREENSHOTS=1 (as test_four_steps).
Run by `make test` after test_four_steps, on the same database copy."""
import os
from contextlib import contextmanager
from datetime import date, timedelta

from selenium.webdriver.common.by import By

from oletv_testing.odoo_server import wait_until

from .conftest import LANG, TZ, company_today, publish_screenshots, synced_integration
from .odoo_browser import xpath_literal

LOG_NAME = "browser-test-portal-odoo.log"
SHOTS = "portal-*.png"
INTEGRATION = "Olé TV teste do portal"
PRODUCT = "Olé TV Básico + HBO (portal)"
CUSTOMER = "Paula Portal"
EMAIL = "paula.portal@example.com"
PASSWORD = "paula-portal-1"
LOGINS = {"waiting": "paula.sala@example.com", "blocked": "paula.quarto@example.com"}
CONTRACTS = {"waiting": "Olé TV Sala", "blocked": "Olé TV Quarto"}
PHONE = (390, 844)


# --- the ISP's side, over XML-RPC --------------------------------------------------


def tv_product(rpc, sandbox):
    integration, packages = synced_integration(rpc, sandbox, INTEGRATION)
    return rpc("product.product", "create", {
        "name": PRODUCT, "type": "service", "list_price": 79.90, "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration,
        "tv_main_package_id": packages["BASIC"],
        "tv_additional_line_ids": [(0, 0, {"package_id": packages["HBO"]})]})


def customer_with_two_tv_users(rpc, sandbox):
    """{"waiting": tv user, "blocked": tv user} (dicts read back), and the
    customer's partner id."""
    product = tv_product(rpc, sandbox)
    uom = rpc("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
    partner = rpc("res.partner", "create", {"name": CUSTOMER, "email": EMAIL, "customer": True,
                                            "lang": LANG, "tz": TZ})
    users = {}
    for key, login in sorted(LOGINS.items()):
        contract = rpc("account.analytic.account", "create", {
            "name": CONTRACTS[key], "partner_id": partner, "recurring_invoices": True,
            "recurring_invoice_line_ids": [(0, 0, {
                "line_type": "tv", "product_id": product, "name": PRODUCT, "quantity": 1,
                "uom_id": uom, "specific_price": 79.90})]})
        users[key] = rpc("tv.user", "create", {
            "contract_id": contract, "product_id": product, "technology": "iptv",
            "use_main_email": False, "login": login})
    for key, user_id in users.items():
        users[key] = wait_until(lambda: rpc("tv.user", "search_read", [
            ("id", "=", user_id), ("sync_state", "=", "synced"), ("account_number", "!=", False)],
            fields=["account_number", "contract_id", "platform_state"]), 60,
            "the job runner to create the TV user %s on the sandbox" % key)[0]
    return users, partner


def activate(rpc, sandbox, user):
    sandbox.first_access(user["account_number"])
    rpc("tv.user", "action_refresh_from_platform", [user["id"]])
    wait_until(lambda: rpc("tv.user", "search_count", [
        ("id", "=", user["id"]), ("platform_state", "=", "active"),
        ("sync_state", "=", "synced")]), 60, "the TV user to be active after its first access")


def overdue_invoice(rpc, contract_id, days):
    """The contract's first invoice (OCA contract's scheduled action), due
    `days` days ago and validated: its number."""
    cron = rpc.ref("contract.account_analytic_cron_for_invoice")
    rpc("ir.cron", "method_direct_trigger", [cron])
    invoice = rpc("account.invoice", "search", [("contract_id", "=", contract_id),
                                                ("state", "=", "draft")])
    assert len(invoice) == 1, invoice
    due = company_today() - timedelta(days=days)
    rpc("account.invoice", "write", invoice, {
        "date_invoice": (due - timedelta(days=10)).isoformat(), "date_due": due.isoformat()})
    rpc("account.invoice", "action_invoice_open", invoice)
    return rpc("account.invoice", "read", invoice, ["number", "date_due", "residual"])[0]


def block_by_the_policy(rpc, sandbox, user):
    policy = {"late_notice_days": 5, "block_days": 15}
    if "reduce_days" in rpc("tv.delinquency.policy", "fields_get", ["reduce_days"]):
        policy["reduce_days"] = 0  # the ladder's reduced step off: straight to the block
    if "ladder_preset" in rpc("tv.delinquency.policy", "fields_get", ["ladder_preset"]):
        policy["ladder_preset"] = "custom"  # blocked at once, without Anatel's notice first
    existing = rpc("tv.delinquency.policy", "search", [("company_id", "=", 1)])
    if existing:
        rpc("tv.delinquency.policy", "write", existing, policy)
    else:
        rpc("tv.delinquency.policy", "create", dict(policy, company_id=1))
    rpc("ir.cron", "method_direct_trigger", [rpc.ref("oletv_integration.cron_tv_delinquency")])
    contract = rpc("account.analytic.account", "read", [user["contract_id"][0]],
                   ["contract_status", "block_reason"])[0]
    assert (contract["contract_status"], contract["block_reason"]) == ("blocked", "automatic")
    wait_until(lambda: sandbox_status(sandbox, user["account_number"]) == "blocked", 60,
               "the sandbox subscriber to be blocked")


def sandbox_status(sandbox, account_number):
    return [subscriber["status"] for subscriber in sandbox.state()["subscribers"]
            if subscriber["account_number"] == account_number][0]


# --- the web client and the portal ---------------------------------------------------


def grant_portal_access(b, rpc, partner):
    """Action > Portal Access Management on the customer, as the ISP."""
    b.driver.get("%s/web#id=%d&model=res.partner&view_type=form" % (b.base_url, partner))
    b.wait_web_client()
    b.find(".o_content .o_form_view.o_form_readonly")
    b.click(b.find_xpath("//div[contains(@class, 'o_cp_sidebar')]//button"
                         "[contains(normalize-space(.), 'Ação')]"))
    b.click(b.find_xpath("//div[contains(@class, 'o_cp_sidebar')]//a"
                         "[normalize-space(.)='Gerenciamento de Acesso do Portal']"))
    row = "//div[contains(@class, 'modal')]//tr[contains(@class, 'o_data_row')][.//td[%s]]" % (
        "normalize-space(.)=%s" % xpath_literal(CUSTOMER))
    b.click(b.find_xpath(row + "/td[last()]"))
    b.set_checkbox("in_portal", True, scope=".modal tr.o_selected_row")
    b.screenshot("portal-01-grant-access")
    b.click(".modal .modal-footer .btn-primary")  # Apply
    b.wait().until(lambda d: not b.find_all(".modal"))
    user = rpc("res.users", "search_read", [("partner_id", "=", partner)],
               fields=["login", "share"])
    assert len(user) == 1 and user[0]["share"] and user[0]["login"] == EMAIL, user
    # the invitation e-mail's link would let the customer choose a password
    rpc("res.users", "write", [user[0]["id"]], {"password": PASSWORD})


def customer_login(b, email=EMAIL, password=PASSWORD):
    b.driver.delete_all_cookies()
    b.driver.get(b.base_url + "/web/login")
    b.find("input#login").send_keys(email)
    b.find("input#password").send_keys(password)
    b.click(".oe_login_form button[type=submit]", idle=False)
    b.find(".o_portal_my_home", timeout=60)


def card(b, tv_user):
    return b.find(".o_tv_card[data-tv-user-id='%d']" % tv_user["id"])


def text_of(card_element, css):
    return " ".join(card_element.find_element(By.CSS_SELECTOR, css).text.split())


def has(card_element, css):
    return bool(card_element.find_elements(By.CSS_SELECTOR, css))


def check_tv_page(b, users, invoice):
    waiting, blocked = card(b, users["waiting"]), card(b, users["blocked"])
    assert text_of(waiting, ".o_tv_status_label") == "Aguardando primeiro acesso"
    assert "Instale o aplicativo Olé TV" in text_of(waiting, ".o_tv_instructions")
    assert text_of(waiting, ".o_tv_login") == LOGINS["waiting"]
    assert "HBO" in text_of(waiting, ".o_tv_additional_packages")
    assert not has(waiting, ".o_tv_invoices")
    assert text_of(blocked, ".o_tv_status_label") == "Suspensa por falta de pagamento"
    assert "suspensa por causa de faturas vencidas" in text_of(blocked, ".o_tv_status_text")
    row = text_of(blocked, ".o_tv_invoice")
    due = date(*map(int, invoice["date_due"].split("-"))).strftime("%d/%m/%Y")
    amount = "R$ " + ("%.2f" % invoice["residual"]).replace(".", ",")
    assert invoice["number"] in row and due in row and amount in row, row
    assert pay_button(b, users["blocked"]).text == "Ver e pagar"
    assert not has(blocked, ".o_tv_instructions")


def pay_button(b, tv_user):
    """The invoice's "Ver e pagar" button shown (one per invoice: a phone
    has its own, under the invoice's number)."""
    buttons = [button for button in card(b, tv_user).find_elements(
        By.CSS_SELECTOR, ".o_tv_invoice_link") if button.is_displayed()]
    assert len(buttons) == 1, "%d pay buttons shown" % len(buttons)
    return buttons[0]


@contextmanager
def phone_screen(b):
    """A phone-sized screen (PHONE) for the block, the desktop's after."""
    b.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    try:
        yield
    finally:
        b.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def sideways_overflow(b):
    """How far the page scrolls sideways, in pixels (0 or less: not at all)."""
    return b.driver.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth;")


def check_phone_layout(b, blocked, invoice):
    with phone_screen(b):
        b.driver.refresh()
        b.find(".o_tv_card")
        overflow = sideways_overflow(b)
        assert overflow <= 0, "the TV page scrolls sideways on a phone (%d px)" % overflow
        table = b.driver.execute_script(
            "var t = document.querySelector('.o_tv_invoices');"
            "return t.scrollWidth - t.parentNode.clientWidth;")
        assert table <= 0, "the invoices table scrolls sideways on a phone (%d px)" % table
        b.scroll_to(".o_tv_card[data-tv-user-id='%d'] .o_tv_invoices" % blocked["id"],
                    block="center")
        button = pay_button(b, blocked)  # issue 24: hidden on a phone before
        right = b.driver.execute_script(
            "return arguments[0].getBoundingClientRect().right - window.innerWidth;", button)
        assert right <= 0 and button.text == "Ver e pagar", (right, button.text)
        b.screenshot("portal-04-my-tv-phone")
        b.click(button, idle=False)
        b.wait_for_text("body", invoice["number"])
        b.driver.back()
        b.find(".o_tv_card")


def test_customer_sees_the_tv_service_in_the_portal(browser, odoo, sandbox):
    b, rpc = browser, odoo.rpc
    assert not rpc("res.partner", "search", [("email", "=", EMAIL)]), \
        "run the browser test on a fresh copy of the test database"
    users, partner = customer_with_two_tv_users(rpc, sandbox)
    activate(rpc, sandbox, users["blocked"])
    invoice = overdue_invoice(rpc, users["blocked"]["contract_id"][0], 20)
    block_by_the_policy(rpc, sandbox, users["blocked"])
    assert sandbox_status(sandbox, users["waiting"]["account_number"]) == "awaiting_activation"
    grant_portal_access(b, rpc, partner)
    b.assert_no_console_errors("Portal Access Management")

    customer_login(b)
    b.driver.execute_script("window.scrollTo(0, 0);")
    entry = b.find(".o_portal_tv_entry")
    assert " ".join(entry.text.split()) == "2 TV", entry.text
    b.screenshot("portal-02-my-home")
    b.click(".o_portal_tv_entry a", idle=False)
    b.find(".o_tv_card")
    check_tv_page(b, users, invoice)
    b.screenshot("portal-03-my-tv")
    check_phone_layout(b, users["blocked"], invoice)
    b.assert_no_console_errors("the TV page")

    b.driver.refresh()
    b.click(pay_button(b, users["blocked"]), idle=False)
    b.wait_for_text("body", invoice["number"])
    others = rpc("tv.user", "search_read", [("partner_id", "!=", partner)], fields=["login"],
                 limit=1)
    if others:  # the four steps' and the demo's customers
        b.driver.get("%s/my/tv/%d" % (b.base_url, others[0]["id"]))
        assert others[0]["login"] not in b.driver.page_source
        assert not b.find_all(".o_tv_card")
    if os.environ.get("OLETV_PUBLISH_SCREENSHOTS"):
        publish_screenshots(b.screenshots, SHOTS)
