"""The help screen (`?`): every key, and how a session runs, for a facilitator new to the game.

The engine's help, not the bundled scenario's: what depends on the scenario (its powers) and on
the install (the command that resumes a game) is filled in when the help opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HOW = [
    "1. Setup: choose the scenario, turns, seed and a seat for every role (a team name for a "
    "human team, a bot and its strength, or absent). Ctrl+S or the Start button shows the "
    "seats once more; Tab to “Start the game” and press Enter (or Ctrl+Y) to begin.",
    "2. Orders: in the situation room press Enter to call the next team to the keyboard (or "
    "1-9 for a given team). A curtain hides everything until that team, alone at the screen, "
    "presses Ctrl+O. The team reads its cards, plays them (Enter), gives a one-line reason, "
    "and commits with Ctrl+S, then confirms. Bots commit on their own.",
    "3. Resolution: when every seat has committed, the orders are revealed and resolved in "
    "initiative order. For each roll the White Cell accepts it (Enter) or overrides it "
    "(Ctrl+O, with a reason).",
    "4. Summary: what changed this turn, largest shifts first. Enter goes on to the next turn; "
    "its phase timer starts then, not while the room reads the summary. Ctrl+L shows the last "
    "turn's summary again.",
    "5. End: the final ranking, objectives met or missed, the story of the game, and the save.",
    "6. Debrief: Ctrl+R on the end screen (or on a save in the setup's Continue tab, or "
    "`wargame replay SAVE`) opens the replay: step through the game, find its turning points, "
    "see what a team saw, bookmark moments for the class, branch a “what if” from any record "
    "and compare it with the game.",
    "Typing is safe: no letter alone commits, confirms, undoes, ends a phase or leaves a "
    "screen. Those need Ctrl and a key, and a question asks for Tab then Enter (or Ctrl+Y). "
    "Right after a screen appears, Enter waits half a second, so a key pressed twice never "
    "skips a screen the room has not read.",
    "Every action is saved the moment it is made. If the terminal dies, run "
    "`{resume}` to carry on exactly where you stopped: every committed order "
    "is there, a turn summary not yet read is shown again, and the phase timer goes on with "
    "the time it had left at the last action saved (the time the session was down does not "
    "count; a pause ends with the stop).",
]

BOARD = [
    "Each country shows its ties to each power, one bar per channel (the channels are named "
    "at the top; taller is stronger, · is none), then its status: aligned with a power, "
    "ambiguous ({ambiguous}) or non-aligned. ⚑N is the strength of a formal alliance, "
    "which decays each turn unless reaffirmed.",
    "Tracks show each global track as a gauge, its value, and its change since the start of "
    "the previous turn (▲ up, ▼ down, = unchanged); on a wide screen, its history.",
    "Teams show victory points (last turn's in brackets), influence ◆ to spend on cards, and "
    "whether each team has committed its orders. The log at the bottom tells what happened.",
    "The map (m; a projector opens on it): a tile per country, roughly where it lies, with its "
    "code, and its status as a tag on the status's colour: the power it is aligned with, ≈ "
    "ambiguous, · non-aligned; ⚑N its alliance. » marks a country whose status changed since "
    "the start of the last turn (of this turn, once its orders are revealed), with the power "
    "it moved toward; the line under the map names them. Arrow keys move the cursor ▐ ▌ to a "
    "country and name it with its standing toward each power.",
]

REPLAY = "Replay (a debrief)"
SERVED_ROOM = "The White Cell's page (wargame serve)"

READING_REPLAY = [
    "The timeline lists every record of the save by turn and phase, in words: • an order "
    "(with its reason), ✓ a commit, ↺ an order taken back or undone, ◇ a roll with its odds, "
    "= a roll accepted, ! a roll overridden (with the White Cell's reason), ✦ an event or an "
    "inject, ✎ a note, ⇄ a seat handed over, ★ a bookmark. ▶ marks the record at the cursor; "
    "the board, the tracks and the charts show the game just after it.",
    "On the board, ▶ marks the countries the record at the cursor changed; on the tracks and "
    "the teams, ◀. The charts mark the cursor's turn with a vertical line; their legends give "
    "the values at the cursor.",
]

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            ("? or F1", "this help"),
            ("F2", "high-contrast theme on/off (for projectors)"),
            (
                "Ctrl+Q",
                "quit from any screen (the game is already saved; `{resume}` resumes it)",
            ),
            ("Tab / Shift+Tab", "move between panels; arrows and PgUp/PgDn scroll"),
            (
                "A question",
                "Escape or Enter on the first button says no; Tab (or →) to the other "
                "button then Enter, or Ctrl+Y, says yes",
            ),
        ],
    ),
    (
        "Situation room (White Cell)",
        [
            ("Enter", "call the next team that has not committed (a curtain first)"),
            ("1-9", "call that team (numbers as in the Teams panel)"),
            ("Ctrl+G", "inject an event card (while the teams give orders)"),
            ("Ctrl+N", "add a note to the record"),
            (
                "Ctrl+U",
                "undo the last thing a person did (the bots' moves and the rolls drawn since "
                "are taken back with it; forced across a reveal or a roll, after "
                "confirmation). A roll drawn again from the same position comes out the same. "
                "An undo does not hand back a seat (Ctrl+B does)",
            ),
            ("Ctrl+P", "pause: hide the board and stop the timer"),
            ("Ctrl+T", "add 2 minutes to the phase timer"),
            ("Ctrl+E", "end the phase: commit every team still deciding (after confirmation)"),
            ("Ctrl+R", "draw a waiting roll or shuffle (only after an undo)"),
            ("Ctrl+L", "show the last turn's summary again"),
            (
                "Ctrl+B",
                "hand a role to a bot (a team leaves early, or to watch the end) or back to "
                "people; recorded in the save",
            ),
            ("m", "the map instead of the table, and back (arrow keys: a country's standing)"),
            ("F6", "solo play: make the bots' rolls wait for Enter, or let them go by (again)"),
            (
                "F5",
                "replay the game so far (a “what if”: Ctrl+O there compares it with the game "
                "it came from); Escape comes back",
            ),
        ],
    ),
    (
        SERVED_ROOM,
        [
            (
                "Ctrl+E",
                "the next step: end the orders phase, accept the rolls, read the "
                "summary, or see the final ranking (a question first)",
            ),
            ("Enter", "accept the roll shown"),
            (
                "Ctrl+O",
                "override the roll shown: the outcome, then a reason; while the teams "
                "give orders, the team picked plays at this screen (a curtain first)",
            ),
            ("Ctrl+R", "draw a waiting roll (only after an undo)"),
            ("Ctrl+G", "inject an event card (while the teams give orders)"),
            ("Ctrl+K", "add a note to the record (a browser keeps Ctrl+N for a new window)"),
            (
                "Ctrl+U",
                "undo the last thing a person did (forced across a reveal or a roll, "
                "after confirmation and with a reason)",
            ),
            ("Ctrl+L", "show the last turn's summary again"),
            ("Ctrl+P", "pause the game: the timer stops (Enter resumes)"),
            ("F9", "2 more minutes for the phase (a browser keeps Ctrl+T for a new tab)"),
            (
                "1-9",
                "pick a seat; then Ctrl+B hands it to the greedy bot or back, Ctrl+F "
                "frees it for its link to join again",
            ),
            ("F6", "solo play: make the bots' rolls wait for Enter, or let them go by"),
            ("m", "the map instead of the table, and back (a wide page opens on the map)"),
        ],
    ),
    (
        "The curtain before a team's hand",
        [
            ("Ctrl+O", "open the team's hand (only when that team alone sees the screen)"),
            ("Escape", "back to the situation room"),
        ],
    ),
    (
        "A team's orders",
        [
            ("↑ ↓", "choose a card; its full text, source and chance appear on the right"),
            ("Enter", "play the card: choose its targets, then say why (optional)"),
            ("Ctrl+U", "take back your last order (after confirmation)"),
            (
                "Ctrl+S",
                "commit your orders, after confirmation (they stay hidden until everyone "
                "has committed)",
            ),
            ("Escape", "back to the room without committing (your orders so far are kept)"),
        ],
    ),
    (
        "Resolution",
        [
            ("Enter", "accept the roll shown (or continue when all is resolved)"),
            ("Ctrl+O", "override the roll: choose the outcome and give a reason"),
            ("F3", "show or hide the numbers behind the bots' explanations"),
            ("Ctrl+E", "accept every remaining roll (after confirmation)"),
            ("Ctrl+R", "draw a waiting roll (after an undo)"),
            ("Ctrl+U/N/P/L", "undo, note, pause, last summary (as in the room)"),
        ],
    ),
    (
        "Summary and pause",
        [
            ("Enter", "continue (a summary shown again: Enter or Escape goes back)"),
            ("Enter / Esc", "resume after a pause (or Ctrl+P)"),
        ],
    ),
    (
        REPLAY,
        [
            ("← →", "one record back or forward (↑ ↓ too, in the timeline)"),
            ("PgUp / PgDn", "back or forward to where a turn or a phase begins"),
            ("Home / End", "the start of the game, its last record"),
            ("Space", "play or pause, one record at a time; + and - change the pace"),
            ("Ctrl+G", "go to turn N (type the number, then Enter)"),
            (
                "Tab",
                "the next panel: timeline, board, charts, turning points (80x24: one "
                "at a time; wider: all, and Tab moves between them)",
            ),
            (
                "Enter",
                "in the timeline: the record at the cursor in full; in the turning "
                "points: go there",
            ),
            (
                "Ctrl+T",
                "the turning points (the largest swings, each with its reason) and the bookmarks",
            ),
            (
                "Ctrl+F",
                "filter: notes, overrides, the White Cell's hand, or one team's orders "
                "and rationales (shuffles are folded away unless asked for)",
            ),
            (
                "F4",
                "view as: the White Cell (everything) or one team (what it saw then: its "
                "hand, the others' orders only once revealed)",
            ),
            ("F3", "the numbers behind a bot's reason"),
            (
                "m",
                "the board panel as the map at the cursor (the moves of its turn), or the "
                "table; Tab to the map, and the arrow keys point at a country (its standing "
                "and alliances) until Tab moves on",
            ),
            (
                "Ctrl+B",
                "bookmark the cursor with a label and a teaching note (kept in a file "
                "beside the save; Delete removes one from the list)",
            ),
            (
                "Ctrl+W",
                "what if: a new game from the cursor, the seats chosen again; its save "
                "names this one and the record",
            ),
            (
                "Ctrl+O",
                "compare with a save that shares this one's start (a “what if” of it): "
                "where they part, scores and tracks side by side; Enter goes there",
            ),
            ("Escape", "back to the screen the replay was opened from"),
            (
                "▶ ◀",
                "the record at the cursor in the timeline; what it changed on the board "
                "and the tracks",
            ),
        ],
    ),
    (
        "Setup",
        [
            ("Tab", "move between fields; Enter opens a list"),
            ("Ctrl+S", "start the game: shows the seats, then Tab and Enter (or Ctrl+Y)"),
            ("Ctrl+O", "the saves: pick one with ↑↓ and press Enter to resume it"),
            ("Ctrl+R", "replay the save picked (a debrief)"),
            ("Ctrl+N", "back to a new game"),
        ],
    ),
]


@dataclass(frozen=True, slots=True)
class HelpFacts:
    """What the help says that is not the engine's to know."""

    powers: tuple[str, ...] = ()
    """The scenario's powers by name (none before a scenario is chosen)."""
    resume: str = "wargame play --continue"
    """The command, as typed in this terminal, that resumes the latest game."""
    topic: str = ""
    """A section of KEYS to show first (the replay's, from the replay screen)."""

    @property
    def ambiguous(self) -> str:
        """What 'ambiguous' means with these powers."""
        p = self.powers
        if len(p) == 2:
            return f"strong ties to both {p[0]} and {p[1]}"
        if len(p) > 2:
            return "strong ties to more than one of " + ", ".join(p[:-1]) + " and " + p[-1]
        return "strong ties to more than one power"


def resume_text(save: Path | None, saves: Path | None) -> str:
    """The command that resumes this game (or the latest in `saves`), as this install runs it:
    `.venv/bin/wargame` after `make`, where plain `wargame` is not on the PATH."""
    import shlex

    from wargame.shell import resume_command, wargame_command

    if save is not None:
        return resume_command(save, saves)
    words = [wargame_command(), "play", "--continue"]
    if saves is not None and saves != Path("saves"):
        words += ["--saves", shlex.quote(str(saves))]
    return " ".join(words)


def help_content(facts: HelpFacts | None = None) -> Content:
    f = facts or HelpFacts()
    fill = {"resume": f.resume, "ambiguous": f.ambiguous}
    parts: list[str | tuple[str, str]] = []
    first = [(title, keys) for title, keys in KEYS if title == f.topic]
    for title, keys in first:
        parts.append((title + "\n", "bold $text-accent"))
        if title == REPLAY:
            parts.extend(line + "\n" for line in READING_REPLAY)
        for key, what in keys:
            parts.append((f"  {key:<16}", "bold $accent"))
            parts.append(what.format(**fill) + "\n")
        parts.append("\n")
    parts.append(("How a session runs\n", "bold $text-accent"))
    for line in HOW:
        parts.append(line.format(**fill) + "\n")
    parts.append(("\nReading the situation room\n", "bold $text-accent"))
    for line in BOARD:
        parts.append(line.format(**fill) + "\n")
    for title, keys in KEYS:
        if first and title == first[0][0]:
            continue
        parts.append(("\n" + title + "\n", "bold $text-accent"))
        if title == REPLAY:
            parts.extend(line + "\n" for line in READING_REPLAY)
        for key, what in keys:
            parts.append((f"  {key:<16}", "bold $accent"))
            parts.append(what.format(**fill) + "\n")
    return Content.assemble(*parts).rstrip()


class HelpScreen(ModalScreen[None]):
    def __init__(self, facts: HelpFacts | None = None) -> None:
        super().__init__()
        self.facts = facts or HelpFacts()

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
        Binding("enter", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -help"):
            yield Static(
                Content.styled("Help — keys and how a session runs", "bold"), classes="dialog-title"
            )
            with VerticalScroll(id="help-body"):
                yield Static(help_content(self.facts))
            yield Static(
                Content.styled("Escape, ? or F1 closes this help; ↑↓ scroll", "$text-muted")
            )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
