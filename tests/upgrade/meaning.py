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
