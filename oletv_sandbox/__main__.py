"""Command line entry point: ``python -m oletv_sandbox``."""
from .server import main

main()
