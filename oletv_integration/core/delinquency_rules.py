# -*- coding: utf-8 -*-
"""The suspension ladder of the delinquency policy, free of Odoo imports.

Each step comes after a number of days the contract's oldest open invoice is
past its due date ("days overdue"): a late notice after N1 (late_notice_days),
reduced access after N2 (reduce_days; 0: no reduced step), a total block
after N3 (block_days) and a termination proposal after N4 (termination_days;
0: never proposed). "After N days" means more than N days overdue.

The policy only climbs the ladder; it comes back down only to Active, once
no invoice is past the late notice tolerance (a payment, a credit note, a
cancellation). services/delinquency_ladder.py applies these
decisions (through the policy, models/tv_delinquency_policy.py); the
notices read the next step with `next_escalation`.
"""
from . import access_rules as rules

# The ladder's statuses, least severe first.
LADDER = (rules.ACTIVE, rules.LATE_NOTICE, rules.REDUCED, rules.BLOCKED)
# Statuses the policy may move a contract out of: never awaiting signature,
# suspended on the customer's request or deactivated.
POLICY_STATUSES = LADDER


def delinquency_target(days_overdue, late_notice_days, block_days, reduce_days=0):
    """The status the policy asks for, given how many days the contract's
    oldest open invoice is past its due date (0: nothing overdue);
    reduce_days 0: no reduced step."""
    if days_overdue > block_days:
        return rules.BLOCKED
    if reduce_days and days_overdue > reduce_days:
        return rules.REDUCED
    if days_overdue > late_notice_days:
        return rules.LATE_NOTICE
    return rules.ACTIVE


def next_escalation(days_overdue, late_notice_days, block_days, reduce_days=0):
    """The next step of the ladder after `days_overdue`: (status, days
    overdue past which it comes; the most severe one on a tie), or
    (None, None) once blocked."""
    steps = [(rules.LATE_NOTICE, late_notice_days), (rules.BLOCKED, block_days)]
    if reduce_days:
        steps.insert(1, (rules.REDUCED, reduce_days))
    ahead = [(days, -rank, status) for rank, (status, days) in enumerate(steps)
             if days_overdue <= days]
    if not ahead:
        return None, None
    days, _rank, status = min(ahead)
    return status, days


def severity(status):
    """The status's rung on the ladder (-1: not a ladder status)."""
    return LADDER.index(status) if status in LADDER else -1


def escalation(status, target):
    """The status the policy moves a contract in `status` to, or None:
    only upwards (a lower target leaves it where it is)."""
    if status not in POLICY_STATUSES or target == rules.ACTIVE:
        return None
    return target if severity(target) > severity(status) else None


def proposes_termination(days_overdue, termination_days):
    """A blocked contract this many days overdue gets a termination
    proposal (termination_days 0: never)."""
    return bool(termination_days) and days_overdue > termination_days


def check_ladder(late_notice_days, reduce_days, block_days, termination_days):
    """The reason (an English message key, see the policy model) a ladder is
    refused, or None: days never negative, each step after the previous."""
    if min(late_notice_days, reduce_days, block_days, termination_days) < 0:
        return "negative"
    if block_days < late_notice_days:
        return "block_before_notice"
    if reduce_days and not late_notice_days <= reduce_days <= block_days:
        return "reduce_outside"
    if termination_days and termination_days < block_days:
        return "termination_before_block"
    return None


def lifted_by_payment(status, block_reason):
    """Whether a payment that leaves no invoice overdue lifts the contract's
    step: one the policy set, or a late notice (it asks for that payment,
    whoever sent it). An operator's block stays."""
    return status == rules.LATE_NOTICE or lifted_by_the_run(status, block_reason)


def lifted_by_the_run(status, block_reason):
    """Whether the daily run, finding nothing overdue, lifts the contract's
    step: only one the policy set. An operator's late notice or block stays
    (nothing overdue is no reason to undo their decision)."""
    return status in LADDER and block_reason == "automatic"
