"""`python -m generator ...`: see generator.cli."""

from __future__ import annotations

import os
import sys

from .cli import main

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:  # the output went to a reader that stopped early (`| head`)
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 0
sys.exit(status)
