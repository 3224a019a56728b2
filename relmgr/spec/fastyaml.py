"""YAML read by `yaml-rs` (a Rust parser, ~10x PyYAML's C loader on large specs) where it gives PyYAML's data.

PyYAML reads YAML 1.1 (`on`/`yes` are booleans, `017` is octal, `1:20` is 80, `1e3` is text, `<<` merges);
yaml-rs reads YAML 1.2, and a document means what PyYAML says it means (relmgr has always read specs with
it, and so does every generator and linter in Python). `load` returns yaml-rs's data only when nothing in
the document can differ, else None and the caller uses the C loader:

* before parsing, a screen of the text refuses what yaml-rs reads differently or not at all: anchors and
  aliases (an alias inside its own anchor reads as null, and aliases share one object in PyYAML), tags
  (`!!binary`, `!custom`), directives (`%YAML 1.1`), YAML 1.1's other line breaks (NEL, U+2028, U+2029),
  and plain scalars that are numbers in one reading and
  not in the other (a leading zero, `0o`, an exponent without a dot or a sign, `-.5`);
* after parsing, a walk of the data refuses text PyYAML would have typed (`on`, `yes`, `1:20`, `<<`, `=`,
  a malformed date) unless yaml-rs types it too when plain (then it was quoted, and PyYAML keeps it as
  text as well), keys of other kinds than text, numbers, booleans and null, times of day, and integers
  of hundreds of digits (relmgr's PyYAML loader reads those specially);
* anything yaml-rs rejects (duplicate keys, which PyYAML reads last-wins; several documents; bad YAML)
  goes to the C loader, which also gives the error messages.

Measured on the real project's specs and the synthetic 0.5 MB ones: the same data on every file, 0.01-0.07 s
against 0.17-0.8 s (docs/performance.md). Without yaml-rs installed, everything goes to the C loader.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

try:  # an optional speed-up: relmgr depends on it, but a missing wheel only costs time
    import yaml_rs
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    yaml_rs = None  # type: ignore[assignment]

import orjson
import yaml.resolver

# Where a plain scalar that is a number in one reading only could start: the character before the token.
# (three patterns, each searched on its own: an alternation is searched position by position, ~10x slower)
_NUMBERS = (re.compile(r"0[0-9_o]"), re.compile(r"\.[0-9]"), re.compile(r"[0-9.][eE]"))
_LONG = 10**300  # an integer this long is read specially by relmgr's PyYAML loader (and its budget)
# ... and the token itself: a whole plain scalar, after a line start, an indicator or a flow separator
_TOKEN = re.compile(r"[-+]?(?:0[0-9_o]|\.[0-9]|[0-9][0-9_.]*[eE])[0-9a-zA-Z_.+\-]*[ \t]*(?:$|[,\]}:#\r\n])")
_NUMERIC = frozenset("0123456789._")
_SIGNS = frozenset("-+")
_BEFORE = frozenset(" \t\r\n[{,:?-")
_SEPARATORS = frozenset(" \t\r\n[{,")  # what may stand before an anchor or a tag
_TAKEN = frozenset(" \t\r\n,[]{}")  # what may not follow one's sigil
_RESOLVERS = {first: [regexp for tag, regexp in found if not tag.endswith(":str")]
              for first, found in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if first}
_SCALARS = (str, int, float, bool, type(None), date)  # date: datetime too (a subclass)


def available() -> bool:
    return yaml_rs is not None


def load(text: str) -> Any | None:
    """The data of `text` (one YAML document whose top level is a mapping) as PyYAML's safe loader would
    build it, or None when yaml-rs is missing, refuses it, or it could differ: then use the C loader."""
    if yaml_rs is None or _risky(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)  # it types quoted dates too: PyYAML decides dates
    except Exception:  # yaml-rs's own errors, or anything else it raises: PyYAML decides and explains
        return None
    if not isinstance(data, dict) or not _same_as_pyyaml(data, text):
        return None
    return data


def _risky(text: str) -> bool:
    """Whether the text holds something yaml-rs reads differently (see the module docstring)."""
    if text.startswith("%") or "\n%" in text or _sigil(text, "&") or _sigil(text, "!"):
        return True
    if "\x85" in text or "\u2028" in text or "\u2029" in text:  # line breaks in YAML 1.1, text in 1.2
        return True
    for index, pattern in enumerate(_NUMBERS):
        if any(_token_at(text, found.start(), walk=index == 2) for found in pattern.finditer(text)):
            return True
    return False


def _token_at(text: str, start: int, walk: bool) -> bool:
    """Whether a risky plain number (`_TOKEN`) starts at `start`, or before it when `walk` (an exponent's `e`
    is inside its token; a leading zero or a leading dot starts one, after an optional sign)."""
    if walk:
        while start > 0 and text[start - 1] in _NUMERIC:
            start -= 1
    if start > 0 and text[start - 1] in _SIGNS:
        start -= 1
    return (start == 0 or text[start - 1] in _BEFORE) and _TOKEN.match(text, start) is not None


def _sigil(text: str, sigil: str) -> bool:
    """Whether `sigil` (an anchor's `&`, a tag's `!`) starts a token somewhere: after a separator, before a name."""
    at = text.find(sigil)
    while at >= 0:
        before = text[at - 1] if at else "\n"
        after = text[at + 1:at + 2]
        if before in _SEPARATORS and after and after not in _TAKEN:
            return True
        at = text.find(sigil, at + 1)
    return False


def _same_as_pyyaml(data: dict[Any, Any], text: str) -> bool:
    """Every value of a kind both read alike, no text PyYAML would have typed. The data is written by orjson
    (in C) and only its short texts that could be typed are looked at; data orjson refuses (keys that are not
    text, integers past 64 bits, times of day) is walked in Python."""
    try:
        written = orjson.dumps(data, option=orjson.OPT_PASSTHROUGH_DATETIME, default=_refuse)
    except (TypeError, orjson.JSONEncodeError):
        return _walk(data, text)
    ok = _Texts(text)
    for found in set(_CANDIDATE.findall(written)):
        value = found.decode()
        if value[0] in _RESOLVERS and not ok(value):
            return False
    return True


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


# a JSON string orjson wrote that PyYAML might type: it starts as a typed scalar may, and has no escapes
# (a typed scalar is plain: never a quote, a backslash or a control character)
_CANDIDATE = re.compile(rb'"([-+.0-9~<=yYnNtTfFoO][^"\\]*)"')


def _walk(data: dict[Any, Any], text: str) -> bool:
    """`_same_as_pyyaml` in Python, for data orjson cannot write."""
    ok = _Texts(text)
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            for key, value in node.items():
                if type(key) is str:
                    if key and key[0] in _RESOLVERS and not ok(key):
                        return False
                elif type(key) not in (int, float, bool, type(None)):
                    return False  # a sequence or mapping as a key: PyYAML refuses it
                stack.append(value)
        elif type(node) is list:
            stack.extend(node)
        elif type(node) is str:
            if node and node[0] in _RESOLVERS and not ok(node):
                return False
        elif type(node) is int and not -_LONG < node < _LONG:
            return False
        elif not isinstance(node, _SCALARS):
            return False  # a time of day (PyYAML: a sexagesimal integer), a set, anything else
    return True


class _Texts:
    """Whether a text value of the document is text for PyYAML too, remembered per distinct text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[str, bool] = {}

    def __call__(self, value: str) -> bool:
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = not _typed_by_pyyaml(value) or self._always_quoted(value)
        return found

    def _always_quoted(self, value: str) -> bool:
        """Every place the document has `value` begins right after a quote: it was never a plain scalar
        (yaml-rs reads dates as text here, so a quoted `'2024-01-01'` is told from a plain one this way)."""
        at = self.source.find(value)
        while at >= 0:
            if at == 0 or self.source[at - 1] not in "'\"":
                return False
            at = self.source.find(value, at + 1)
        return True


@lru_cache(maxsize=4096)
def _typed_by_pyyaml(text: str) -> bool:
    """True when PyYAML would read `text`, written plain, as something else than text, and yaml-rs would
    not (had yaml-rs typed it too, the document must have quoted it, and PyYAML keeps quoted text as is)."""
    if not any(regexp.match(text) for regexp in _RESOLVERS[text[0]]):
        return False
    try:
        document: Any = yaml_rs.loads(f"v: {text}\n", parse_datetime=False)
        plain = document["v"]
    except Exception:
        return True
    return type(plain) is str
