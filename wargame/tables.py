"""The scenario compiled to plain, index-based data for the hot path.

The pydantic Scenario is the edge: validated once, human-readable ids. The rules engine runs
millions of evaluations in Monte Carlo, so every id is resolved to an integer index here, once,
and effects, conditions, metrics and filters become small slotted dataclasses the interpreter
dispatches on by `kind`. References are assumed valid (the loader checks them); a dangling id
still fails loudly here with a KeyError naming it rather than misbehaving later.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from wargame.compiled import (
    ALIGNED,
    AMBIGUOUS,
    ANY,
    CHOSEN,
    EVENTS,
    EVOLVED,
    NON_ALIGNED,
    ROLE,
    SELF,
    STATUS_CODES,
    STATUS_NAMES,
    STATUS_READS,
    TARGETS,
    CCard,
    CCondition,
    CEffect,
    CFilter,
    CMetric,
    CRole,
    CRollMod,
    CTerm,
    IFilter,
    Tables,
)
from wargame.schema import language as L
from wargame.schema.cards import Card
from wargame.schema.names import flags_and_tags
from wargame.schema.scenario import Scenario

__all__ = [
    "ALIGNED",
    "AMBIGUOUS",
    "ANY",
    "CHOSEN",
    "EVENTS",
    "EVOLVED",
    "NON_ALIGNED",
    "ROLE",
    "SELF",
    "STATUS_CODES",
    "STATUS_NAMES",
    "STATUS_READS",
    "TARGETS",
    "CCard",
    "CCondition",
    "CEffect",
    "CFilter",
    "CMetric",
    "CRole",
    "CRollMod",
    "CTerm",
    "IFilter",
    "Tables",
    "compile_scenario",
    "is_cacheable",
]

_METRIC_READS: Final = {
    "track": frozenset({"tracks"}),
    "countries": frozenset(),
    "ties": frozenset({"ties"}),
    "standing": STATUS_READS,
    "alliances": frozenset({"ally", "alliance", "also_allied"}),
    "members": frozenset({"members"}),
    "bridges": frozenset({"bridges", "lean"}),
    "lean": frozenset({"lean"}),
    "influence": frozenset({"influence"}),
    "vp": frozenset({"vp"}),
    "flag": frozenset({"flags"}),
    "turn": frozenset({"turn"}),
}
_CONDITION_READS: Final = {
    "track": frozenset({"tracks"}),
    "flag": frozenset({"flags"}),
    "turn": frozenset({"turn"}),
    "seated": frozenset({"present"}),
}


def is_cacheable(reads: frozenset[str]) -> bool:
    """Whether a value reading `reads` is a function of the state alone that changes only
    through `State.evolve`, so it may be kept with the state's derived values."""
    return reads <= EVOLVED


def _cfilter_reads(f: CFilter) -> frozenset[str]:
    out: set[str] = set()
    if f.allied_with is not None or f.not_allied_with is not None:
        out |= {"ally", "alliance", "also_allied"}
    if f.member_of is not None or f.not_member_of is not None:
        out.add("members")
    if f.ties:
        out.add("ties")
    if (
        f.status is not None
        or f.aligned_with is not None
        or f.standing
        or f.group is not None
        or f.not_group is not None
    ):
        out |= STATUS_READS
    for _, subs in f.combos:
        for sub in subs:
            out |= sub.reads
    return frozenset(out)


class _Compiler:
    """Resolves ids to indices; flags and tags are interned as they are first seen."""

    def __init__(self, scen: Scenario) -> None:
        self.s = scen
        self.power = {p.id: i for i, p in enumerate(scen.powers)}
        self.channel = {c.id: i for i, c in enumerate(scen.channels)}
        self.region = {r.id: i for i, r in enumerate(scen.regions)}
        self.country = {c.id: i for i, c in enumerate(scen.countries)}
        self.inst = {x.id: i for i, x in enumerate(scen.institutions)}
        self.track = {t.id: i for i, t in enumerate(scen.tracks)}
        self.role = {r.id: i for i, r in enumerate(scen.roles)}
        self.group = {g.id: i for i, g in enumerate(scen.status.groups)}
        # Lean columns: the powers, then the roles with an agenda of their own.
        self.side = dict(self.power)
        for r in scen.roles:
            if r.agenda and r.power is None:
                self.side.setdefault(r.id, len(self.side))
        # Flags and tags are interned from the whole scenario up front, sorted, so every
        # compilation of the same scenario gives them the same indices.
        names = flags_and_tags(scen)
        flags, tags = names.flags, names.tags
        self.world_reads: frozenset[str] = frozenset()
        self.mask_reads: frozenset[str] = frozenset()
        self.flags: dict[str, int] = {f: i for i, f in enumerate(sorted(flags))}
        self.tags: dict[str, int] = {x: i for i, x in enumerate(sorted(tags))}
        n = len(scen.countries)
        self.entity = dict(self.country)
        for p, i in self.power.items():
            self.entity.setdefault(p, n + i)

    @staticmethod
    def _get(table: dict[str, int], key: str, what: str) -> int:
        try:
            return table[key]
        except KeyError:
            raise KeyError(f"unknown {what} `{key}`") from None

    def flag(self, name: str) -> int:
        return self.flags.setdefault(name, len(self.flags))

    def tag(self, name: str) -> int:
        return self.tags.setdefault(name, len(self.tags))

    def role_ref(self, name: str) -> int:
        return SELF if name == "self" else self._get(self.role, name, "role")

    def power_ref(self, name: str) -> int:
        return ANY if name == "any" else self._get(self.power, name, "power")

    def effect_power(self, name: str, table: dict[str, int] | None = None) -> int:
        """A power an effect names: an id, or `target` for the power the player chose."""
        if name == "target":
            return CHOSEN
        return self._get(self.power if table is None else table, name, "power")

    def ids(self, names: list[str] | None, table: dict[str, int], what: str) -> Any:
        if names is None:
            return None
        return frozenset(self._get(table, x, what) for x in names)

    def cfilter(self, f: L.CountryFilter | None) -> CFilter | None:
        if f is None:
            return None
        out = self._cfilter(f)
        static = frozenset(range(len(self.country)))
        if out.ids is not None:
            static &= out.ids
        if out.exclude is not None:
            static -= out.exclude
        if out.regions is not None:
            static &= frozenset(
                i for i, c in enumerate(self.s.countries) if self.region[c.region] in out.regions
            )
        if out.of_role is not None:
            static &= out.of_role
        if out.not_of_role is not None:
            static -= out.not_of_role
        reads = _cfilter_reads(out)
        self.mask_reads |= reads
        return replace(out, static=static, static_mask=sum(1 << i for i in static), reads=reads)

    def _cfilter(self, f: L.CountryFilter) -> CFilter:
        role_countries = self._role_countries
        return CFilter(
            ids=self.ids(f.ids, self.country, "country"),
            exclude=self.ids(f.exclude, self.country, "country"),
            regions=self.ids(f.region, self.region, "region"),
            status=frozenset(STATUS_CODES[s] for s in f.status) if f.status else None,
            aligned_with=self.ids(f.aligned_with, self.power, "power"),
            group=None if f.group is None else self._get(self.group, f.group, "group"),
            not_group=None if f.not_group is None else self._get(self.group, f.not_group, "group"),
            member_of=None
            if f.member_of is None
            else tuple(self._get(self.inst, x, "institution") for x in f.member_of),
            not_member_of=None
            if f.not_member_of is None
            else tuple(self._get(self.inst, x, "institution") for x in f.not_member_of),
            allied_with=None if f.allied_with is None else self.power_ref(f.allied_with),
            not_allied_with=None
            if f.not_allied_with is None
            else self.power_ref(f.not_allied_with),
            of_role=None if f.of_role is None else role_countries(f.of_role),
            not_of_role=None if f.not_of_role is None else role_countries(f.not_of_role),
            ties=tuple(
                (
                    self._get(self.power, t.power, "power"),
                    -1 if t.channel is None else self._get(self.channel, t.channel, "channel"),
                    t.at_least,
                    t.at_most,
                )
                for t in f.ties or ()
            ),
            standing=tuple(
                (self._get(self.power, t.power, "power"), t.at_least, t.at_most)
                for t in f.standing or ()
            ),
            combos=self._combos(f),
        )

    def _combos(self, f: L.CountryFilter) -> tuple[tuple[int, tuple[CFilter, ...]], ...]:
        out: list[tuple[int, tuple[CFilter, ...]]] = []
        if f.any_of:
            out.append((1, tuple(self._sub(x) for x in f.any_of)))
        if f.all_of:
            out.append((len(f.all_of), tuple(self._sub(x) for x in f.all_of)))
        if f.some_of is not None:
            out.append((f.some_of.at_least, tuple(self._sub(x) for x in f.some_of.of)))
        return tuple(out)

    def _sub(self, f: L.CountryFilter) -> CFilter:
        got = self.cfilter(f)
        assert got is not None
        return got

    def _role_countries(self, role_id: str) -> frozenset[int]:
        role = self.s.roles[self._get(self.role, role_id, "role")]
        return frozenset(self._get(self.country, c, "country") for c in role.countries)

    def ifilter(self, f: L.InstitutionFilter | None) -> IFilter | None:
        if f is None:
            return None
        reads: set[str] = set()
        if f.lean:
            reads.add("lean")
        if f.has_member is not None:
            reads.add("members")
        if f.bridged is not None:
            reads.add("bridges")
        return IFilter(
            reads=frozenset(reads),
            ids=self.ids(f.ids, self.inst, "institution"),
            exclude=self.ids(f.exclude, self.inst, "institution"),
            lean=tuple(
                (self._get(self.side, b.power, "power or agenda role"), b.at_least, b.at_most)
                for b in f.lean or ()
            ),
            has_member=None
            if f.has_member is None
            else self._get(self.entity, f.has_member, "country or power"),
            bridged=f.bridged,
        )

    def metric(self, m: Any) -> CMetric:
        out = self._metric(m)
        reads = set(_METRIC_READS[out.kind])
        if out.filter is not None:
            reads |= out.filter.reads
        if out.of_targets:
            reads.add(TARGETS)
        if out.kind in ("influence", "vp") and out.a == SELF:
            reads.add(ROLE)
        frozen = frozenset(reads)
        return replace(out, reads=frozen, cacheable=self._cacheable(frozen))

    def _cacheable(self, reads: frozenset[str]) -> bool:
        """Whether a value reading `reads` is kept with the derived values (which then must
        be dropped when one of them changes)."""
        ok = is_cacheable(reads)
        if ok:
            self.world_reads |= reads
        return ok

    def _metric(self, m: Any) -> CMetric:
        k = m.kind
        if k == "countries":
            return CMetric(k, filter=self.cfilter(m.filter), flag=m.weighted)
        if k == "track":
            return CMetric(k, a=self._get(self.track, m.track, "track"))
        if k in ("ties", "standing"):
            ch = -1
            if k == "ties" and m.channel is not None:
                ch = self._get(self.channel, m.channel, "channel")
            return CMetric(
                k,
                a=self._get(self.power, m.power, "power"),
                b=ch,
                filter=self.cfilter(m.filter),
                of_targets=m.of == "targets",
            )
        if k == "alliances":
            return CMetric(
                k,
                a=self._get(self.power, m.power, "power"),
                filter=self.cfilter(m.filter),
                flag=m.count,
            )
        if k == "members":
            return CMetric(
                k,
                a=self._get(self.inst, m.institution, "institution"),
                filter=self.cfilter(m.filter),
            )
        if k == "bridges":
            return CMetric(
                k,
                a=-1
                if m.institution is None
                else self._get(self.inst, m.institution, "institution"),
                b=-1
                if m.lean_power is None
                else self._get(self.side, m.lean_power, "power or agenda role"),
                threshold=m.lean_at_least,
            )
        if k == "lean":
            return CMetric(
                k,
                a=self._get(self.inst, m.institution, "institution"),
                b=self._get(self.side, m.power, "power or agenda role"),
            )
        if k in ("influence", "vp"):
            return CMetric(k, a=self.role_ref(m.role))
        if k == "flag":
            return CMetric(k, a=self.flag(m.flag))
        if k == "turn":
            return CMetric(k)
        raise ValueError(f"unknown metric kind {k!r}")

    def condition(self, c: Any) -> CCondition:
        out = self._condition(c)
        reads = _CONDITION_READS.get(out.kind)
        if reads is None:
            reads = frozenset().union(*(x.reads for x in out.of))
            if out.metric is not None:
                reads |= out.metric.reads
        return replace(out, reads=reads, cacheable=self._cacheable(reads))

    def _condition(self, c: Any) -> CCondition:
        k = c.kind
        if k == "track":
            return CCondition(
                k, a=self._get(self.track, c.track, "track"), lo=c.at_least, hi=c.at_most
            )
        if k == "flag":
            return CCondition(k, a=self.flag(c.flag), want=c.set)
        if k == "turn":
            return CCondition(k, lo=c.at_least, hi=c.at_most)
        if k == "seated":
            return CCondition(k, a=self._get(self.role, c.role, "role"), want=c.seated)
        if k == "metric":
            return CCondition(k, metric=self.metric(c.metric), lo=c.at_least, hi=c.at_most)
        if k in ("all", "any"):
            return CCondition(k, of=tuple(self.condition(x) for x in c.of))
        if k == "not":
            return CCondition(k, of=(self.condition(c.of),))
        raise ValueError(f"unknown condition kind {k!r}")

    def scope(self, e: Any) -> dict[str, Any]:
        return {
            "countries": None
            if e.countries is None
            else tuple(self._get(self.country, x, "country") for x in e.countries),
            "where": self.cfilter(e.where),
        }

    def effect(self, e: Any) -> CEffect:
        k = e.kind
        if k == "ties":
            chans = (
                tuple(range(len(self.channel)))
                if e.channel == "all"
                else tuple(
                    self._get(self.channel, x, "channel")
                    for x in ([e.channel] if isinstance(e.channel, str) else e.channel)
                )
            )
            return CEffect(
                k,
                delta=e.delta,
                a=self.effect_power(e.power),
                channels=chans,
                **self.scope(e),
            )
        if k == "track":
            return CEffect(k, delta=e.delta, a=self._get(self.track, e.track, "track"))
        if k in ("influence", "vp"):
            return CEffect(k, delta=e.delta, a=self.role_ref(e.role))
        if k == "alliance":
            return CEffect(
                k,
                delta=e.delta,
                a=ANY if e.power is None else self.effect_power(e.power),
                **self.scope(e),
            )
        if k == "form_alliance":
            return CEffect(k, delta=e.strength, a=self.effect_power(e.power), **self.scope(e))
        if k in ("join", "leave"):
            inst = (
                -1 if e.institution is None else self._get(self.inst, e.institution, "institution")
            )
            return CEffect(k, a=inst, **self.scope(e))
        if k == "lean":
            inst = (
                -1 if e.institution is None else self._get(self.inst, e.institution, "institution")
            )
            return CEffect(
                k,
                delta=e.delta,
                a=self.effect_power(e.power, self.side),
                institutions=(inst,) if inst >= 0 else (),
            )
        if k == "bridge":
            return CEffect(
                k,
                institutions=tuple(self._get(self.inst, x, "institution") for x in e.institutions),
                flag=not e.remove,
            )
        if k == "flag":
            return CEffect(k, a=self.flag(e.flag), flag=e.set)
        if k == "modifier":
            return CEffect(
                k,
                a=self.role_ref(e.role),
                delta=e.chance,
                income=e.income,
                turns=e.turns,
                tags=frozenset(self.tag(t) for t in e.tags),
                label=e.label,
            )
        if k == "draw":
            return CEffect(k, a=self.role_ref(e.role), delta=e.count)
        raise ValueError(f"unknown effect kind {k!r}")

    def term(self, t: L.Term) -> CTerm:
        return CTerm(
            metric=None if t.metric is None else self.metric(t.metric),
            per=t.per,
            points=t.points,
            when=None if t.when is None else self.condition(t.when),
            max=t.max,
        )


def _turn_of(scen: Scenario, card: Card) -> int:
    if card.turn is not None:
        return card.turn
    if card.year is not None:
        return scen.turns.turn_of_year(card.year) or 0
    return 0


def _alliance_decays(scen: Scenario, cc: _Compiler) -> tuple[tuple[int, ...], ...]:
    """Each country's decay per power: its own alliance's `decay`, else the power's
    `decay_with`, else the scenario's `decay`."""
    rules = scen.alliance
    by_power = tuple(rules.decay_with.get(p.id, rules.decay) for p in scen.powers)
    out = []
    for country in scen.countries:
        row = list(by_power)
        for own in country.starting_alliances():
            if own.decay is not None:
                row[cc._get(cc.power, own.power, "power")] = own.decay
        out.append(tuple(row))
    return tuple(out)


def compile_scenario(scen: Scenario) -> Tables:
    """Resolve every id once; the result is shared by all states of every game on the scenario."""
    cc = _Compiler(scen)
    owners = {d.deck: d.owner for d in scen.decks}
    cards: list[CCard] = []
    for deck in scen.decks:
        owner = EVENTS if deck.owner == "events" else cc._get(cc.role, deck.owner, "role")
        for card in deck.cards:
            t = card.target
            tfilter: CFilter | IFilter | None = None
            if t is not None and isinstance(t.filter, L.CountryFilter):
                tfilter = cc.cfilter(t.filter)
            elif t is not None and isinstance(t.filter, L.InstitutionFilter):
                tfilter = cc.ifilter(t.filter)
            roll = card.roll
            choices: tuple[int, ...] = ()
            if t is not None and t.kind == "power":
                pf = t.filter if isinstance(t.filter, L.PowerFilter) else L.PowerFilter()
                choices = tuple(
                    i
                    for i, p in enumerate(scen.powers)
                    if (pf.ids is None or p.id in pf.ids)
                    and (pf.exclude is None or p.id not in pf.exclude)
                )
            cards.append(
                CCard(
                    index=len(cards),
                    id=card.id,
                    title=card.title,
                    owner=owner,
                    cost=card.cost,
                    target_kind=None if t is None else t.kind,
                    target_count=0 if t is None else t.count,
                    target_filter=tfilter,
                    requires=tuple(cc.condition(c) for c in card.requires),
                    roll_base=None if roll is None else roll.base,
                    roll_mods=()
                    if roll is None
                    else tuple(
                        CRollMod(
                            metric=None if m.metric is None else cc.metric(m.metric),
                            per=m.per,
                            chance=m.chance,
                            when=None if m.when is None else cc.condition(m.when),
                            max=m.max,
                            label=m.label,
                        )
                        for m in roll.modifiers
                    ),
                    roll_min=0 if roll is None else roll.min,
                    roll_max=100 if roll is None else roll.max,
                    on_play=tuple(cc.effect(e) for e in card.on_play),
                    on_success=tuple(cc.effect(e) for e in card.on_success),
                    on_failure=tuple(cc.effect(e) for e in card.on_failure),
                    once=card.once,
                    inject_only=card.inject_only,
                    tags=frozenset(cc.tag(x) for x in card.tags),
                    turn=_turn_of(scen, card),
                    power_choices=choices,
                )
            )
            last = cards[-1]
            cards[-1] = replace(last, requires_cacheable=all(c.cacheable for c in last.requires))
            if tfilter is not None:
                cc.world_reads |= tfilter.reads  # target sets are kept with the derived values
    card_index = {c.id: c.index for c in cards}
    deck_cards: dict[str, tuple[int, ...]] = {
        d.deck: tuple(card_index[c.id] for c in d.cards) for d in scen.decks
    }
    roles = []
    for i, r in enumerate(scen.roles):
        if r.deck not in deck_cards:
            raise KeyError(f"role `{r.id}` plays unknown deck `{r.deck}`")
        roles.append(
            CRole(
                index=i,
                id=r.id,
                name=r.name,
                power=-1 if r.power is None else cc._get(cc.power, r.power, "power"),
                deck=deck_cards[r.deck],
                hand_size=r.hand_size,
                initiative=r.initiative,
                optional=r.optional,
                countries=frozenset(cc._get(cc.country, c, "country") for c in r.countries),
                income_base=r.income.base,
                income_terms=tuple(cc.term(t) for t in r.income.terms),
                income_max=r.income.max,
                objectives=tuple(cc.term(o) for o in r.objectives),
                objective_ids=tuple(o.id for o in r.objectives),
                objective_texts=tuple(o.text for o in r.objectives),
                start_influence=r.start_influence,
            )
        )
    events = tuple(
        card_index[c.id]
        for d in scen.decks
        if owners[d.deck] == "events"
        for c in d.cards
        if not c.inject_only and not c.is_scheduled
    )
    scheduled = tuple(
        tuple(c.index for c in cards if c.owner == EVENTS and c.turn == turn)
        for turn in range(1, scen.turns.count + 1)
    )
    injects = tuple(c.index for c in cards if c.owner == EVENTS and c.inject_only)
    drift = tuple(
        (
            None if d.when is None else cc.condition(d.when),
            tuple(cc.effect(e) for e in d.effects),
            d.text,
        )
        for d in scen.drift
    )
    ending_winners = tuple(
        frozenset(cc._get(cc.role, w, "role") for w in s.winner_ids) for s in scen.sudden_death
    )
    endings = [
        (
            s.at_end,
            (
                cc.condition(s.when),
                cc._get(cc.role, s.winner, "role") if s.winner is not None else -2 - k,
                s.text,
            ),
        )
        for k, s in enumerate(scen.sudden_death)
    ]
    sudden = tuple(rule for at_end, rule in endings if not at_end)
    end_victories = tuple(rule for at_end, rule in endings if at_end)
    groups = tuple(
        (frozenset(cc._get(cc.power, p, "power") for p in g.aligned_with), g.ambiguous)
        for g in scen.status.groups
    )
    weights = tuple(scen.status.channel_weights.get(c.id, 1) for c in scen.channels)
    decays = _alliance_decays(scen, cc)
    return Tables(
        scenario=scen,
        powers=tuple(cc.power),
        channels=tuple(cc.channel),
        regions=tuple(cc.region),
        countries=tuple(cc.country),
        country_names=tuple(c.name for c in scen.countries),
        power_names=tuple(p.name for p in scen.powers),
        channel_names=tuple(c.name for c in scen.channels),
        country_region=tuple(cc.region[c.region] for c in scen.countries),
        country_weight=tuple(c.weight for c in scen.countries),
        institutions=tuple(cc.inst),
        tracks=tuple(cc.track),
        track_bounds=tuple((t.min, t.max) for t in scen.tracks),
        roles=tuple(roles),
        role_index=dict(cc.role),
        cards=tuple(cards),
        card_index=card_index,
        events_deck=events,
        inject_cards=injects,
        flags=tuple(cc.flags),
        flag_index=dict(cc.flags),
        tags=tuple(cc.tags),
        tag_index=dict(cc.tags),
        groups=groups,
        group_ids=tuple(cc.group),
        channel_weights=weights,
        strong=scen.status.strong,
        margin=scen.status.margin,
        lone_margin=scen.status.lone_margin,
        tie_min=scen.ties.min,
        tie_max=scen.ties.max,
        lean_sides=tuple(cc.side),
        lean_side_names=tuple(
            [p.name for p in scen.powers]
            + [r.short_name for r in scen.roles if r.id in cc.side and r.id not in cc.power]
        ),
        lean_min=scen.lean.min,
        lean_max=scen.lean.max,
        alliance_min=scen.alliance.min,
        alliance_max=scen.alliance.max,
        alliance_decay=max((d for row in decays for d in row), default=0),
        alliance_decays=decays,
        alliance_weight=scen.alliance.standing_weight,
        alliances_per_country=scen.alliance.per_country,
        drift=drift,
        sudden_death=sudden,
        end_victories=end_victories,
        ending_winners=ending_winners,
        turns=scen.turns.count,
        start_year=scen.turns.start_year,
        years_per_turn=scen.turns.years_per_turn,
        phases=tuple(scen.turns.phases),
        max_orders=scen.turns.max_orders,
        events_per_turn=scen.turns.events_per_turn,
        scheduled=scheduled,
        set_aside_unready=scen.turns.set_aside_unready_events,
        tie_break=tuple(scen.tie_break),
        world_reads=cc.world_reads,
        mask_reads=cc.mask_reads | STATUS_READS,
        initiative_order=tuple(
            r.index for r in sorted(roles, key=lambda r: (r.initiative, r.index))
        ),
        idx={
            "power": dict(cc.power),
            "channel": dict(cc.channel),
            "region": dict(cc.region),
            "country": dict(cc.country),
            "institution": dict(cc.inst),
            "track": dict(cc.track),
            "group": dict(cc.group),
            "entity": dict(cc.entity),
        },
    )
