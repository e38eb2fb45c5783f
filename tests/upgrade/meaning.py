"""What a release's records must look like once upgraded.

Most records keep every stored value. A change of the data model that moves,
renames or recodes a value (and ships the migration script that does it)
adds a step here, under the version that brings it, saying what the script
must have done, so the upgrade test checks the script instead of accepting
any difference. An upgrade from a release applies the steps of the later
versions only."""
import copy

STEPS = []  # (version, function (expected snapshot, filler) -> None, editing in place)


def step(version):
    def register(function):
        STEPS.append((version, function))
        return function
    return register


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def expected_after_upgrade(before, filler, since="11.0.1.0.0"):
    """The snapshot `before` (of release `since`) as the upgrade must leave it."""
    expected = copy.deepcopy(before)
    for version, function in STEPS:
        if version_key(version) > version_key(since):
            function(expected, filler)
    return expected


class StartsWith(str):
    """Expected text: a value starting with this."""

    def __eq__(self, other):
        return isinstance(other, str) and other.startswith(str(self))

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


class AddedRows(dict):
    """Expected rows, plus at most `count` rows the upgrade adds (records of
    the addon's data files, whose ids are only known afterwards), each
    matching `row` (a dict of expected values)."""

    def __init__(self, rows, count, row):
        super().__init__(rows)
        self.count, self.row, self.added = count, row, set()

    def __contains__(self, key):
        if dict.__contains__(self, key):
            return True
        if key in self.added or len(self.added) < self.count:
            self.added.add(key)
            return True
        return False

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return Matches(self.row)


class Matches(object):
    """Expected row: the given values, any value for the other columns (not a
    dict, so the comparison takes it whole)."""

    def __init__(self, values):
        self.values = values

    def __eq__(self, other):
        return isinstance(other, dict) and all(
            other.get(key) == value for key, value in self.values.items())

    def __ne__(self, other):
        return not self == other

    __hash__ = None


@step("11.0.1.1.0")
def one_platform_account_per_tv_user(expected, filler):
    """11.0.1.1.0 pre-migration: of two TV users bound to one account, the
    one bound first keeps it; the other is unlinked, shown deleted on the
    platform, with a sync error saying what to do."""
    unlinked = expected["tv_user"][filler.users["dup_first"]]
    unlinked.update(account_number=None, platform_state="deleted", sync_state="error",
                    sync_error=StartsWith("Upgrade to 11.0.1.1.0: this TV user and the TV user"))


@step("11.0.1.2.0")
def hand_made_backoff_parameters_removed(expected, filler):
    """11.0.1.2.0 post-migration: queue_job's retry_pattern replaces the
    backoff of the system parameters retry_base_seconds / retry_max_seconds,
    which are removed."""
    for key in ("oletv_integration.retry_base_seconds", "oletv_integration.retry_max_seconds"):
        expected["ir_config_parameter (settings)"].pop(key, None)


@step("11.0.1.3.0")
def contract_stores_its_tv_access(expected, filler):
    """11.0.1.3.0: the contract stores the TV access its status gives
    (tv_access, computed from access_rules on upgrade), which the automated
    actions' domains read instead of lists of statuses."""
    blocking = {"late_notice", "blocked", "deactivated"}
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_access"] = "blocked" if row["contract_status"] in blocking else "allowed"


@step("11.0.1.4.0")
def ladder_and_customer_requests_columns(expected, filler):
    """11.0.1.4.0: a policy of an earlier release keeps doing what it did
    (pre-ladder.py: its late notice still blocks, no reduced step, no
    termination proposal, no customer notice) and gets the default limit of
    suspensions on request (120 days per 12 months); no contract is
    suspended on request; an integration gets the default access
    instructions."""
    kept = {"late_notice_blocks_tv": True, "reduce_days": 0, "termination_days": 0,
            "notify_welcome": False, "notify_late_notice": False, "notify_reduced": False,
            "notify_suspended": False, "notify_released": False, "suspension_max_days": 120}
    for row in expected.get("tv_delinquency_policy", {}).values():
        row.update(kept)
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_suspended_until"] = None
    for row in expected.get("tv_integration", {}).values():
        row["access_instructions"] = StartsWith("<p>Install the Olé TV app")
    # new: the ladder's automated action (reduced access), the scheduled
    # actions of the customer requests (suspensions, plan changes: daily)
    # and of the notices (retry: hourly), the customer requests' tables
    expected["base_automation (settings)"] = AddedRows(
        expected["base_automation (settings)"], 1, {"active": True})
    expected["ir_cron (settings)"] = AddedRows(
        expected["ir_cron (settings)"], 3, {"active": True, "interval_number": 1})
    for table in ("tv_request_suspension", "tv_request_suspension_wizard", "tv_plan_change",
                  "tv_plan_change_wizard"):
        expected[table] = {}


@step("11.0.1.4.0")
def contracts_have_no_termination_proposal(expected, filler):
    """11.0.1.4.0 (the suspension ladder): contracts get
    tv_termination_proposed_on empty; no upgraded policy proposes a
    termination (pre-ladder sets termination_days to 0)."""
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_termination_proposed_on"] = None


@step("11.0.1.4.0")
def customer_notices(expected, filler):
    """11.0.1.4.0 customer notices: mail.mail gets tv_notice and
    tv_notice_retries (no migration script: no mail of an earlier release
    is a customer notice); their retry's scheduled action is counted above.
    The six notice templates come with their pt_BR translation (subject and
    body)."""
    expected.setdefault("mail_mail (addon columns)", {})
    expected["mail_template (addon templates)"] = AddedRows(
        expected.get("mail_template (addon templates)", {}), 6, {})
    expected["ir_translation (addon templates)"] = AddedRows(
        expected.get("ir_translation (addon templates)", {}), 12, {"lang": "pt_BR"})


@step("11.0.1.6.0")
def credentials_move_to_their_own_model(expected, filler):
    """11.0.1.6.0 post-migration: the platform credentials leave
    tv_integration's columns (dropped) for tv_integration_credential, one row
    per integration holding the same values (TV managers only by any ORM
    path)."""
    moved = []
    for integration_id, row in expected.get("tv_integration", {}).items():
        values = {name: row.pop(name, None)
                  for name in ("access_token", "api_login", "api_password")}
        moved.append(dict(values, integration_id=integration_id, company_id=row.get("company_id")))
    same = {key: value for key, value in moved[0].items()
            if all(other[key] == value for other in moved)} if moved else {}
    expected["tv_integration_credential"] = AddedRows({}, len(moved), same)


@step("11.0.1.6.0")
def status_history_starts_empty(expected, filler):
    """11.0.1.6.0: the contracts' status history (tv_contract_status_change)
    starts at the upgrade; earlier changes are in the chatter only."""
    expected["tv_contract_status_change"] = {}


@step("11.0.1.6.0")
def contracts_have_no_holder_change(expected, filler):
    """11.0.1.6.0: contracts get tv_holder_since empty (their invoices all
    count as their current customer's, as before)."""
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_holder_since"] = None


@step("11.0.1.6.0")
def notices_know_their_company(expected, filler):
    """11.0.1.6.0: mail.mail gets tv_company_id (the TV roles read the
    notices of their companies); no mail of an earlier release has one."""
    for row in expected.get("mail_mail (addon columns)", {}).values():
        row["tv_company_id"] = None


@step("11.0.1.7.0")
def the_suspended_notice_is_the_blocked_notice(expected, filler):
    """11.0.1.7.0: the notice of a contract becoming Blocked is `blocked`,
    no longer `suspended` (the suspension on request is another status).
    pre-migration: the policy's switch notify_suspended is notify_blocked
    with each policy's value; the template's XML id
    mail_template_tv_suspended is mail_template_tv_blocked on the same
    record, whose subject, body and translations (the ISP's edits) stay.
    post-migration: the notices sent say `blocked`; the template's shipped
    name becomes "TV: access blocked"."""
    for row in expected.get("tv_delinquency_policy", {}).values():
        if "notify_suspended" in row.keys():
            row["notify_blocked"] = row.pop("notify_suspended")
    templates = expected.get("mail_template (addon templates)", {})
    if "mail_template_tv_suspended" in templates.keys():  # AddedRows' `in` takes new keys
        template = templates.pop("mail_template_tv_suspended")
        if template["name"] == "TV: access suspended (blocked)":
            template["name"] = "TV: access blocked"
        templates["mail_template_tv_blocked"] = template
    translations = expected.get("ir_translation (addon templates)", {})
    for key in [key for key in translations if key[0] == "mail_template_tv_suspended"]:
        translations[("mail_template_tv_blocked",) + key[1:]] = translations.pop(key)
    for row in expected.get("mail_mail (addon columns)", {}).values():
        if row.get("tv_notice") == "suspended":
            row["tv_notice"] = "blocked"


@step("11.0.1.8.0")
def policies_keep_their_suspension_rule(expected, filler):
    """11.0.1.8.0: the suspension on request follows the policy's rule,
    Anatel's for a new policy; a policy of an earlier release keeps what it
    did (pre-migration: custom, from one day, no count, no debt check).
    Contracts get tv_billing_stopped_on, empty (set by a deactivation
    from now on)."""
    for row in expected.get("tv_delinquency_policy", {}).values():
        row.update({"suspension_preset": "custom", "suspension_min_days": 1,
                    "suspension_max_count": 0, "suspension_up_to_date": False})
    # a deactivation now ends the invoicing; one of an earlier release did not
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_billing_stopped_on"] = None


@step("11.0.1.9.0")
def policies_keep_their_ladder(expected, filler):
    """11.0.1.9.0: the suspension ladder follows the policy's rule, Anatel's
    for a new policy; a policy of an earlier release keeps its ladder
    (pre-migration: custom; its days and switches untouched)."""
    for row in expected.get("tv_delinquency_policy", {}).values():
        row["ladder_preset"] = "custom"
        # keeps charging the days blocked (a new policy does not: Anatel);
        # the settlement's corrections are drafts
        row.update({"charge_blocked_days": True, "settlement_validate": None})
    # invoices and their lines made before carry no record of their days
    # (never settled) and settle nothing
    expected["account_invoice (addon columns)"] = AddedRows({}, 10 ** 6, {"tv_cause": None})
    expected["account_invoice_line (addon columns)"] = AddedRows({}, 10 ** 6, {
        name: None for name in ("tv_period_from", "tv_period_to", "tv_covered_from",
                                "tv_covered_to", "tv_days_charged", "tv_full_discount",
                                "tv_settled_line_id")})


@step("11.0.1.10.0")
def policies_keep_a_chatter(expected, filler):
    """11.0.1.10.0: a delinquency policy has a chatter (mail.thread): its
    changes are tracked from the upgrade on; nothing posted before."""
    for row in expected.get("tv_delinquency_policy", {}).values():
        row["message_last_post"] = None


@step("11.0.1.11.0")
def link_runs_start_empty(expected, filler):
    """11.0.1.11.0: the link runs (tv_link_run, tv_link_run_line) start at
    the upgrade; the links made before are in the integrations' chatter."""
    expected["tv_link_run"] = {}
    expected["tv_link_run_line"] = {}


@step("11.0.1.12.0")
def platform_history_starts_empty(expected, filler):
    """11.0.1.12.0 (issue 25): the platform's history (tv_subscriber_span)
    starts at the first daily observation after the upgrade (its daily
    scheduled action is added); integrations get the billing rule per day
    active and no day observed yet."""
    expected["tv_subscriber_span"] = {}
    crons = expected["ir_cron (settings)"]
    if isinstance(crons, AddedRows):  # an earlier step's scheduled actions, same shape
        crons.count += 1
    else:
        expected["ir_cron (settings)"] = AddedRows(crons, 1, {"active": True,
                                                              "interval_number": 1})
    for row in expected.get("tv_integration", {}).values():
        row["platform_billing_rule"] = "per_day"
        row["history_last_day"] = None


@step("11.0.1.12.0")
def revenue_assurance_starts_empty(expected, filler):
    """11.0.1.12.0 revenue assurance: no integration names Olé TV's vendor
    partner yet, no package its vendor product nor a platform price
    (tv_package_price), no month is computed (tv_revenue_line,
    tv_revenue_leak, the platform side's leak columns and remedy too, and
    its Link wizard's table), and no
    vendor bill has a TV month billed (the month before its date)."""
    for row in expected.get("tv_integration", {}).values():
        row["vendor_partner_id"] = None
    for row in expected.get("tv_package", {}).values():
        row["vendor_product_id"] = None
    expected["tv_package_price"] = {}
    expected["tv_revenue_line"] = {}
    expected["tv_revenue_leak"] = {}
    expected["tv_revenue_leak_link_wizard"] = {}  # the leaks' Link wizard (transient)
    invoices = expected.get("account_invoice (addon columns)")
    if isinstance(invoices, AddedRows):
        invoices.row["tv_billing_month"] = None
    for row in (invoices or {}).values():
        row["tv_billing_month"] = None


def _more_rows(expected, table, count, row):
    """`count` more rows the upgrade may add to `table` (AddedRows)."""
    rows = expected.get(table, {})
    if isinstance(rows, AddedRows):
        rows.count += count
    else:
        expected[table] = AddedRows(rows, count, row)


@step("11.0.1.13.0")
def portal_requests_start_empty(expected, filler):
    """11.0.1.13.0 (issue 26, the customer's own requests on the portal): no
    request was made on the portal yet (tv_portal_request); no policy lets
    customers release in trust there (portal_trust_release, a boolean left
    empty: false); the request's notice template comes with its pt_BR
    translation (subject and body)."""
    expected["tv_portal_request"] = {}
    for row in expected.get("tv_delinquency_policy", {}).values():
        row["portal_trust_release"] = None
    _more_rows(expected, "mail_template (addon templates)", 1, {})
    _more_rows(expected, "ir_translation (addon templates)", 2, {"lang": "pt_BR"})


@step("11.0.1.13.0")
def addons_start_empty(expected, filler):
    """11.0.1.13.0 (issue 26, add-ons): every TV product of an earlier
    release is a plan accepting any add-on (no list); no contract line is an
    add-on's (no TV user, no days), no invoice line charges one, and no
    retired package was moved yet (tv_package_move, its products, and the
    two wizards' tables)."""
    for row in expected.get("product_template (addon columns)", {}).values():
        row["tv_product_kind"] = "plan"
    for table in ("account_analytic_invoice_line (addon columns)",
                  "account_analytic_contract_line (addon columns)"):
        for row in expected.get(table, {}).values():
            row.update({"tv_user_id": None, "tv_addon_from": None, "tv_addon_to": None})
    lines = expected.get("account_invoice_line (addon columns)")
    if isinstance(lines, AddedRows):
        lines.row["tv_addon_line_id"] = None
    for row in (lines or {}).values():
        row["tv_addon_line_id"] = None
    for table in ("tv_package_move", "tv_package_move_product_rel",
                  "product_tv_accepted_addon_rel", "tv_addon_wizard", "tv_package_move_wizard"):
        expected[table] = {}
