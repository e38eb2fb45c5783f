"""What the first release's records must look like once upgraded.

Most records keep every stored value. A change of the data model that moves,
renames or recodes a value (and ships the migration script that does it)
adds a step here saying what the script must have done, so the upgrade test
checks the script instead of accepting any difference."""
import copy

STEPS = []  # functions (expected snapshot, filler) -> None, editing in place


def step(function):
    STEPS.append(function)
    return function


def expected_after_upgrade(before, filler):
    expected = copy.deepcopy(before)
    for function in STEPS:
        function(expected, filler)
    return expected


class StartsWith(str):
    """Expected text: a value starting with this."""

    def __eq__(self, other):
        return isinstance(other, str) and other.startswith(str(self))

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


@step
def one_platform_account_per_tv_user(expected, filler):
    """11.0.1.1.0 pre-migration: of two TV users bound to one account, the
    one bound first keeps it; the other is unlinked, shown deleted on the
    platform, with a sync error saying what to do."""
    unlinked = expected["tv_user"][filler.users["dup_first"]]
    unlinked.update(account_number=None, platform_state="deleted", sync_state="error",
                    sync_error=StartsWith("Upgrade to 11.0.1.1.0: this TV user and the TV user"))


@step
def hand_made_backoff_parameters_removed(expected, filler):
    """11.0.1.2.0 post-migration: queue_job's retry_pattern replaces the
    backoff of the system parameters retry_base_seconds / retry_max_seconds,
    which are removed."""
    for key in ("oletv_integration.retry_base_seconds", "oletv_integration.retry_max_seconds"):
        expected["ir_config_parameter (settings)"].pop(key, None)


@step
def contract_stores_its_tv_access(expected, filler):
    """11.0.1.3.0: the contract stores the TV access its status gives
    (tv_access, computed from access_rules on upgrade), which the automated
    actions' domains read instead of lists of statuses."""
    blocking = {"late_notice", "blocked", "deactivated"}
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_access"] = "blocked" if row["contract_status"] in blocking else "allowed"


@step
def policies_keep_their_two_steps(expected, filler):
    """11.0.1.4.0 pre-ladder: a policy of an earlier release gets the ladder
    and notice settings that keep its behaviour (no reduced step, no
    termination proposal, its late notice still blocks, no customer mail
    until switched on); contracts get tv_suspended_until empty; integrations
    get the default access instructions; a third automated action reduces
    the TV access."""
    for row in expected["tv_delinquency_policy"].values():
        row.update(late_notice_blocks_tv=True, reduce_days=0, termination_days=0,
                   notify_welcome=False, notify_late_notice=False, notify_reduced=False,
                   notify_suspended=False, notify_released=False, suspension_max_days=120)
    for row in expected["account_analytic_account (addon columns)"].values():
        row["tv_suspended_until"] = None
    for row in expected["tv_integration"].values():
        row["access_instructions"] = StartsWith("<p>Install the Olé TV app")
    automations = expected["base_automation (settings)"]
    reduce_tv = max(automations) + 1
    automations[reduce_tv] = {"id": reduce_tv, "active": True}


class AnyValue(object):
    """Expected: any value (e.g. the next call of a new scheduled action)."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __repr__(self):
        return "<any>"


@step
def customer_notices(expected, filler):
    """11.0.1.4.0 customer notices: mail.mail gets tv_notice and
    tv_notice_retries (no migration script: no mail of an earlier release
    is a customer notice), and a new scheduled action retries the notices
    that failed on a temporary mail error (cron_tv_retry_notices)."""
    expected.setdefault("mail_mail (addon columns)", {})
    crons = expected["ir_cron (settings)"]
    retry = max(crons) + 1
    crons[retry] = {"id": retry, "active": True, "interval_number": 1,
                    "interval_type": "hours", "nextcall": AnyValue()}
