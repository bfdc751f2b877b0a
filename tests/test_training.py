"""The evidence model is fitted, not hand-set: kg.training fits it deterministically from
annotated articles, the shipped file is what the script makes today, and kg explain shows the
learned weights behind a type."""
from __future__ import annotations

import shutil
import tomllib

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import LexiconError
from kg.extract.evidence import Cue
from kg.lexicon import load
from kg.training import (
    REPOSITORY,
    Example,
    all_conflicts,
    fit,
    gold_type,
    gold_types,
    label_for,
    model_of,
    to_toml,
    training_examples,
)

pytest.importorskip("sklearn")


def _examples() -> list[Example]:
    said = [Example("a", "x", f"P{i}", ("shape:personal", "speech-subject:personal"), "Person") for i in range(8)]
    town = [Example("b", "y", f"T{i}", ("gazetteer-town", "shape:one-word"), "Place") for i in range(8)]
    noise = [Example("c", "z", f"N{i}", ("sentence-initial", "shape:one-word"), "none") for i in range(12)]
    return said + town + noise


@pytest.mark.parametrize("kind", ["multinomial", "directed"])
def test_fitting_learns_which_cue_points_where_and_is_deterministic(kind):
    doc = fit(_examples(), kind=kind)
    assert doc == fit(_examples(), kind=kind)
    model = model_of(doc)
    assert model.decide([Cue("shape:personal", "a"), Cue("speech-subject:personal", "b")]).type == "Person"
    assert model.decide([Cue("gazetteer-town", "a"), Cue("shape:one-word", "b")]).type == "Place"
    assert model.decide([Cue("sentence-initial", "a"), Cue("shape:one-word", "b")]) is None
    assert doc["by_class"] == {"Person": 8, "Place": 8, "none": 12}


def test_a_gold_type_the_model_cannot_give_is_none():
    assert label_for(("Ship",)) == "none"
    assert label_for(("Country", "Organization")) == "Organization"
    assert label_for(None) == "none"


def test_a_persons_surname_alone_is_labelled_the_person(tmp_path):
    gold = tmp_path / "a.toml"
    gold.write_text('[[entity]]\nlabel = "Volodymyr Zelensky"\ntypes = ["Person"]\n\n'
                    '[[entity]]\nlabel = "Black Sea Fleet"\ntypes = ["MilitaryUnit"]\n', encoding="utf-8")
    types = gold_types(gold)
    assert types["zelensky"] == types["volodymyr"] == ("Person",)
    assert "fleet" not in types and "black" not in types       # only a person's name has parts that name it


def test_a_run_that_ends_with_a_gold_persons_name_is_labelled_the_person():
    types = {"benjamin netanyahu": ("Person",), "polisario front": ("Organization",)}
    assert gold_type(types, "Prime Minister Benjamin Netanyahu") == ("Person",)
    assert gold_type(types, "Minister of Information of the Polisario Front") is None    # a person's title
    assert gold_type(types, "Netanyahu") is None


def test_the_shipped_model_is_what_the_script_fits_today():
    """Change a cue without refitting (python -m kg.training lexicons/evidence.toml) and this fails."""
    examples = training_examples()
    shipped = (REPOSITORY / "lexicons" / "evidence.toml").read_text(encoding="utf-8")
    fitted_on = shipped.split("# fitted on: ", 1)[1].split(".\n", 1)[0]
    assert to_toml(fit(examples), fitted_on) == shipped


def test_leave_one_conflict_out_never_fits_on_the_conflict_it_scores():
    conflicts = all_conflicts()
    names = [c.name for c in conflicts]
    assert len(names) == len(set(names)) >= 15
    articles = [a for c in conflicts for a in c.articles]
    assert len(articles) == len(set(articles))          # one article, one conflict


def test_a_malformed_model_file_is_named_with_the_reason(tmp_path):
    folder = tmp_path / "lexicons"
    shutil.copytree(REPOSITORY / "lexicons", folder)
    (folder / "evidence.toml").write_text('classes = ["Person"]\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"evidence\.toml: 'classes' must list 'none'"):
        load(folder)
    (folder / "evidence.toml").write_text('classes = ["none", "Person"]\n[bias]\nPerson = "high"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"\[bias\] must map classes"):
        load(folder)


def test_explain_shows_the_learned_weights_behind_a_type(tmp_path):
    def cli(*args):
        return CliRunner().invoke(main, list(args))

    article = tmp_path / "a.txt"
    article.write_text("Ostap Verbytsky said two drones were downed over the region on Monday.\n", encoding="utf-8")
    assert cli("build", str(article), "--store", str(tmp_path / "s")).exit_code == 0
    out = cli("explain", "Ostap Verbytsky", "--store", str(tmp_path / "s")).output
    weights = tomllib.loads((REPOSITORY / "lexicons" / "evidence.toml").read_text(encoding="utf-8"))["weights"]
    assert f"subject of 'said' -> Person ({weights['speech-subject:personal']['Person']:+.2f})" in out
