"""The two themes: the default dark one and a high-contrast one for projectors (F2).

The powers' colours are theme variables (`$power-0`…), so every screen recolours with the
theme; the high-contrast theme also lifts muted text to near white.
"""

from __future__ import annotations

from textual.theme import Theme

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
