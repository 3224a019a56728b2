"""A digest of each operation's resolved subtree, so that a diff compares only the operations that changed.

Two operations with the same digest (same path, same method) have the same resolved subtree: the operation
node and its path item's parameters, with every local `$ref` standing for its target's own digest (a Merkle
hash over the reference graph). So a change in `components` changes the digests of exactly the operations that
reach it, and `diff_specs` skips every operation whose digests agree: the full comparison of those finds
nothing (an unchanged operation has no findings, whatever the date: tests/test_spec_fingerprint.py).

Digests are 16 bytes of BLAKE2b over orjson's canonical JSON (sorted keys) of each node; the references in
it are found in that text (`"$ref":"..."`: a string value, never a property named `$ref`) and each target is
digested once per document. A cycle of references is cut where it closes, and a digest that depends on an
open cut is not remembered (it is only the subtree's as seen from where the walk began). A document JSON
cannot hold exactly (keys that are not text, dates, NaN, integers past 64 bits) has no digests: its
operations are all compared, as before. Whether it can is asked of orjson (in C); whether it holds a NaN
or an infinity (which orjson writes as null) the caller may tell from the text (`may_hold_nonfinite`), else
the document is walked.

Pure, and cheap: ~5-20 ms for a 0.5 MB spec, shared by every diff of the same document in a run (`of`).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson

from relmgr.spec.resolve import Resolver

_REF = re.compile(rb'"\$ref":"((?:[^"\\]|\\.)*)"')
_MISSING = b"\x00missing"
_OPEN = 1 << 30  # no cut is open


class Fingerprints:
    """The digests of one document's operations (`operation`), and of what they share (`context`)."""

    def __init__(self, document: Mapping[str, Any], finite: bool | None = None) -> None:
        self.document = document
        self._resolver = Resolver(document)
        self._refs: dict[bytes, bytes] = {}
        self._stack: dict[bytes, int] = {}
        self._taint = _OPEN  # the lowest stack depth a cycle was cut at, while that cut is open
        self.usable = _json(document) and (_finite(document) if finite is None else finite)
        # what every operation's comparison reads beyond its own subtree: Swagger 2's document-wide media types
        # and whether the document is Swagger 2 at all
        self.context = self._digest({k: document.get(k) for k in ("openapi", "swagger", "produces", "consumes")}
                                    ) if self.usable else b""

    def operation(self, item: Mapping[str, Any], method: str) -> bytes | None:
        """The digest of `item[method]` with `item`'s parameters (`item`: the dereferenced path item);
        None when this document has no digests."""
        if not self.usable:
            return None
        self._taint = _OPEN
        try:
            return self._digest([item.get(method), item.get("parameters")])
        except (TypeError, orjson.JSONEncodeError):
            return None

    def _digest(self, node: Any) -> bytes:
        text = orjson.dumps(node, option=orjson.OPT_SORT_KEYS)
        digest = hashlib.blake2b(text, digest_size=16)
        for ref in sorted(set(_REF.findall(text))):
            digest.update(b"\x00" + ref + b"\x00" + self._target(ref))
        return digest.digest()

    def _target(self, raw: bytes) -> bytes:
        """The digest of what the reference `raw` (its JSON-escaped text) points at."""
        found = self._refs.get(raw)
        if found is not None:
            return found
        depth = self._stack.get(raw)
        if depth is not None:  # the reference closes a cycle: stand for it by name, and taint what is open
            self._taint = min(self._taint, depth)
            return b"\x00cycle"
        ref = orjson.loads(b'"' + raw + b'"')
        target = self._resolver.lookup(ref) if isinstance(ref, str) and ref.startswith("#") else None
        if target is None:
            found = _MISSING  # external or dangling: the reference's text (in the referrer's digest) is all
        else:
            depth = self._stack[raw] = len(self._stack)
            outer, self._taint = self._taint, _OPEN
            try:
                found = self._digest(target)
            finally:
                del self._stack[raw]
            if self._taint < depth:  # depends on a cut still open below: valid from this walk only
                self._taint = min(self._taint, outer)
                return found
            self._taint = outer
        self._refs[raw] = found
        return found


_CACHE: OrderedDict[int, Fingerprints] = OrderedDict()


def of(document: Mapping[str, Any], finite: bool | None = None) -> Fingerprints:
    """The fingerprints of `document`, shared by the diffs of one run that read it (the last 64 documents;
    each entry holds its document, so an id is never another document's). `finite`: whether the caller knows
    the document holds no NaN or infinity (from its text: `app/specs.py`), else it is walked to find out."""
    key = id(document)
    found = _CACHE.get(key)
    if found is not None and found.document is document:
        _CACHE.move_to_end(key)
        return found
    found = _CACHE[key] = Fingerprints(document, finite)
    while len(_CACHE) > 64:
        _CACHE.popitem(last=False)
    return found


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _json(document: Any) -> bool:
    """Whether orjson writes the document as it is (text keys, 64-bit integers, no dates, bytes or sets); in C."""
    try:
        orjson.dumps(document, option=orjson.OPT_PASSTHROUGH_DATETIME, default=_refuse)
    except (TypeError, orjson.JSONEncodeError):
        return False
    return True


def _finite(document: Any) -> bool:
    """No NaN or infinity anywhere (orjson writes them as null, which would make them equal to null)."""
    stack = [document]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            stack.extend(node.values())
        elif type(node) is list:
            stack.extend(node)
        elif type(node) is float and (node != node or node in (_INF, -_INF)):
            return False
    return True


_INF = float("inf")


def may_hold_nonfinite(text: bytes) -> bool:
    """Whether a spec's text could parse to a NaN or an infinity: YAML's `.nan`/`.inf`, JSON's `NaN`/`Infinity`,
    or an exponent of three digits (`1.0e+999` is infinite; unsigned, `1e999`, only in JSON: PyYAML reads it
    as text, and relmgr's fast YAML reader refuses it). False positives only cost the fast comparison."""
    if _SPECIAL.search(text) is not None or b"NaN" in text or b"Infinity" in text:
        return True
    if (b"e+" in text or b"E+" in text) and _SIGNED_EXPONENT.search(text) is not None:
        return True
    return text.lstrip()[:1] in (b"{", b"[") and _EXPONENT.search(text) is not None


_SPECIAL = re.compile(rb"\.(?:[iI][nN][fF]|[nN][aA][nN])")
_SIGNED_EXPONENT = re.compile(rb"[eE]\+[0-9]{3}")
_EXPONENT = re.compile(rb"[eE]\+?[0-9]{3}")
