#!/usr/bin/env python3
"""Write docs/spec-rules.md, the table of every rule `relmgr spec-diff` reports, from the rule registry.

Usage::

    python scripts/spec_rules.py          # rewrite docs/spec-rules.md
    python scripts/spec_rules.py --check  # exit 1 when the page is stale (what the test runs)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "spec-rules.md"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from relmgr.spec import RULES
    from relmgr.spec.registry import rules_markdown

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the page differs from the registry")
    args = parser.parse_args()
    text = rules_markdown(RULES)
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE.relative_to(ROOT)} is stale: run python scripts/spec_rules.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} ({len(RULES)} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
