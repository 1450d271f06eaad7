"""The loader: every mistake reported with file, line and key path, all of them in one run.

Each folder under `tests/fixtures/bad/` holds the files that differ from the mini fixture and
makes one kind of mistake; the test lays it over a copy of the mini scenario and checks the
line, the key path and a phrase of each message it must produce.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from wargame.errors import DeckError, Problem
from wargame.schema import yaml_positions
from wargame.schema.loader import LoadReport, load_scenario, load_scenario_report
from wargame.schema.safe_text import printable
from wargame.schema.scenario import Scenario
from wargame.schema.yaml_positions import MAX_FILE_BYTES, format_path, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BAD = FIXTURES / "bad"


@dataclass(frozen=True)
class Expect:
    file: str
    """Relative to the scenario folder."""
    line: int
    path: str
    phrase: str


M = "cards/merchants.yaml"
S = "scenario.yaml"

CASES: dict[str, list[Expect]] = {
    "syntax_error": [Expect(M, 8, "", "did not find expected ',' or ']'")],
    "python_tag": [Expect(M, 6, "cards[0].title", "tag `!!python/object/apply:os.system`")],
    "unknown_tag": [Expect(M, 9, "cards[0].on_play", "tag `!include` is not allowed")],
    "duplicate_key": [
        Expect(M, 11, "cards[0].cost", "duplicate key `cost` (first given at line 7)")
    ],
    "quoted_number": [Expect(M, 7, "cards[0].cost", 'got the text "2" (remove the quotes)')],
    "nan": [
        Expect(M, 10, "cards[0].on_play[0].delta", "`.nan` is not a number"),
        Expect(M, 11, "cards[0].on_play[1].delta", "`-.inf` is not a number"),
    ],
    "unknown_field": [
        Expect(M, 13, "cards[0].on_play[0].detla", "unknown field `detla` (did you mean `delta`?)"),
        Expect(M, 10, "cards[0].on_play[0].delta", "missing required field `delta`"),
    ],
    "missing_field": [
        Expect(M, 5, "cards[0].title", "missing required field `title`"),
        Expect(M, 5, "cards[0].source", "missing required field `source`"),
    ],
    "unknown_kind": [
        Expect(M, 11, "cards[0].on_play[1]", "unknown kind `tiez` (did you mean `ties`?)"),
        Expect(M, 11, "cards[0].on_play[1]", "allowed kinds: ties, track, influence"),
        Expect(M, 12, "cards[0].on_play[2]", "missing `kind`; allowed kinds: ties"),
    ],
    "nested_wrong_type": [
        Expect(M, 11, "cards[0].roll.modifiers[0].metric.track", "expected text, got the number 7"),
        Expect(M, 12, "cards[0].roll.modifiers[1].metric.channel", "expected text, got a list"),
    ],
    "out_of_range": [
        Expect(M, 7, "cards[0].cost", "must be at most 20, got 30"),
        Expect(M, 9, "cards[0].roll.base", "must be at most 100, got 150"),
    ],
    "bad_id": [Expect(M, 5, "cards[0].id", "`Trade Mission` is not a valid id")],
    "union_mismatch": [
        Expect(M, 10, "cards[0].on_play[0].channel", "expected text or a list or 'all'"),
        Expect(M, 11, "cards[0].on_play[1].channel[1]", "expected text, got the number 5"),
    ],
    "card_rule": [Expect(M, 5, "cards[0]", "`on_success`/`on_failure` need a `roll`")],
    "boolean_text": [
        Expect(M, 6, "cards[0].title", "`no` is read by YAML 1.1 as the boolean false; quote it"),
        Expect(M, 11, "cards[0].source.on", "key `on` is read by YAML as the boolean true"),
    ],
    "two_documents": [Expect(M, 11, "", "a file holds one YAML document")],
    "undefined_alias": [Expect(M, 8, "", "alias `*ties_up` has no anchor")],
    "empty": [Expect(M, 1, "", "the file is empty")],
    "top_level_list": [Expect(M, 2, "", "expected `key: value` lines at the top of the file")],
    "billion_laughs": [Expect(M, 7, "", "once aliases are expanded")],
    "deep_nesting": [Expect(M, 2, "", "nesting is deeper than 64 levels")],
    "unknown_ids": [
        Expect(M, 10, "cards[0].target.filter.ids[0]", "unknown country `ambr` (did you mean"),
        Expect(M, 10, "cards[0].target.filter.region[0]", "unknown region `innr`"),
        Expect(M, 10, "cards[0].target.filter.group", "unknown group `league_friend`"),
        Expect(M, 10, "cards[0].target.filter.member_of[0]", "unknown institution `tide_councl`"),
        Expect(M, 12, "cards[0].requires[0].track", "unknown track `storm`"),
        Expect(M, 14, "cards[0].on_play[0].power", "unknown power `nort`"),
        Expect(M, 14, "cards[0].on_play[0].channel", "unknown channel `trades`"),
        Expect(M, 15, "cards[0].on_play[1].role", "unknown role `merchant`"),
        Expect(M, 16, "cards[0].on_play[2].institution", "unknown institution `reef_pakt`"),
    ],
    "seated_roles": [
        Expect(S, 90, "roles[0].objectives[2].when.role", "unknown role `corsair`"),
        Expect(S, 94, "roles[0].objectives[3].when.role", "not optional, so it is always seated"),
    ],
    "self_in_events": [
        Expect("cards/events.yaml", 10, "cards[0].on_play[1].role", "`self` means the playing"),
        Expect("cards/events.yaml", 15, "cards[1].target", "cannot choose a `target`"),
    ],
    "inject_in_role_deck": [
        Expect(M, 7, "cards[0].inject_only", "`inject_only` is for the events deck only")
    ],
    "missing_targets": [
        Expect(M, 9, "cards[0].on_play[0]", "but the card has no country `target`"),
        Expect(M, 10, "cards[0].on_play[1]", "but the card has no institution `target`"),
        Expect(M, 19, "cards[1].roll.modifiers[0].metric.of", "`of: targets` reads the chosen"),
        Expect(M, 21, "cards[1].on_success[0]", "a bridge joins exactly two institutions"),
    ],
    "card_source": [
        Expect(M, 11, "cards[0].source", "give a `quote` from the source text, a `citation`"),
        Expect(M, 25, "cards[1].source.citation.url", "is not a web address: start it with"),
    ],
    "unquoted_colon": [
        Expect(M, 6, "", 'must be quoted: title: "Trade mission: to the isles"'),
    ],
    "unquoted_flow_colon": [
        Expect(S, 11, "", 'a value that holds ": " (a colon and a space) must be quoted: name: '),
    ],
    "unquoted_comma": [
        Expect(S, 11, "channels[0].money)", 'quote it: name: "Trade (goods, money)"'),
    ],
    "never_holds": [
        Expect(M, 11, "cards[0].requires[0].at_least", "track `storms` goes from 0 to 6; use"),
        Expect(M, 12, "cards[0].requires[1].at_least", "can never hold: the game has 4 turns"),
        Expect(M, 13, "cards[0].requires[2].at_least", "is above `at_most: 2`, so this never"),
        Expect(M, 15, "cards[0].on_play[0].strength", "strength 5 is above `alliance.max` 3"),
        Expect(M, 22, "cards[1].target.filter.ties[0].at_least", "summed over the 3 channels"),
        Expect(M, 26, "cards[1].roll.modifiers[0].when.at_most", "use a value from 1"),
        Expect(
            M, 26, "cards[1].roll.modifiers[0].max", "`max` is a size, not a signed cap: write 10"
        ),
    ],
    "tab_indent": [Expect(M, 13, "", "a tab: YAML indents with spaces only")],
    "bad_indent": [Expect(M, 11, "", "this line is not indented like the lines above it")],
    "wrong_shape": [
        Expect(M, 11, "cards[0].source", '(write `source: {quote: "..."}` for a passage'),
        Expect(M, 20, "cards[1].roll.modifiers[0].when", "one condition; for several, `{kind"),
        Expect(M, 32, "cards[2].requires", "a list even of one item: start it with `- `"),
    ],
    "quote_not_in_source": [
        Expect(M, 11, "cards[0].source.quote", "this passage is not in SOURCE.txt word for word")
    ],
    "synonym_field": [
        Expect(
            M, 11, "cards[0].source.citation.year", "unknown field `year` (did you mean `date`?)"
        )
    ],
    "duplicate_card": [Expect(M, 5, "cards[0].id", "duplicate card id `raid` (also in deck")],
    "unplayable_decks": [
        Expect("cards/spare.yaml", 3, "owner", "which plays deck `merchants`: no role can play"),
        Expect("cards/zz_orphans.yaml", 3, "owner", "unknown owner `pirates`"),
    ],
    "deck_folder": [Expect("cards/extra.yaml", 1, "", "a folder, not a deck file")],
    "yml_extension": [Expect("cards/extra.yml", 1, "", "`.yml` files are not loaded")],
    "flags_and_tags": [
        Expect(M, 9, "cards[0].requires[0].flag", "flag `charter_signed` is never set"),
        Expect(M, 12, "cards[0].on_play[1].tags[0]", "no card has tag `economy`"),
    ],
    "yaml11_numbers": [
        Expect(M, 7, "cards[0].cost", "`010` is read by YAML 1.1 as the octal number 8; write 10"),
        Expect(M, 10, "cards[0].on_play[0].delta", "`0b1` is read by YAML 1.1 as the binary"),
        Expect(M, 18, "cards[1].roll.base", "`1:30` is read by YAML 1.1 as the base-60 number 90"),
        Expect(M, 22, "cards[1].on_success[0].delta", "`-0x02` is read by YAML 1.1 as the hex"),
        Expect(M, 30, "cards[2].cost", "`1_0` is read by YAML 1.1 as the number 10; write 10, or"),
    ],
    "control_characters": [
        Expect(M, 6, "cards[0].title", "character U+001B (escape) is not allowed"),
        Expect(M, 27, "cards[1].text", "U+009B (control sequence introducer) is not allowed"),
        Expect(M, 30, "cards[2].title", "character U+0000 (NUL) is not allowed"),
    ],
    "bidi_override": [
        Expect(M, 1, "", "character U+2067 (right-to-left isolate) is not allowed"),
        Expect(M, 6, "", "character U+202E (right-to-left override) is not allowed"),
        Expect(M, 35, "cards[2].text", "U+2066 (left-to-right isolate) is not allowed"),
    ],
    "raw_control_byte": [Expect(M, 12, "", "character U+001B (escape) is not allowed")],
    "line_break_characters": [
        Expect(M, 6, "", "character U+2028 (line separator) is not allowed"),
        Expect(M, 12, "", "character U+0085 (next line) is not allowed"),
        Expect(M, 26, "", "a carriage return (U+000D) without a line feed is not allowed"),
    ],
    "schema_and_references": [
        Expect(M, 7, "cards[0].cost", "expected a whole number, got a list"),
        Expect(M, 16, "cards[1].cost", 'expected a whole number, got the text "three"'),
        Expect(M, 22, "cards[1].on_success[0].track", "unknown track `pirates`"),
        Expect(M, 33, "cards[2].on_play[0].power", "unknown power `nort`"),
    ],
    "scenario_schema_and_deck_references": [
        Expect(S, 31, "countries[0].weight", 'got the text "2"'),
        # `amber` failed validation but keeps its id: only the misspelt `ambr` is unknown.
        Expect(M, 8, "cards[0].target.filter.ids[1]", "unknown country `ambr`"),
    ],
    "scenario_schema": [
        Expect(S, 27, "countries[0].region", "missing required field `region`"),
        Expect(S, 29, "countries[0].regoin", "unknown field `regoin` (did you mean `region`?)"),
        Expect(S, 30, "countries[0].weight", 'got the text "2"'),
        Expect(S, 63, "tracks[0]", "`start` 9 is outside [0, 6]"),
        Expect(S, 105, "turns", "phases must be distinct and in the order"),
    ],
    "scenario_references": [
        Expect(S, 22, "status.channel_weights.navvy", "unknown channel `navvy`"),
        Expect(S, 25, "status.groups[1].aligned_with[0]", "unknown power `pirate`"),
        Expect(S, 32, "countries[0].alliance.strength", "above the maximum 3"),
        Expect(S, 35, "countries[1].region", "unknown region `middle`"),
        Expect(S, 36, "countries[1].ties.south.fate", "unknown channel `fate`"),
        Expect(S, 36, "countries[1].ties.nord", "unknown power `nord`"),
        Expect(S, 45, "countries[4].id", "duplicate country id `amber`"),
        Expect(S, 57, "institutions[1].members[3]", "`coral` is listed twice"),
        Expect(S, 57, "institutions[1].members[4]", "unknown country or power `atlantis`"),
        Expect(S, 58, "institutions[1].lean.pirats", "unknown power `pirats`"),
        Expect(S, 61, "institutions[2].members[2]", "unknown country or power `ember`"),
        Expect(S, 90, "roles[1].deck", "no deck file declares `deck: corsair`"),
        Expect(S, 91, "roles[1].countries[1]", "unknown country `ember`"),
        Expect(S, 122, "sudden_death[0].winner", "unknown role `corsair`"),
        Expect("cards/corsairs.yaml", 2, "owner", "no role can play these cards"),
    ],
    "language_cards": [
        Expect("cards/corsairs.yaml", 8, "cards[0].turn", "this card is in a role's deck"),
        Expect(
            "cards/corsairs.yaml",
            17,
            "cards[1].on_play[0].power",
            "the card has no power `target`: add `target: {kind: power}` or name a power",
        ),
        Expect("cards/corsairs.yaml", 23, "cards[2].target.filter", "this filter leaves 0"),
        Expect(
            "cards/corsairs.yaml",
            34,
            "cards[3].target.filter.some_of",
            "`at_least: 3` asks for more filters than the 2 in `of`",
        ),
        Expect("cards/events.yaml", 7, "cards[0].turn", "turn 9 never comes: the game has 4"),
        Expect("cards/events.yaml", 14, "cards[1].year", "the game covers 1650–1669"),
        Expect("cards/events.yaml", 19, "cards[2]", "give the event's `turn` or its `year`"),
        Expect("cards/events.yaml", 30, "cards[3].turn", "cannot also be `inject_only`"),
    ],
    "language_scenario": [
        Expect(S, 22, "alliance.decay_with.southh", "unknown power `southh`"),
        Expect(S, 37, "countries[0].alliances", "give either `alliance` (one) or `alliances`"),
        Expect(S, 37, "countries[0].alliances", "2 alliances at the start, but `alliance.per"),
        Expect(S, 46, "countries[2].alliances", "may hold only that many; raise `alliance.per"),
        Expect(S, 48, "countries[2].alliances[1].power", "a second alliance with `south`"),
        Expect(S, 66, "institutions[1].lean.merchants", "write `north`"),
        Expect(S, 98, "roles[1].agenda", "`agenda` is for roles without one"),
        Expect(S, 137, "sudden_death[1].winners[1]", "`merchants` is listed twice"),
    ],
}


CASES["tile_map"] = [
    Expect(S, 126, "map.countries", "every country needs a tile; missing: `dune`"),
    Expect(S, 128, "map.countries.basalt", "(0, 0) is already taken by the tile of `amber`"),
    Expect(S, 129, "map.countries.coral", "(4, 1) is off the grid: columns 0 to 3, rows 0 to 2"),
    Expect(S, 130, "map.countries.dunes", "unknown country `dunes` (did you mean `dune`?)"),
    Expect(
        S, 131, "map.countries.ember.code", "code `AMB` is also the code of the tile of `dunes`"
    ),
    Expect(S, 133, "map.powers.nort", "unknown power `nort` (did you mean `north`?)"),
    Expect(S, 135, "map.regions.outer", "(3, 2) is already taken by the tile of `ember`"),
]
"""A tile map: a country without a tile, two tiles on a cell, a tile off the grid, unknown ids,
a code used twice, a label on a tile."""


def overlay(case: str, dest: Path) -> Path:
    """The mini scenario with the case's files laid over it."""
    folder = dest / "scenario"
    shutil.copytree(MINI, folder)
    shutil.copytree(BAD / case, folder, dirs_exist_ok=True)
    return folder


def relative(report: LoadReport, root: Path) -> list[tuple[str, int, str, str]]:
    return [
        (Path(p.file).relative_to(root).as_posix(), p.line, p.path, p.message)
        for p in report.problems
    ]


def test_every_bad_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_fixture(case: str, tmp_path: Path) -> None:
    root = overlay(case, tmp_path)
    report = load_scenario_report(root)
    assert report.scenario is None
    found = relative(report, root)
    matched: set[tuple[str, int, str, str]] = set()
    for want in CASES[case]:
        hits = [
            f
            for f in found
            if (f[0], f[1], f[2]) == (want.file, want.line, want.path) and want.phrase in f[3]
        ]
        assert hits, f"expected {want} in:\n" + "\n".join(map(str, found))
        matched.update(hits)
    # Nothing but what the case is about: a fixture makes exactly its own mistakes.
    assert matched == set(found), "\n".join(map(str, set(found) - matched))


def test_mini_fixture_loads_clean() -> None:
    report = load_scenario_report(MINI)
    assert report.problems == []
    scenario = load_scenario(MINI)
    assert isinstance(scenario, Scenario)
    assert [d.deck for d in scenario.decks] == ["corsairs", "events", "merchants"]
    assert len(scenario.cards()) == 14
    assert report.summary["cards"] == 14 and report.summary["roles"] == 2


def test_load_scenario_raises_with_every_problem(tmp_path: Path) -> None:
    root = overlay("unknown_ids", tmp_path)
    with pytest.raises(DeckError) as info:
        load_scenario(root)
    assert len(info.value.problems) == 9
    assert "unknown country `ambr`" in str(info.value)
    assert "(and 8 more)" in str(info.value)


def test_problems_from_every_file_in_one_run(tmp_path: Path) -> None:
    root = overlay("scenario_schema", tmp_path)
    shutil.copytree(BAD / "python_tag", root, dirs_exist_ok=True)
    events = root / "cards" / "events.yaml"
    events.write_text(events.read_text().replace("title: A great storm", "title: 5"))
    shutil.copy(BAD / "syntax_error" / M, root / "cards" / "zz_broken.yaml")
    files = {f for f, *_ in relative(load_scenario_report(root), root)}
    assert files == {S, M, "cards/events.yaml", "cards/zz_broken.yaml"}


def test_reference_checks_still_run_when_one_deck_is_broken(tmp_path: Path) -> None:
    root = overlay("unknown_ids", tmp_path)
    shutil.copy(BAD / "syntax_error" / M, root / "cards" / "zz_broken.yaml")
    found = relative(load_scenario_report(root), root)
    assert any("unknown country `ambr`" in f[3] for f in found)
    # The broken file's deck is unknown, so "no deck file declares" checks stay quiet.
    assert not any("no deck file declares" in f[3] for f in found)


def test_dropped_items_keep_their_place_in_the_file(tmp_path: Path) -> None:
    """Items with no valid reading are dropped from the salvaged deck; what the reference
    checks then find is still located at the item's own index and line."""
    root = tmp_path / "scenario"
    shutil.copytree(MINI, root)
    deck = root / "cards" / "merchants.yaml"
    text = deck.read_text().replace("cards:\n", "cards:\n  - not a card\n  - [nor, this]\n", 1)
    deck.write_text(text.replace("{kind: alliance, power: north", "{kind: alliance, power: nort"))
    found = relative(load_scenario_report(root), root)
    assert [(f, line, path) for f, line, path, _ in found] == [
        (M, 4, "cards[0]"),
        (M, 5, "cards[1]"),
        (M, 34, "cards[4].on_play[0].power"),
    ], found


def test_no_world_no_reference_checks(tmp_path: Path) -> None:
    """Without its countries the scenario cannot tell a misspelt id from a good one: only the
    schema error is reported, not one "unknown country" per reference."""
    root = tmp_path / "scenario"
    shutil.copytree(MINI, root)
    scenario = root / "scenario.yaml"
    text = scenario.read_text()
    start = text.index("countries:\n")
    end = text.index("\n", text.index("\ninstitutions:") - 1)
    scenario.write_text(text[:start] + "countries: 5\n" + text[end + 1 :])
    found = relative(load_scenario_report(root), root)
    assert [(f, path) for f, _, path, _ in found] == [(S, "countries")], found


# --------------------------------------------------------------------------- limits


def test_billion_laughs_refused_fast() -> None:
    start = time.process_time()
    parsed = parse_yaml((BAD / "billion_laughs" / M).read_text(), "laughs.yaml")
    assert time.process_time() - start < 0.5
    assert parsed.data is None and "aliases" in parsed.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "{a: " * 50_000 + "}" * 50_000,
        "".join("  " * i + "- \n" for i in range(1200)),
        "".join("  " * i + f"k{i}:\n" for i in range(1200)),
    ],
    ids=["flow-list", "flow-map", "block-list", "block-map"],
)
def test_deep_nesting_refused_fast(text: str) -> None:
    start = time.process_time()
    parsed = parse_yaml(text, "deep.yaml")
    assert time.process_time() - start < 1.0
    assert parsed.data is None
    assert "deeper than 64" in parsed.problems[0].message


def test_many_aliases_to_a_big_anchor_refused_fast() -> None:
    big = "base: &big [" + ", ".join(["x"] * 5000) + "]\nuses:\n" + "  - *big\n" * 100
    start = time.process_time()
    parsed = parse_yaml(big, "big.yaml")
    assert time.process_time() - start < 0.5
    assert "more than 100,000 values" in parsed.problems[0].message


def test_file_over_five_megabytes_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "scenario.yaml"
    with big.open("w") as handle:
        handle.write("# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    start = time.process_time()
    report = load_scenario_report(big)
    assert time.process_time() - start < 0.5
    assert [p.message for p in report.problems] == [
        "the file is too large (5.0 MB; the limit is 5 MB)"
    ]


def test_deck_over_five_megabytes_refused_with_the_rest_checked(tmp_path: Path) -> None:
    root = overlay("unknown_ids", tmp_path)
    (root / "cards" / "huge.yaml").write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    found = relative(load_scenario_report(root), root)
    assert ("cards/huge.yaml", 1, "", "the file is too large (5.0 MB; the limit is 5 MB)") in found
    assert len(found) == 1 + 9


# --------------------------------------------------------------------------- the YAML layer


def test_safe_only_python_tags_refused() -> None:
    parsed = parse_yaml("a: !!python/object:os.system {x: 1}\nb: !!python/name:os.system ''\n", "t")
    assert [p.message.split(":")[0] for p in parsed.problems] == [
        "tag `!!python/object",
        "tag `!!python/name",
    ]
    assert parsed.blocked == {("a",), ("b",)}


def test_standard_tags_allowed_and_strict() -> None:
    parsed = parse_yaml("a: !!int '3'\nb: !!str 3\nc: '3'\nd: 3\ne: 2020-01-01\n", "t")
    assert parsed.problems == []
    assert parsed.data == {"a": 3, "b": "3", "c": "3", "d": 3, "e": "2020-01-01"}


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        *[("10", 10), ("-3", -3), ("0", 0), ("+5", 5), ("2.5", 2.5), (".5", 0.5), ("-0.25", -0.25)],
        *[("true", True), ("False", False), ("TRUE", True), ("null", None), ("~", None)],
        *[("09", "09"), ("1e3", "1e3"), ("0o10", "0o10"), ("y", "y"), ("n", "n")],
    ],
)
def test_plain_scalars_read_as_written(raw: str, value: object) -> None:
    """Decimals mean what they say in YAML 1.1 and 1.2 alike, and so do true/false/null;
    `09`, `1e3`, `0o10`, `y` are text to YAML 1.1 (the schema says if text is wanted)."""
    parsed = parse_yaml(f"a: {raw}\n", "t")
    assert parsed.problems == [] and parsed.data == {"a": value}


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [
        ("010", "as the octal number 8; write 10, or quote it"),
        ("-007", "as the octal number -7; write -7"),
        ("0x0A", "as the hexadecimal number 10; write 10"),
        ("0b11", "as the binary number 3; write 3"),
        ("1_0", "as the number 10; write 10"),
        ("1_000.5", "as the number 1000.5; write 1000.5"),
        ("1:30", "as the base-60 number 90; write 90"),
        ("1.5e+3", "as the number 1500.0; write 1500.0"),
        ("!!int 010", "as the octal number 8"),
        ("yes", "as the boolean true; quote it"),
        ("Off", "as the boolean false; quote it"),
        ("ON", "as the boolean true; quote it"),
    ],
)
def test_yaml11_readings_refused_with_a_hint(raw: str, phrase: str) -> None:
    parsed = parse_yaml(f"t: x\na: {raw}\n", "t")
    (problem,) = parsed.problems
    assert (problem.line, problem.column, problem.path) == (2, 4, "a")
    assert phrase in problem.message
    assert ("a",) in parsed.blocked


def test_bad_literal_for_an_explicit_tag() -> None:
    parsed = parse_yaml("a: !!int abc\n", "t")
    assert parsed.problems[0].message == "`abc` is not a valid !!int"


def test_positions_per_key_path() -> None:
    text = "cards:\n  - id: a\n    roll:\n      base: 3\n  - {id: b, cost: 2}\n"
    parsed = parse_yaml(text, "t")
    where = {format_path(k): (v.line, v.column) for k, v in parsed.source.positions.items()}
    assert where["cards[0].roll.base"] == (4, 7)
    assert where["cards[1]"] == (5, 5)
    assert where["cards[1].cost"] == (5, 13)
    assert parsed.source.locate(("cards", 1, "missing", "deeper")) == parsed.source.locate(
        ("cards", 1)
    )


def test_merge_keys_follow_yaml_and_keep_positions() -> None:
    text = "base: &b {cost: 1, title: x}\ncard:\n  <<: *b\n  cost: 2\n"
    parsed = parse_yaml(text, "t")
    assert parsed.problems == []
    assert parsed.data["card"] == {"cost": 2, "title": "x"}
    assert parsed.source.positions[("card", "cost")].line == 4
    assert parsed.source.positions[("card", "title")].line == 1


def test_recursive_alias_refused() -> None:
    parsed = parse_yaml("a: &a [1, *a]\n", "t")
    assert "endless loop" in parsed.problems[0].message


def test_pure_python_parser_gives_the_same_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (MINI / "cards" / "merchants.yaml").read_text()
    fast = parse_yaml(text, "t")
    monkeypatch.setattr(yaml_positions, "_Loader", yaml.SafeLoader)
    slow = parse_yaml(text, "t")
    assert slow.data == fast.data
    assert slow.source.positions == fast.source.positions
    broken = parse_yaml("a: [1, 2\n", "t")
    assert (broken.problems[0].line, broken.problems[0].column) == (2, 1)


# --------------------------------------------------------------------------- exact positions

WIDE = "é中𝄞 «ü» "
"""Two-, three- and four-byte UTF-8 characters: byte and character offsets disagree."""


def _marked(text: str) -> tuple[str, int, int]:
    """`text` without its `@` marker, and the 1-based line and column where the marker was."""
    at = text.index("@")
    line = text.count("\n", 0, at) + 1
    return text.replace("@", "", 1), line, at - (text.rfind("\n", 0, at) + 1) + 1


POSITION_CASES = {
    # the scanner
    "scanner": f"a: {WIDE}\nb: {WIDE}x@: y\n",
    "scanner-tab": f"a: {WIDE}\nb:\n  - {WIDE}\n@\t- x\n",
    # the parser
    "parser": f"a: [{WIDE}, {WIDE}\n@",
    "parser-flow-end": f"a: {WIDE}\nb: [{WIDE}, {WIDE} @}}]\n",
    # the reader (every character it refuses is caught before it, by scan_text)
    "reader-c0": f"a: {WIDE}\nb: {WIDE}@\x01\n",
    "reader-del": f"{WIDE}: {WIDE}@\x7f\n",
    "reader-c1": f'a: {WIDE}\nb: "{WIDE}@\x9b"\n',
    "reader-bidi": f"a: {WIDE}\n# {WIDE}@\u202e\n",
    "reader-crlf": f"a: {WIDE}\r\nb: {WIDE}@\x01\r\n",
    "scanner-crlf": f"a: {WIDE}\r\nb: {WIDE}x@: y\r\n",
    # the composer and builder
    "duplicate-key": f"a: {WIDE}\nb: {{x: {WIDE}, @x: 2}}\n",
    "octal": f"a: {WIDE}\nb: {{t: {WIDE}, c: @010}}\n",
    "escape": f'a: {WIDE}\nb: "{WIDE}\n  {WIDE}@\\e[2J"\n',
    "tag": f"a: {WIDE}\nb: [{WIDE}, @!!python/name:os.system x]\n",
}


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
@pytest.mark.parametrize("case", sorted(POSITION_CASES))
def test_positions_exact_after_multibyte_text(
    case: str, loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loader == "pure":
        monkeypatch.setattr(yaml_positions, "_Loader", yaml.SafeLoader)
    text, line, column = _marked(POSITION_CASES[case])
    problems = parse_yaml(text, "t").problems
    assert problems, case
    assert (problems[0].line, problems[0].column) == (line, column), problems[0]


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_an_error_at_the_end_of_a_file_without_a_final_line_break_is_on_its_last_line(
    loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scanner ends such a file on a line of its own, one past what an editor shows."""
    if loader == "pure":
        monkeypatch.setattr(yaml_positions, "_Loader", yaml.SafeLoader)
    text = f"a: {WIDE}\nb"
    problems = parse_yaml(text, "t").problems
    assert problems
    assert (problems[0].line, problems[0].column) == (2, 2), problems[0]


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_reader_errors_located_by_character(loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml counts bytes where the pure reader counts characters; both land on the char."""
    if loader == "pure":
        monkeypatch.setattr(yaml_positions, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml_positions, "scan_text", lambda text, file: ([], False))
    text, line, column = _marked(f"a: {WIDE}\nb: {WIDE}{WIDE}@\x01\n")
    (problem,) = parse_yaml(text, "t").problems
    assert (problem.line, problem.column) == (line, column)
    assert "U+0001" in problem.message


def test_schema_errors_exact_after_multibyte_text(tmp_path: Path) -> None:
    root = tmp_path / "scenario"
    shutil.copytree(MINI, root)
    deck = root / "cards" / "merchants.yaml"
    text = deck.read_text()
    marked = text.replace(
        "    title: Trade mission\n    cost: 2\n",
        f"    title: 贸易代表团 {WIDE}\n"
        f"    source: {{quote: {WIDE * 2}, @qoute: x}}\n    cost: 2\n",
    ).replace('    source: {quote: "in addition to its economic attractiveness"}\n', "", 1)
    plain, line, column = _marked(marked)
    deck.write_text(plain)
    problems = load_scenario_report(root).problems
    assert [(p.line, p.column, p.path) for p in problems] == [
        (line, column, "cards[0].source.qoute")
    ], problems


def test_bad_utf8_located_by_character(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(f"a: {WIDE}\nb: {WIDE}".encode() + b"\xff\n")
    (problem,) = load_scenario_report(path).problems
    assert (problem.line, problem.column) == (2, 4 + len(WIDE))
    assert "not UTF-8" in problem.message


def test_problem_text_never_carries_control_characters(tmp_path: Path) -> None:
    root = overlay("control_characters", tmp_path)
    deck = root / "cards" / "merchants.yaml"
    deck.write_text(deck.read_text() + '  - {"id\\e[31m": x, "\\u202e": y}\n')
    for problem in load_scenario_report(root).problems:
        assert printable(problem.format()) == problem.format(), problem


def test_libyaml_is_used_when_present() -> None:
    if getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML built without libyaml")
    assert yaml_positions._Loader is yaml.CSafeLoader


# --------------------------------------------------------------------------- paths


def _load_within(root: Path, seconds: float = 10.0) -> LoadReport:
    """Load in a daemon thread, so a loader that blocks fails the test instead of hanging it."""
    result: list[LoadReport] = []
    thread = threading.Thread(target=lambda: result.append(load_scenario_report(root)))
    thread.daemon = True
    thread.start()
    thread.join(seconds)
    assert result, f"loading {root} blocked for {seconds} s"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_entries_that_are_not_deck_files_are_named(tmp_path: Path) -> None:
    root = overlay("deck_folder", tmp_path)
    cards = root / "cards"
    os.mkfifo(cards / "pipe.yaml")
    (tmp_path / "outside.yaml").write_text((MINI / "cards" / "events.yaml").read_text())
    (cards / "outside.yaml").symlink_to(tmp_path / "outside.yaml")
    (cards / "device.yaml").symlink_to("/dev/zero")
    (cards / "dangling.yaml").symlink_to(cards / "gone.yaml")
    (cards / "linked").symlink_to(tmp_path, target_is_directory=True)
    (root / "more").mkdir()
    (root / "more" / "inside.yaml").symlink_to(cards / "merchants.yaml")
    devices = []
    try:  # a real device node inside the scenario needs root
        os.mknod(cards / "null.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        devices = [("cards/null.yaml", 1, "a device")]
    except (OSError, AttributeError):
        pass
    found = relative(_load_within(root), root)
    named = sorted(
        (f, line, m.split(":")[0].split(",")[0]) for f, line, _, m in found if f.startswith("cards")
    )
    assert named == [
        ("cards/dangling.yaml", 1, f"a link to {cards / 'gone.yaml'}"),
        ("cards/device.yaml", 1, "a link to /dev/zero"),
        ("cards/extra.yaml", 1, "a folder"),
        ("cards/linked", 1, "a link to a folder"),
        *devices,
        ("cards/outside.yaml", 1, f"a link to {tmp_path / 'outside.yaml'}"),
        ("cards/pipe.yaml", 1, "a named pipe (FIFO)"),
    ], found
    # A link inside the scenario is followed: the same deck is then declared twice.
    assert ("more/inside.yaml", 1, "deck", "deck `merchants` is declared twice") in found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_scenario_file_that_is_a_fifo_does_not_block(tmp_path: Path) -> None:
    root = tmp_path / "scenario"
    shutil.copytree(MINI, root)
    (root / "scenario.yaml").unlink()
    os.mkfifo(root / "scenario.yaml")
    report = _load_within(root)
    assert report.problems[0].message.startswith("a named pipe (FIFO), not a scenario file")
    (root / "scenario.yaml").unlink()
    (root / "scenario.yaml").symlink_to(MINI / "scenario.yaml")
    assert (
        _load_within(root)
        .problems[0]
        .message.startswith(
            f"a link to {(MINI / 'scenario.yaml').resolve()}, outside the scenario folder"
        )
    )
    (root / "scenario.yaml").unlink()
    os.mkfifo(root / "scenario.yaml")
    assert _load_within(root / "scenario.yaml").problems[0].message == (
        "a named pipe (FIFO), not a regular file"
    )


def test_file_names_as_the_user_typed_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overlay("nan", tmp_path)
    monkeypatch.chdir(tmp_path)
    report = load_scenario_report("scenario")
    assert {p.file for p in report.problems} == {
        os.path.join("scenario", "cards", "merchants.yaml")
    }


def test_missing_path() -> None:
    report = load_scenario_report("no/such/scenario")
    assert report.problems == [Problem("no/such/scenario", 1, 1, "", "no such file or folder")]


def test_folder_without_scenario_points_below(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "inner" / "mini")
    report = load_scenario_report(tmp_path / "inner")
    assert len(report.problems) == 1
    assert "no scenario.yaml in this folder (scenario folders below it: mini)" in (
        report.problems[0].message
    )


def test_single_file_loads_the_scenario_without_decks() -> None:
    report = load_scenario_report(MINI / "scenario.yaml")
    messages = [p.message for p in report.problems]
    assert len(messages) == 2
    assert all("no deck file declares" in m for m in messages)


def test_single_deck_file_gets_a_hint() -> None:
    report = load_scenario_report(MINI / "cards" / "events.yaml")
    assert "this is a deck file" in report.problems[0].message


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "the file is empty"),
        (b"# nothing\n", "the file is empty"),
        (b"- a\n- b\n", "expected `key: value` lines at the top of the file, got a list"),
        (b"just words\n", 'got the text "just words"'),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8 text"),
        (b"a: \x00\n", "character U+0000 (NUL) is not allowed"),
    ],
)
def test_odd_files_are_problems_not_exceptions(content: bytes, phrase: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(content)
    report = load_scenario_report(path)
    assert report.scenario is None
    assert any(phrase in p.message for p in report.problems), report.problems


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    root = overlay("nan", tmp_path)
    (root / "cards" / "merchants.yaml").chmod(0)
    try:
        report = load_scenario_report(root)
    finally:
        (root / "cards" / "merchants.yaml").chmod(0o644)
    assert any("cannot read" in p.message for p in report.problems)


def test_inline_decks_in_the_scenario_file(tmp_path: Path) -> None:
    text = (MINI / "scenario.yaml").read_text()
    decks = []
    for name in ("corsairs", "events", "merchants"):
        body = (MINI / "cards" / f"{name}.yaml").read_text()
        decks.append("  - " + body.replace("\n", "\n    ").rstrip() + "\n")
    broken = "".join(decks).replace("track: storms, delta: 2", "track: storm, delta: 2")
    (tmp_path / "scenario.yaml").write_text(text + "decks:\n" + broken)
    report = load_scenario_report(tmp_path)
    assert [(p.path, p.message.split(" (")[0]) for p in report.problems] == [
        ("decks[1].cards[0].on_play[0].track", "unknown track `storm`")
    ]


def test_problems_per_file_are_capped(tmp_path: Path) -> None:
    root = overlay("nan", tmp_path)
    (root / "cards" / "zz_many.yaml").write_text(
        "deck: many\nowner: events\ncards:\n" + "  - {id: x, title: 5}\n" * 150
    )
    found = relative(load_scenario_report(root), root)
    many = [f for f in found if f[0] == "cards/zz_many.yaml"]
    assert len(many) == 101
    assert many[-1][3].startswith("... and ") and "more problems in this file" in many[-1][3]
    assert len([f for f in found if f[0] == M]) == 2


def test_largest_allowed_file_reads_fast() -> None:
    text = "cards:\n" + "  - {id: a, title: t, cost: 3, tags: [x, y]}\n" * 9000
    start = time.process_time()
    parsed = parse_yaml(text, "big.yaml")
    assert time.process_time() - start < 1.5
    assert parsed.problems == [] and len(parsed.data["cards"]) == 9000
    refused = parse_yaml(text * 2, "bigger.yaml")
    assert "more than 100,000 values" in refused.problems[0].message


def test_report_unpacks_as_a_pair() -> None:
    scenario, problems = load_scenario_report(MINI)
    assert isinstance(scenario, Scenario) and problems == []


def test_scenario_yml_gets_a_rename_hint(tmp_path: Path) -> None:
    shutil.copy(MINI / "scenario.yaml", tmp_path / "scenario.yml")
    (message,) = [p.message for p in load_scenario_report(tmp_path).problems]
    assert message == "no scenario.yaml in this folder (rename scenario.yml to scenario.yaml)"


def test_a_list_under_alliance_says_to_write_alliances(tmp_path: Path) -> None:
    """Several starting alliances given under the singular `alliance:`: the message names the
    list's own field."""
    folder = tmp_path / "scenario"
    shutil.copytree(MINI, folder)
    text = (folder / "scenario.yaml").read_text()
    assert "    alliances:\n      - {power: south" in text  # Coral Keys' two alliances
    (folder / "scenario.yaml").write_text(
        text.replace(
            "    alliances:\n      - {power: south", "    alliance:\n      - {power: south"
        )
    )
    report = load_scenario_report(folder)
    found = relative(report, folder)
    line = text.splitlines().index("    alliances:") + 1
    assert found == [
        (
            "scenario.yaml",
            line,
            "countries[2].alliance",
            "expected a mapping, got a list (for several, write them under `alliances:`)",
        )
    ]
