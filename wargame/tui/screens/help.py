"""The help screen (`?`): every key, and how a session runs, for a facilitator new to the game."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HOW = [
    "1. Setup: choose the scenario, turns, seed and a seat for every role (a team name for a "
    "human team, a bot and its strength, or absent). Start with Ctrl+S or the Start button.",
    "2. Orders: in the situation room press Enter to hand the keyboard to the next team (or "
    "1-9 for a given team). A hand-over screen hides everything until that team presses "
    "Enter. The team reads its cards, plays them (Enter), gives a one-line reason, and "
    "commits with c. Bots commit on their own.",
    "3. Resolution: when every seat has committed, the orders are revealed and resolved in "
    "initiative order. For each roll the White Cell accepts it (Enter) or overrides it "
    "(o, with a reason).",
    "4. Summary: what changed this turn, largest shifts first. Enter goes on to the next turn; "
    "its phase timer starts then, not while the room reads the summary.",
    "5. End: the final ranking, objectives met or missed, the story of the game, and the save.",
    "Every action is saved the moment it is made. If the terminal dies, run "
    "`wargame play --continue` to carry on exactly where you stopped: every committed order "
    "is there, a turn summary not yet read is shown again, and the phase timer goes on with "
    "the time it had left at the last action saved (the time the session was down does not "
    "count; a pause ends with the stop).",
]

BOARD = [
    "Each country shows its ties to each power, one bar per channel (the channels are named "
    "at the top; taller is stronger, · is none), then its status: aligned with a power, "
    "ambiguous (strong ties to both) or non-aligned. ⚑N is the strength of a formal alliance, "
    "which decays each turn unless reaffirmed.",
    "Tracks show each global track as a gauge, its value, and its change since the start of "
    "the previous turn (▲ up, ▼ down, = unchanged); on a wide screen, its history.",
    "Teams show victory points (last turn's in brackets), influence ◆ to spend on cards, and "
    "whether each team has committed its orders. The log at the bottom tells what happened.",
]

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            ("?", "this help"),
            ("F2", "high-contrast theme on/off (for projectors)"),
            (
                "Ctrl+Q",
                "quit from any screen (the game is already saved; `wargame play "
                "--continue` resumes it); q does the same in the situation room",
            ),
            ("Tab / Shift+Tab", "move between panels; arrows and PgUp/PgDn scroll"),
        ],
    ),
    (
        "Situation room (White Cell)",
        [
            ("Enter", "hand the keyboard to the next team that has not committed"),
            ("1-9", "hand the keyboard to that team (numbers as in the Teams panel)"),
            ("i", "inject an event card now"),
            ("n", "add a note to the record"),
            ("u", "undo the last action (forced across a reveal or a roll, after confirmation)"),
            ("p", "pause: hide the board and stop the timer"),
            ("t", "add 2 minutes to the phase timer"),
            ("e", "end the phase: commit every team still deciding (after confirmation)"),
            ("r", "draw a waiting roll or shuffle (only after an undo)"),
        ],
    ),
    (
        "A team's orders",
        [
            ("↑ ↓", "choose a card; its full text, source and chance appear on the right"),
            ("Enter", "play the card: choose its targets, then say why (optional)"),
            ("u", "take back your last order"),
            ("c", "commit your orders (they stay hidden until everyone has committed)"),
            ("Escape", "leave without committing (your orders so far are kept)"),
        ],
    ),
    (
        "Resolution",
        [
            ("Enter", "accept the roll shown (or continue when all is resolved)"),
            ("o", "override the roll: choose the outcome and give a reason"),
            ("e", "accept every remaining roll (after confirmation)"),
            ("u / n / p / i", "undo, note, pause, inject (as in the room)"),
        ],
    ),
    (
        "Setup",
        [
            ("Tab", "move between fields; Enter opens a list"),
            ("Ctrl+S", "start the game"),
            ("Ctrl+O", "the saves: pick one with ↑↓ and press Enter to resume it"),
            ("Ctrl+N", "back to a new game"),
        ],
    ),
]


def help_content() -> Content:
    parts: list[str | tuple[str, str]] = [("How a session runs\n", "bold $text-accent")]
    for line in HOW:
        parts.append(line + "\n")
    parts.append(("\nReading the situation room\n", "bold $text-accent"))
    for line in BOARD:
        parts.append(line + "\n")
    for title, keys in KEYS:
        parts.append(("\n" + title + "\n", "bold $text-accent"))
        for key, what in keys:
            parts.append((f"  {key:<16}", "bold $accent"))
            parts.append(what + "\n")
    return Content.assemble(*parts).rstrip()


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
        Binding("enter", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -help"):
            yield Static(
                Content.styled("Help — keys and how a session runs", "bold"), classes="dialog-title"
            )
            with VerticalScroll(id="help-body"):
                yield Static(help_content())
            yield Static(Content.styled("Escape or ? closes this help; ↑↓ scroll", "$text-muted"))

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
