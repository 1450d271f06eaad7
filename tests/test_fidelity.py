"""The bundled scenario against its source (issue 16): what a single card can do to the 2019
world, and which targets each card's passage allows."""

from __future__ import annotations

from functools import cache

from helpers import COF, cfilter, tables_for

from wargame.compiled import CCard
from wargame.effects import apply_effects
from wargame.evaluate import countries_where, target_candidates
from wargame.state import State, initial_state
from wargame.tables import Tables


@cache
def cof() -> Tables:
    return tables_for(COF)


def target_sets(st: State, card: CCard) -> list[tuple[int, ...]]:
    """Target tuples that between them name every legal target of the card at least once (a
    card's effects act on each target alone, so covering each one suffices)."""
    if not card.target_kind:
        return [()]
    cands = list(target_candidates(st, card))
    k = card.target_count
    out = []
    for i in range(0, len(cands), k):
        group = cands[i : i + k]
        group += [x for x in cands if x not in group][: k - len(group)]
        out.append(tuple(group))
    return out


def outcomes(st: State, card: CCard) -> list[tuple[str, tuple[int, ...], State]]:
    """The world after the card, for each target set, on success and on failure."""
    branches = [("played", card.on_play + card.on_success)]
    if card.roll_base is not None:
        branches = [
            ("succeeded", card.on_play + card.on_success),
            ("failed", card.on_play + card.on_failure),
        ]
    out = []
    for targets in target_sets(st, card):
        for name, effects in branches:
            after = apply_effects(st, effects, card.owner, targets, card.target_kind)
            out.append((name, targets, after))
    return out


def test_no_single_card_makes_a_us_ally_or_partner_a_friend_of_china():
    """Issue 16, item 1: in 2019 the EU and New Zealand sat on the margin, so one +1 for China
    made them ambiguous and so "friends of China". No card of any deck (events and injects
    included), on any legal target, succeeding or failing, may now take a US treaty ally or a
    country aligned with the US in 2019 into China's circle of friends."""
    t = cof()
    st = initial_state(t)
    circle = cfilter(t, {"group": "circle_of_friends"})
    partners = set(countries_where(st, cfilter(t, {"aligned_with": ["us"]})))
    partners |= set(countries_where(st, cfilter(t, {"allied_with": "us"})))
    names = t.countries
    assert {names[c] for c in partners} == {
        "japan",
        "south_korea",
        "australia",
        "philippines",
        "thailand",
        "new_zealand",
        "eu",
    }
    assert not partners & set(countries_where(st, circle))
    flips = []
    for card in t.cards:
        for branch, targets, after in outcomes(st, card):
            for c in partners & set(countries_where(after, circle)):
                flips.append(f"{card.id} ({branch}, targets {targets}): {names[c]}")
    assert not flips, "\n".join(flips)


def test_two_cheap_cards_do_not_align_india_with_china():
    """Issue 16, item 1: "only one power close => aligned" let two cheap cards align India (US 14 /
    China 12) with China. A lone close power must now lead by `lone_margin` (10)."""
    t = cof()
    st = initial_state(t)
    india = t.idx["country"]["india"]
    assert st.status(india).standing == (12, 14)
    economic = next(card for card in t.cards if card.id == "cn-economic-attractiveness")
    encourage = next(card for card in t.cards if card.id == "cn-bypass-frozen-ties")
    st = apply_effects(st, economic.on_play, economic.owner, (india,), "country")
    st = apply_effects(st, encourage.on_play, encourage.owner, (india,), "country")
    s = st.status(india)
    assert s.standing == (15, 14)
    assert india not in countries_where(st, cfilter(t, {"group": "circle_of_friends"}))
    assert india in countries_where(st, cfilter(t, {"status": ["non_aligned"]}))


def test_the_eu_is_not_part_of_the_eurasian_alternative():
    """Issue 16, item 1: the EU, which called China a systemic rival in 2019, never counts toward
    Russia's or China's "alternative in greater Eurasia", even inside the circle of friends."""
    t = cof()
    for role in t.scenario.roles:
        for objective in role.objectives:
            if "eurasian_alternative" in objective.id:
                f = objective.metric.filter  # type: ignore[union-attr]
                assert "eu" in f.exclude, f"{role.id}.{objective.id}"


# ----------------------------------------------------------------------------- basis (item 3)


def test_a_design_basis_without_a_note_is_an_error_with_file_and_line(tmp_path):
    """A `record` or `design` basis must say what it rests on: the loader names the file, the line
    and the field, like every other mistake."""
    import shutil

    from wargame.schema.loader import load_scenario_report

    root = tmp_path / "cof"
    shutil.copytree(COF, root)
    deck = root / "cards" / "china.yaml"
    lines = deck.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("    text:"))
    lines.insert(at, "    basis: {kind: design}\n")
    deck.write_text("".join(lines), encoding="utf-8")
    report = load_scenario_report(root)
    assert report.scenario is None
    (problem,) = report.problems
    assert problem.file.endswith("china.yaml") and problem.line == at + 1
    assert problem.path.startswith("cards[0].basis")
    assert "needs a one-line `note`" in problem.message


def test_every_design_choice_is_listed_in_the_deck_readme():
    """Issue 16, item 3: players tell in the game what is the source's and what is a modelling
    choice (`basis`), and the deck README lists every design choice, by id."""
    s = cof().scenario
    readme = (COF / "README.md").read_text(encoding="utf-8")
    cards = [c for d in s.decks for c in d.cards]
    chosen = [c.id for c in cards if c.basis is not None and c.basis.kind != "source"]
    chosen += [o.id for r in s.roles for o in r.objectives if o.basis and o.basis.kind != "source"]
    chosen += [d.id for d in s.drift if d.basis and d.basis.kind != "source"]
    chosen += [d.id for d in s.sudden_death if d.basis and d.basis.kind != "source"]
    assert s.alliance.basis is not None and s.status.basis is not None
    assert len(chosen) > 20
    missing = [x for x in chosen if f"`{x}`" not in readme]
    assert not missing, missing


def test_the_card_panel_and_the_end_screen_say_what_is_not_the_source():
    from wargame.facilitation.objectives import objective_rows
    from wargame.facilitation.text import Names
    from wargame.tui.render import card_detail

    t = cof()
    st = initial_state(t)
    names = Names(t)
    card = t.card_index["sw-play-both-sides"]
    shown = card_detail(st, card, -1, names, chance=None, playable="✓").plain
    assert "Not in the source: A design choice: Influence that grows with tension" in shown
    plain = t.card_index["cn-new-security-concept"]
    assert (
        "Not in the source"
        not in card_detail(st, plain, -1, names, chance=None, playable="✓").plain
    )
    russia = t.role_index["russia"]
    rows = {row.text: row.basis for row in objective_rows(st, russia)}
    assert any(b.startswith("From the public record: ") for b in rows.values())
    assert rows[next(x for x in rows if x.startswith("1 VP per 13 points"))] == ""


# ---------------------------------------------------------------------- US mistakes (item 4)


def test_us_mistakes_recur():
    """Issue 16, item 4: seven US or allied cards raised US credibility and almost nothing lowered
    it, so it drifted from 5 to 9 and every low-credibility card was dead after year 2. Now it
    falls by one at each upkeep while 6 or more, and more than one event lowers it."""
    from wargame.flow import upkeep

    t = cof()
    cred = t.tracks.index("us_credibility")
    for start, after in ((8, 7), (6, 5), (5, 5), (3, 3)):
        st = initial_state(t)
        st = st.evolve(tracks=tuple(start if i == cred else v for i, v in enumerate(st.tracks)))
        assert upkeep(st, None).tracks[cred] == after, start
    lowering = []
    for deck in t.scenario.decks:
        if deck.owner != "events":
            continue
        for card in deck.cards:
            for e in [*card.on_play, *card.on_success, *card.on_failure]:
                if getattr(e, "track", None) == "us_credibility" and e.delta < 0:  # type: ignore[union-attr]
                    lowering.append(card.id)
    assert {"ev-us-withdrawal", "ev-tariffs-on-allies"} <= set(lowering)


# ----------------------------------------------------------------------------- targets (item 5)

_REGIONS = {
    "asia": ("northeast_asia", "southeast_asia", "south_asia", "central_asia"),
    "asia_pacific": ("northeast_asia", "southeast_asia", "south_asia", "central_asia", "oceania"),
    "eurasia": ("central_asia", "europe"),
    "beyond_asia": ("europe", "africa", "latin_america"),
}


def _sets() -> dict[str, frozenset[str]]:
    s = cof().scenario
    everyone = frozenset(c.id for c in s.countries)
    in_region = {
        k: frozenset(c.id for c in s.countries if c.region in regions)
        for k, regions in _REGIONS.items()
    }
    members = {i.id: frozenset(i.members) for i in s.institutions}
    team = {r.id: frozenset(r.countries) for r in s.roles}
    us_allies = frozenset(c.id for c in s.countries if c.alliance and c.alliance.power == "us")
    rich = frozenset({"japan", "south_korea", "australia", "new_zealand", "eu"})
    return {
        "all": everyone,
        **in_region,
        "us_allies": us_allies,
        "allies_team": team["allies"],
        "swing": team["swing"],
        "asean": members["asean"] & everyone,
        "sco_or_cica": (members["sco"] | members["cica"]) & everyone,
        "cica": members["cica"],
        # "first and foremost developing and emerging countries": not the rich democracies.
        "developing": everyone - rich,
    }


def allowed_targets() -> dict[str, tuple[frozenset[str], str]]:
    """For every card with a target: what its passage allows, and why."""
    S = _sets()
    inst = frozenset(i.id for i in cof().scenario.institutions)
    china_in = frozenset(i.id for i in cof().scenario.institutions if "china" in i.members)
    no_communique = frozenset(
        {"shangri_la"}
    )  # the IISS's dialogue: no communiqué, no Chinese money
    asean_led = frozenset({"arf", "admm_plus", "asean"})
    return {
        "al-make-it-sustainable": (S["us_allies"], "an ally's own alliance"),
        "al-networked-alliances": (S["asia_pacific"] - S["allies_team"], "a third country nearby"),
        "al-southeast-asia-outreach": (S["asean"] - S["allies_team"], "two ASEAN states"),
        "al-trade-with-china": (S["allies_team"], "an allied government"),
        "al-attend-xiangshan": (S["allies_team"], "an ally"),
        "al-new-government": (S["allies_team"], "an allied country"),
        "al-ask-for-reassurance": (S["us_allies"], "a treaty ally"),
        "cn-fund-institution": (
            china_in - {"sco"} - no_communique,
            "an institution China pays into",
        ),
        "cn-fund-sco": (
            inst - {"sco", "quad", "eu_japan_spa"} - no_communique,
            "a forum bridged to the SCO",
        ),
        "cn-bridge-secretariats": (inst - {"quad", "eu_japan_spa"} - no_communique, "secretariats"),
        "cn-bridge-xiangshan-asean": (frozenset({"arf", "admm_plus"}), "the ARF or ADMM+"),
        "cn-belt-and-road-label": (china_in - no_communique, "a forum with a final communiqué"),
        "cn-connectivity-mou": (
            S["all"] - S["allies_team"] - {"eu", "india", "north_korea"},
            "India rejects the BRI; North Korea is under UN sanctions",
        ),
        "cn-align-agendas": (china_in - no_communique, "a multilateral agenda China shapes"),
        "cn-host-xiangshan": (S["all"], "'all countries are welcome'"),
        "cn-track2-seminar": (S["all"], "track 1.5 and 2 meetings"),
        "cn-train-officials": (S["asia_pacific"] - S["us_allies"], "'regional actors'"),
        "cn-think-tank-network": (S["sco_or_cica"], "'under ... (SCO, CICA and others)'"),
        "cn-security-dialogue": (S["asia_pacific"], "'regional actors'"),
        "cn-integrate-asean": (S["asean"], "'ASEAN countries'"),
        "cn-asean-forums": (asean_led, "'ASEAN-organised forums'"),
        "cn-south-south": (S["developing"] - S["us_allies"], "'developing and emerging countries'"),
        "cn-exploit-us-withdrawal": (S["all"], "US partners"),
        "cn-bet-on-domestic-politics": (S["us_allies"], "'some US allies'"),
        "cn-bypass-frozen-ties": (S["all"], "'in the case of bilateral tensions'"),
        "cn-court-business-and-local-governments": (S["all"], "'foreign representatives'"),
        "cn-party-exchanges": (S["developing"], "'focusing on developing countries'"),
        "cn-widen-circle": (S["all"], "'countries of all sizes'"),
        "cn-welcome-overlap": (S["us_allies"], "'currently security allies ... of the US'"),
        "cn-encourage-ambiguity": (S["all"], "'countries with traditional ties to the US'"),
        "cn-revive-cica": (S["asia"] - S["cica"] - {"north_korea"}, "an Asian state joining CICA"),
        "cn-economic-attractiveness": (S["all"], "'its economic attractiveness'"),
        "cn-new-type-international-relations": (S["all"], "how 'states interact'"),
        "ru-eurasian-alternative": (S["eurasia"] - {"eu", "russia"}, "'greater Eurasian region'"),
        "ru-institutional-cooperation": (inst - {"sco", "quad", "eu_japan_spa"}, "institutions"),
        "ru-sco-enlargement": (frozenset({"belarus", "mongolia"}), "the SCO's observers"),
        "ru-xiangshan-delegation": (S["eurasia"] - {"eu"}, "Eurasian partners"),
        "sw-speaking-time": (S["swing"], "'not usual participants'"),
        "sw-shangri-la-too": (S["swing"] & S["asia_pacific"], "an Asian security forum"),
        "sw-sign-mou": (S["swing"], "a swing state"),
        "sw-hedge": (S["swing"], "a swing state"),
        "sw-answer-china-keep-us": (S["swing"], "a swing state"),
        "sw-asean-centrality": (asean_led, "the ASEAN-centred meetings"),
        "sw-join-cica": (S["swing"] & S["asia"], "an Asian conference"),
        "sw-south-south-solidarity": (S["swing"], "'formerly colonised countries'"),
        "sw-party-delegation": (S["swing"], "'developing countries'"),
        "sw-accept-training": (S["swing"], "a swing state"),
        "sw-us-partnership": (S["swing"], "a swing state"),
        "sw-rebalance": (S["swing"], "a swing state"),
        "us-reaffirm-alliance": (S["us_allies"], "treaty allies"),
        "us-two-plus-two": (S["us_allies"], "a treaty ally"),
        "us-update-alliance": (S["us_allies"], "a treaty ally"),
        "us-widen-alliance-scope": (S["asia_pacific"], "the alliance system's space, not the EU"),
        "us-beyond-asia": (S["beyond_asia"] - {"russia"}, "'far beyond Asia'"),
        "us-indo-pacific-outreach": (
            S["asia_pacific"] - {"north_korea", "pakistan"},
            "'outreach to other countries'; not Pyongyang, nor Pakistan in a grouping with India",
        ),
        "us-shangri-la-speech": (S["all"] - {"north_korea"}, "a new delegation in Singapore"),
        "us-asean-centred-meetings": (asean_led, "'the ASEAN-centred meetings'"),
        "us-security-assistance": (S["all"] - {"north_korea", "russia"}, "a partner"),
        "us-press-to-choose": (S["all"], "an ambiguous country"),
        "us-economic-means": (S["developing"], "'do not have the economic means'"),
        "us-trade-pressure": (S["all"] - S["allies_team"], "a partner outside the allies' team"),
        "us-allied-exercise": (S["us_allies"], "a treaty ally"),
    }


def test_every_cards_targets_in_2019_are_what_its_passage_allows():
    """Issue 16, item 5: India and North Korea could join the Belt and Road Forum, the SCO could
    admit Serbia, the EU could get a US defence treaty, China could fund the Shangri-La Dialogue.
    Every card's legal targets at the 2019 start must lie within what its passage allows."""
    t = cof()
    st = initial_state(t)
    table = allowed_targets()
    targeted = {c.id for c in t.cards if c.target_kind}
    assert targeted == set(table), targeted ^ set(table)
    wrong = []
    for card in t.cards:
        if not card.target_kind:
            continue
        names = t.target_ids(card.target_kind)
        legal = {names[i] for i in target_candidates(st, card)}
        allowed, why = table[card.id]
        if legal - allowed:
            wrong.append(f"{card.id}: {sorted(legal - allowed)} (allowed: {why})")
    assert not wrong, "\n".join(wrong)


# ----------------------------------------------------------------- divergent allies (item 6)


def test_the_allies_lines_diverge_and_china_can_bet_on_them():
    """Issue 16, item 6: one objective for all the allies hid what China bets on. Manila's and
    Seoul's lines score when their government ties with Beijing reach 4: an election that brings
    a Beijing-friendlier line in Manila wins the team the Manila point (and moves the Philippines
    toward the ambiguity China wants); China's bet on the opposition can do the same in Seoul."""
    from wargame.evaluate import objective_scores

    t = cof()
    allies = t.role_index["allies"]
    names = [o.id for o in t.scenario.roles[allies].objectives]
    st = initial_state(t)

    def line(state: State, oid: str) -> int:
        return dict(zip(names, objective_scores(state, allies), strict=True))[oid]

    assert line(st, "manila_independent_line") == 0 and line(st, "seoul_engagement") == 0
    election = next(c for c in t.cards if c.id == "ev-election-manila")
    after = apply_effects(st, election.on_success, election.owner, (), None)
    assert line(after, "manila_independent_line") == 1
    after = apply_effects(st, election.on_failure, election.owner, (), None)
    assert line(after, "manila_independent_line") == 0
    seoul = t.idx["country"]["south_korea"]
    bet = next(c for c in t.cards if c.id == "cn-bet-on-domestic-politics")
    after = apply_effects(st, bet.on_play + bet.on_success, bet.owner, (seoul,), "country")
    assert line(after, "seoul_engagement") == 1
    assert line(after, "manila_independent_line") == 0


# ------------------------------------------------------------------------ dated events (item 7)


def test_events_drawn_any_year_do_not_claim_a_date():
    """Issue 16, item 7: 'SCO summit in Qingdao' and Yang Jiechi's February 2019 speech could be
    drawn in 2024. An event drawn at random (any year) names a past date only as a precedent
    ('as in 2018', 'as Yang Jiechi did in February 2019'), never in its title; CICA texts say
    China's chairmanship ended in 2018."""
    import re

    year = re.compile(r"\b(19|20)\d\d\b")
    precedent = re.compile(r"\b(as in|as with|as [\w ]+ did|since|from)\b")
    for deck in cof().scenario.decks:
        for card in deck.cards:
            if deck.owner != "events" or card.inject_only:
                continue
            assert not year.search(card.title), card.id
            assert "Qingdao" not in card.title, card.id
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(card.text.split())):
                if year.search(sentence):
                    assert precedent.search(sentence), f"{card.id}: {sentence!r}"
    texts = {c.id: " ".join(c.text.split()) for d in cof().scenario.decks for c in d.cards}
    for cid in ("cn-revive-cica", "sw-join-cica", "ev-cica-summit"):
        assert "2014" in texts[cid] and "2018" in texts[cid], cid
    assert "Tajikistan" in texts["cn-revive-cica"] and "Tajikistan" in texts["ev-cica-summit"]


# ------------------------------------------------------------------ central cards (balance)


def test_agenda_shaping_and_the_cica_revival_score_for_china():
    """BALANCE.md: the bots rarely played cn-revive-cica, cn-align-agendas, cn-fund-institution and
    cn-asean-forums because nothing China scores read what they do (a lean, a CICA seat). One
    push on the CICA, or two on an ASEAN-led forum, now earn China a point a turn."""
    from wargame.evaluate import objective_scores

    t = cof()
    china = t.role_index["china"]
    names = [o.id for o in t.scenario.roles[china].objectives]
    st = initial_state(t)

    def aim(state: State, oid: str) -> int:
        return dict(zip(names, objective_scores(state, china), strict=True))[oid]

    assert aim(st, "cica_revived") == 0 and aim(st, "asean_agendas") == 0
    revive = next(c for c in t.cards if c.id == "cn-revive-cica")
    laos = t.idx["country"]["laos"]
    once = apply_effects(st, revive.on_play, china, (laos,), "country")
    assert aim(once, "cica_revived") == 1
    forums = next(c for c in t.cards if c.id == "cn-asean-forums")
    arf = t.institutions.index("arf")
    st = apply_effects(st, forums.on_play, china, (arf,), "institution")
    assert aim(st, "asean_agendas") == 0
    st = apply_effects(st, forums.on_play, china, (arf,), "institution")
    assert aim(st, "asean_agendas") == 1
