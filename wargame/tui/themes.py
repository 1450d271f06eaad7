"""The two themes: the default dark one and a high-contrast one for projectors (F2).

The powers' colours are theme variables (`$power-0`…), so every screen recolours with the
theme; the high-contrast theme also lifts muted text to near white.

Switching `App.theme` makes Textual parse every CSS source again with the new variables (the
app's stylesheet and every widget's DEFAULT_CSS: about 20 ms on an idle machine, 30–60 ms under
load). Instead the app keeps one `ThemeStylesheet` per theme, each parsing a source only once,
and F2 hands Textual the other theme's stylesheet (`App.stylesheet`) before it changes the
theme; the app fills the other one with the sources a few at a time while idle. What F2 still
costs is restyling every widget and repainting the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.css.stylesheet import Stylesheet
from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

POWER_COLOURS = ("#ff6b6b", "#5fafff", "#ffd75f", "#87d787", "#d787ff", "#5fd7d7")
POWER_COLOURS_HC = ("#ff7070", "#40c8ff", "#ffff00", "#00ff5f", "#ff80ff", "#00ffff")
"""Each at least 7:1 against black (WCAG AAA)."""

THEMES = (
    Theme(
        name="wargame",
        primary="#0178D4",
        secondary="#5684A5",
        accent="#FEA62B",
        warning="#FEA62B",
        error="#E5566F",
        success="#4EBF71",
        foreground="#E0E0E0",
        background="#121212",
        surface="#1E1E1E",
        panel="#242F38",
        dark=True,
        variables={
            **{f"power-{i}": c for i, c in enumerate(POWER_COLOURS)},
            "gauge": "#8fbcbb",
            "footer-key-foreground": "#FEA62B",
            # Behind a ✓/✗ mark in a list: nothing here; black in high contrast, where a mark
            # on the yellow cursor bar would otherwise vanish.
            "mark-background": "transparent",
        },
    ),
    Theme(
        name="wargame-contrast",
        primary="#FFFF00",
        secondary="#00FFFF",
        accent="#FFFF00",
        warning="#FFFF00",
        error="#FF7070",
        success="#00FF5F",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#000000",
        boost="#FFFFFF10",
        dark=True,
        variables={
            **{f"power-{i}": c for i, c in enumerate(POWER_COLOURS_HC)},
            "gauge": "#FFFFFF",
            "text-muted": "#E8E8E8",
            "text-accent": "#FFFF00",
            "border": "#FFFFFF",
            "border-blurred": "#C0C0C0",
            "footer-key-foreground": "#FFFF00",
            "footer-description-foreground": "#FFFFFF",
            "block-cursor-background": "#FFFF00",
            "block-cursor-foreground": "#000000",
            "mark-background": "#000000",
            "text-disabled": "#B8B8B8",
            "scrollbar": "#B0B0B0",
            "scrollbar-hover": "#FFFFFF",
            "scrollbar-active": "#FFFF00",
            "scrollbar-background": "#202020",
            "scrollbar-background-hover": "#202020",
            "scrollbar-background-active": "#202020",
            "scrollbar-corner-color": "#202020",
        },
    ),
)


def theme_css_variables(app: App[object], theme: Theme) -> dict[str, str]:
    """The CSS variables `App.get_css_variables` gives when `theme` is the app's theme (without
    making it so). A test checks the two agree; if a Textual release computed them differently,
    the other theme would simply not be parsed in advance."""
    variables = {**theme.to_color_system().generate(), **theme.variables}
    return {**app.get_theme_variable_defaults(), **variables}


class ThemeStylesheet(Stylesheet):
    """A Textual stylesheet for one theme: once a source is parsed it is not parsed again.

    Textual's own stylesheet already keeps each source's parsed rules, but forgets them whenever
    `set_variables` is called (on every theme change, even with the same variables) and its
    `reparse` starts from a fresh stylesheet. Here the same variables change nothing, and
    `reparse` is `parse`, which re-uses the rules of every source parsed before and changes
    nothing until every source parsed. Only public methods are overridden."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._set_with: dict[str, str] = dict(variables or {})

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._set_with:
            return
        self._set_with = dict(variables)
        super().set_variables(variables)

    def reparse(self) -> None:
        self.parse()

    def take_sources(self, other: Stylesheet, limit: int | None = None) -> tuple[int, bool]:
        """Add the sources of `other` this one lacks (at most `limit`, in `other`'s order).
        Returns how many were added, and whether none is left to add."""
        added = 0
        for read_from, source in list(other.source.items()):
            if self.source.get(read_from) == source:
                continue
            if limit is not None and added >= limit:
                return added, False
            css, is_default, tie_breaker, scope = source
            self.add_source(
                css,
                read_from=read_from,
                is_default_css=is_default,
                tie_breaker=tie_breaker,
                scope=scope,
            )
            added += 1
        return added, True
