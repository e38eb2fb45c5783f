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
from collections import namedtuple
from datetime import timedelta

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


# -- the ladder's rule: Anatel's RGC, or the ISP's own ---------------------------

# A policy's ladder, in days overdue (see the module's docstring).
Ladder = namedtuple("Ladder", "late_notice_days late_notice_blocks_tv reduce_days block_days "
                              "termination_days")

# Anatel's RGC (Resolução 765/2023, in force since 1 September 2025, as
# Anatel's consumer pages give it): the service may be suspended only 15
# days after the customer was notified of the debt (art. 70), totally (no
# partial stage for broadband or pay-TV), and the contract terminated after
# 60 days of suspension, with a prior warning (arts. 73/75). These are
# minimums: under the preset a later block or termination stays allowed.
NOTICE_ADVANCE_DAYS = 15
SUSPENSION_BEFORE_TERMINATION_DAYS = 60
ANATEL_LADDER = Ladder(late_notice_days=5, late_notice_blocks_tv=False, reduce_days=0,
                       block_days=5 + NOTICE_ADVANCE_DAYS,
                       termination_days=5 + NOTICE_ADVANCE_DAYS
                       + SUSPENSION_BEFORE_TERMINATION_DAYS)
# The addon's ladder up to 11.0.1.8.0, the former RGC's (Resolução 632/2014
# arts. 90-103: partial suspension 15 days after the notice, total 30 days
# later, termination 30 days after that); the demo keeps it.
FORMER_LADDER = Ladder(late_notice_days=5, late_notice_blocks_tv=True, reduce_days=20,
                       block_days=50, termination_days=80)


def check_anatel_ladder(ladder):
    """The reason (a message key, see the policy model) a Ladder breaks
    Anatel's rule, or None: the late notice is a notice only, no reduced
    step, the block at least NOTICE_ADVANCE_DAYS after the notice, the
    termination (when proposed) at least SUSPENSION_BEFORE_TERMINATION_DAYS
    after the block."""
    if ladder.late_notice_blocks_tv:
        return "anatel_notice_blocks"
    if ladder.reduce_days:
        return "anatel_reduced"
    if ladder.block_days < ladder.late_notice_days + NOTICE_ADVANCE_DAYS:
        return "anatel_block_early"
    if ladder.termination_days and ladder.termination_days < (
            ladder.block_days + SUSPENSION_BEFORE_TERMINATION_DAYS):
        return "anatel_termination_early"
    return None


def began_on(days, since, fallback):
    """The day a step began for the current debt: the latest of `days` (the
    days the contract entered that step) on or after `since` (the oldest
    overdue invoice's due date); none: `fallback` (None when the contract
    has not reached the step)."""
    found = [day for day in days if day >= since]
    return max(found) if found else fallback


def waited(start, today, days):
    """Whether `days` days have passed from `start` (None: never began)."""
    return start is not None and (today - start).days >= days


def after_notice(step, status, notified_on, today, wait_days):
    """Anatel's rule (art. 70) on the step the run would take (`step`, from
    `escalation`): a reduction or a block only `wait_days` after the
    customer was notified of the debt (`notified_on`: None, not notified).
    Before that, an active contract gets the late notice first, and one
    already notified waits (None)."""
    if step not in (rules.REDUCED, rules.BLOCKED) or waited(notified_on, today, wait_days):
        return step
    return rules.LATE_NOTICE if status == rules.ACTIVE else None


def ladder_dates(ladder, oldest_due, notified_on=None):
    """The days the steps after the late notice come for a debt whose
    oldest invoice fell due on `oldest_due`: {"reduced", "blocked",
    "termination"} (None: no such step). With `notified_on` (Anatel's
    rule), the block comes no earlier than the ladder's gap after the
    notice, and the termination keeps its gap after the block."""
    def day(threshold):
        return oldest_due + timedelta(days=threshold + 1) if threshold else None
    blocked = oldest_due + timedelta(days=ladder.block_days + 1)
    if notified_on is not None:
        blocked = max(blocked, notified_on + timedelta(
            days=ladder.block_days - ladder.late_notice_days))
    termination = None
    if ladder.termination_days:
        termination = blocked + timedelta(days=ladder.termination_days - ladder.block_days)
    return {"reduced": day(ladder.reduce_days), "blocked": blocked, "termination": termination}
