# -*- coding: utf-8 -*-
"""What the contract's status means for TV access, free of Odoo imports.

The Odoo layer asks these rules what a TV user's access should be and what
(if anything) must be done on the platform to get there; keeping them here
lets a port to a newer Odoo rewrite only the thin model layer.
"""

AWAITING_SIGNATURE = "awaiting_signature"
ACTIVE = "active"
LATE_NOTICE = "late_notice"
REDUCED = "reduced"          # the delinquency ladder: main package only
BLOCKED = "blocked"
SUSPENDED = "suspended"      # suspended on the customer's request
DEACTIVATED = "deactivated"

# The seed: "Bloqueio/aviso atraso/desativar" block; activation, release and
# "aguardando assinatura" leave the access released (Online). A late notice
# blocks unless the delinquency policy makes it a notice only.
BLOCKING_STATUSES = frozenset({LATE_NOTICE, BLOCKED, SUSPENDED, DEACTIVATED})

ACCESS_ALLOWED = "allowed"
ACCESS_REDUCED = "reduced"
ACCESS_BLOCKED = "blocked"
# The contract stores desired_access(contract_status) as tv_access: the
# automated actions (data/base_automation.xml) and the TV users read it.
ACCESS_SELECTION = [(ACCESS_ALLOWED, "Allowed"), (ACCESS_REDUCED, "Reduced"),
                    (ACCESS_BLOCKED, "Blocked")]

# Which status an operator may move a contract to, from each status.
TRANSITIONS = {
    AWAITING_SIGNATURE: frozenset({ACTIVE, DEACTIVATED}),
    ACTIVE: frozenset({AWAITING_SIGNATURE, LATE_NOTICE, REDUCED, BLOCKED, SUSPENDED,
                       DEACTIVATED}),
    LATE_NOTICE: frozenset({ACTIVE, REDUCED, BLOCKED, DEACTIVATED}),
    REDUCED: frozenset({ACTIVE, BLOCKED, DEACTIVATED}),
    BLOCKED: frozenset({ACTIVE, DEACTIVATED}),
    SUSPENDED: frozenset({ACTIVE, DEACTIVATED}),
    DEACTIVATED: frozenset({ACTIVE}),
}

# A contract on the delinquency ladder: what Release (one or many, and a
# trust release) lifts.
RELEASABLE_STATUSES = frozenset({LATE_NOTICE, REDUCED, BLOCKED})
# TV held back for a debt or a suspension: the daily runs (the ladder, the
# suspensions' end) follow such a contract, so it is not archived.
NOT_ARCHIVABLE_STATUSES = RELEASABLE_STATUSES | {SUSPENDED}

# The operator's status buttons, named after the method each calls
# (action_contract_<name>).
OPERATOR_ACTIONS = ("activate", "release", "late_notice", "block", "awaiting_signature",
                    "deactivate")

# Platform subscriber states (the client's status strings).
PLATFORM_AWAITING_ACTIVATION = "awaiting_activation"
PLATFORM_ACTIVE = "active"
PLATFORM_BLOCKED = "blocked"

BLOCK = "block"
RELEASE = "release"


def desired_access(contract_status, late_notice_blocks=True):
    """Access a TV user should have under a contract in this status (the
    delinquency policy says whether its late notice blocks the TV)."""
    if contract_status == LATE_NOTICE and not late_notice_blocks:
        return ACCESS_ALLOWED
    if contract_status == REDUCED:
        return ACCESS_REDUCED
    if contract_status in BLOCKING_STATUSES:
        return ACCESS_BLOCKED
    return ACCESS_ALLOWED


def desired_packages(access, main, additional, kept=(), addons=()):
    """The packages (main, (additional, ...)) a TV user should have on the
    platform: its product's, then its add-ons' (`addons`: their codes, sold
    on the contract for this TV user), each code once. Reduced access keeps
    only the main package and the additional ones in `kept` (the "Ponto
    adicional" a set-top box needs: the platform refuses equipment without
    it): the add-ons go too, and come back with the full access."""
    if access == ACCESS_REDUCED:
        return main, tuple(code for code in additional if code in kept)
    codes = list(additional)
    for code in addons:
        if code not in codes and code != main:
            codes.append(code)
    return main, tuple(codes)


def can_transition(from_status, to_status):
    return to_status in TRANSITIONS.get(from_status, frozenset())


def operator_actions(status):
    """The status buttons (OPERATOR_ACTIONS) an operator has on a contract
    in `status`: each a move TRANSITIONS allows. Back to active is Release
    from the ladder's statuses and Activate otherwise; a suspension on
    request ends through its own End now, so only Deactivate leaves it."""
    if status == SUSPENDED:
        return {"deactivate"}
    actions = {name for name, target in (("late_notice", LATE_NOTICE), ("block", BLOCKED),
                                         ("awaiting_signature", AWAITING_SIGNATURE),
                                         ("deactivate", DEACTIVATED))
               if can_transition(status, target)}
    if can_transition(status, ACTIVE):
        actions.add("release" if status in RELEASABLE_STATUSES else "activate")
    return actions


def platform_action(wanted_access, platform_status):
    """The call (BLOCK, RELEASE or None) that brings the platform to the
    wanted access. A subscriber still awaiting its first access cannot be
    blocked or released: nothing is done and the wish is kept for later."""
    if platform_status == PLATFORM_ACTIVE and wanted_access == ACCESS_BLOCKED:
        return BLOCK
    if platform_status == PLATFORM_BLOCKED and wanted_access in (ACCESS_ALLOWED, ACCESS_REDUCED):
        return RELEASE
    return None


def is_online(platform_status):
    """The seed's Online/Offline: Online once the access is really open."""
    return platform_status == PLATFORM_ACTIVE
