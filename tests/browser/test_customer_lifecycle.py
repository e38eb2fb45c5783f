"""Browser test of the back office's customer lifecycle (docs/operate.md:
Delinquency control, Customer notices, Suspension on request, Plan change), headless
Chromium against a real Odoo server with its job runner and a live Olé TV
sandbox:

- admin prepares over XML-RPC a TV integration, two TV products (Família +
  HBO, Premium), the TV operator and the TV manager (conftest's OPERATOR
  and MANAGER, in pt_BR), and three customers whose TV users are created
  and active on the sandbox;
- the manager sets the delinquency policy's suspension ladder and customer
  notices on its form;
- an invoice 30 days overdue and one 90 days overdue, then the policy's
  scheduled action: as the operator, the first contract is *Reduced access*
  (HBO removed on the sandbox), the second *Blocked* with a termination
  proposal, which *Confirm termination* carries out (subscriber deleted);
- on the third contract the operator changes the plan to Premium (*Now*:
  new main package on the sandbox), resends the access instructions from
  the TV user, and suspends the contract on request from today (blocked on
  the sandbox, the suspension on its tab).

Screenshots go to .local/screenshots/lifecycle-*.png, published to
docs/screenshots/ with OLETV_PUBLISH_SCREENSHOTS=1 (as the other browser
tests). The web client is in Portuguese (a BRL company, dates dd/mm/yyyy):
the labels read are the addon's and Odoo's pt_BR translations. Run by
`make test` with the other browser tests, on the same database copy."""
import os
from datetime import timedelta

from oletv_testing.odoo_server import wait_until

from .conftest import (LANG, MANAGER, OPERATOR, back_office_user, company_today, log_in_as,
                       publish_screenshots, synced_integration)
from .odoo_browser import xpath_literal
from .test_portal import overdue_invoice

LOG_NAME = "browser-test-lifecycle-odoo.log"
SHOTS = "lifecycle-*.png"
INTEGRATION = "Olé TV teste do ciclo de vida"
FAMILY = "Olé TV Família + HBO (ciclo de vida)"
PREMIUM = "Olé TV Premium (ciclo de vida)"
CUSTOMERS = {"reduced": ("Renata Lima", "renata.lima@example.com", 30),
             "blocked": ("Bruno Castro", "bruno.castro@example.com", 90),
             "requests": ("Sofia Martins", "sofia.martins@example.com", 0)}
LADDER = {"late_notice_days": 5, "reduce_days": 20, "block_days": 50, "termination_days": 80}
NOTICES = ("notify_welcome", "notify_late_notice", "notify_reduced", "notify_blocked",
           "notify_released")
CURRENT_STATUS = ".o_content .o_form_statusbar .o_statusbar_status .btn-primary"
DATE = "%d/%m/%Y"  # pt_BR
NOTEBOOK = ".o_content .o_form_view .o_notebook"
DIALOG = ".modal .o_form_view"


# --- admin's preparation, over XML-RPC --------------------------------------------------


def tv_products(rpc, sandbox):
    integration, packages = synced_integration(rpc, sandbox, INTEGRATION)
    family = rpc("product.product", "create", {
        "name": FAMILY, "type": "service", "list_price": 89.90, "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration,
        "tv_main_package_id": packages["FAMILY"],
        "tv_additional_line_ids": [(0, 0, {"package_id": packages["HBO"]})]})
    premium = rpc("product.product", "create", {
        "name": PREMIUM, "type": "service", "list_price": 129.90, "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration,
        "tv_main_package_id": packages["PREMIUM"]})
    return family, premium


def tv_user_on_a_contract(rpc, product, name, email, line_name=FAMILY):
    """A customer's contract "Olé TV" with a TV line of `product` (89.90) and
    its TV user (the customer's e-mail as its login): the TV user's id."""
    uom = rpc("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
    partner = rpc("res.partner", "create", {"name": name, "email": email, "customer": True,
                                            "lang": LANG})
    contract = rpc("account.analytic.account", "create", {
        "name": "Olé TV", "partner_id": partner, "recurring_invoices": True,
        "recurring_invoice_line_ids": [(0, 0, {
            "line_type": "tv", "product_id": product, "name": line_name, "quantity": 1,
            "uom_id": uom, "specific_price": 89.90})]})
    return rpc("tv.user", "create", {"contract_id": contract, "product_id": product,
                                     "technology": "iptv", "use_main_email": True})


def active_tv_users(rpc, sandbox, product):
    """{key: tv user read back}, each created on the sandbox and past its first access."""
    return live_tv_users(rpc, sandbox, {key: tv_user_on_a_contract(rpc, product, name, email)
                                        for key, (name, email, _days) in CUSTOMERS.items()})


def live_tv_users(rpc, sandbox, ids):
    """{key: tv user read back} of the TV users `ids` ({key: id}) once the job
    runner created them on the sandbox, past their first access (active)."""
    users = {key: wait_until(lambda: rpc("tv.user", "search_read", [
        ("id", "=", user_id), ("sync_state", "=", "synced"), ("account_number", "!=", False)],
        fields=["account_number", "contract_id", "login"]), 60,
        "the job runner to create the TV user %s on the sandbox" % key)[0]
        for key, user_id in ids.items()}
    for user in users.values():
        sandbox.first_access(user["account_number"])
    rpc("tv.user", "action_refresh_from_platform", list(ids.values()))
    wait_until(lambda: rpc("tv.user", "search_count", [
        ("id", "in", list(ids.values())), ("platform_state", "=", "active"),
        ("sync_state", "=", "synced")]) == len(ids), 60, "the TV users to be active")
    return users


def policy_off_ladder(rpc):
    """The company's policy with another ladder and no notice: the form sets them."""
    # the custom ladder rule: the manager sets the former ladder (reduced step,
    # the late notice blocking the TV), which Anatel's rule does not allow
    values = dict({"ladder_preset": "custom", "late_notice_days": 5,
                   "late_notice_blocks_tv": False, "reduce_days": 0, "block_days": 15,
                   "termination_days": 0}, **{name: False for name in NOTICES})
    existing = rpc("tv.delinquency.policy", "search", [("company_id", "=", 1)])
    if existing:
        rpc("tv.delinquency.policy", "write", existing, values)
        return existing[0]
    return rpc("tv.delinquency.policy", "create", dict(values, name="Delinquency policy",
                                                       company_id=1))


def subscriber(sandbox, account_number):
    found = [s for s in sandbox.state()["subscribers"] if s["account_number"] == account_number]
    assert len(found) == 1, found
    return found[0]


def wait_subscriber(sandbox, user, what, **expected):
    wait_until(lambda: all(subscriber(sandbox, user["account_number"]).get(key) == value
                           for key, value in expected.items()), 60,
               "the sandbox subscriber of %s to be %s" % (user["login"], what))


# --- the web client -----------------------------------------------------------------------


def open_contract(b, customer):
    """Invoicing > Sales > Documents > Contracts, then the customer's contract."""
    b.menu("account.menu_finance", "account.menu_finance_receivables_documents",
           "contract.menu_action_account_analytic_overdue_all")
    b.click(b.find_xpath("//div[contains(@class, 'o_content')]//tr[contains(@class, 'o_data_row')]"
                         "[./td[normalize-space(.)=%s]]" % xpath_literal(customer)))
    b.find(".o_content .o_form_view.o_form_readonly")


def dialog_button(b, label):
    return b.find_xpath("//*[contains(@class, 'modal-footer')]//button[normalize-space(.)=%s]"
                        % xpath_literal(label))


def confirm_dialog(b, text):
    """Click Ok in the confirmation dialog of a button, after checking its question."""
    b.wait_for_text(".modal .modal-body", text)
    b.click(".modal .modal-footer .btn-primary")
    b.wait().until(lambda d: not b.find_all(".modal"))


def set_policy_on_the_form(b, rpc, policy_id):
    """As the manager: Invoicing > Configuration > Integrations > Delinquency Policies."""
    b.menu("account.menu_finance", "oletv_integration.menu_integrations",
           "oletv_integration.menu_delinquency_policy")
    b.click(b.find_xpath("//div[contains(@class, 'o_content')]//tr[contains(@class, "
                         "'o_data_row')]"))
    b.edit()
    for name, days in sorted(LADDER.items()):
        b.set_char(name, str(days))
    for name in ("late_notice_blocks_tv",) + NOTICES:
        b.set_checkbox(name, True)
    b.screenshot("lifecycle-01-delinquency-policy")
    b.save()
    policy = rpc("tv.delinquency.policy", "read", [policy_id],
                 list(LADDER) + ["late_notice_blocks_tv"] + list(NOTICES))[0]
    assert {name: policy[name] for name in LADDER} == LADDER, policy
    assert all(policy[name] for name in ("late_notice_blocks_tv",) + NOTICES), policy


def run_the_policy(rpc, sandbox, users):
    for key in ("reduced", "blocked"):
        overdue_invoice(rpc, users[key]["contract_id"][0], CUSTOMERS[key][2])
    rpc("ir.cron", "method_direct_trigger", [rpc.ref("oletv_integration.cron_tv_delinquency")])
    wait_subscriber(sandbox, users["reduced"], "reduced to Família", status="active",
                    main_package="FAMILY", additional_packages=[])
    wait_subscriber(sandbox, users["blocked"], "blocked", status="blocked")


def check_reduced(b):
    open_contract(b, CUSTOMERS["reduced"][0])
    b.wait_for_text(CURRENT_STATUS, "Acesso reduzido")
    b.screenshot("lifecycle-02-contract-reduced")


def confirm_termination(b, rpc, sandbox, user):
    contract_id = user["contract_id"][0]
    open_contract(b, CUSTOMERS["blocked"][0])
    b.wait_for_text(CURRENT_STATUS, "Bloqueado")
    b.wait_for_text(".o_content .o_mail_activity", "Propor a rescisão do contrato")
    b.tab("Inadimplência")
    b.wait_for_text(b.field_css("tv_termination_proposed_on", NOTEBOOK),
                    company_today().strftime(DATE))
    b.screenshot("lifecycle-03-contract-termination-proposed")
    b.click(b.header_button("Confirmar rescisão"))
    confirm_dialog(b, "Rescindir este contrato?")
    b.wait_for_text(CURRENT_STATUS, "Desativado")
    wait_subscriber(sandbox, user, "deleted", deleted=True)
    contract = rpc("account.analytic.account", "read", [contract_id],
                   ["contract_status", "tv_termination_proposed_on", "tv_user_count"])[0]
    assert contract["contract_status"] == "deactivated" and not contract[
        "tv_termination_proposed_on"] and contract["tv_user_count"] == 0, contract
    b.screenshot("lifecycle-04-contract-terminated")


def change_plan_now(b, sandbox, user):
    open_contract(b, CUSTOMERS["requests"][0])
    b.click(b.header_button("Trocar plano"))
    b.find(DIALOG)
    b.set_many2one("tv_user_id", user["login"], scope=DIALOG)
    b.wait_until_value(b.field_css("current_product_id", DIALOG), FAMILY)
    b.set_many2one("new_product_id", "Premium (ciclo de vida)", scope=DIALOG)
    b.click(b.find_xpath("//div[contains(@class, 'modal')]//div[@name='when']"
                         "//label[normalize-space(.)='Agora']"))
    b.set_char("reason", "Pediu o Premium por telefone", scope=DIALOG)
    b.screenshot("lifecycle-05-change-plan-wizard")
    b.click(dialog_button(b, "Trocar plano"))
    b.wait().until(lambda d: not b.find_all(".modal"))
    wait_subscriber(sandbox, user, "on Premium", main_package="PREMIUM", additional_packages=[])
    b.reload()
    lines = b.field_css("recurring_invoice_line_ids")
    b.wait_for_text(lines, PREMIUM)
    b.wait_for_text(lines, "129,90")  # the new product's price
    b.tab("Trocas de plano")
    row = b.field_css("tv_plan_change_ids") + " tr.o_data_row"
    for text in (FAMILY, PREMIUM, "Agora", "Concluído", OPERATOR[0]):
        b.wait_for_text(row, text)
    b.scroll_to(NOTEBOOK)
    b.screenshot("lifecycle-06-contract-plan-changes")


def resend_access_instructions(b, rpc, user):
    notices = [("tv_notice", "=", "access_instructions"),
               ("res_id", "=", user["contract_id"][0]),
               ("model", "=", "account.analytic.account")]
    assert not rpc("mail.mail", "search_count", notices)
    b.click(b.stat_button("Usuários TV"))
    if b.find_all(".o_content .o_list_view"):
        b.click(b.find(".o_content .o_list_view tbody tr.o_data_row"))
    b.find(".o_content .o_form_view.o_form_readonly")
    b.tab("Trocas de plano")
    b.wait_for_text(b.field_css("tv_plan_change_ids"), PREMIUM)
    b.screenshot("lifecycle-07-tv-user-resend-instructions")
    b.click(b.header_button("Reenviar instruções de acesso"))
    confirm_dialog(b, "Enviar ao cliente por e-mail o login deste usuário TV e as instruções "
                      "de acesso?")
    mails = rpc("mail.mail", "search_read", notices, fields=["recipient_ids"])
    customer = rpc("res.partner", "search", [("email", "=", CUSTOMERS["requests"][1])])
    assert len(mails) == 1 and mails[0]["recipient_ids"] == customer, mails
    b.click(b.find_xpath("//ol[contains(@class, 'breadcrumb')]/li/a[normalize-space(.)=%s]"
                         % xpath_literal("Olé TV - " + CUSTOMERS["requests"][0])))
    b.find(".o_content .o_form_view.o_form_readonly")


def suspend_on_request(b, sandbox, user):
    last_day = company_today() + timedelta(days=29)  # Anatel's rule: 30 days at least
    b.click(b.header_button("Suspender a pedido"))
    b.find(DIALOG)
    b.wait_until_value(b.field_css("date_from", DIALOG) + " input",
                       company_today().strftime(DATE))
    b.set_char("date_to", last_day.strftime(DATE), scope=DIALOG)
    b.set_char("reason", "Viagem ao exterior", scope=DIALOG)
    b.screenshot("lifecycle-08-suspend-on-request-wizard")
    b.click(dialog_button(b, "Suspender"))
    b.wait().until(lambda d: not b.find_all(".modal"))
    b.wait_for_text(CURRENT_STATUS, "Suspenso a pedido")
    wait_subscriber(sandbox, user, "blocked", status="blocked")
    b.screenshot("lifecycle-09-contract-suspended")
    b.tab("Suspensões a pedido")
    b.wait_for_text(b.field_css("tv_suspended_until"), last_day.strftime(DATE))
    row = b.field_css("tv_suspension_ids") + " tr.o_data_row"
    for text in ("Em andamento", "30", "Viagem ao exterior", OPERATOR[0]):
        b.wait_for_text(row, text)
    b.scroll_to(NOTEBOOK)
    b.screenshot("lifecycle-10-contract-suspensions-tab")


def test_back_office_customer_lifecycle(browser, odoo, sandbox):
    b, rpc = browser, odoo.rpc
    assert not rpc("res.partner", "search", [("email", "=", CUSTOMERS["blocked"][1])]), \
        "run the browser test on a fresh copy of the test database"
    family, _premium = tv_products(rpc, sandbox)
    operator, manager = back_office_user(rpc, OPERATOR), back_office_user(rpc, MANAGER)
    users = active_tv_users(rpc, sandbox, family)
    policy_id = policy_off_ladder(rpc)

    log_in_as(b, rpc, MANAGER, manager)
    set_policy_on_the_form(b, rpc, policy_id)
    b.assert_no_console_errors("the delinquency policy form")
    run_the_policy(rpc, sandbox, users)

    log_in_as(b, rpc, OPERATOR, operator)
    check_reduced(b)
    confirm_termination(b, rpc, sandbox, users["blocked"])
    b.assert_no_console_errors("reduced, blocked and terminated contracts")
    change_plan_now(b, sandbox, users["requests"])
    resend_access_instructions(b, rpc, users["requests"])
    suspend_on_request(b, sandbox, users["requests"])
    b.assert_no_console_errors("plan change, access instructions, suspension on request")
    if os.environ.get("OLETV_PUBLISH_SCREENSHOTS"):
        publish_screenshots(b.screenshots, SHOTS)
