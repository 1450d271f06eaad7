"""Small modal dialogs: errors, confirmations, one-line prompts, choices, help and pause.

Errors a person can cause are shown here, never as a traceback. Each dialog returns its answer
through `dismiss`, and the screen below carries on (the app re-checks what to show next when a
dialog closes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.tui.render import plain


class Dialog(ModalScreen[Any]):
    """Base: a centred box; Escape cancels (dismiss None)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # A modal screen cuts off the App's keys, and "?" types itself in a field: F1 opens
        # the help from every dialog.
        Binding("f1", "app.help", "Help", show=False),
    ]

    FITS: tuple[str, int, int] | None = None
    """The part that scrolls when the dialog is too tall (selector, the dialog's other rows,
    its most rows): it gets only the rows the terminal leaves, so that the buttons and keys
    under it always show, even at 80x24."""

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        if self.FITS is None:
            return
        selector, beside, most = self.FITS
        room = int(self.app.size.height * 0.92) - beside
        for widget in self.query(selector):
            widget.styles.max_height = max(3, min(most, room))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Answer once. A quick double Enter reaches a terminal as one read: both keys are
        queued for the focused button, list or field before the first answer is handled, so
        a second answer arrives when this dialog is gone, and Textual would pop the screen
        under it (the team's hand, the room) and run the callback again."""
        if not self.is_active:
            return AwaitComplete()  # nothing to wait for
        return super().dismiss(result)


class MessageDialog(Dialog):
    """A message (an error, a problem list, where the save is). Enter or Escape closes it."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("enter", "cancel", "Close", show=False),
    ]

    # border 2, title and the line under it 2, the button with its margin 4
    FITS = (".dialog-body", 8, 18)

    def __init__(
        self, title: str, lines: Sequence[str] | str | Content, *, error: bool = True
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body: Content | None = None
        self.lines: list[str] = []
        if isinstance(lines, Content):
            self.body = lines
        elif isinstance(lines, str):
            self.lines = [lines]
        else:
            self.lines = list(lines)
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog " + ("-error" if self.error else "")):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                if self.body is not None:
                    yield Static(self.body)
                else:
                    yield Static("\n".join(self.lines), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK (Enter)", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.fit()
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class ConfirmDialog(Dialog):
    """A yes/no question that no single typed letter answers yes.

    The focus starts on the safe answer (No): Enter there declines, as does Escape. To confirm,
    move to the Yes button (Tab or ←/→) and press Enter, or press Ctrl+Y. A typist who carries
    on typing words into this dialog therefore confirms nothing."""

    BINDINGS = [
        Binding("escape", "no", "No"),
        Binding("ctrl+y", "yes", "Yes", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.no_label} (Esc)", id="no")
                yield Button(f"{self.yes_label} (Ctrl+Y)", id="yes", variant="primary")
            yield Static(
                Content.styled(
                    f"To {self.yes_label.lower()}: Tab to “{self.yes_label}”, then Enter "
                    "(or Ctrl+Y).",
                    "$text-muted",
                ),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class PromptDialog(Dialog):
    """One line of text (a reason, a note). Enter submits; an empty answer is refused when
    `required`, and Escape cancels."""

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        required: bool = False,
        placeholder: str = "",
        max_length: int = 500,
        number: bool = False,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.required = required
        self.placeholder = placeholder
        self.max_length = max_length
        self.number = number
        """Digits only (a turn number): anything else typed is not taken."""
        self.check = check
        """What is wrong with an answer (shown under the field, the dialog stays), or None."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            yield Static(self.prompt, markup=False)
            yield Input(
                self.value,
                placeholder=self.placeholder,
                max_length=self.max_length,
                id="answer",
                type="integer" if self.number else "text",
            )
            yield Static("", id="prompt-error", classes="error-text")
            # "?" types itself in the field: F1 is how help opens here.
            yield Static(Content.styled("Enter: OK   Escape: cancel   F1: help", "$text-muted"))

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#prompt-error", Static).update("Please write something (or Escape).")
            return
        problem = self.check(text) if self.check is not None else None
        if problem:
            self.query_one("#prompt-error", Static).update(problem)
            return
        self.dismiss(text)


class ChoiceDialog(Dialog):
    """Pick one of a list (an event to inject, an outcome). Enter picks, Escape cancels."""

    # border 2, title and the line under it 2, the keys 1 (and the note's lines)
    FITS = ("#choices", 5, 16)

    def __init__(
        self, title: str, options: Sequence[tuple[str | Content, Any]], *, note: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            if self.note:
                yield Static(self.note, markup=False)
            yield OptionList(
                *[
                    Option(plain(label) if isinstance(label, str) else label, id=str(i))
                    for i, (label, _) in enumerate(self.options)
                ],
                id="choices",
            )
            yield Static(Content.styled("↑↓ choose   Enter: pick   Escape: cancel", "$text-muted"))

    def on_mount(self) -> None:
        if self.note:  # the note's lines at the dialog's width (less its border and padding)
            inner = min(100, int(self.app.size.width * 0.96)) - 4
            lines = len(Content(self.note).wrap(max(10, inner)))
            self.FITS = ("#choices", 6 + lines, 16)
        self.fit()
        self.query_one("#choices", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[int(event.option.id or 0)][1])


class PauseScreen(ModalScreen[None]):
    """Everything stops (and the board is hidden) until the White Cell resumes."""

    BINDINGS = [
        Binding("ctrl+p", "resume", "Resume"),
        Binding("enter", "resume", "Resume", show=False),
        Binding("escape", "resume", "Resume", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="curtain"):
            yield Static(Content.styled("PAUSED", "bold $warning"), classes="curtain-big")
            yield Static(
                "The timer is stopped. Press Enter, Escape or Ctrl+P to resume.",
                classes="curtain-text",
            )

    def action_resume(self) -> None:
        self.dismiss(None)
