"""A card's source: a verbatim passage of the scenario's source text, a citation of another
document or public record, or both; the card panel shows a citation as a citation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from wargame.schema.cards import Citation, Source
from wargame.schema.loader import load_scenario
from wargame.tui.render import source_parts

MINI = Path(__file__).parent / "fixtures" / "mini"


def shown(source: Source) -> str:
    from textual.content import Content

    return Content.assemble(*source_parts(source)).plain


def test_a_quote_shows_in_quotation_marks_with_its_note() -> None:
    text = shown(Source(quote="the frequent conduct of joint military exercise", note=4))
    assert text == "Source: “the frequent conduct of joint military exercise”  (note 4)\n"


def test_a_citation_shows_as_a_citation_not_a_quotation() -> None:
    cited = Citation(
        author="Pacific Islands Forum",
        title="Boe Declaration on Regional Security",
        date="2018-09-05",
        url="https://www.forumsec.org/",
    )
    text = shown(Source(citation=cited))
    assert text == (
        "Source: Pacific Islands Forum, Boe Declaration on Regional Security, 2018-09-05, "
        "https://www.forumsec.org/\n"
    )
    assert "“" not in text and '"' not in text
    italic = [p for p in source_parts(Source(citation=cited)) if isinstance(p, tuple)]
    assert ("Boe Declaration on Regional Security", "italic") in italic


def test_a_quote_and_a_citation_show_both() -> None:
    source = Source(
        quote="welcomes countries of all sizes",
        citation=Citation(title="Annual report", page="p. 12"),
    )
    assert shown(source) == (
        "Source: “welcomes countries of all sizes”\nCited: Annual report, p. 12\n"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "give a `quote` from the source text, a `citation`, or both"),
        ({"note": 3, "citation": {"title": "A report"}}, "`note` numbers a quoted passage"),
        ({"citation": {"title": "A report", "url": "www.example.org"}}, "should match pattern"),
        ({"citation": {"author": "Someone"}}, "Field required"),
    ],
)
def test_what_a_source_needs(given: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        Source.model_validate(given)


def test_the_fixture_scenario_has_a_card_that_only_cites() -> None:
    scenario = load_scenario(MINI)
    calm = next(card for _, card in scenario.cards() if card.id == "calm_year")
    assert calm.source.quote is None
    assert calm.source.citation is not None
    assert calm.source.citation.describe() == (
        "Harbour Office of Amber Isle, Almanac of the Inner Sea, 1702, p. 14"
    )


def test_a_year_and_a_page_may_be_written_as_numbers() -> None:
    cited = Citation.model_validate({"title": "Annual report", "date": 2019, "page": 12})
    assert cited.describe() == "Annual report, 2019, p. 12"
    assert shown(Source(citation=cited)) == "Source: Annual report, 2019, p. 12\n"
