"""How the bots name what they do: orders as a person would say them, and objectives."""

from __future__ import annotations

from wargame.actions import Order
from wargame.tables import CCard, Tables

Targets = tuple[int, ...]
Candidate = tuple[int, Targets]
"""(card index, target indices)."""


def card_title(t: Tables, card: int) -> str:
    return t.cards[card].title if card >= 0 else "a hidden card"


def target_names(t: Tables, card: CCard, targets: Targets, *, short: bool = False) -> list[str]:
    """The targets by name; `short` names institutions by their short name ('SCO')."""
    if card.target_kind is None:
        return []
    return [t.target_label(card.target_kind, x, short=short) for x in targets]


def order_text(t: Tables, card: int, targets: Targets, *, short: bool = False) -> str:
    """'Renew the charter (Amber Isle)': how a person would name the order (`short`: with
    institutions by their short names, where a line has little room)."""
    c = t.cards[card]
    names = target_names(t, c, targets, short=short)
    return f"{c.title} ({', '.join(names)})" if names else c.title


def to_order(t: Tables, role: int, card: int, targets: Targets, rationale: str = "") -> Order:
    c = t.cards[card]
    ids = t.target_ids(c.target_kind)
    return Order(t.roles[role].id, c.id, tuple(ids[x] for x in targets), rationale[:500])


def objective_label(t: Tables, role: int, k: int) -> str:
    """An objective as a student would say it, in a few words ('grow the circle of friends'):
    the scenario's `short`, else a short text, else its id in words. The full text (a scoring
    rule, often a long sentence) stays on the objectives panel."""
    goal = t.scenario.roles[role].objectives[k].goal
    # 'to keep piracy low' after 'Keep piracy low'; an abbreviation ('US …') keeps its capitals.
    return goal[0].lower() + goal[1:] if goal[1:2].islower() else goal


def no_order(reason: str) -> str:
    """A bot's words for committing without an order this turn: 'no order this turn: …'. (It
    commits, as every team does: the screens never call it a 'pass'.)"""
    return f"no order this turn: {reason}"


# A bot's explanation leads with its reason in plain words; the numbers behind it follow in one
# bracket, which the screens show only when asked (`split_details`).
DETAILS_OPEN = " [details: "
DETAILS_CLOSE = "]"


def with_details(text: str, *numbers: str) -> str:
    """`text` with `numbers` added to its details bracket (made if it has none)."""
    extra = "; ".join(n for n in numbers if n)
    if not extra:
        return text
    plain, details = split_details(text)
    joined = f"{details}; {extra}" if details else extra
    return f"{plain}{DETAILS_OPEN}{joined}{DETAILS_CLOSE}"


def split_details(text: str) -> tuple[str, str]:
    """(the plain words, the numbers) of an explanation; ("text", "") when it has no details."""
    i = text.rfind(DETAILS_OPEN)
    if i < 0 or not text.endswith(DETAILS_CLOSE):
        return text, ""
    return text[:i], text[i + len(DETAILS_OPEN) : -len(DETAILS_CLOSE)]


def points(x: float, *, signed: bool = False) -> str:
    """VP as a student would say them: 'about 4 points', '1 point', 'less than a point'."""
    n = round(abs(x))
    if n == 0:
        return "less than a point"
    sign = ("+" if x > 0 else "-") if signed else ""
    return f"{sign}{n} point" + ("s" if n != 1 else "")


def scorings(n: int) -> str:
    return f"{n} scoring" + ("s" if n != 1 else "")
