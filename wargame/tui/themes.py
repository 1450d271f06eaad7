"""The two themes: the default dark one and a high-contrast one for projectors (F2).

The powers' colours are theme variables (`$power-0`…), so every screen recolours with the
theme; the high-contrast theme also lifts muted text to near white.

Switching `App.theme` makes Textual parse every CSS source again with the new variables (the
app's stylesheet and every widget's DEFAULT_CSS: about 20 ms on an idle machine, 30–60 ms under
load). `ThemeStylesheet` keeps the rules it parsed for each set of variables, and the app parses
the other theme's a few sources at a time while idle (`prewarm`), so F2 only re-applies rules
already parsed; what F2 still costs is restyling every widget and repainting the whole screen.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.css.stylesheet import Stylesheet
from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App
    from textual.css.model import RuleSet

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


_VARIABLE_SETS: dict[tuple[tuple[str, str], ...], int] = {}


def _variables_id(variables: dict[str, str]) -> int:
    return _VARIABLE_SETS.setdefault(tuple(sorted(variables.items())), len(_VARIABLE_SETS))


class ThemeStylesheet(Stylesheet):
    """A Textual stylesheet that remembers the rules parsed from each source for each set of
    variables, so going back to a theme re-uses its rules instead of parsing them again.

    Parsed rules are not modified afterwards (Textual's own parse cache shares them too). Should
    a Textual release stop calling `_parse_rules`, nothing is remembered and each theme change
    parses everything again, as before: slower, never wrong (a test watches for it)."""

    def __init__(self, *, variables: dict[str, str] | None = None,
                 memo: dict[tuple[object, ...], list[RuleSet]] | None = None) -> None:
        super().__init__(variables=variables)
        self._memo: dict[tuple[object, ...], list[RuleSet]] = {} if memo is None else memo
        self._vid = _variables_id(variables or {})
        self._shadows: dict[int, tuple[dict[str, str], ThemeStylesheet]] = {}
        """id(variables) → (variables, a stylesheet parsing with them into the same memo)."""
        self._unparsable: set[tuple[object, ...]] = set()

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._vid = _variables_id(variables)

    def _parse_rules(self, css: str, read_from: tuple[str, str], is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
        key = (self._vid, css, read_from, is_default_rules, tie_breaker, scope)
        rules = self._memo.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self._memo[key] = rules
        return rules

    def reparse(self) -> None:
        # Textual's reparse parses every source again in a fresh Stylesheet, so that an error
        # leaves this one as it was; `parse` also changes nothing until every source parsed.
        self.parse()

    def prewarm(self, variables: dict[str, str], budget: float) -> bool:
        """Parse, for `variables`, the sources not parsed for them yet, stopping once `budget`
        seconds have gone. True when none is left."""
        known = self._shadows.get(id(variables))
        if known is None or known[0] is not variables:
            known = (variables, ThemeStylesheet(variables=variables, memo=self._memo))
            self._shadows[id(variables)] = known
        shadow = known[1]
        vid = shadow._vid
        deadline = time.perf_counter() + budget
        for read_from, (css, is_default, tie_breaker, scope) in list(self.source.items()):
            key = (vid, css, read_from, is_default, tie_breaker, scope)
            if key in self._memo or key in self._unparsable:
                continue
            if time.perf_counter() > deadline:
                return False
            try:
                shadow._parse_rules(css, read_from, is_default, tie_breaker, scope)
            except Exception:  # Textual reports it if the theme is ever used
                self._unparsable.add(key)
        return True
