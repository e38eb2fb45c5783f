"""`make bench` (scripts/bench.sh, `python -m bench.run`): see bench/run.py."""
import importlib.util
import os


def _load_channels():
    """oletv_integration/core/channels.py, loaded by its path: importing the
    addon's package would load its Odoo models before Odoo is configured."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "oletv_integration", "core", "channels.py")
    spec = importlib.util.spec_from_file_location("oletv_channels", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The queue_job channels the addon's jobs run on, and the job runner's
# configuration of them (server_channels): the same as scripts/odoo_conf.sh's.
channels = _load_channels()
