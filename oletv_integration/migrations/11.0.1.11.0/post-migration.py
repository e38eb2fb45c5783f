# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.11.0: the TV users' sync and reconciliation jobs run on their job
functions' own channel, `root.oletv.sync` (it was `root.oletv`, each job
being queued on the sync channel by hand). queue_job registers a job
function's channel only once, when the function is new: an existing one is
moved here, through queue_job's model, unless an administrator already gave
it a channel of their own. queue_job recomputes the channel of the
function's stored jobs with it, so jobs still waiting from an older release
run on the sync channel too."""
from odoo import SUPERUSER_ID, api

FUNCTIONS = ("<tv.user>._tv_sync_job", "<tv.user>._tv_reconcile_job")
# The job functions' channel before this release.
FORMER_CHANNEL = "root.oletv"
SYNC_CHANNEL = "root.oletv.sync"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    functions = env["queue.job.function"].search([("name", "in", FUNCTIONS)])
    former = functions.filtered(lambda function: function.channel == FORMER_CHANNEL)
    if former:
        former.write({"channel_id": env["queue.job.function"]._find_or_create_channel(
            SYNC_CHANNEL).id})
