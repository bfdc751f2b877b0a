"""Fitting the evidence model (``lexicons/evidence.toml``) on hand-annotated real articles.

Each candidate name that no strong rule typed is one example: its features are the cues of
``kg.extract.evidence`` pooled over the article, its label the class the annotators gave that
name in the article's gold file (its first type the model can say), or "none" when the gold
does not list it. A multinomial logistic regression (scikit-learn, L2, lbfgs: deterministic
for the same examples in the same order) gives a bias and a weight per feature for each class;
they are written as TOML, rounded, so the file reads and diffs well.

    python -m kg.training lexicons/evidence.toml            # refit on the repository's sets

scikit-learn is needed only here (the ``learn`` extra); applying the model is a dot product
(``EvidenceModel``), so a build does not import it.
"""
from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.extract import Extractor
from kg.extract.evidence import NONE, POINTS_TO, Cue, Decision, EvidenceModel
from kg.ingest import read_paths
from kg.lexicon import Lexicons, load
from kg.model import Article
from kg.text import name_key

# The sets the shipped model is fitted on: every annotated real article of the repository,
# as (articles, gold) folders or a folder of conflicts each holding articles/ and gold/.
REPOSITORY = Path(__file__).resolve().parent.parent
TRAINING_SETS = ("tests/data/news-dev", "tests/data/real/dev", "tests/data/real/heldout",
                 "tests/data/real/setaside2", "tests/data/real/setaside3", "tests/data/real/setaside4",
                 "tests/data/real/setaside5", "tests/data/real/setaside6",
                 "tests/data/real/setaside7", "tests/data/real/setaside8", "tests/data/real/setaside9",
                 "tests/data/real/setaside10", "tests/data/real/setaside11",
                 "seeds:tests/data/seeds-gold")
# Annotated text of other sources, fitted on in every fold: Dstl's re3d (training/re3d/README.md),
# defence and foreign-office press releases with every person, organisation and location marked.
EXTERNAL_SETS = ("training/re3d",)
CLASSES = (NONE, "Person", "Organization", "Place", "MilitaryUnit")
# chosen by the leave-one-conflict-out figure (benchmarks/loco.py, docs/extraction.md)
KIND = "multinomial"
REGULARISATION = 10.0          # scikit-learn's C (the inverse of the L2 penalty)
THRESHOLD = 0.45
# The names a rule typed are examples too, counted a tenth: they teach what a cue means ("a role
# after it": a person) from many more names, without outweighing the leftovers the model decides.
LEARN_FROM_TYPED = True
TYPED_WEIGHT = 0.1


@dataclass(frozen=True)
class Example:
    conflict: str
    article: str
    name: str
    features: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Conflict:
    name: str
    articles: tuple[Path, ...]
    golds: tuple[Path, ...]


def conflicts(spec: str, root: Path = REPOSITORY) -> list[Conflict]:
    """The conflicts of one set: ``ARTICLES:GOLD`` folders, a folder holding ``articles/`` and
    ``gold/`` (one conflict per file-name prefix: ``houthi-mado.md`` is ``houthi``), or a folder
    of conflicts each holding ``articles/`` and ``gold/``."""
    if ":" in spec:
        articles_dir, gold_dir = (root / p for p in spec.split(":", 1))
        golds = {g.stem: g for g in gold_dir.glob("*.toml")}
        articles = tuple(a for a in sorted(articles_dir.iterdir()) if a.stem in golds)
        return [Conflict(articles_dir.name, articles, tuple(golds[a.stem] for a in articles))]
    folder = root / spec
    if (folder / "articles").is_dir():
        found: dict[str, tuple[list[Path], list[Path]]] = {}
        for article in sorted((folder / "articles").iterdir()):
            gold = folder / "gold" / (article.stem + ".toml")
            if gold.exists():
                a, g = found.setdefault(article.name.split("-")[0], ([], []))
                a.append(article)
                g.append(gold)
        return [Conflict(n, tuple(a), tuple(g)) for n, (a, g) in found.items()]
    return [Conflict(d.name, tuple(sorted((d / "articles").iterdir())), tuple(sorted((d / "gold").glob("*.toml"))))
            for d in sorted(folder.iterdir()) if (d / "articles").is_dir()]


def all_conflicts(specs: Iterable[str] = TRAINING_SETS, root: Path = REPOSITORY) -> list[Conflict]:
    """Conflicts of every set, those of the same name (a prefix in two sets) joined into one."""
    joined: dict[str, Conflict] = {}
    for spec in specs:
        for c in conflicts(spec, root):
            old = joined.get(c.name)
            joined[c.name] = c if old is None else Conflict(c.name, old.articles + c.articles, old.golds + c.golds)
    return [joined[n] for n in sorted(joined)]


class _Recorder:
    """Stands in for the model while examples are collected: keeps each candidate's features."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def decide(self, cues: Iterable[Cue], name: str = "") -> Decision | None:
        self.seen.append((name, tuple(sorted(c.feature for c in dict.fromkeys(cues)))))
        return None


def _recording(lexicons: Lexicons) -> tuple[Extractor, _Recorder]:
    """An extractor whose evidence model is a recorder (and that shows it the rule-typed names too)."""
    extractor = Extractor(lexicons)
    recorder = _Recorder()
    extractor.mentions.model = recorder         # type: ignore[assignment]
    extractor.mentions.learn_from_typed = LEARN_FROM_TYPED
    return extractor, recorder


def gold_types(gold: Path) -> dict[str, tuple[str, ...]]:
    """name key -> the types the annotators accept, for every name and form of a gold file."""
    doc = tomllib.loads(gold.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, ...]] = {}
    for e in doc.get("entity", []):
        for name in (e["label"], *e.get("forms", [])):
            out.setdefault(name_key(name), tuple(e["types"]))
    # "President Zelensky", "Haftar said": a person's surname or given name alone names the person
    # the gold lists in full
    for e in doc.get("entity", []):
        if e["types"] == ["Person"]:
            for name in (e["label"], *e.get("forms", [])):
                words = name_key(name).split()
                for part in {words[0], words[-1]} if len(words) > 1 else ():
                    if len(part) >= 3:
                        out.setdefault(part, ("Person",))
    return out


def gold_type(types: dict[str, tuple[str, ...]], name: str) -> tuple[str, ...] | None:
    """The gold types of a candidate name: its own, or a person's whose full name ends the run
    ("Prime Minister Benjamin Netanyahu said": the rule that types the run keeps the person only;
    labelled "none", the run taught the model that the subject of "said" is no name)."""
    key = name_key(name)
    if key in types:
        return types[key]
    words = key.split()
    for i in range(1, len(words) - 1):
        if types.get(" ".join(words[i:])) == ("Person",):
            return ("Person",)
    return None


def label_for(types: tuple[str, ...] | None, classes: tuple[str, ...] = CLASSES) -> str:
    """The first accepted type the model can say; "none" for a name the gold does not list or
    one of a type the model never gives (a country or a ship: the lexicons and rules name those)."""
    return next((t for t in types or () if t in classes), NONE)


def collect(conflict: Conflict, lexicons: Lexicons) -> list[Example]:
    """The candidate names of a conflict's articles, with their features and gold labels."""
    extractor, recorder = _recording(lexicons)
    examples: list[Example] = []
    for path, gold in zip(conflict.articles, conflict.golds):
        types = gold_types(gold)
        for article in _articles(path):
            recorder.seen.clear()
            extractor.run(article)
            for name, features in recorder.seen:
                examples.append(Example(conflict.name, path.name, name, features, label_for(gold_type(types, name))))
    return examples


def external_examples(folders: Iterable[str] = EXTERNAL_SETS, lexicons: Lexicons | None = None,
                      root: Path = REPOSITORY) -> list[Example]:
    """Examples from span-annotated corpora (one JSON object a line: ``id``, ``text``, ``entities``
    as ``[begin, end, type]``): a candidate name is labelled with the type of the annotated spans
    that spell it, "none" when no annotated span does."""
    extractor, recorder = _recording(lexicons or load(root / "lexicons"))
    examples: list[Example] = []
    for folder in folders:
        for path in sorted((root / folder).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                doc = json.loads(line)
                types: dict[str, tuple[str, ...]] = {}
                for begin, end, type_ in doc["entities"]:
                    types.setdefault(name_key(doc["text"][begin:end]), (type_,))
                recorder.seen.clear()
                extractor.run(Article(doc["id"], doc["text"], path.name))
                for name, features in recorder.seen:
                    examples.append(Example(f"{folder}/{path.stem}", doc["id"], name, features,
                                            label_for(types.get(name_key(name)))))
    return examples


def training_examples(sets: Iterable[str] = TRAINING_SETS, external: Iterable[str] = EXTERNAL_SETS,
                      lexicons: Lexicons | None = None) -> list[Example]:
    """Every example the shipped model is fitted on."""
    lexicons = lexicons or load(REPOSITORY / "lexicons")
    return [e for c in all_conflicts(sets) for e in collect(c, lexicons)] + external_examples(external, lexicons)


def _articles(path: Path) -> Iterator[Article]:
    for item in read_paths([path]):
        if isinstance(item, Article):
            yield item


def fit(examples: list[Example], regularisation: float = REGULARISATION, threshold: float = THRESHOLD,
        kind: str = KIND) -> dict:
    """The model's TOML document, fitted on ``examples``.

    ``multinomial`` (the default, the better leave-one-conflict-out figure): a weight per feature
    and class (scikit-learn's LogisticRegression), free to learn any direction. ``directed``: each
    feature has one weight, counted for the classes ``POINTS_TO`` says it is evidence for, and
    each class a bias: a conditional logit with fewer weights, fitted with scipy's L-BFGS.
    """
    classes = sorted({e.label for e in examples} | {NONE})
    features = sorted({f for e in examples for f in e.features})
    if kind == "multinomial":
        bias, weights = _fit_multinomial(examples, classes, features, regularisation)
    else:
        bias, weights = _fit_directed(examples, classes, features, regularisation)
    labels = [e.label for e in examples]
    return {"classes": classes, "threshold": threshold, "kind": kind,
            "bias": {c: round(float(b), 4) for c, b in bias.items()},
            "weights": {f: {c: round(float(w), 4) for c, w in ws.items()} for f, ws in weights.items() if ws},
            "examples": len(examples), "by_class": {c: labels.count(c) for c in classes}}


def _directions(feature: str, classes: list[str]) -> list[str]:
    points = POINTS_TO.get(feature, ())
    if "any" in points:
        return [c for c in classes if c != NONE]
    return [c for c in points if c in classes]


def _fit_directed(examples: list[Example], classes: list[str], features: list[str],
                  regularisation: float) -> tuple[dict, dict]:
    import numpy as np
    from scipy.optimize import minimize

    # x[i, c, f] = 1 when example i has feature f and f points to class c
    x = np.zeros((len(examples), len(classes), len(features)))
    for i, e in enumerate(examples):
        for f in e.features:
            for c in _directions(f, classes):
                x[i, classes.index(c), features.index(f)] += 1.0
    y = np.array([classes.index(e.label) for e in examples])
    free = [k for k, c in enumerate(classes) if c != NONE]          # "none"'s bias is fixed at 0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:len(features)], np.zeros(len(classes))
        b[free] = theta[len(features):]
        u = x @ w + b
        u -= u.max(axis=1, keepdims=True)
        p = np.exp(u)
        p /= p.sum(axis=1, keepdims=True)
        n = len(examples)
        value = -np.log(p[np.arange(n), y]).sum() + w @ w / (2 * regularisation)
        residual = p.copy()
        residual[np.arange(n), y] -= 1.0
        grad_w = np.einsum("ic,icf->f", residual, x) + w / regularisation
        grad_b = residual.sum(axis=0)[free]
        return float(value), np.concatenate([grad_w, grad_b])

    theta = minimize(loss, np.zeros(len(features) + len(free)), jac=True, method="L-BFGS-B").x
    bias = {c: 0.0 for c in classes}
    for k, value in zip(free, theta[len(features):]):
        bias[classes[k]] = value
    weights = {f: {c: theta[j] for c in _directions(f, classes)} for j, f in enumerate(features)}
    return bias, weights


def _fit_multinomial(examples: list[Example], classes: list[str], features: list[str],
                     regularisation: float) -> tuple[dict, dict]:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SystemExit("fitting needs scikit-learn: pip install -e '.[learn]'") from None
    rows = [[float(e.features.count(f)) for f in features] for e in examples]
    weights = [TYPED_WEIGHT if "typed-by-a-rule" in e.features else 1.0 for e in examples]
    model = LogisticRegression(C=regularisation, max_iter=5000).fit(rows, [e.label for e in examples],
                                                                    sample_weight=weights)
    order = [str(c) for c in model.classes_]
    bias = {c: model.intercept_[order.index(c)] for c in classes}
    weights = {f: {c: model.coef_[order.index(c)][j] for c in classes} for j, f in enumerate(features)}
    return bias, weights


def to_toml(doc: dict, fitted_on: str) -> str:
    """The model as a readable TOML file."""
    lines = ["# The evidence model's weights: how much each cue around an untyped name counts for each class.",
             "# Fitted, not hand-set, by `python -m kg.training` (kg/training.py) on hand-annotated real articles;",
             f"# fitted on: {fitted_on}.",
             f"# {doc['examples']} candidate names: " + ", ".join(f"{c} {n}" for c, n in doc["by_class"].items()) + ".",
             "# A name is typed with the likeliest class when that is not 'none' and its probability is at",
             "# least `threshold`. docs/extraction.md says what each feature is.",
             "",
             "classes = [" + ", ".join(f'"{c}"' for c in doc["classes"]) + "]",
             f"threshold = {doc['threshold']}",
             f"kind = \"{doc['kind']}\"",
             "",
             "[bias]"]
    lines += [f'{_key(c)} = {v}' for c, v in doc["bias"].items()]
    for feature, weights in doc["weights"].items():
        lines += ["", f"[weights.{_key(feature)}]"] + [f"{_key(c)} = {v}" for c, v in weights.items()]
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() else f'"{name}"'


def model_of(doc: dict) -> EvidenceModel:
    return EvidenceModel.from_lexicons(Lexicons(entries=(), evidence=tomllib.loads(to_toml(doc, "-"))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Fit the evidence model on the repository's annotated articles.")
    ap.add_argument("out", type=Path, help="where to write the model (lexicons/evidence.toml)")
    ap.add_argument("--lexicons", type=Path, default=REPOSITORY / "lexicons")
    ap.add_argument("--sets", nargs="+", default=list(TRAINING_SETS))
    ap.add_argument("--external", nargs="*", default=list(EXTERNAL_SETS))
    args = ap.parse_args(argv)
    examples = training_examples(args.sets, args.external, load(args.lexicons))
    args.out.write_text(to_toml(fit(examples), ", ".join(args.sets + args.external)), encoding="utf-8")
    print(f"{args.out}: fitted on {len(examples)} candidate names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
