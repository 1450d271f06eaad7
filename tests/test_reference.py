"""The scenario language reference and the editor schemas are made from the models.

The committed copies (`docs/REFERENCE.md`, `docs/schema/*.json`) must be what the models give
today (`make docs` remakes them); every field says what it means; every kind of effect,
condition and metric carries an example that the models accept; the bundled files point their
editor at the committed schema, and that schema accepts them and rejects what the loader does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from tests.json_schema_check import errors
from wargame.cli import main
from wargame.schema import reference
from wargame.schema.base import Id, Model
from wargame.schema.cards import Deck
from wargame.schema.reference import (
    SCHEMA_DIR,
    SCHEMA_FILES,
    json_schemas,
    model_examples,
    reference_markdown,
    schema_text,
)
from wargame.schema.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUNDLED = ROOT / "decks" / "circle-of-friends"
HEADER = "# yaml-language-server: $schema="


def all_models() -> list[type[BaseModel]]:
    catalogue = reference._Catalogue()
    catalogue.walk(Scenario, "Scenario file")
    catalogue.walk(Deck, "Deck files")
    return catalogue.order


def union_members() -> list[type[BaseModel]]:
    catalogue = reference._Catalogue()
    catalogue.walk(Scenario, "Scenario file")
    catalogue.walk(Deck, "Deck files")
    return list(catalogue.family)


def test_the_committed_reference_is_what_the_models_give() -> None:
    committed = (DOCS / "REFERENCE.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "docs/REFERENCE.md is stale: run `make docs`"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES.values()))
def test_the_committed_schemas_are_what_the_models_give(name: str) -> None:
    committed = (ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema_text(json_schemas()[name]), f"{name} is stale: run `make docs`"


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_every_field_says_what_it_means(model: type[BaseModel]) -> None:
    missing = [
        name
        for name, info in model.model_fields.items()
        if name != "kind" and not (info.description or "").strip()
    ]
    assert not missing, f"{model.__name__}: fields without a description: {missing}"
    assert model.__doc__ and model.__doc__ != BaseModel.__doc__, f"{model.__name__}: no docstring"


@pytest.mark.parametrize("model", union_members(), ids=lambda m: m.__name__)
def test_every_kind_has_an_example_the_models_accept(model: type[BaseModel]) -> None:
    found = model_examples(model)
    assert found, f"{model.__name__} has no example"
    for example in found:
        model.model_validate(example)


def test_every_example_is_valid() -> None:
    for model in all_models():
        for example in model_examples(model):
            TypeAdapter(model).validate_python(example)


def test_the_reference_names_every_field_and_kind() -> None:
    text = reference_markdown()
    for model in all_models():
        for name in model.model_fields:
            assert f"`{name}`" in text, f"{model.__name__}.{name} is not in the reference"
    for kind in ("form_alliance", "seated", "bridges"):
        assert f"`kind: {kind}`" in text
    assert "(#effects)" in text and "(#conditions)" in text and "(#metrics)" in text


def test_a_field_added_to_a_model_appears_in_the_reference() -> None:
    """A new field shows with its type, bounds, default and meaning, from its annotation and
    its docstring alone: another branch's additions need no edit here."""

    class Gadget(Model):
        """A thing a scenario might hold."""

        speed: int = Field(default=2, ge=1, le=9)
        """How fast it goes."""
        rivals: list[Id] = []
        """Who it races."""

    block = reference._model_block(Gadget, reference._Catalogue())
    assert "A thing a scenario might hold." in block
    assert "| `speed` | whole number (1 to 9) | `2` | How fast it goes. |" in block
    assert "| `rivals` | list of ids | `[]` | Who it races. |" in block


def bundled_files() -> list[Path]:
    return [BUNDLED / "scenario.yaml", *sorted((BUNDLED / "cards").glob("*.yaml"))]


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_bundled_files_carry_the_editor_header_and_fit_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(HEADER), f"{path.name}: no editor header"
    schema_path = (path.parent / first.removeprefix(HEADER)).resolve()
    which = "scenario" if path.name == "scenario.yaml" else "deck"
    assert schema_path == (ROOT / SCHEMA_DIR / SCHEMA_FILES[which]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert errors(schema, data) == []


def load_deck(name: str) -> dict[str, Any]:
    data = yaml.safe_load((BUNDLED / "cards" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d["cards"][0].update(cost="2"), "not integer"),
        (lambda d: d["cards"][0].update(costs=2), "unknown costs"),
        (lambda d: d["cards"][0]["on_play"].append({"kind": "tie", "power": "us"}), "fits 0"),
        (lambda d: d["cards"][0].update(id="Big Card"), "does not match"),
        (lambda d: d["cards"][0].pop("title"), "missing title"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(change: Any, why: str) -> None:
    deck = load_deck("us.yaml")
    change(deck)
    with pytest.raises(ValidationError):
        Deck.model_validate(deck)
    found = errors(json_schemas()[SCHEMA_FILES["deck"]], deck)
    assert any(why in e for e in found), found


def test_wargame_schema_writes_both_schemas_and_the_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "schemas"
    assert main(["schema", "-o", str(out), "--reference", str(tmp_path / "ref.md")]) == 0
    for name, schema in json_schemas().items():
        assert (out / name).read_text(encoding="utf-8") == schema_text(schema)
    assert (tmp_path / "ref.md").read_text(encoding="utf-8") == reference_markdown()
    assert "wrote" in capsys.readouterr().out


def test_wargame_schema_into_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("x")
    assert main(["schema", "-o", str(tmp_path / "taken")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file; -o takes a folder" in err
