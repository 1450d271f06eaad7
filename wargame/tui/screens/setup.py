"""The setup screen: a new session (scenario, turns, seed, timer, a seat per role) or one to
continue from `saves/`.

The screen appears before the scenario is loaded: titles come from a cheap scan, and the
scenario is validated and compiled in a worker, which then fills in the seats. A broken deck
shows every problem with its file and line in a dialog.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from wargame.facilitation.launch import SaveInfo, ScenarioChoice, list_saves, scenario_choices
from wargame.facilitation.text import plural, role_name
from wargame.schema.safe_text import literal
from wargame.seats import ABSENT, AbsentSeat, BotSeat, HumanSeat, Seat, Seats
from wargame.tui.render import plain
from wargame.tui.screens.dialogs import ConfirmDialog, MessageDialog

if TYPE_CHECKING:
    from wargame.facilitation.launch import Options

LEVELS = ("easy", "normal", "hard")


class Loaded(Message):
    """A scenario finished loading in the worker (tables), or failed (problems)."""

    def __init__(
        self, path: Path, tables: Any, bots: list[str], problems: list[str], error: str
    ) -> None:
        super().__init__()
        self.path = path
        self.tables = tables
        self.bots = bots
        self.problems = problems
        self.error = error


class Positioned(Message):
    """A save's position, found by replaying it in the worker."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text


def seat_options(bots: list[str], optional: bool) -> list[tuple[str, str]]:
    out = [("Human team", "human")]
    for b in bots:
        if b == "planner":
            out.extend((f"planner bot ({lvl})", f"bot:planner:{lvl}") for lvl in LEVELS)
        else:
            out.append((f"{b} bot", f"bot:{b}:"))
    if optional:
        out.append(("Absent", "absent"))
    return out


def parse_bots_option(spec: str) -> dict[str, str]:
    """`all=random,china=greedy:hard,us=human:Red` → role → seat value for the selects."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        role, _, who = part.partition("=")
        who = who.strip()
        if who.startswith("human") or who == "absent":
            out[role.strip()] = who
        elif who:
            name, _, level = who.partition(":")
            out[role.strip()] = f"bot:{name}:{level}"
    return out


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[: end + 1] if end > limit // 2 else cut.rstrip()) + " …"


def seat_value(seat: Seat) -> tuple[str, str]:
    """A seat as the seat choosers' select value and team name."""
    if isinstance(seat, HumanSeat):
        return "human", seat.name or ""
    if isinstance(seat, AbsentSeat):
        return "absent", ""
    return f"bot:{seat.bot}:{seat.level}", ""


class SeatChooser(Vertical):
    """A seat for every role: a human team (with its name), a bot and its strength, or absent
    for an optional role. The setup screen and a "what if" branch choose seats with it."""

    DEFAULT_CSS = """
    SeatChooser {
        height: auto;
    }
    """

    def __init__(
        self,
        tables: Any,
        bots: list[str],
        initial: dict[str, tuple[str, str]],
        optional: dict[str, bool],
        *,
        locked: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        """`initial`: role id → (select value, team name); `optional`: may the role be
        absent; `locked` roles keep their initial seat (a branch keeps who was absent)."""
        super().__init__(**kwargs)
        self.tables = tables
        self.bots = bots
        self.initial = initial
        self.optional = optional
        self.locked = locked

    def compose(self) -> ComposeResult:
        t = self.tables
        yield Static(Content.styled("Seats", "bold"), classes="seats-title")
        for r in t.roles:
            want, team = self.initial.get(r.id, ("human", ""))
            options = seat_options(self.bots, self.optional.get(r.id, False))
            values = {v for _, v in options}
            if want not in values:
                want = "absent" if "absent" in values and want != "human" else "human"
            label = role_name(t, r.index) + (" (optional)" if r.optional else "")
            select = Select(
                options,
                value=want,
                allow_blank=False,
                id=f"seat-{r.id}",
                classes="seat-select",
                compact=True,
            )
            select.disabled = r.id in self.locked
            name = Input(
                team,
                placeholder="team name (optional)",
                id=f"team-{r.id}",
                classes="seat-team",
                max_length=30,
                compact=True,
            )
            # A bot's or an absent seat has no team name: its field is hidden, not merely
            # skipped by Tab while looking live.
            name.disabled = want != "human"
            name.display = want == "human"
            yield Horizontal(
                Static(plain(label), classes="seat-label"), select, name, classes="seat-row"
            )

    def on_select_changed(self, event: Select.Changed) -> None:
        sid = event.select.id or ""
        if not sid.startswith("seat-"):
            return
        event.stop()
        name = self.query_one(f"#team-{sid[len('seat-') :]}", Input)
        name.disabled = event.value != "human"
        name.display = event.value == "human"

    def seats(self) -> Seats | str:
        """The seats chosen, or what is wrong with them."""
        t = self.tables
        seats: Seats = {}
        for r in t.roles:
            value = str(self.query_one(f"#seat-{r.id}", Select).value)
            if value == "human":
                name = self.query_one(f"#team-{r.id}", Input).value.strip()
                seats[r.id] = HumanSeat(name or role_name(t, r.index))
            elif value == "absent":
                seats[r.id] = ABSENT
            else:
                _, bot, level = value.split(":", 2)
                seats[r.id] = BotSeat(bot, level)
        if all(isinstance(s, AbsentSeat) for s in seats.values()):
            return "seat at least one role"
        return seats


class SetupScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("ctrl+n", "tab('new')", "New game", priority=True),
        Binding("ctrl+o", "tab('continue')", "Continue a save", priority=True),
        Binding("ctrl+r", "replay", "Replay a save", priority=True),
        Binding("question_mark", "app.help", "Help"),
        # In a text field "?" is typed: the key bar then offers F1 instead.
        Binding("f1", "help_in_field", "Help"),
        Binding("f2", "app.toggle_contrast", "Contrast"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    class StartGame(Message):
        """Start a new game with the scenario and the seats chosen."""

        def __init__(self, tables: Any, seats: Seats, seed: int, turns: int, timer: int) -> None:
            super().__init__()
            self.tables = tables
            self.seats = seats
            self.seed = seed
            self.turns = turns
            self.timer = timer

    class ResumeSave(Message):
        """Carry on the game saved in `path`."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help_in_field":
            return isinstance(self.focused, Input)
        return True

    def action_help_in_field(self) -> None:
        self.app.action_help()  # type: ignore[attr-defined]

    class ReplaySave(Message):
        """Open the save in `path` in the replay screen (a debrief)."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, options: Options) -> None:
        super().__init__()
        self.options = options
        self.choices: list[ScenarioChoice] = []
        self.tables: Any = None
        self.loaded_path: Path | None = None
        self.loading_path: Path | None = None
        self.bots: list[str] = []
        self.saves: list[SaveInfo] = []
        self.seed = options.seed if options.seed is not None else secrets.randbits(31)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        self.choices = scenario_choices(self.options.scenario)
        self.saves = list_saves(self.options.saves)
        yield Static(
            Content.assemble(("wargame", "bold $text-accent"), " — set up a session"),
            id="setup-title",
        )
        with TabbedContent(initial="new"):
            with TabPane("New game", id="new"):
                yield from self._new_form()
                # Start stays in sight below the form, which scrolls (80x24, many seats).
                with Horizontal(id="start-row"):
                    yield Button(
                        "Start (Ctrl+S)", id="start", variant="primary", disabled=True, compact=True
                    )
                    yield Static("", id="start-error", classes="error-text")
            with TabPane(f"Continue ({len(self.saves)})", id="continue"):
                yield DataTable(id="saves", cursor_type="row", zebra_stripes=True)
                # The highlighted save whole: at 80 columns the table cuts its last columns.
                yield Static("", id="save-detail")
                yield Static(self._saves_hint(), id="saves-hint")
        yield Footer()

    def _new_form(self) -> ComposeResult:
        """The new game's form: scenario, numbers, the scenario's summary and the seats."""
        with VerticalScroll(id="new-form"):
            with Horizontal(classes="form-row"):
                yield Static("Scenario", classes="form-label")
                yield Select(
                    [(plain(c.title), str(i)) for i, c in enumerate(self.choices)],
                    value=str(self._initial_choice()) if self.choices else Select.NULL,
                    allow_blank=not self.choices,
                    id="scenario",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Static("or folder", classes="form-label")
                yield Input(
                    placeholder="path to another scenario folder, then Enter",
                    id="scenario-path",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Static("Turns", classes="form-label")
                yield Input(
                    str(self.options.turns or ""),
                    type="integer",
                    id="turns",
                    classes="short",
                    compact=True,
                )
                yield Static("Seed", classes="form-label-short")
                yield Input(str(self.seed), type="integer", id="seed", classes="mid", compact=True)
                yield Static("Timer", classes="form-label-short")
                yield Input(
                    str(self.options.timer),
                    type="integer",
                    id="timer",
                    classes="short",
                    compact=True,
                    tooltip="minutes per phase (0: no timer)",
                )
                yield Static("min/phase", classes="form-hint")
            yield Static("Loading the scenario…", id="scenario-info")
            yield Vertical(id="seats")

    def _initial_choice(self) -> int:
        want = self.options.scenario
        if want is not None:
            for i, c in enumerate(self.choices):
                if c.path.resolve() == Path(want).resolve():
                    return i
        from wargame.paths import DEFAULT_SCENARIO

        for i, c in enumerate(self.choices):
            if c.path.name == DEFAULT_SCENARIO:
                return i
        return 0

    def _saves_hint(self) -> str:
        folder = self.options.saves
        if folder is None:
            return "Saving is off (--no-save)."
        if not self.saves:
            return f"No saves in {folder}/ yet."
        return (
            f"Saves in {folder}/ — Enter resumes the highlighted one; Ctrl+R replays it "
            "(a debrief)."
        )

    def on_mount(self) -> None:
        table = self.query_one("#saves", DataTable)
        # The seats before the scenario's title: at 80 columns the table cuts its last
        # columns, and the line under it shows the highlighted save whole.
        table.add_columns("Last played", "Position", "Seats", "Scenario", "File")
        for s in self.saves:
            title = s.scenario if len(s.scenario) <= 26 else s.scenario[:25] + "…"
            table.add_row(
                *(
                    Text(literal(x))
                    for x in (s.date, s.turn.ljust(22), s.seats_brief, title, s.path.name)
                ),
                key=str(s.path),
            )
        if self.saves:
            self.locate_saves([s.path for s in self.saves[:40]])
        if self.choices:
            self.start_load(self.choices[self._initial_choice()].path)
        else:
            self.query_one("#scenario-info", Static).update(
                "No scenario found under decks/. Run from the project folder or pass "
                "--scenario PATH."
            )
        self.query_one("#scenario", Select).focus()
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        """benchmarks/bench_tui.py sets WARGAME_READY_FILE to time the start-up: the time the
        first screen is drawn is noted and the app leaves. Noted here rather than by message,
        which would wait behind the scenario's loading thread."""
        ready = os.environ.get("WARGAME_READY_FILE")
        if ready:
            Path(ready).write_text(repr(time.time()), encoding="utf-8")
            self.app.exit(0)

    # ------------------------------------------------------------------ loading (workers)

    def start_load(self, path: Path) -> None:
        if path == self.loading_path:
            return
        self.loading_path = path
        self.query_one("#start", Button).disabled = True
        self.query_one("#scenario-info", Static).update("Loading the scenario…")
        self.query_one("#seats", Vertical).remove_children()
        # After the next frame: loading imports pydantic in a thread, which would otherwise
        # hold the interpreter while the first screen is drawn.
        self.call_after_refresh(self.load, path)

    @work(thread=True, exclusive=True, group="scenario")
    def load(self, path: Path) -> None:
        from wargame.errors import DeckError, WargameError

        try:
            from wargame.bots.registry import bot_names
            from wargame.facilitation.launch import load_tables

            tables = load_tables(path)
            self.post_message(Loaded(path, tables, bot_names(), [], ""))
        except DeckError as exc:
            self.post_message(
                Loaded(
                    path, None, [], [p.format() for p in exc.problems], "the scenario has problems"
                )
            )
        except (WargameError, OSError, KeyError, ValueError) as exc:
            self.post_message(Loaded(path, None, [], [], str(exc)))

    @work(thread=True, exclusive=True, group="saves")
    def locate_saves(self, paths: list[Path]) -> None:
        from wargame.facilitation.launch import describe_position

        for p in paths:
            self.post_message(Positioned(p, describe_position(p)))

    def on_positioned(self, msg: Positioned) -> None:
        table = self.query_one("#saves", DataTable)
        try:
            table.update_cell(str(msg.path), table.ordered_columns[1].key, Text(literal(msg.text)))
        except Exception:  # the row went away (a refresh): nothing to update
            pass
        for s in self.saves:
            if s.path == msg.path:
                s.turn = msg.text
        if table.row_count and table.coordinate_to_cell_key(table.cursor_coordinate).row_key == (
            str(msg.path)
        ):
            self.show_save_detail(str(msg.path))

    async def on_loaded(self, msg: Loaded) -> None:
        if msg.path != self.loading_path:
            return  # another scenario was chosen meanwhile
        info = self.query_one("#scenario-info", Static)
        seats = self.query_one("#seats", Vertical)
        await seats.remove_children()
        self.tables = msg.tables
        self.loaded_path = msg.path
        start = self.query_one("#start", Button)
        if msg.tables is None:
            start.disabled = True
            count = len(msg.problems)
            info.update(
                Content.styled(
                    f"This scenario cannot be played: {msg.error}"
                    + (
                        f" ({count} problem{'s' * (count != 1)}, listed in the dialog)."
                        if count
                        else "."
                    ),
                    "$error",
                )
            )
            self.app.push_screen(
                MessageDialog(f"Cannot load {msg.path}", msg.problems or [msg.error])
            )
            return
        self.bots = msg.bots
        t = msg.tables
        scen = t.scenario
        turns = self.query_one("#turns", Input)
        if not turns.value or self.options.turns is None:
            turns.value = str(self.options.turns or t.turns)
        info.update(
            Content.assemble(
                (scen.title, "bold"),
                "\n",
                (_clip(" ".join(scen.summary.split()), 280), "$text-muted"),
                "\n",
                (
                    f"{plural(len(t.roles), 'role')} · "
                    f"{plural(len(t.countries), 'country', 'countries')} · "
                    f"{plural(len(t.institutions), 'institution')} · "
                    f"{plural(len(t.cards), 'card')} · from {t.start_year}",
                    "$text-muted",
                ),
            )
        )
        preset = parse_bots_option(self.options.bots)
        initial: dict[str, tuple[str, str]] = {}
        for r in t.roles:
            # An optional role starts seated by a greedy bot, not absent: the bundled scenario is
            # balanced with every role seated (decks/circle-of-friends/BALANCE.md); its four-seat
            # game is playable but less even. The facilitator can still pick Absent.
            fallback = "bot:greedy:" if r.optional else "human"
            want = preset.get(r.id) or preset.get("all") or fallback
            team = ""
            if want.startswith("human"):
                team = want.partition(":")[2]
                want = "human"
            initial[r.id] = (want, team)
        optional = {r.id: r.optional for r in t.roles}
        await seats.mount(SeatChooser(t, self.bots, initial, optional))
        start.disabled = False

    # ------------------------------------------------------------------ events

    def on_select_changed(self, event: Select.Changed) -> None:
        sid = event.select.id or ""
        if sid == "scenario":
            if event.value is Select.NULL or not self.choices:
                return
            self.start_load(self.choices[int(str(event.value))].path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "scenario-path":
            return
        event.stop()
        from wargame.facilitation.launch import read_title

        raw = event.value.strip()
        if not raw:
            return
        path = Path(raw).expanduser()
        if not (path / "scenario.yaml").is_file() and not path.is_file():
            self.app.push_screen(
                MessageDialog("No scenario there", f"{path}: no scenario.yaml in this folder.")
            )
            return
        for i, c in enumerate(self.choices):
            if c.path.resolve() == path.resolve():
                self.query_one("#scenario", Select).value = str(i)
                return
        self.choices.append(
            read_title(path) if path.is_dir() else ScenarioChoice(path, path.stem, path.name)
        )
        select = self.query_one("#scenario", Select)
        select.set_options([(c.title, str(i)) for i, c in enumerate(self.choices)])
        select.value = str(len(self.choices) - 1)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            event.stop()
            self.action_start()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_save_detail(event.row_key.value)

    def show_save_detail(self, key: str | None) -> None:
        detail = self.query_one("#save-detail", Static)
        for s in self.saves:
            if str(s.path) == key:
                detail.update(
                    Content.assemble(
                        (s.path.name, "bold"),
                        f"  {s.turn}  ",
                        (s.date, "$text-muted"),
                        "\n",
                        (s.scenario, "bold"),
                        "\n",
                        s.seats_text,
                    )
                )
                return
        detail.update("")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key:
            self.post_message(self.ResumeSave(Path(key)))

    # ------------------------------------------------------------------ start

    def gather(self) -> tuple[Seats, int, int, int] | str:
        """Seats, seed, turns and timer from the form, or what is wrong with it."""
        t = self.tables
        if t is None:
            return "the scenario is not loaded"

        def number(wid: str, what: str, lo: int, hi: int) -> int | str:
            raw = self.query_one(f"#{wid}", Input).value.strip()
            try:
                v = int(raw)
            except ValueError:
                return f"{what} must be a whole number"
            if not lo <= v <= hi:
                return f"{what} must be between {lo} and {hi}"
            return v

        turns = number("turns", "Turns", 1, 50)
        seed = number("seed", "The seed", 0, 2**63 - 1)
        timer = number("timer", "The timer", 0, 240)
        for v in (turns, seed, timer):
            if isinstance(v, str):
                return v
        seats = self.query_one(SeatChooser).seats()
        if isinstance(seats, str):
            return seats
        return seats, int(seed), int(turns), int(timer)

    def action_tab(self, which: str) -> None:
        self.query_one(TabbedContent).active = which
        if which == "continue":
            self.query_one("#saves", DataTable).focus()
        else:
            self.query_one("#scenario", Select).focus()

    def action_replay(self) -> None:
        """Replay the highlighted save (on the tab of saves; elsewhere, show that tab)."""
        table = self.query_one("#saves", DataTable)
        if self.query_one(TabbedContent).active != "continue":
            self.action_tab("continue")
            if self.saves:
                self.app.notify("Choose the save to replay with ↑↓, then press Ctrl+R.")
            return
        if not table.row_count:
            self.app.notify("There is no save to replay yet.")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            self.post_message(self.ReplaySave(Path(key)))

    def action_start(self) -> None:
        got = self.gather()
        err = self.query_one("#start-error", Static)
        if isinstance(got, str):
            err.update(got[0].upper() + got[1:] + ".")
            return
        err.update("")
        seats, seed, turns, timer = got

        def sure(ok: bool | None) -> None:
            if ok:
                self.post_message(self.StartGame(self.tables, seats, seed, turns, timer))

        self.app.push_screen(
            ConfirmDialog(
                self.start_summary(seats, seed, turns, timer),
                yes="Start the game",
                no="Back to setup",
            ),
            sure,
        )

    def start_summary(self, seats: Seats, seed: int, turns: int, timer: int) -> str:
        """What the confirmation before the start shows: the seats, turns, timer and seed."""
        t = self.tables
        lines = [f"Start “{t.scenario.title}”?", ""]
        width = max(len(role_name(t, r.index)) for r in t.roles)
        for r in t.roles:
            seat = seats[r.id]
            who = seat.describe()
            if isinstance(seat, HumanSeat):
                who = f"human {who}"
            lines.append(f"  {role_name(t, r.index):<{width}}  {who}")
        clock = f"{timer} min per phase" if timer else "no timer"
        lines += ["", f"{turns} turns · {clock} · seed {seed}"]
        return "\n".join(lines)
