"""`make bench` (scripts/bench.sh, `python -m bench.run`): see bench/run.py."""
from oletv_testing.core import load

# The addon's Odoo-free core, loaded by its path: importing the addon's
# package would load its Odoo models before Odoo is configured. channels:
# the queue_job channels of the addon's jobs and the job runner's
# configuration of them (server_channels), as scripts/odoo_conf.sh writes it;
# access_rules and sync_plan: the TV users' states the bench counts.
channels = load("channels")
access_rules = load("access_rules")
sync_plan = load("sync_plan")
