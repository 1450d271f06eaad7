"""What every screen of a game under way shares: the game controller it was given, and the
messages by which it asks the App to move on. A screen never decides which screen comes next:
it says what happened, and the App routes (`WargameApp.drive`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from textual.app import App
from textual.message import Message
from textual.screen import Screen

from wargame.tui.screens.dialogs import MessageDialog
from wargame.tui.widgets import WIDE

if TYPE_CHECKING:
    from wargame.actions import Action
    from wargame.facilitation.controller import Game  # noqa: F401 (GameScreen's base names it)
    from wargame.facilitation.team import TeamGame

G = TypeVar("G", bound="TeamGame")


def attempt(app: App[Any], fn: Callable[..., object], *args: Any) -> bool:
    """Run a controller call; a refusal or a failed save becomes a dialog."""
    from wargame.errors import IllegalActionError, JournalError, WargameError

    try:
        fn(*args)
    except IllegalActionError as exc:
        app.push_screen(MessageDialog("Not allowed now", exc.reason))
        return False
    except JournalError as exc:
        app.push_screen(MessageDialog("The save refused this", [exc.problem.format()]))
        return False
    except WargameError as exc:
        app.push_screen(MessageDialog("Not allowed now", str(exc)))
        return False
    except OSError as exc:
        app.push_screen(
            MessageDialog(
                "Could not write the save",
                [
                    f"{exc.strerror or exc}. The action was not applied; free some space or "
                    "check the saves folder, then try again."
                ],
            )
        )
        return False
    return True


class ReplayRequested(Message):
    """Open the save at `path` in the replay screen (a debrief): the game just ended, or the
    game under way so far."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


@runtime_checkable
class HoldsKeys(Protocol):
    """An App that can ignore the keys that answer a screen for a moment (the wargame App)."""

    def hold_keys(self) -> None: ...


class SeatScreen(Screen[None], Generic[G]):
    """A screen over the game it is given: the local controller, or (a team's screens) a
    browser seat's link to the game host (`wargame.facilitation.team.TeamGame`)."""

    class Drive(Message, namespace="game_screen"):
        """The game may need another screen now: the App shows it."""

    class HandOver(Message, namespace="game_screen"):
        """The White Cell hands the keyboard to the team playing `role`."""

        def __init__(self, role: int) -> None:
            super().__init__()
            self.role = role

    class Committed(Message, namespace="game_screen"):
        """The team playing `role` has committed its orders (from its orders screen)."""

        def __init__(self, role: int) -> None:
            super().__init__()
            self.role = role

    class ReadSummaryAgain(Message, namespace="game_screen"):
        """The room asks to read the summary of an ended `turn` again (nothing is journaled)."""

        def __init__(self, turn: int) -> None:
            super().__init__()
            self.turn = turn

    def __init__(self, game: G) -> None:
        super().__init__()
        self.game = game

    @property
    def wide(self) -> bool:
        """The projector layout: the terminal is wide enough for it."""
        return self.app.size.width >= WIDE

    def tell_app(self, message: Message) -> None:
        """Post to the App itself: the screen may be leaving the stack as it speaks."""
        self.app.post_message(message)

    def hold_keys(self) -> None:
        """Something new for the room to read appeared on this screen (a roll): a key pressed
        for what was there before must not answer it."""
        if isinstance(self.app, HoldsKeys):
            self.app.hold_keys()

    def request_drive(self) -> None:
        self.tell_app(SeatScreen.Drive())

    def attempt(self, fn: Callable[..., object], *args: Any) -> bool:
        return attempt(self.app, fn, *args)

    def act(self, action: Action) -> bool:
        """Apply one action through the Session (journaled before it counts), then let the App
        show what comes next."""
        ok = self.attempt(self.game.step, action)
        self.request_drive()
        return ok

    def leave(self) -> None:
        """Back to whatever the game needs next."""
        self.app.pop_screen()
        self.request_drive()


class GameScreen(SeatScreen["Game"]):
    """A screen over the local game controller."""
