"""How long the property tests search.

The default run is the one CI and the README's check command make: every property is searched, the widest
ones at a tenth of their thorough budget so the whole suite stays under ~2 minutes on a 2-core machine.
`RELMGR_THOROUGH=1 python -m pytest -m slow` searches them with the full budget (before a release, or after
changing a parser or the history reader).
"""

from __future__ import annotations

import os

THOROUGH = os.environ.get("RELMGR_THOROUGH") == "1"


def examples(thorough: int) -> int:
    """`thorough` examples in a thorough run, a tenth of them (at least 50) otherwise."""
    return thorough if THOROUGH else max(thorough // 10, 50)
