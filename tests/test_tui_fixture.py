"""A four-role scenario for the UI tests, built from the mini fixture.

The bundled scenario is still being written, and snapshots must not move whenever a card does, so
the UI tests play "The Archipelago Contest" with two more roles (a southern league and the
islanders, who own no power but have an agenda of their own in the institutions) added to the
mini fixture's two. Written to a temporary folder per test session.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

MINI = Path(__file__).parent / "fixtures" / "mini"

EXTRA_ROLES = """
  - id: guilds
    name: Southern Guilds
    power: south
    deck: guilds
    hand_size: 3
    initiative: 3
    income: {base: 3}
    objectives:
      - id: southern_trade
        text: Islands aligned with the Southern League
        metric: {kind: countries, filter: {aligned_with: [south]}}
        points: 1
  - id: islanders
    name: Island Councils
    agenda: true
    deck: islanders
    hand_size: 3
    initiative: 4
    countries: [coral, dune, ember]
    income: {base: 2}
    objectives:
      - id: free_islands
        text: Islands that are non-aligned or in the grey zone
        metric: {kind: countries, filter: {status: [non_aligned, ambiguous]}}
        points: 1
"""

GUILDS = """deck: guilds
owner: guilds
cards:
  - id: guild_fair
    title: Hold a guild fair
    cost: 2
    target: {kind: country, filter: {region: [inner]}}
    on_play:
      - {kind: ties, power: south, channel: trade, delta: 1}
    source: {quote: "in addition to its economic attractiveness"}
    text: A fair in the inner sea draws an island's merchants south.
    tags: [economic]
  - id: southern_patrol
    title: Southern patrol
    cost: 2
    roll:
      base: 55
    on_success:
      - {kind: track, track: piracy, delta: -1}
      - {kind: vp, role: self, delta: 1}
    source: {quote: "the frequent conduct of joint military exercise"}
    text: The southern navy patrols the lanes; a success lowers piracy.
    tags: [military]
  - id: faith_mission
    title: Faith mission
    cost: 1
    target: {kind: country}
    roll:
      base: 45
    on_success:
      - {kind: ties, power: south, channel: faith, delta: 2}
    source: {quote: "think tanks, local governments, business"}
    text: Missionaries build faith ties that outlast governments.
    tags: [society]
"""

ISLANDERS = """deck: islanders
owner: islanders
cards:
  - id: hedge
    title: Hedge between the leagues
    cost: 1
    target: {kind: country, filter: {of_role: islanders}}
    on_play:
      - {kind: ties, power: north, channel: trade, delta: 1}
      - {kind: ties, power: south, channel: trade, delta: 1}
    source: {quote: "For China, ambiguity is no problem"}
    text: An island courts both leagues at once and keeps its hands free.
    tags: [hedging]
  - id: island_forum
    title: Island forum
    cost: 2
    roll:
      base: 50
    on_play:
      - {kind: lean, institution: market_fair, power: islanders, delta: 1}
    on_success:
      - {kind: vp, role: self, delta: 2}
    on_failure:
      - {kind: track, track: storms, delta: 1}
    source: {quote: "welcomes countries of all sizes"}
    text: The islands meet and lean the Market Fair their way; a success earns them standing.
    tags: [forum]
  - id: quiet_year
    title: Keep a quiet year
    cost: 0
    on_play:
      - {kind: influence, role: self, delta: 1}
    source: {quote: "this remains a work-in-progress"}
    text: The councils save their strength for later.
    tags: [economy]
"""


def make_quad(dst: Path) -> Path:
    """Copy the mini fixture to `dst` and add two roles; returns the scenario folder."""
    folder = dst / "quad"
    shutil.copytree(MINI, folder)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("id: mini-archipelago", "id: quad-archipelago")
    text = text.replace(
        "title: The Archipelago Contest (test fixture)",
        "title: The Archipelago Contest, four seats (test fixture)",
    )
    head, sep, tail = text.partition("\nturns:\n")
    (folder / "scenario.yaml").write_text(
        head.rstrip("\n") + "\n" + EXTRA_ROLES.lstrip("\n") + sep + tail, encoding="utf-8"
    )
    (folder / "cards" / "guilds.yaml").write_text(GUILDS, encoding="utf-8")
    (folder / "cards" / "islanders.yaml").write_text(ISLANDERS, encoding="utf-8")
    return folder


_SVG_TEXT = re.compile(
    r'<text[^>]*?x="([0-9.e+-]+)"[^>]*?textLength="([0-9.e+-]+)"[^>]*?'
    r'clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>'
)


def screen_text(app: object) -> str:
    """The current screen, dialogs over what they cover, as plain text (what a person would
    read), from Textual's public screenshot (an SVG with one text element per styled run)."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    rows: dict[int, list[tuple[int, str]]] = {}
    for x, length, line, raw in _SVG_TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        width = float(length) / max(1, len(text))
        rows.setdefault(int(line), []).append((round(float(x) / width), text))
    out = []
    for line in range(max(rows, default=-1) + 1):
        row = ""
        for col, text in sorted(rows.get(line, [])):
            row = row.ljust(col) + text
        out.append(row.rstrip())
    return "\n".join(out)


QUAD_SEATS = "merchants=human:Red,corsairs=random,guilds=human:Blue,islanders=random"


def _working(app: object) -> bool:
    return any(not w.is_finished for w in app.workers)  # type: ignore[attr-defined]


async def settle(app: object, pilot: object, rounds: int = 200) -> None:
    """Let workers (bots, loading) finish and the screen catch up."""
    quiet = 0
    for _ in range(rounds):
        if _working(app):
            await app.workers.wait_for_complete()  # type: ignore[attr-defined]
            await pilot.pause(0.005)  # type: ignore[attr-defined]
        else:
            await pilot.pause()  # type: ignore[attr-defined]
        busy = _working(app) or not app.screen.is_mounted  # type: ignore[attr-defined]
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return


async def press(app: object, pilot: object, *keys: str) -> None:
    """Press keys one by one, letting the app settle after each; `text:…` types text."""
    for key in keys:
        if key.startswith("text:"):
            # Typed into the focused input as a paste would be (a key per character is slow):
            # it replaces the text selected (a field offered with a value has it selected).
            field = app.focused  # type: ignore[attr-defined]
            if field.selection.is_empty:
                field.insert_text_at_cursor(key[5:])
            else:
                field.replace(key[5:], *field.selection)
        else:
            await pilot.press(key)  # type: ignore[attr-defined]
        await settle(app, pilot)


async def pick_card(app: object, pilot: object, title: str) -> None:
    """Highlight the card called `title` in the team's hand (whatever the shuffle gave)."""
    screen = app.screen  # type: ignore[attr-defined]
    cards = screen.view().tables.cards
    titles = [cards[c].title for c in screen._hand]
    delta = titles.index(title) - (screen.query_one("#hand").highlighted or 0)
    for _ in range(abs(delta)):
        await press(app, pilot, "down" if delta > 0 else "up")


def quad_options(tmp_path: Path, scenario: Path, **kw: Any) -> Any:
    """The app's options for a session of `scenario` with QUAD_SEATS: no timer, no key hold
    (tests press keys faster than a person), saves in this test's folder; `kw` overrides."""
    from wargame.facilitation.launch import Options

    base: dict[str, Any] = dict(
        scenario=scenario, seed=11, saves=tmp_path / "saves", timer=0, bots=QUAD_SEATS
    )
    base.update(key_hold=0.0)
    base.update(kw)
    return Options(**base)


def facilitated_game(tables: Any, seats_spec: str, seed: int, path: Path) -> Any:
    """A new facilitated Game of `tables` saved to `path` (replaced if there), seated by
    `seats_spec` (as `--seats`), started at a fixed date: the fixtures' common start."""
    from wargame import journal
    from wargame.engine import Session
    from wargame.facilitation.controller import Game
    from wargame.seats import parse_seats, present_of

    seats = parse_seats(seats_spec, tables)
    present = present_of(tables, seats)
    header = journal.Header(
        scenario=tables.scenario.model_dump(mode="json"),
        seed=seed,
        seats=seats,
        present=list(present),
        facilitated=True,
        started="2026-03-02T09:00:00.000+00:00",
        settings={"timer": 0},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    writer = journal.JournalWriter(path, header)
    session = Session(tables, seed=seed, present=present, facilitated=True, sink=writer)
    session.settle()
    return Game(session, writer, seats, header.settings)


def fix_clock(day: str = "2026-03-02") -> Any:
    """Make the records' times made-up ones, from 09:00 on `day`, 7 s apart, so that a fixture's
    save is the same file on every run; returns the function that puts the real clock back."""
    from wargame import records

    tick = [0]
    real = records.now

    def clock() -> str:
        tick[0] += 7
        m, s = divmod(tick[0], 60)
        return f"{day}T09:{m:02d}:{s:02d}.000+00:00"

    def restore() -> None:
        records.now = real

    records.now = clock
    return restore
