# -*- coding: utf-8 -*-
"""What the customer portal tells a customer about one TV user, free of Odoo
imports: a status key (the portal template holds the plain words for each,
in the customer's language) and what the page shows beside it.

The contract's status wins over the platform state: a customer whose TV is
suspended must learn why even if the first access never happened (the
platform applies the block at that first access)."""
from . import access_rules as rules
from . import sync_plan as plan

# Status keys (the template views/portal_templates.xml words each one); the
# contract's own words where the contract's status is what the customer reads
SETTING_UP = "setting_up"                    # not yet created on the platform
AWAITING_FIRST_ACCESS = "awaiting_first_access"
ACTIVE = rules.ACTIVE
LATE_NOTICE = rules.LATE_NOTICE              # a notice only: the TV still works
REDUCED = rules.REDUCED                      # only the main package
SUSPENDED_PAYMENT = "suspended_payment"      # blocked for late payment
BLOCKED_ISP = "blocked_isp"                  # blocked by the ISP (manual block)
SUSPENDED_REQUEST = "suspended_request"      # on the customer's request, until a date
CANCELLED = "cancelled"                      # contract deactivated
UNAVAILABLE = "unavailable"                  # deleted on the platform's panel

# Bootstrap 3 label class of each status
LABEL_CLASSES = {
    SETTING_UP: "label-info", AWAITING_FIRST_ACCESS: "label-info", ACTIVE: "label-success",
    LATE_NOTICE: "label-warning", REDUCED: "label-warning", SUSPENDED_PAYMENT: "label-danger",
    BLOCKED_ISP: "label-danger", SUSPENDED_REQUEST: "label-default",
    CANCELLED: "label-default", UNAVAILABLE: "label-danger",
}


def tv_status(contract_status, tv_access, block_reason, platform_state):
    """The status key of a TV user. `tv_access` is the contract's stored
    access (the delinquency policy decides whether a late notice blocks)."""
    from_contract = _contract_status_key(contract_status, tv_access, block_reason)
    if from_contract:
        return from_contract
    if platform_state == plan.DRAFT:
        return SETTING_UP
    if platform_state == rules.PLATFORM_AWAITING_ACTIVATION:
        return AWAITING_FIRST_ACCESS
    if platform_state == plan.DELETED:
        return UNAVAILABLE
    return ACTIVE


def _contract_status_key(contract_status, tv_access, block_reason):
    if contract_status == rules.DEACTIVATED:
        return CANCELLED
    if contract_status == rules.SUSPENDED:
        return SUSPENDED_REQUEST
    if contract_status == rules.BLOCKED:
        return SUSPENDED_PAYMENT if block_reason == "automatic" else BLOCKED_ISP
    if contract_status == rules.REDUCED:
        return REDUCED
    if contract_status == rules.LATE_NOTICE:
        if tv_access == rules.ACCESS_BLOCKED:
            return SUSPENDED_PAYMENT
        if tv_access == rules.ACCESS_REDUCED:
            return REDUCED
        return LATE_NOTICE
    return None


def shows_instructions(status):
    """The first-access instructions help only before the first access."""
    return status in (AWAITING_FIRST_ACCESS, SETTING_UP)


def additional_packages_available(status):
    """Reduced access keeps only the main package."""
    return status != REDUCED
