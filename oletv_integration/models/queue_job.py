# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's jobs keep the channel they were queued on.

queue_job 11.0 computes a job's channel from its job function (a stored
computed field) and takes the channel given to `with_delay(channel=...)` as
the value written at creation. Odoo 11 protects a written computed value
only while the creation recomputes its own fields; a job delayed while
recomputation is deferred is recomputed later, onto its function's channel.
That is how a contract's status reaches its TV users: the status change
recomputes the contract's TV access, whose write runs the automated action
that queues the wake-ups. They ran on `root.oletv` (unbounded below
`root`) instead of the platform calls' channel `root.oletv.sync`.

Only the jobs of the addon's own job functions (on `root.oletv` or below)
keep a channel below their function's; every other job is queue_job's."""
from odoo import api, models

from ..core import channels


def _below(channel, parent):
    return bool(channel) and channel.startswith(parent + ".")


def _ours(function_channel):
    return function_channel == channels.JOB_CHANNEL \
        or _below(function_channel, channels.JOB_CHANNEL)


class QueueJob(models.Model):
    _inherit = "queue.job"

    @api.multi
    @api.depends("job_function_id.channel_id")
    def _compute_channel(self):
        super()._compute_channel()
        ours = self.filtered(lambda job: job.id and _ours(job.job_function_id.channel))
        if not ours:
            return
        # the channel written at creation (the field itself is being computed)
        self.env.cr.execute("SELECT id, channel FROM queue_job WHERE id IN %s",
                            (tuple(ours.ids),))
        for job_id, queued_on in self.env.cr.fetchall():
            job = ours.browse(job_id)
            if _below(queued_on, job.job_function_id.channel):
                job.channel = queued_on
