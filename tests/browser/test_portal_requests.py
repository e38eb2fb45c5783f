"""Browser test of the customer's own requests on the portal (docs/operate.md,
Customer portal, "Your requests"), headless Chromium against a real Odoo
server with its job runner and a live Olé TV sandbox:

- the ISP sets up, over XML-RPC, a customer with one TV user active on the
  sandbox (two devices by MAC), the delinquency policy (Anatel's suspension
  rule, customers release in trust on the portal) and the customer's portal
  login;
- on a desktop screen the customer reads the devices and the days of
  suspension left this year, asks for a suspension from tomorrow, sees it
  scheduled with 90 days left, cancels it, and has the access instructions
  sent again (each confirmed on the page, the notices queued);
- the ISP sells a Telecine add-on: the customer reads its price, date and
  first amount, adds it (the package on the sandbox), then removes it;
- on a phone-sized screen the page does not scroll sideways and the
  suspension form is there;
- the policy then blocks the contract for an invoice 20 days overdue: the
  customer releases the TV in trust, once (active again on the sandbox),
  and the trust release is not offered a second time.

Everyone speaks pt_BR. Screenshots go to .local/screenshots/portal-requests-*.png,
published to docs/screenshots/ with OLETV_PUBLISH_SCREENSHOTS=1. Run by
`make test` with the other browser tests, on the same database copy."""
import os
from datetime import timedelta

from selenium.webdriver.common.by import By

from oletv_testing.odoo_server import wait_until

from .conftest import LANG, TZ, company_today, publish_screenshots
from .test_portal import (activate, customer_login, overdue_invoice, phone_screen,
                          sandbox_status, sideways_overflow, tv_product)

LOG_NAME = "browser-test-portal-requests-odoo.log"
SHOTS = "portal-requests-*.png"
CUSTOMER = "Rita Requisição"
EMAIL = "rita.requisicao@example.com"
PASSWORD = "rita-portal-1"
LOGIN = "rita.sala@example.com"
MACS = ["AA:BB:CC:00:00:01", "AA:BB:CC:00:00:02"]


def customer_with_a_tv_user(rpc, sandbox):
    product = tv_product(rpc, sandbox)
    uom = rpc("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
    partner = rpc("res.partner", "create", {"name": CUSTOMER, "email": EMAIL, "customer": True,
                                            "lang": LANG, "tz": TZ})
    contract = rpc("account.analytic.account", "create", {
        "name": "Olé TV Rita", "partner_id": partner, "recurring_invoices": True,
        "recurring_invoice_line_ids": [(0, 0, {
            "line_type": "tv", "product_id": product, "name": "Olé TV", "quantity": 1,
            "uom_id": uom, "specific_price": 79.90})]})
    user_id = rpc("tv.user", "create", {
        "contract_id": contract, "product_id": product, "technology": "iptv",
        "use_main_email": False, "login": LOGIN, "mac_devices": "\n".join(MACS)})
    user = wait_until(lambda: rpc("tv.user", "search_read", [
        ("id", "=", user_id), ("sync_state", "=", "synced"), ("account_number", "!=", False)],
        fields=["account_number", "contract_id", "platform_state"]), 60,
        "the job runner to create the TV user on the sandbox")[0]
    activate(rpc, sandbox, user)
    rpc("res.users", "create", {
        "name": CUSTOMER, "login": EMAIL, "password": PASSWORD, "partner_id": partner,
        "groups_id": [(6, 0, [rpc.ref("base.group_portal")])]})
    return user


def policy(rpc, values):
    existing = rpc("tv.delinquency.policy", "search", [("company_id", "=", 1)])
    if existing:
        rpc("tv.delinquency.policy", "write", existing, values)
    else:
        rpc("tv.delinquency.policy", "create", dict(values, company_id=1))


def text(b, css):
    return " ".join(b.find(css).text.split())


def submit(b, form_css, fields=None):
    """Fill the form (date inputs by their value: the browser's own date
    picker is locale-bound) and send it; the notice shown after."""
    form = b.find(form_css)
    for name, value in (fields or {}).items():
        b.driver.execute_script("arguments[0].value = arguments[1];",
                                form.find_element(By.NAME, name), value)
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", form)
    b.click(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), idle=False)
    notice = b.find(".o_tv_request_notice", timeout=30)
    return notice.get_attribute("data-state"), " ".join(notice.text.split())


def sandbox_packages(sandbox, account_number):
    return [subscriber["additional_packages"] for subscriber in sandbox.state()["subscribers"]
            if subscriber["account_number"] == account_number][0]


def addon_added_then_removed(b, rpc, sandbox, user, path):
    """The ISP sells Telecine as an add-on; the customer adds it, reading
    what it costs first, then removes it."""
    product = rpc("tv.user", "read", [user["id"]], ["product_id"])[0]["product_id"][0]
    integration = rpc("product.product", "read", [product],
                      ["tv_integration_id"])[0]["tv_integration_id"][0]
    package = rpc("tv.package", "search", [("integration_id", "=", integration),
                                           ("code", "=", "TELECINE")])
    rpc("product.product", "create", {
        "name": "Telecine (adicional)", "type": "service", "list_price": 29.90,
        "is_tv_product": True, "tv_platform": "oletv", "tv_product_kind": "addon",
        "tv_integration_id": integration, "tv_additional_line_ids": [(0, 0, {
            "package_id": package[0]})]})
    b.driver.get(b.base_url + path)
    offered = b.find(".o_tv_addon_offered")
    assert "R$ 29,90" in offered.text, offered.text
    assert "R$" in b.find(".o_tv_addon_offered .o_tv_addon_amount").text
    b.scroll_to(".o_tv_addons")
    b.screenshot("portal-requests-05-addon-offered")
    state, message = submit(b, ".o_tv_addon_add_form")
    assert state == "done" and "Telecine" in message, message
    wait_until(lambda: "TELECINE" in sandbox_packages(sandbox, user["account_number"]), 60,
               "the add-on's package on the sandbox")
    state, message = submit(b, ".o_tv_addon_remove_form")
    assert state == "done", message
    wait_until(lambda: "TELECINE" not in sandbox_packages(sandbox, user["account_number"]),
               60, "the add-on's package to leave the sandbox")


def check_phone(b):
    with phone_screen(b):
        b.driver.refresh()
        b.find(".o_tv_suspend_form")
        overflow = sideways_overflow(b)
        assert overflow <= 0, "the requests scroll sideways on a phone (%d px)" % overflow
        b.scroll_to(".o_tv_requests")
        b.screenshot("portal-requests-03-phone")


def test_customer_makes_their_own_requests(browser, odoo, sandbox):
    b, rpc = browser, odoo.rpc
    assert not rpc("res.partner", "search", [("email", "=", EMAIL)]), \
        "run the browser test on a fresh copy of the test database"
    policy(rpc, {"suspension_preset": "anatel", "portal_trust_release": True})
    user = customer_with_a_tv_user(rpc, sandbox)
    contract_id = user["contract_id"][0]
    path = "/my/tv/%d" % user["id"]
    customer_login(b, EMAIL, PASSWORD)
    b.driver.get(b.base_url + path)
    b.find(".o_tv_requests")

    assert [mac.text for mac in b.find_all(".o_tv_mac")] == MACS
    assert text(b, ".o_tv_days_left_count") == "120"
    b.scroll_to(".o_tv_requests")
    b.screenshot("portal-requests-01-desktop")
    tomorrow = company_today() + timedelta(days=1)
    state, message = submit(b, ".o_tv_suspend_form", {
        "date_from": tomorrow.isoformat(),
        "date_to": (tomorrow + timedelta(days=29)).isoformat()})
    assert state == "done", message
    assert text(b, ".o_tv_days_left_count") == "90"
    assert b.find(".o_tv_suspension_row").get_attribute("data-state") == "scheduled"
    b.scroll_to(".o_tv_requests")
    b.screenshot("portal-requests-02-suspension-asked")
    suspension = rpc("tv.request.suspension", "search_read", [("contract_id", "=", contract_id)],
                     fields=["state", "days"])
    assert [(row["state"], row["days"]) for row in suspension] == [("scheduled", 30)]
    state, message = submit(b, ".o_tv_end_suspension_form")
    assert state == "done", message
    assert rpc("tv.request.suspension", "read", [suspension[0]["id"]],
               ["state"])[0]["state"] == "cancelled"
    state, message = submit(b, ".o_tv_resend_form")
    assert state == "done" and LOGIN in message, message
    assert rpc("mail.mail", "search_count", [("tv_notice", "=", "access_instructions"),
                                             ("res_id", "=", contract_id)]) == 1
    assert rpc("mail.mail", "search_count", [("tv_notice", "=", "request"),
                                             ("res_id", "=", contract_id)]) == 2
    addon_added_then_removed(b, rpc, sandbox, user, path)
    check_phone(b)
    b.assert_no_console_errors("the customer's requests")

    # blocked by the policy for an invoice 20 days overdue: released in trust, once
    overdue_invoice(rpc, contract_id, 20)
    policy(rpc, {"late_notice_days": 5, "block_days": 15, "reduce_days": 0,
                 "ladder_preset": "custom"})
    rpc("ir.cron", "method_direct_trigger", [rpc.ref("oletv_integration.cron_tv_delinquency")])
    wait_until(lambda: sandbox_status(sandbox, user["account_number"]) == "blocked", 60,
               "the sandbox subscriber to be blocked")
    b.driver.get(b.base_url + path)
    state, message = submit(b, ".o_tv_trust_release_form")
    assert state == "done", message
    b.scroll_to(".o_tv_requests")
    b.screenshot("portal-requests-04-trust-release")
    wait_until(lambda: sandbox_status(sandbox, user["account_number"]) == "active", 60,
               "the sandbox subscriber to be released in trust")
    assert not b.find_all(".o_tv_trust_release_form"), "once for the same invoices"
    b.assert_no_console_errors("the trust release")
    if os.environ.get("OLETV_PUBLISH_SCREENSHOTS"):
        publish_screenshots(b.screenshots, SHOTS)
