"""Golden files: rendered output compared byte for byte with `tests/golden/<name>`.

`RELMGR_REGEN_GOLDEN=1 python -m pytest` rewrites the files instead of comparing (review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """`text` must equal tests/golden/<name> exactly (bytes, UTF-8)."""
    path = GOLDEN / name
    if os.environ.get("RELMGR_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing; run with RELMGR_REGEN_GOLDEN=1 to create it"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} differs from {path}; RELMGR_REGEN_GOLDEN=1 rewrites it if intended"
