# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The activities the addon looks for are the open ones. Odoo deletes an
activity marked done; OCA's mail_activity_done keeps it, with done=True, as
the record's history. So "is one already scheduled?" and "which proposal to
close or withdraw?" ask for the activities not done, with or without that
addon (make test's crowded stage runs the addon beside it)."""


def open_activities_domain(activities):
    """The domain of the open activities (`activities`: mail.activity)."""
    return [("done", "=", False)] if "done" in activities._fields else []


def open_activities(activities):
    """`activities` but those marked done."""
    if "done" not in activities._fields:
        return activities
    return activities.filtered(lambda activity: not activity.done)
