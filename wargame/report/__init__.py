"""The debrief report (`wargame report`): a document to hand out after a game.

A front end beside the terminal UI, over the same facilitation layer: `document` gathers the
content from the debrief model, `markdown`, `html` and `rows` (CSV and JSON, one row per record)
render it, and `charts` draws the charts as SVG with matplotlib (imported only when a chart is
drawn: it is the slowest import of the report).
"""

from __future__ import annotations

FORMATS = ("md", "html", "csv", "json")


def render(d: object, fmt: str) -> str:
    """The report of a `Debrief` in one of `FORMATS`."""
    from wargame.facilitation.debrief import Debrief

    assert isinstance(d, Debrief)
    if fmt in ("csv", "json"):
        from wargame.report import rows

        return rows.to_csv(d) if fmt == "csv" else rows.to_json(d)
    from wargame.report.document import build

    doc = build(d)
    if fmt == "md":
        from wargame.report.markdown import to_markdown

        return to_markdown(doc)
    if fmt == "html":
        from wargame.report.html import to_html

        return to_html(doc)
    raise ValueError(f"unknown report format {fmt!r} (formats: {', '.join(FORMATS)})")
