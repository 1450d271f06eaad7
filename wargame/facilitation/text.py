"""The names a front end gives things: roles, powers, statuses, institutions, and a card's
effects and target filters in plain words.

One function per name, so the terminal UI, `wargame replay` and a report call a country
"aligned with the United States" in the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wargame.state import State
    from wargame.tables import Tables

STATUS_WORDS = {0: "non-aligned", 1: "aligned", 2: "ambiguous"}


def short(name: str) -> str:
    """A name without its parenthesis: 'US allies (Japan, …)' → 'US allies'. For a role, prefer
    `role_name`, which honours the scenario's `short`."""
    head = name.split(" (", 1)[0].strip()
    return head or name


def role_name(t: Tables, r: int) -> str:
    """A role's name where space is short: its `short` name, else its name without the
    parenthesis ('Swing states', not 'Swing states (ASEAN non-allies, India, …)')."""
    return t.scenario.roles[r].short_name


def track_name(t: Tables, i: int) -> str:
    """A track's name where space is short (its `short` name, else its name)."""
    return t.scenario.tracks[i].short_name


def institution_name(t: Tables, i: int) -> str:
    """An institution's name where space is short ('SCO', 'EU-Japan SPA')."""
    return t.scenario.institutions[i].short_name


def possessive(name: str) -> str:
    """ "China's", "the United States'", "Swing states'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 roll', '2 rolls', '0 rolls'; `words` for an irregular plural ('countries')."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def power_name(t: Tables, p: int) -> str:
    """'United States' rather than `us`."""
    return t.power_names[p]


def power_abbrev(pid: str) -> str:
    """A short, stable label for a power id: 'us' → 'US', 'china' → 'CHI'."""
    return pid.upper()[:3]


def status_text(st: State, c: int, *, short: bool = False) -> str:
    """'aligned with the United States' ('aligned US' when `short`), 'ambiguous', 'non-aligned'."""
    from wargame.compiled import ALIGNED

    s = st.status(c)
    t = st.tables
    if s.code == ALIGNED:
        if short:
            return f"aligned {power_abbrev(t.powers[s.power])}"
        return f"aligned with {power_name(t, s.power)}"
    return STATUS_WORDS.get(s.code, "?")


class Names:
    """Display names for the ids an effect or filter mentions."""

    def __init__(self, t: Tables) -> None:
        s = t.scenario
        self.power = {p.id: p.name for p in s.powers}
        # `power: target` in an effect: the power the player picks with the order.
        self.power["target"] = "the power you choose"
        self.abbrev = {p.id: power_abbrev(p.id) for p in s.powers}
        self.channel = {c.id: c.name for c in s.channels}
        self.country = {c.id: c.name for c in s.countries}
        self.region = {r.id: r.name for r in s.regions}
        self.inst = {i.id: i.short_name for i in s.institutions}
        self.track = {x.id: x.name for x in s.tracks}
        self.role = {r.id: r.short_name for r in s.roles}
        self.role["self"] = "you"
        self.group = {g.id: g.name for g in s.status.groups}
        self.cards: dict[str, Any] = {c.id: c for d in s.decks for c in d.cards}

    def entity(self, e: str) -> str:
        return self.country.get(e) or self.power.get(e) or self.inst.get(e) or e


def _scope_text(e: Any, names: Names) -> str:
    if getattr(e, "countries", None):
        return ", ".join(names.country.get(c, c) for c in e.countries)
    if getattr(e, "where", None) is not None:
        return "countries " + filter_text(e.where, names)
    return "the target"


def effect_text(e: Any, names: Names) -> str:
    """One effect in plain words."""
    k = e.kind
    if k == "ties":
        ch = e.channel
        chans = (
            "all channels"
            if ch == "all"
            else ", ".join(names.channel.get(c, c) for c in ([ch] if isinstance(ch, str) else ch))
        )
        return (
            f"ties with {names.power.get(e.power, e.power)} ({chans}) {e.delta:+d} "
            f"for {_scope_text(e, names)}"
        )
    if k == "track":
        return f"{names.track.get(e.track, e.track)} {e.delta:+d}"
    if k == "influence":
        return f"{e.delta:+d} influence for {names.role.get(e.role, e.role)}"
    if k == "vp":
        return f"{e.delta:+d} VP for {names.role.get(e.role, e.role)}"
    if k == "alliance":
        who = names.power.get(e.power, "any power") if e.power else "any power"
        return f"alliance with {who} {e.delta:+d} for {_scope_text(e, names)}"
    if k == "form_alliance":
        return (
            f"{_scope_text(e, names)} forms an alliance with "
            f"{names.power.get(e.power, e.power)} (strength {e.strength})"
        )
    if k in ("join", "leave"):
        inst = names.inst.get(e.institution, e.institution) if e.institution else "the target"
        return f"{_scope_text(e, names)} {'joins' if k == 'join' else 'leaves'} {inst}"
    if k == "lean":
        inst = names.inst.get(e.institution, e.institution) if e.institution else "the target"
        side = names.power.get(e.power) or names.role.get(e.power, e.power)
        return f"{inst} leans toward {side} {e.delta:+d}"
    if k == "bridge":
        insts = ", ".join(names.inst.get(i, i) for i in e.institutions) or "the targets"
        return f"{'unbridge' if e.remove else 'bridge'} {insts}"
    if k == "flag":
        return f"{'set' if e.set else 'clear'} “{e.flag.replace('_', ' ')}”"
    if k == "modifier":
        bits = []
        if e.chance:
            bits.append(f"{e.chance:+d}% on rolls" + (f" ({', '.join(e.tags)})" if e.tags else ""))
        if e.income:
            bits.append(f"{e.income:+d} income")
        return (
            f"{e.label or 'modifier'} for {names.role.get(e.role, e.role)}: "
            f"{', '.join(bits) or 'no change'} for {plural(e.turns, 'turn')}"
        )
    if k == "draw":
        who = names.role.get(e.role, e.role)
        verb = "draw" if who == "you" else "draws"
        return f"{who} {verb} {plural(e.count, 'card')}"
    return str(k)


def filter_text(f: Any, names: Names) -> str:
    """A target filter in plain words ('in Inner Sea, not in the grey zone')."""
    if f is None:
        return ""
    bits: list[str] = []
    g = getattr
    if g(f, "ids", None):
        bits.append("among " + ", ".join(names.entity(x) for x in f.ids))
    if g(f, "region", None):
        bits.append("in " + ", ".join(names.region.get(x, x) for x in f.region))
    if g(f, "status", None):
        bits.append(" or ".join(s.replace("_", "-") for s in f.status))
    if g(f, "aligned_with", None):
        bits.append("aligned with " + " or ".join(names.power.get(x, x) for x in f.aligned_with))
    if g(f, "group", None):
        bits.append("in " + names.group.get(f.group, f.group))
    if g(f, "not_group", None):
        bits.append("not in " + names.group.get(f.not_group, f.not_group))
    if g(f, "member_of", None):
        bits.append("members of " + " or ".join(names.inst.get(x, x) for x in f.member_of))
    if g(f, "not_member_of", None):
        bits.append("not members of " + ", ".join(names.inst.get(x, x) for x in f.not_member_of))
    if g(f, "allied_with", None):
        bits.append("allied with " + names.power.get(f.allied_with, "any power"))
    if g(f, "not_allied_with", None):
        bits.append("not allied with " + names.power.get(f.not_allied_with, "any power"))
    if g(f, "of_role", None):
        bits.append("spoken for by " + names.role.get(f.of_role, f.of_role))
    if g(f, "not_of_role", None):
        bits.append("not spoken for by " + names.role.get(f.not_of_role, f.not_of_role))
    if g(f, "has_member", None):
        bits.append("with " + names.entity(f.has_member) + " as a member")
    if g(f, "bridged", None) is not None:
        bits.append("already bridged" if f.bridged else "not yet bridged")
    if g(f, "exclude", None):
        bits.append("except " + ", ".join(names.entity(x) for x in f.exclude))
    for b in g(f, "ties", None) or ():
        rng = _bounds(b.at_least, b.at_most)
        bits.append(
            f"{names.channel.get(b.channel, 'total')} ties with "
            f"{names.power.get(b.power, b.power)} {rng}"
        )
    for b in g(f, "lean", None) or ():
        side = names.power.get(b.power) or names.role.get(b.power, b.power)
        bits.append(f"leaning toward {side} {_bounds(b.at_least, b.at_most)}")
    if g(f, "any_of", None):
        bits.append("either " + " or ".join(f"({filter_text(x, names)})" for x in f.any_of))
    if g(f, "all_of", None):
        bits.append(" and ".join(f"({filter_text(x, names)})" for x in f.all_of))
    some = g(f, "some_of", None)
    if some is not None:
        parts = "; ".join(f"({filter_text(x, names)})" for x in some.of)
        bits.append(f"at least {some.at_least} of: {parts}")
    return ", ".join(bits)


def _bounds(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo}–{hi}"
    if lo is not None:
        return f"≥ {lo}"
    if hi is not None:
        return f"≤ {hi}"
    return ""
