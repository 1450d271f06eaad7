"""The "what if" dialog of the replay: a new game from the record at the cursor, with the seats
chosen again (the setup screen's seat chooser). It answers the seats, or None; the replay
screen starts the game and the App opens it to play."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Select, Static

from wargame.tui.screens.dialogs import Dialog
from wargame.tui.screens.setup import SeatChooser, seat_value

if TYPE_CHECKING:
    from wargame.facilitation.debrief import Debrief


class BranchDialog(Dialog):
    """Who plays each role from the record on; Ctrl+S or the Start button (Tab to it, then
    Enter) starts the game, Escape goes back to the replay."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    # border 2, title 2, the note 3, the error 1, the buttons 4, the keys 1
    FITS = ("#branch-seats", 13, 30)

    def __init__(self, debrief: Debrief, record: int, bots: list[str] | None = None) -> None:
        super().__init__()
        self.d = debrief
        self.record = record
        self.bots = bots

    def compose(self) -> ComposeResult:
        from wargame.bots.registry import bot_names

        d = self.d
        t = d.tables
        h = d.header
        st = d.state_at(self.record)
        turn = min(st.turn, t.turns)
        year = t.start_year + (turn - 1) * t.years_per_turn
        when = f"Turn {turn} ({year}), {st.phase}"
        where = f"after record {self.record}: {when}" if self.record else f"at the start: {when}"
        initial = {r.id: seat_value(h.seats[r.id]) for r in t.roles if r.id in h.seats}
        absent = frozenset(r.id for r in t.roles if not h.present[r.index])
        with Vertical(classes="dialog -wide"):
            yield Static(
                Content.styled(f"What if… a new game {where}", "bold"), classes="dialog-title"
            )
            yield Static(
                f"It starts from the board as it was there and is saved as a new game that "
                f"names {d.path.name} and record {self.record}; this save is not changed. "
                "Choose who plays each role from there:",
            )
            with VerticalScroll(id="branch-seats"):
                yield SeatChooser(
                    t,
                    self.bots if self.bots is not None else bot_names(),
                    initial,
                    {r.id: r.id in absent for r in t.roles},
                    locked=absent,
                )
            yield Static("", id="branch-error", classes="error-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back (Esc)", id="no")
                yield Button("Start the “what if” (Ctrl+S)", id="yes", variant="primary")
            yield Static(
                Content.styled(
                    "Tab moves between the seats and the buttons; a role absent in the save "
                    "stays absent.",
                    "$text-muted",
                )
            )

    def on_mount(self) -> None:
        self.fit()
        for select in self.query(Select):
            if not select.disabled:
                select.focus()
                break

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "yes":
            self.action_start()
        else:
            self.dismiss(None)

    def action_start(self) -> None:
        seats = self.query_one(SeatChooser).seats()
        if isinstance(seats, str):
            self.query_one("#branch-error", Static).update(seats[0].upper() + seats[1:] + ".")
            return
        self.dismiss(seats)
