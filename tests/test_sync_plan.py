"""The sync's decisions (oletv_integration/core/sync_plan.py), with plain pytest:
what a TV user needs on the platform as a pure function of the desired and
the actual state."""
import ast
import os
from collections import namedtuple

import pytest

from pure_addon import CORE, load

plan = load("sync_plan")

Sub = namedtuple("Sub", "account_number status main_package additional_packages external_ref")
REF = "odoo-tv-user-7"
BASIC = ("BASIC", ())


def want(account="OLE-1", state="active", access="allowed", packages=BASIC, to_delete=False):
    return plan.Desired(to_delete=to_delete, platform_state=state, account_number=account,
                        external_ref=REF, packages=packages, access=access)


def sub(status="active", main="BASIC", additional=(), ref=REF, account="OLE-1"):
    return Sub(account, status, main, additional, ref)


def kind(desired, actual=plan.UNKNOWN):
    return plan.next_step(desired, actual).kind


def test_module_imports_nothing_but_access_rules():
    with open(os.path.join(CORE, "sync_plan.py")) as source:
        tree = ast.parse(source.read())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or "") + ":" +
                         ",".join(alias.name for alias in node.names))
    assert imported == {"collections:namedtuple", ".:access_rules"}


# -- creation ----------------------------------------------------------------

def test_new_user_is_looked_up_then_created():
    desired = want(account=False, state="draft")
    assert kind(desired) == plan.LOOKUP
    assert kind(desired, plan.ABSENT) == plan.CREATE


def test_subscriber_of_our_create_is_adopted():
    found = sub(account="OLE-9")
    assert plan.next_step(want(account=False, state="draft"), found) == \
        plan.Step(plan.ADOPT, "OLE-9")


def test_someone_elses_subscriber_is_refused():
    for ref in (None, "odoo-tv-user-8", "panel"):
        assert kind(want(account=False, state="draft"), sub(ref=ref)) == plan.REFUSE_LOGIN


# -- convergence ---------------------------------------------------------------

def test_known_account_is_read_first():
    assert plan.next_step(want()) == plan.Step(plan.READ, "OLE-1")


def test_in_sync_needs_nothing():
    assert kind(want(), sub()) == plan.IN_SYNC
    assert not plan.needs_sync(want(), sub())


@pytest.mark.parametrize("access,status,expected", [
    ("blocked", "active", plan.BLOCK),
    ("allowed", "blocked", plan.RELEASE),
    ("blocked", "blocked", plan.IN_SYNC),
    ("allowed", "active", plan.IN_SYNC),
    # awaiting the first access: the platform refuses both; the wish is kept
    ("blocked", "awaiting_activation", plan.IN_SYNC),
    ("allowed", "awaiting_activation", plan.IN_SYNC),
])
def test_access(access, status, expected):
    assert kind(want(access=access), sub(status=status)) == expected


def test_packages_are_pushed_before_the_access():
    desired = want(access="blocked", packages=("FAMILY", ("HBO",)))
    assert kind(desired, sub()) == plan.PUSH_PACKAGES
    assert kind(desired, sub(main="FAMILY", additional=["HBO"])) == plan.BLOCK
    assert kind(desired, sub(main="FAMILY", additional=["HBO", "X"])) == plan.PUSH_PACKAGES
    assert plan.needs_sync(desired, sub())


def test_account_missing_on_the_platform_was_deleted_on_the_panel():
    assert plan.next_step(want(), plan.ABSENT) == plan.Step(plan.GONE, "OLE-1")


def test_unknown_status_stops_without_change():
    assert kind(want(access="blocked"), sub(status="suspended")) == plan.UNKNOWN_STATUS
    assert not plan.needs_sync(want(), sub(status="suspended"))


def test_deleted_on_the_panel_waits_for_recreate():
    assert kind(want(state="deleted")) == plan.WAIT_RECREATE


# -- removal -------------------------------------------------------------------

def test_removed_live_user_is_deleted_then_forgotten():
    desired = want(to_delete=True, state="blocked")
    assert plan.next_step(desired) == plan.Step(plan.DELETE, "OLE-1")
    assert plan.next_step(desired, plan.ABSENT) == plan.Step(plan.FORGET, "OLE-1")


def test_removed_user_whose_create_was_requested_deletes_only_its_own():
    desired = want(to_delete=True, state="draft", account=False)
    assert kind(desired) == plan.LOOKUP
    assert plan.next_step(desired, sub(account="OLE-5")) == plan.Step(plan.DELETE, "OLE-5")
    assert kind(desired, sub(ref="someone-else")) == plan.FORGET
    assert kind(desired, plan.ABSENT) == plan.FORGET


def test_removed_user_deleted_on_the_panel_is_forgotten():
    assert kind(want(to_delete=True, state="deleted")) == plan.FORGET


def test_every_step_is_a_call_or_final_or_adopt():
    assert plan.CALLS.isdisjoint(plan.FINAL)
    assert plan.ADOPT not in plan.CALLS | plan.FINAL


# -- access change when Odoo knows the platform state (no read first) --------

def test_known_active_user_to_block_is_blocked_without_a_read():
    assert plan.next_step(want(access="blocked")) == plan.Step(plan.BLOCK, "OLE-1")
    assert plan.next_step(want(state="blocked")) == plan.Step(plan.RELEASE, "OLE-1")


def test_answer_of_a_blind_block_goes_on_like_a_read():
    desired = want(access="blocked")
    assert kind(desired, sub(status="blocked")) == plan.IN_SYNC
    assert kind(desired, sub(status="blocked", main="OTHER")) == plan.PUSH_PACKAGES
    assert kind(desired, plan.ABSENT) == plan.GONE
    assert kind(desired, sub(status="awaiting_activation")) == plan.IN_SYNC


def test_unknown_or_unchanged_access_is_read_first():
    assert kind(want(state="awaiting_activation", access="blocked")) == plan.READ
    assert kind(want(access="allowed")) == plan.READ
    assert kind(want(state="blocked", access="blocked")) == plan.READ
    assert plan.known_access_action(want(access="blocked", to_delete=True)) is None
    assert plan.known_access_action(want(account=False, access="blocked")) is None


# -- reconciliation spread over the channel's capacity ------------------------

def test_reconciliation_reads_are_spread_over_the_capacity():
    assert plan.reconcile_shares(50, 4) == [list(range(k, 50, 4)) for k in range(4)]
    assert sorted(i for share in plan.reconcile_shares(50, 4) for i in share) == list(range(50))
    assert plan.reconcile_shares(1, 4) == [[0]]
    assert plan.reconcile_shares(3, 4) == [[0], [1], [2]]
    assert plan.reconcile_shares(5, 0) == [[0, 1, 2, 3, 4]]
    assert plan.reconcile_shares(0, 4) == []


@pytest.mark.parametrize("pending, chunk, capacity, claim, slots", [
    (150, 50, 4, 38, 4),     # a list's bulk block: every slot busy, equal shares
    (10000, 50, 4, 50, 4),   # a burst: batches of the chunk size, the capacity's wake-ups
    (3, 50, 4, 1, 3),        # a few: one each, in parallel
    (1, 50, 4, 1, 1),
    (0, 50, 4, 1, 1),        # a wake-up anyway (it finds nothing and says so)
    (3, 2, 2, 2, 2),
    (7, 50, 1, 7, 1),        # capacity 1: one wake-up claims all (up to the chunk size)
    (7, 50, 0, 7, 1),        # no capacity set: as 1
])
def test_claims_spread_pending_users_over_the_capacity(pending, chunk, capacity, claim, slots):
    assert plan.claim_size(pending, chunk, capacity) == claim
    assert plan.wake_slots(pending, chunk, capacity) == slots


@pytest.mark.parametrize("platform_state, sync_state, to_delete, buttons", [
    ("draft", "none", False, {"create_on_platform", "manage_addons"}),
    ("draft", "error", False, {"create_on_platform", "sync_now", "manage_addons"}),
    ("awaiting_activation", "pending", False,
     {"refresh_from_platform", "resend_access_instructions", "manage_addons"}),
    ("active", "synced", False,
     {"refresh_from_platform", "resend_access_instructions", "manage_addons"}),
    ("blocked", "error", True,
     {"refresh_from_platform", "resend_access_instructions", "sync_now"}),
    ("deleted", "error", False, {"recreate_on_platform", "sync_now", "manage_addons"}),
    ("deleted", "synced", True, set()),
])
def test_tv_user_buttons(platform_state, sync_state, to_delete, buttons):
    assert plan.tv_user_buttons(platform_state, sync_state, to_delete) == buttons
    assert buttons <= set(plan.TV_USER_BUTTONS)
