# -*- coding: utf-8 -*-
"""What a TV user needs on the platform, free of Odoo imports.

`next_step(desired, actual)` is the one place that decides, from what Odoo
wants (`Desired`) and what the platform is known to hold (`actual`), the
next thing to do: look the login up, create, adopt, read, push the packages,
block, release, delete, or nothing more. The sync engine
(services/convergence.py) makes the call the step names, feeds the platform's
answer back as the new `actual` and asks again, until a final step; the
scheduled reconciliation asks it whether a TV user differs from the platform.

A TV user whose state on the platform Odoo already knows (active or
blocked) and whose access must change is not read first: the block or
release is idempotent and its answer is the subscriber, so the sync goes
on from that answer (packages, a deletion on the panel) as after a read.

`actual` is UNKNOWN (not read yet), ABSENT (the platform has no such
account, or no subscriber with the login) or the platform's subscriber (any
object with account_number, status, main_package, additional_packages and
external_ref attributes, e.g. the client's Subscriber).

`tv_user_buttons` says which of the TV user's buttons its states show (the
form reads it through the TV user's computed tv_can_* fields).
"""
from collections import namedtuple

from . import access_rules as rules

UNKNOWN = "unknown"
ABSENT = "absent"

# Platform calls.
LOOKUP = "lookup"            # find the subscriber using the login
READ = "read"                # read the subscriber by account number
CREATE = "create"
PUSH_PACKAGES = "push_packages"
BLOCK = rules.BLOCK
RELEASE = rules.RELEASE
DELETE = "delete"            # delete step.account on the platform
# Odoo-side steps (no platform call).
ADOPT = "adopt"              # bind the subscriber our earlier create made
# Final steps.
IN_SYNC = "in_sync"          # store the subscriber's state: done
REFUSE_LOGIN = "refuse_login"  # the login belongs to someone else's subscriber
UNKNOWN_STATUS = "unknown_status"  # a status the addon does not know: stop, nothing changed
GONE = "gone"                # deleted on the panel: tell the responsible
FORGET = "forget"            # removal done: nothing (more) on the platform
WAIT_RECREATE = "wait_recreate"  # deleted on the panel: waits for Re-create

CALLS = frozenset({LOOKUP, READ, CREATE, PUSH_PACKAGES, BLOCK, RELEASE, DELETE})
FINAL = frozenset({IN_SYNC, REFUSE_LOGIN, UNKNOWN_STATUS, GONE, FORGET, WAIT_RECREATE})

LIVE_STATES = (rules.PLATFORM_AWAITING_ACTIVATION, rules.PLATFORM_ACTIVE, rules.PLATFORM_BLOCKED)
KNOWN_STATUSES = LIVE_STATES
# States in which the platform takes a block or a release (not before the
# first access).
KNOWN_ACCESS_STATES = (rules.PLATFORM_ACTIVE, rules.PLATFORM_BLOCKED)
DRAFT = "draft"
DELETED = "deleted"

# The TV user's sync states (tv.user.sync_state).
SYNC_NONE = "none"           # not requested: a proposal waiting for Create on platform
SYNC_SYNCED = "synced"
SYNC_PENDING = "pending"
SYNC_ERROR = "error"

# The TV user's buttons (views/tv_user_views.xml), each shown from its
# computed field tv_can_<name> (tv_user_buttons).
TV_USER_BUTTONS = ("create_on_platform", "refresh_from_platform", "recreate_on_platform",
                   "sync_now", "resend_access_instructions", "manage_addons")

# What Odoo wants for one TV user. platform_state/account_number: what Odoo
# knows of it on the platform; external_ref: the reference our create sends;
# packages: (main, (additional, ...)); access: rules.ACCESS_*.
Desired = namedtuple("Desired", "to_delete platform_state account_number external_ref "
                                "packages access")
Step = namedtuple("Step", "kind account")


def step(kind, account=None):
    return Step(kind, account)


def next_step(desired, actual=UNKNOWN):
    """The next step for this TV user (see the module's docstring)."""
    if desired.to_delete:
        return _removal(desired, actual)
    if desired.platform_state == DELETED:
        return step(WAIT_RECREATE)
    if not desired.account_number:
        return _creation(desired, actual)
    if actual == UNKNOWN:
        return step(known_access_action(desired) or READ, desired.account_number)
    if actual == ABSENT:
        return step(GONE, desired.account_number)
    return _convergence(desired, actual)


def known_access_action(desired):
    """BLOCK or RELEASE when Odoo knows the TV user is active or blocked on
    the platform and the wanted access differs: made without reading first
    (the platform's answer carries the new state). None otherwise (read
    first: awaiting the first access, or nothing to change but a check)."""
    if desired.to_delete or not desired.account_number or \
            desired.platform_state not in KNOWN_ACCESS_STATES:
        return None
    return rules.platform_action(desired.access, desired.platform_state)


def _creation(desired, actual):
    if actual == UNKNOWN:
        return step(LOOKUP)
    if actual == ABSENT:
        return step(CREATE)
    if actual.external_ref == desired.external_ref:
        return step(ADOPT, actual.account_number)
    return step(REFUSE_LOGIN, actual.account_number)


def _convergence(desired, subscriber):
    account = subscriber.account_number
    if subscriber.status not in KNOWN_STATUSES:
        return step(UNKNOWN_STATUS, account)
    if packages_differ(desired.packages, subscriber):
        return step(PUSH_PACKAGES, account)
    action = rules.platform_action(desired.access, subscriber.status)
    if action:
        return step(action, account)
    return step(IN_SYNC, account)


def _removal(desired, actual):
    """A removed TV user: delete its account if it may exist; one whose
    create was requested is looked up by login, and deleted only if our
    create made it (its external reference names it)."""
    if desired.platform_state in LIVE_STATES and desired.account_number:
        if actual == ABSENT:
            return step(FORGET, desired.account_number)
        return step(DELETE, desired.account_number)
    if desired.platform_state == DRAFT:
        if actual == UNKNOWN:
            return step(LOOKUP)
        if actual != ABSENT and actual.external_ref == desired.external_ref:
            return step(DELETE, actual.account_number)
    return step(FORGET)


def tv_user_buttons(platform_state, sync_state, to_delete):
    """The buttons (TV_USER_BUTTONS) a TV user in these states shows: Create
    on platform before its creation, Check on platform and the access
    instructions' resend while it lives there, Re-create once deleted on the
    panel (unless its removal was asked), Retry sync after an error, Add-ons
    until its removal is asked."""
    buttons = set()
    if platform_state == DRAFT:
        buttons.add("create_on_platform")
    if platform_state in LIVE_STATES:
        buttons.update(("refresh_from_platform", "resend_access_instructions"))
    if platform_state == DELETED and not to_delete:
        buttons.add("recreate_on_platform")
    if sync_state == SYNC_ERROR:
        buttons.add("sync_now")
    if not to_delete:
        buttons.add("manage_addons")
    return buttons


def packages_differ(packages, subscriber):
    main, additional = packages
    return subscriber.main_package != main or \
        tuple(subscriber.additional_packages) != tuple(additional)


def needs_sync(desired, subscriber):
    """For the reconciliation: does the platform's subscriber differ from
    what Odoo wants (a step other than storing its state)?"""
    return next_step(desired, subscriber).kind not in (IN_SYNC, UNKNOWN_STATUS)


# -- queueing (services/wake_ups.py): wake-ups, retries ----------------------------
# (the queue_job channels: core/channels.py)

# queue_job's retry_pattern: {retry count reached: seconds before the next
# try}: 5 s doubling up to 5 minutes.
RETRY_PATTERN = {1: 5, 2: 10, 3: 20, 4: 40, 5: 80, 6: 160, 7: 300}
# The identity key of a wake-up: integration, slot, transaction (PostgreSQL's
# txid_current()). What it guarantees, exactly: within one transaction, at
# most one waiting (pending or enqueued) wake-up per slot of an integration,
# however many TV users the transaction marks pending; a second request in
# that transaction reuses it (and runs it at once if it was parked). Across
# transactions there is no sharing: each transaction that marks TV users
# pending queues its own wake-ups (at most the integration's capacity), so
# N concurrent requests may queue N wake-ups per slot; the extra ones find
# nothing left to claim ("Nothing to sync.", a few queries) or, while every
# platform slot of the integration is taken (services/platform_slots.py,
# which bounds the platform calls in flight), end when another wake-up waits
# to start (it claims what is pending), else wait for a slot.
# Why not one per slot across transactions: a request that relied on a
# wake-up another transaction queued could lose its wish. queue_job's
# runner may start that wake-up (its snapshot taken) before the request
# commits: the wake-up does not see the request's pending TV users, nor
# does its successor check, and they would wait for the reconciliation's
# lost-sync sweep (up to 15 minutes). Making the reuse safe would mean
# locking the waiting job's row until the request commits, which blocks the
# runner (one connection for every channel: it updates that row to enqueue
# the job) for the rest of the request, and fails the request with a
# serialization error when the runner moved the job since its snapshot.
# A wake-up too many costs a claim that finds nothing; a lost one costs a
# customer's TV access for minutes.
WAKE_KEY = "oletv-sync-%d-%d-%d"  # integration, slot, transaction


def wake_key_pattern(integration_id):
    """A LIKE pattern of every wake-up key of the integration."""
    return "oletv-sync-%d-%%" % integration_id


def claim_size(pending, chunk_size, slots):
    """TV users a wake-up claims when `pending` wait: an equal share of the
    `slots` syncing them (the integration's capacity, or fewer wake-ups), at
    most `chunk_size`, at least one. 150 pending on 4 slots: 38 each, all
    slots busy (not 50, 50, 50 and one idle)."""
    return max(1, min(chunk_size, -(-pending // (slots or 1))))


def wake_slots(pending, chunk_size, max_concurrency):
    """Wake-ups needed for `pending` TV users: one per claim (claim_size),
    at least one, at most the integration's capacity."""
    claim = claim_size(pending, chunk_size, max_concurrency)
    return max(1, min(max_concurrency or 1, -(-pending // claim)))


def retry_after_seconds(wanted, cap):
    """The platform's Retry-After within its cap, or None (queue_job's
    backoff): a far-future value would park the job and every later wish."""
    if not wanted:
        return None
    return max(1, int(min(wanted, cap)))


def reconcile_shares(batches, max_concurrency):
    """The scheduled reconciliation's batch reads spread over the
    integration's capacity: [[batch index, ...], ...], one list per job
    (round robin), as many jobs as the capacity allows and at least one
    batch each. A single share runs in the scheduled action itself."""
    jobs = max(1, min(max_concurrency or 1, batches))
    return [list(range(job, batches, jobs)) for job in range(jobs)] if batches else []
