"""A team's turn at the shared keyboard: the hand-over curtain, then its hand and orders.

The orders screen is rendered from `session.view(role)` only, so it cannot show another team's
hand or orders. Each order is journaled the moment it is given; committing is a `Pass`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.tui.render import plain
from wargame.tui.screens.base import GameScreen, SeatScreen
from wargame.tui.screens.dialogs import ConfirmDialog, Dialog, MessageDialog
from wargame.tui.widgets import ClockedLine, KeyBar, TickList

if TYPE_CHECKING:
    from wargame.facilitation.controller import Game
    from wargame.facilitation.team import TeamGame
    from wargame.facilitation.text import Names
    from wargame.state import State


def _plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    if kind.endswith("y") and kind[-2:-1] not in tuple("aeiou"):
        return kind[:-1] + "ies"
    return kind + "s"


def target_words(view: State, kind: str, candidates: tuple[int, ...], n: int) -> str:
    """What a target list lists, in the scenario's words: '1 country', '2 institutions', or
    '1 country or union' when the scenario's country entries include a union (the EU)."""
    t = view.tables
    if kind != "country":
        return f"{n} {_plural(kind, n)}"
    kinds: list[str] = []
    for x in candidates:
        k = t.scenario.countries[x].kind
        if k not in kinds:
            kinds.append(k)
    kinds.sort(key=lambda k: (k != "country", k))
    words = [_plural(k, n) for k in kinds or ["country"]]
    return f"{n} " + (
        " or ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " or " + words[-1]
    )


class HandOverScreen(GameScreen):
    """A curtain: nothing of the game shows until the named team is at the keyboard."""

    BINDINGS = [
        # Enter alone never opens a hand: a key pressed twice in the room must not put a
        # team's cards on the projector. The team shows its hand with Ctrl+O.
        Binding("ctrl+o", "proceed", "Open our hand"),
        Binding("enter", "enter", "Continue", show=False),
        Binding("escape", "back", "Situation room"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, game: Game, role: int | None, *, sealed: int | None = None) -> None:
        super().__init__(game)
        self.role = role
        self.sealed = sealed

    def compose(self) -> ComposeResult:
        g = self.game
        with Vertical(classes="curtain"):
            if self.sealed is not None:
                yield Static(
                    Content.styled(
                        f"✓ {g.team(self.sealed)} has committed. Its "
                        "orders stay sealed until the reveal.",
                        "$success",
                    ),
                    classes="curtain-text",
                )
            if self.role is not None:
                yield Static("Hand the keyboard to", classes="curtain-text")
                yield Static(
                    Content.styled(g.team(self.role), "bold $text-accent"), classes="curtain-big"
                )
                yield Static(
                    "Everyone else, please look away from the screen.", classes="curtain-text"
                )
                yield Static(
                    Content.assemble(
                        "When only your team can see the screen, press ",
                        ("Ctrl+O", "bold"),
                        " to open your hand.",
                    ),
                    classes="curtain-text",
                )
                yield Static(
                    Content.styled("Escape: back to the situation room", "$text-muted"),
                    classes="curtain-text",
                )
                yield ClockedLine(g.clock, classes="curtain-text curtain-clock")
            else:
                yield Static(
                    Content.styled(
                        "All the teams at this keyboard have committed.", "bold $text-accent"
                    ),
                    classes="curtain-big",
                )
                yield Static("Hand back to the White Cell.", classes="curtain-text")
                yield Static(
                    Content.styled("Enter: continue", "$text-muted"), classes="curtain-text"
                )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "proceed" or self.role is not None

    def action_enter(self) -> None:
        if self.role is None:
            self.action_back()
            return
        name = self.game.team(self.role)
        self.app.notify(
            f"Enter does not open a hand: when only {name} can see the screen, press Ctrl+O.",
            timeout=6,
            markup=False,
        )

    def action_proceed(self) -> None:
        if self.role is not None and self.role in self.game.humans_waiting():
            self.app.switch_screen(OrdersScreen(self.game, self.role))
            return
        self.action_back()

    def action_back(self) -> None:
        self.leave()


class OrdersScreen(SeatScreen["TeamGame"]):
    """One team's hand, budget and orders; a card's full text, source and chance beside it.
    Over the local game, or over a browser seat's link to the game host."""

    BINDINGS = [
        # Letters do nothing here (a word typed at the card list must not act): taking back
        # and committing need Ctrl, and committing a confirmation that no letter gives.
        Binding("enter", "play", "Play card", show=True),
        Binding("ctrl+u", "take_back", "Take back"),
        Binding("ctrl+s", "commit", "Commit orders"),
        Binding("escape", "leave", "Back (orders kept)"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, game: TeamGame, role: int) -> None:
        super().__init__(game)
        self.role = role
        self._hand: list[int] = []
        self._view: tuple[State, State, dict[int, str] | None] | None = None

    def view(self) -> State:
        """This team's view of the current state (cached until the state changes)."""
        st = self.game.state
        if self._view is None or self._view[0] is not st:
            self._view = (st, self.game.view(self.role), None)
        return self._view[1]

    def compose(self) -> ComposeResult:
        yield ClockedLine(self.game.clock, id="team-status")
        with Horizontal(id="orders-body"):
            with Vertical(id="hand-pane"):
                yield Static(
                    Content.assemble(
                        ("Your hand", "bold $text-accent"), ("  Enter plays a card", "$text-muted")
                    ),
                    classes="section",
                )
                yield OptionList(id="hand")
                yield Static(Content.styled("Your orders", "bold $text-accent"), classes="section")
                yield Static("", id="my-orders")
            with VerticalScroll(id="card-pane"):
                yield Static("", id="card-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#hand", OptionList).focus()

    # ------------------------------------------------------------------ rendering

    def playability(self, view: State) -> dict[int, str]:
        """Card → '✓ …' or why it cannot be played now (cached with the view)."""
        cached = self._view
        if cached is not None and cached[1] is view and cached[2] is not None:
            return cached[2]
        out = self._playability(view)
        if cached is not None and cached[1] is view:
            self._view = (cached[0], view, out)
        return out

    def _playability(self, view: State) -> dict[int, str]:
        from wargame.rules import can_order, legal_actions

        t = view.tables
        legal = set(legal_actions(view, self.role).cards())
        out: dict[int, str] = {}
        open_ = can_order(view, self.role)
        for ci in view.hand[self.role]:
            c = t.cards[ci]
            if ci in legal:
                out[ci] = "✓ can be played now"
            elif not open_:
                if len(view.orders[self.role]) >= t.max_orders:
                    out[ci] = f"✗ you have given the most orders allowed ({t.max_orders})"
                else:
                    out[ci] = "✗ orders are not open"
            elif c.cost > view.influence[self.role]:
                out[ci] = f"✗ costs {c.cost}, you have {view.influence[self.role]} influence"
            else:
                out[ci] = "✗ its requirements are not met now, or it has no legal target"
        return out

    def refresh_view(self) -> None:
        from wargame.evaluate import roll_breakdown

        view = self.view()
        t = view.tables
        g = self.game
        r = self.role
        orders = view.orders[r]
        team = Content.styled(g.team(r), "bold $text-accent")
        facts = Content.assemble(
            f"Turn {view.turn}/{t.turns} · {view.year} · ",
            (f"◆ {view.influence[r]} influence", "bold"),
            f" · orders {len(orders)}/{t.max_orders}",
        )
        # A long team name and the facts do not fit on 80 columns: the facts (the orders
        # count) go whole onto a second line rather than being cut.
        width = (self.size.width or self.app.size.width) - 2
        fits = team.cell_length + 3 + facts.cell_length <= width
        self.query_one("#team-status", ClockedLine).show(
            Content.assemble(team, " · " if fits else "\n", facts)
        )
        play = self.playability(view)
        hand = self.query_one("#hand", OptionList)
        keep = hand.highlighted
        hand.clear_options()
        self._hand = list(view.hand[r])
        for pos, ci in enumerate(self._hand):
            c = t.cards[ci]
            ok = play.get(ci, "").startswith("✓")
            # the chance now (before targets), as the card detail shows it, not the base
            chance = f" {roll_breakdown(view, c, r, ())[0]}%" if c.roll_base is not None else ""
            # No muted colour inside an option: the highlight bar must stay readable in the
            # high-contrast theme; `dim` works on any background. The mark keeps a background
            # of its own there (`$mark-background`): green on yellow cannot be read.
            label = Content.assemble(
                ("✓ " if ok else "✗ ", f"{'$success' if ok else '$error'} on $mark-background"),
                (c.title, "" if ok else "dim"),
                (f"  {c.cost}◆{chance}", "dim"),
            )
            hand.add_option(Option(label, id=str(pos)))
        if self._hand:
            hand.highlighted = min(keep or 0, len(self._hand) - 1)
        lines: list[str | tuple[str, str]] = []
        if not orders:
            lines.append(("No orders yet. Choose a card and press Enter.", "$text-muted"))
        by_bot = [g.given_by_bot(view.turn, r, ci) for ci, _, _ in orders]
        if any(by_bot):
            lines.append(
                (
                    "The bot that held your seat gave the orders marked “bot”; they stand. "
                    "Ctrl+U takes back the last one.\n",
                    "$warning",
                )
            )
        for k, (ci, targets, why) in enumerate(orders, start=1):
            c = t.cards[ci]
            labels = [t.target_label(c.target_kind, x, short=True) for x in targets]
            tgt = f" → {', '.join(labels)}" if targets else ""
            lines.append(f"{k}. {c.title}{tgt}" + (" (bot)\n" if by_bot[k - 1] else "\n"))
            if why:
                who = "bot's reason" if by_bot[k - 1] else "why"
                lines.append((f"   {who}: {g.words(why)}\n", "$text-muted"))
        self.query_one("#my-orders", Static).update(Content.assemble(*lines).rstrip())
        self.show_card()

    def current_card(self) -> int | None:
        hand = self.query_one("#hand", OptionList)
        if hand.highlighted is None or not self._hand:
            return None
        return self._hand[hand.highlighted]

    def show_card(self) -> None:
        from wargame.evaluate import roll_breakdown
        from wargame.tui import render

        detail = self.query_one("#card-detail", Static)
        ci = self.current_card()
        if ci is None:
            detail.update(Content.styled("Your hand is empty.", "$text-muted"))
            return
        view = self.view()
        c = view.tables.cards[ci]
        chance = None
        if c.roll_base is not None:
            chance = roll_breakdown(view, c, self.role, ())
        playable = self.playability(view).get(ci, "")
        content = render.card_detail(
            view, ci, self.role, self.game.names, chance=chance, playable=playable
        )
        if chance is not None and c.target_kind is not None:
            content = content.append(
                Content.styled(
                    "\n(The chance may change with the target: each target shows its own.)",
                    "$text-muted",
                )
            )
        detail.update(content)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.show_card()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        # Enter pressed twice quickly selects twice before the first opens its dialog: the
        # second finds this screen covered and must not open another.
        if self.is_active:
            self.action_play()

    # ------------------------------------------------------------------ actions

    def action_play(self) -> None:
        from wargame.actions import Order

        ci = self.current_card()
        if ci is None:
            return
        view = self.view()
        verdict = self.playability(view).get(ci, "")
        if not verdict.startswith("✓"):
            self.app.push_screen(
                MessageDialog(
                    "This card cannot be played now", verdict.lstrip("✗ ").capitalize() + "."
                )
            )
            return
        t = view.tables
        rid = t.roles[self.role].id
        card = t.cards[ci]

        def chosen(result: tuple[tuple[str, ...], str] | None) -> None:
            if result is None:
                return
            targets, why = result
            if self.act(Order(rid, card.id, targets, why)):
                self.refresh_view()

        self.app.push_screen(PlayDialog(view, self.role, ci, self.game.names), chosen)

    def action_take_back(self) -> None:
        g = self.game
        order = g.take_back_order(self.role)  # the bots' moves since are taken back with it
        if isinstance(order, str):
            self.app.push_screen(MessageDialog("Nothing to take back", order, error=False))
            return
        title = g.tables.cards[g.tables.card_index[order.card]].title

        def sure(ok: bool | None) -> None:
            if ok and self.attempt(g.take_back, self.role):
                self.request_drive()
                self.refresh_view()

        self.app.push_screen(
            ConfirmDialog(
                f"Take back your order “{title}”? Its cost is "
                "refunded and the card returns to your hand.",
                yes="Take back",
                no="Keep it",
            ),
            sure,
        )

    def action_commit(self) -> None:
        from wargame.actions import Pass

        g = self.game
        view = self.view()
        n = len(view.orders[self.role])
        rid = g.tables.roles[self.role].id
        what = f"{n} order{'s' * (n != 1)}" if n else "no orders (you pass this turn)"

        def sure(ok: bool | None) -> None:
            if ok and self.act(Pass(rid)):
                self.tell_app(self.Committed(self.role))

        self.app.push_screen(
            ConfirmDialog(
                f"Commit {what} for {g.team(self.role)}?\n\nThey stay hidden from the other teams "
                "until everyone has committed. You cannot change them afterwards.",
                yes="Commit",
                no="Not yet",
            ),
            sure,
        )

    def action_leave(self) -> None:
        self.leave()


class PlayDialog(Dialog):
    """Choose a card's targets among the legal ones (each with its chance), and say why."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, view: State, role: int, card: int, names: Names) -> None:
        super().__init__()
        from wargame.rules import legal_actions

        self.view = view
        self.role = role
        self.card = card
        self.names = names
        t = view.tables
        c = t.cards[card]
        self.count = c.target_count
        self.kind = c.target_kind
        self.candidates: tuple[int, ...] = (
            legal_actions(view, role).targets_for(card) if c.target_kind else ()
        )
        self.chosen: list[int] = []
        self.labels: dict[int, Content] = {}

    def target_name(self, x: int) -> str:
        return self.view.tables.target_label(self.kind, x)

    def target_id(self, x: int) -> str:
        t = self.view.tables
        return t.target_ids(self.kind)[x]

    def chance_with(self, targets: tuple[int, ...]) -> int | None:
        from wargame.evaluate import roll_breakdown

        c = self.view.tables.cards[self.card]
        if c.roll_base is None:
            return None
        return roll_breakdown(self.view, c, self.role, targets)[0]

    def compose(self) -> ComposeResult:
        c = self.view.tables.cards[self.card]
        with Vertical(classes="dialog -wide"):
            yield Static(
                Content.assemble(
                    ("Play: ", "bold"), (c.title, "bold $text-accent"), f"  (cost {c.cost}◆)"
                ),
                classes="dialog-title",
            )
            if self.kind is not None:
                what = target_words(self.view, self.kind, self.candidates, self.count)
                yield Static(plain(f"Choose {what} (only legal targets are listed):"))
                labels = []
                for x in self.candidates:
                    pct = self.chance_with((x,)) if self.count == 1 else None
                    labels.append(
                        Content.assemble(
                            self.target_name(x), (f"  {pct}%" if pct is not None else "", "bold")
                        )
                    )
                self.labels = dict(zip(self.candidates, labels, strict=True))
                if self.count == 1:
                    # A highlighted target is not a chosen one: a mark shows which is chosen.
                    yield OptionList(
                        *[Option(self._marked(x), id=str(x)) for x in self.candidates],
                        id="targets",
                    )
                else:
                    yield TickList(
                        *[Option(self._marked(x), id=str(x)) for x in self.candidates],
                        id="targets",
                    )
                    yield Static(
                        Content.styled(
                            f"Space or Enter ticks a target; after {self.count}, say why.",
                            "$text-muted",
                        )
                    )
            else:
                pct = self.chance_with(())
                yield Static(
                    "No target to choose." + (f" Chance now: {pct}%." if pct is not None else "")
                )
            yield Static("", id="picked")
            yield Static("Why? One line for the record (optional):")
            yield Input(
                placeholder=self.view.tables.scenario.rationale_hint
                or "e.g. what you expect this order to achieve",
                max_length=300,
                id="why",
            )
            yield Static("", id="play-error", classes="error-text")
            yield Static(
                Content.styled("Enter: give the order   Escape: cancel   F1: help", "$text-muted")
            )

    def on_mount(self) -> None:
        self._fit_targets()
        if self.kind is not None:
            self._show_picked()
            self.query_one("#targets").focus()
        else:
            self.query_one("#why", Input).focus()

    def _marked(self, x: int) -> Content:
        """A target's line, marked chosen or not in text (not by colour alone)."""
        on = x in self.chosen
        if self.count == 1:
            mark = ("● ", "bold $success") if on else ("○ ", "")
        else:
            mark = ("[x] ", "bold $success") if on else ("[ ] ", "")
        return Content.assemble(mark, self.labels[x])

    def on_resize(self) -> None:
        self._fit_targets()

    # Rows of the dialog besides the list of targets: its border, the title and the line
    # under it, the question, the hint, the chosen target, the "Why?" field with its label,
    # the error line and the keys.
    _ROWS_BESIDE_TARGETS = 13

    def _fit_targets(self, extra: int = 0) -> None:
        """A long list of targets (thirty countries) scrolls inside the dialog: the "Why?"
        field and the keys under it always show, even at 80x24. `extra`: lines the chosen
        targets' line wraps onto."""
        if self.kind is None:
            return
        room = int(self.app.size.height * 0.92) - self._ROWS_BESIDE_TARGETS - extra
        self.query_one("#targets").styles.max_height = max(3, min(14, room))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        before = list(self.chosen)
        x = int(event.option.id or 0)
        if self.count == 1:
            self.chosen = [x]
        elif x in self.chosen:
            self.chosen = [y for y in self.chosen if y != x]
        elif len(self.chosen) >= self.count:
            self.query_one("#play-error", Static).update(
                f"{len(self.chosen)} of {self.count} already ticked: untick one first "
                "(Space on it)."
            )
            return
        else:
            self.chosen = [*self.chosen, x]
        self.query_one("#play-error", Static).update("")
        targets = event.option_list
        for y in {*before, *self.chosen}:
            targets.replace_option_prompt(str(y), self._marked(y))
        self._show_picked()
        if len(self.chosen) == self.count:
            self.query_one("#why", Input).focus()

    def _show_picked(self) -> None:
        picked = self.query_one("#picked", Static)
        n = len(self.chosen)
        complete = n == self.count
        if complete:
            self.query_one("#play-error", Static).update("")  # the choice is valid now
        if not self.chosen:
            how = "↑↓ then Enter marks one ●" if self.count == 1 else "Space ticks [x]"
            picked.update(Content.styled(f"0 of {self.count} chosen ({how})", "$text-muted"))
            return
        # Short names: the line stays one line at 80 columns, so the "Why?" field and the keys
        # under the list keep their place on screen.
        t = self.view.tables
        names = ", ".join(t.target_label(self.kind, x, short=True) for x in self.chosen)
        pct = self.chance_with(tuple(sorted(self.chosen))) if complete else None
        line = Content.assemble(
            (f"{n} of {self.count} chosen: ", "bold $success" if complete else "bold"),
            names,
            (f"   chance {pct}%" if pct is not None else "", "bold $warning"),
        )
        picked.update(line)
        width = picked.content_region.width or self.app.size.width - 8
        self._fit_targets(extra=max(0, -(-line.cell_length // max(1, width)) - 1))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.kind is not None and len(self.chosen) != self.count:
            self.query_one("#play-error", Static).update(
                f"Choose {target_words(self.view, self.kind, self.candidates, self.count)} "
                "first (↑↓ and Enter" + (", Space to tick" if self.count > 1 else "") + ")."
            )
            self.query_one("#targets").focus()
            return
        targets = tuple(self.target_id(x) for x in sorted(self.chosen))
        self.dismiss((targets, event.value.strip()))
