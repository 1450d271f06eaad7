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


# ----------------------------------------------------------------------------- US mistakes (item 4)


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
