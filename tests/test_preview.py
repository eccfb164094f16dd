"""The live preview (`python -m generator serve`, run by `make serve`): a saved edit reaches
the open page, and an invalid edit prints its error while the last good site stays up. The
time it takes is measured by bench/preview.py, not asserted here."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_edits_reach_the_page_and_a_broken_edit_keeps_the_last_good_site() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "preview.py"),
            "--edits",
            "1",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "save -> refreshed page, 1 edits:" in result.stdout
    assert (
        "error printed: True; last good page still served: True; "
        "error shown in the open page: True; gone once fixed: True"
    ) in result.stdout


def test_a_taken_port_is_replaced_by_a_free_one_and_announced() -> None:
    """`make serve` asks for port 8000; when something holds it, the preview serves on a
    free port and says which, instead of failing or hanging."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "preview.py"),
                "--edits",
                "1",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "save -> refreshed page, 1 edits:" in result.stdout
