"""The SVG timeline: one row per API, one column per final release, each cell coloured by the API's level at
that release; a red triangle where the release shipped a breaking change to it, a dark diamond where it
deprecated one of its operations. Plain XML text (no browser, no library): every name and tag escaped.

Colours are by stage (alpha, beta, stable) whatever the major (v2beta is a beta), with a text legend, so
the picture reads without colour too: each cell's `<title>` says the API, the release and the level.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from relmgr.stability.page import StabilityPage

COLOURS = {"alpha": "#f0a030", "beta": "#4a90d9", "stable": "#3a9d5d", "none": "#dddddd"}
_CELL, _ROW, _LEFT, _TOP, _GAP = 36, 28, 160, 70, 2
_FONT = "font-family=\"sans-serif\" font-size=\"12\""


def stage_of(level: str) -> str:
    """`v1alpha` → alpha, `v2beta` → beta, `v1` → stable; anything else (`-`: no known level) → none."""
    if "alpha" in level:
        return "alpha"
    if "beta" in level:
        return "beta"
    return "stable" if level.startswith("v") else "none"


def timeline_svg(page: StabilityPage) -> str:
    """The picture of `page`: its width and height follow the releases, the APIs and the legend."""
    columns = max(len(page.releases), 1)
    # release tags are written at 45°: room above the rows and to the right of the last column for the longest
    reach = int(max((len(r.tag) for r in page.releases), default=0) * 7 * 0.71) + 12
    top = max(_TOP, reach + 12)
    legend, legend_width = _legend(top + len(page.apis) * _ROW + 24)
    width = max(_LEFT + columns * _CELL + max(20, reach - _CELL // 2), legend_width + 10)
    height = top + len(page.apis) * _ROW + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title">',
           '<title id="title">Each API\'s level across releases</title>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for i, release in enumerate(page.releases):
        x = _LEFT + i * _CELL + _CELL // 2
        out.append(f'<text class="release" x="{x}" y="{top - 8}" {_FONT} text-anchor="start" '
                   f'transform="rotate(-45 {x} {top - 8})">{escape(release.tag)}</text>')
    for row in range(len(page.apis)):
        out.extend(_row(page, row, top + row * _ROW))
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _row(page: StabilityPage, row: int, y: int) -> list[str]:
    """One API: its name, then a cell per release with its marks."""
    api = page.apis[row]
    out = [f'<g class="api" data-api={quoteattr(api.name)}>',
           f'<text x="{_LEFT - 8}" y="{y + _ROW // 2 + 4}" {_FONT} text-anchor="end">{escape(api.name)}</text>']
    for i, (release, level) in enumerate(zip(page.releases, api.levels, strict=True)):
        x = _LEFT + i * _CELL
        stage = stage_of(level)
        tip = f"{api.name} at {release.tag}: {level if stage != 'none' else 'no known level'}"
        marks = []
        if release.tag in api.breaking_in:
            tip += ", breaking change"
            marks.append(f'<path class="breaking" d="M{x + _CELL - 12} {y + 3}h9l-4.5 8z" fill="#c62828"/>')
        if release.tag in api.deprecated_in:
            tip += ", deprecated an operation"
            cx, cy = x + 8, y + _ROW - 9
            marks.append(f'<path class="deprecation" d="M{cx} {cy - 5}l5 5l-5 5l-5 -5z" fill="#333333"/>')
        out.append(f'<rect class="cell {stage}" x="{x}" y="{y}" width="{_CELL - _GAP}" height="{_ROW - _GAP}" '
                   f'fill="{COLOURS[stage]}"><title>{escape(tip)}</title></rect>')
        out.extend(marks)
    out.append("</g>")
    return out


def _legend(y: int) -> tuple[list[str], int]:
    """The legend's elements at `y`, and how wide it is."""
    items = [("alpha", "alpha"), ("beta", "beta"), ("stable", "stable"), ("none", "no known level")]
    out, x = [], 10
    for stage, text in items:
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[stage]}"/>')
        out.append(f'<text x="{x + 16}" y="{y + 10}" {_FONT}>{escape(text)}</text>')
        x += 30 + 8 * len(text)
    out.append(f'<path d="M{x} {y + 1}h9l-4.5 8z" fill="#c62828"/><text x="{x + 14}" y="{y + 10}" {_FONT}>'
               "breaking change</text>")
    x += 130
    out.append(f'<path d="M{x + 5} {y}l5 5l-5 5l-5 -5z" fill="#333333"/><text x="{x + 14}" y="{y + 10}" {_FONT}>'
               "deprecation</text>")
    return out, x + 14 + 8 * len("deprecation")
