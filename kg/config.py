"""Settings the core receives from its fronts. The core never reads the environment."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.resources import data_dir
from kg.vocab import DEFAULT_BASE


@dataclass(frozen=True)
class Settings:
    store: Path = Path("kg-store")
    base_iri: str = DEFAULT_BASE
    lexicons: Path = field(default_factory=lambda: data_dir("lexicons"))
    extra_lexicons: tuple[Path, ...] = ()
    shapes: Path = field(default_factory=lambda: data_dir("shapes"))
    ontology: Path = field(default_factory=lambda: data_dir("ontology"))
    queries: Path = field(default_factory=lambda: data_dir("queries"))
    # one article larger than this is reported and skipped (a text dump, a whole report in one line)
    max_article_bytes: int = 4_000_000
    jobs: int = 1                      # extraction processes (the CLI's default is the machine's cores)
    dask: str | None = None            # a Dask scheduler's address: extraction runs on that cluster
    def __post_init__(self) -> None:
        # a notebook writes Settings(store="kg-store"): the paths are Paths whatever was given
        for name in ("store", "lexicons", "shapes", "ontology", "queries", "cache"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Path(value))
        object.__setattr__(self, "extra_lexicons", tuple(Path(p) for p in self.extra_lexicons))

    # a violation refuses the whole build (as before kg left out the articles that carry one)
    strict: bool = False
    cache: Path | None = None          # where the compiled extractor is kept between runs (the CLI: ~/.cache/kg)
