"""The report as data: one row per record of the journal (CSV or JSON), for a facilitator's
own analysis — turn, phase, actor, action, card, targets, outcome, reason, and the scores and
tracks after the record."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wargame.facilitation.debrief import Debrief

COLUMNS = (
    "record",
    "time",
    "turn",
    "year",
    "phase",
    "kind",
    "actor",
    "action",
    "card",
    "targets",
    "outcome",
    "chance",
    "reason",
    "undone",
    "folded",
)
"""The fixed columns; `vp_<role>` and `track_<track>` (after the record) follow them."""


def records(d: Debrief) -> list[dict[str, Any]]:
    """One dict per record, in journal order."""
    t = d.tables
    seated = [r for r in t.roles if d.header.present[r.index]]
    times = d.loaded.times
    out = []
    for e in d.entries:
        st = d.state_at(e.record)
        row: dict[str, Any] = {
            "record": e.record,
            "time": times[e.record - 1] if e.record <= len(times) else "",
            "turn": e.turn,
            "year": e.year,
            "phase": e.phase,
            "kind": e.kind,
            "actor": e.actor,
            "action": e.text,
            "card": e.card,
            "targets": "; ".join(e.targets),
            "outcome": e.outcome,
            "chance": e.chance if e.chance is not None else "",
            "reason": e.reason,
            "undone": e.undone,
            "folded": e.noise,
        }
        for r in seated:
            row[f"vp_{r.id}"] = sum(st.vp[r.index])
        for k, tr in enumerate(t.scenario.tracks):
            row[f"track_{tr.id}"] = st.tracks[k]
        out.append(row)
    return out


def to_csv(d: Debrief) -> str:
    rows = records(d)
    buf = io.StringIO()
    fields = list(rows[0]) if rows else list(COLUMNS)
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def to_json(d: Debrief) -> str:
    h = d.header
    data = {
        "save": d.path.name,
        "scenario": d.tables.scenario.id,
        "title": d.tables.scenario.title,
        "seed": h.seed,
        "started": h.started,
        "parent": h.parent,
        "problem": d.problem,
        "records": records(d),
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
