"""What the first release's records must look like once upgraded.

Most records keep every stored value. A change of the data model that moves,
renames or recodes a value (and ships the migration script that does it)
adds a step here saying what the script must have done, so the upgrade test
checks the script instead of accepting any difference."""
import copy

STEPS = []  # functions (expected snapshot, filler) -> None, editing in place


def step(function):
    STEPS.append(function)
    return function


def expected_after_upgrade(before, filler):
    expected = copy.deepcopy(before)
    for function in STEPS:
        function(expected, filler)
    return expected
