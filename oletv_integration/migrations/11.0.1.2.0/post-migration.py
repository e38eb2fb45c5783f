# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.2.0: the sync is queued through queue_job's public API.

- Transient failures back off with the job's retry_pattern: the system
  parameters of the hand-made backoff (retry_base_seconds,
  retry_max_seconds) are no longer read; they are removed.
- Jobs queued by earlier releases (`tv.user(<ids>)._tv_sync_job()`) still
  run and converge (the job method keeps its name and accepts that form).
- Every integration with TV users pending sync is woken once, so pending
  work converges even when its old job was lost."""
from odoo import SUPERUSER_ID, api

OBSOLETE_PARAMS = ("oletv_integration.retry_base_seconds",
                   "oletv_integration.retry_max_seconds")


def migrate(cr, version):
    if not version:
        return
    cr.execute("DELETE FROM ir_config_parameter WHERE key IN %s", (OBSOLETE_PARAMS,))
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["tv.user"]._requeue_lost_syncs()
