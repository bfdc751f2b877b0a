"""The use cases: build a store from articles, add articles to one, validate one, count it.

ingest → extract → resolve → rdf → validate → store, streamed in two passes so that memory
holds a batch of articles and the index of names, never the corpus:

1. articles are read and extracted (on several processes) as they come; each result feeds the
   entity index and waits on disk (``kg.spool``);
2. names are resolved once, from the index; then each result is read back, mapped to quads
   and written into a staging store beside the live one, which the SHACL checker then
   reads node by node.

Per-file failures are collected in the ``BuildReport`` (the other files are still built). What
is written conforms by construction (kg.roles drops the role links the shapes forbid); should a
violation remain, the articles whose graphs carry it are left out and the rest is built again
without them, so one article never vetoes a corpus. A violation that no article carries (a defect
of kg), or any violation with ``Settings.strict``, leaves the previous store as it was.
"""
from __future__ import annotations

import contextlib
import errno
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kg import store as kgstore, tally
from kg.config import Settings
from kg.errors import StoreError
from kg.model import BuildReport
from kg.parallel import (BATCH, MIN_ARTICLES_PER_WORKER, AheadItems, extract_ahead, extract_paths,
                         forget_extractors, ordered_map, towns)
from kg.rdf import KGO, Iris, Supertypes, article_quads, entity_quads
from kg.resolve import Entity, EntityIndex, KnownEntity
from kg.roles import RoleRules, dropped_in, fit, fit_operators
from kg.shacl import Checker, QuadsView
from kg.spool import PackedResult, Spool, SpoolSlice, read_lines, read_object
from kg.terms import Quad, iri, nquad, nquads_chunks
from kg.validate import ValidationReport, check, compiled_shapes, load_graphs, merge, validate
from kg.vocab import KGO_NS, ONTOLOGY_IRI

# progress(stage, done): called as a long build goes ("extracted", 1200), ("written", 800)...
Progress = Callable[[str, int], None]


def build(paths: Iterable[str | Path], settings: Settings | None = None,
          progress: Progress | None = None) -> BuildReport:
    """Build a new store from articles; it replaces ``settings.store`` only when complete and valid."""
    return _run(paths, settings or Settings(), progress, adding=False)


def add(paths: Iterable[str | Path], settings: Settings | None = None,
        progress: Progress | None = None, *, ahead: AheadItems | None = None) -> BuildReport:
    """Add (or replace) articles in an existing store without rebuilding the rest.

    ``ahead``: the articles' extraction, already started by ``kg.parallel.extract_ahead`` (the
    command line starts it before importing this module); else it is started here."""
    settings = settings or Settings()
    if ahead is None:
        paths = list(paths)
        ahead = extract_ahead(paths, settings)
    return _run(paths, settings, progress, adding=True, ahead=ahead)


def _run(paths: Iterable[str | Path], settings: Settings, progress: Progress | None, *, adding: bool,
         ahead: AheadItems | None = None) -> BuildReport:
    report = BuildReport(store=str(settings.store))
    with _extraction(paths, settings, report, ahead) as results:
        return _run_with(results, settings, progress or (lambda stage, done: None), report, adding=adding)


def _run_with(results: Iterable, settings: Settings, progress: Progress, report: BuildReport, *,
              adding: bool) -> BuildReport:
    compiled = compiled_shapes(settings.shapes, settings.ontology, settings.cache)   # bad shapes fail before any work
    live = kgstore.open_read(settings.store) if adding else None     # a missing store fails before any work
    if not adding:
        kgstore.check_target(settings.store)           # so does a path that holds something else
    iris = Iris(settings.base_iri)
    with kgstore.write_lock(settings.store):
        staging = kgstore.staging_dir(settings.store)
        try:
            with Spool(staging.with_name(staging.name + "-spool")) as spool:
                if adding:              # while the articles are extracted (see _run)
                    kgstore.copy_store(live, staging)
                index = EntityIndex()
                for result in results:         # packed: this process need not read them
                    index.add_names(result.names)
                    spool.write(result)
                    progress("extracted", spool.count)
                if not spool.count:
                    report.failures.append("no articles could be read; the store was not changed")
                    if adding:
                        kgstore.discard(staging)
                    return report
                left_out: dict[str, str] = {}           # article id -> why
                while True:
                    built = _build_staging(spool, index, left_out, live, staging, settings, compiled, iris,
                                           progress, adding)
                    del index
                    validation = built.validation
                    blamed = {} if settings.strict else _blamed_articles(validation, iris)
                    if (validation.conforms or not blamed or blamed.keys() <= left_out.keys()
                            or len(left_out.keys() | blamed.keys()) >= spool.count):
                        break               # built, or nothing a smaller build would mend
                    # what a violation leaves in one article's graph is that article's: the others
                    # are built again without it (names resolved anew, as if it had never come)
                    left_out.update((k, v) for k, v in blamed.items() if k not in left_out)
                    kgstore.discard(staging)
                    if adding:
                        kgstore.copy_store(live, staging)
                    index = EntityIndex()
                    for result in spool:
                        if result.article.id not in left_out:
                            index.add(result)
                if left_out and validation.conforms:
                    _report_left_out(report, spool, left_out)
            progress("validated", 1)
            report.conforms = validation.conforms
            report.validation_text = validation.text
            if not validation.conforms:
                kgstore.discard(staging)
                return report
            report.quads = built.quads
            report.dropped_roles = dict(sorted(built.dropped.items()))
            kgstore.swap_in(staging, settings.store)
        except OSError as exc:                 # disk full, permissions: the live store was never touched
            kgstore.discard(staging)
            full = exc.errno == errno.ENOSPC or "No space left" in str(exc)
            raise StoreError(f"writing the new store failed ({exc}); the store was left as it was",
                             path=settings.store,
                             hint="free disk space beside the store (a build needs room for a second copy)"
                             if full else "check that the store's folder is writable") from None
        except BaseException:
            kgstore.discard(staging)
            raise
    return report


class _Built(NamedTuple):
    validation: ValidationReport
    quads: int
    dropped: Counter            # role links dropped, by kind (kg.roles)


def _build_staging(spool: Spool, index: EntityIndex, left_out: Mapping[str, str], live, staging: Path,
                   settings: Settings, compiled, iris: Iris, progress: Progress, adding: bool) -> _Built:
    """Resolve the spooled results' names, write them into the staging store (for ``kg add``,
    a copy of the live one) and check it: every article but those ``left_out``."""
    checker = compiled.checker
    rules = RoleRules.from_shapes(checker.value_classes)
    if adding:
        store = kgstore.open_write(staging)
    known_towns = towns(settings.lexicons, settings.extra_lexicons, settings.cache)
    known = _known_entities(live, index.labels, iris, checker) if adding else None
    entities, alias = index.resolve(known, known_towns)
    del index, known_towns
    entities, dropped = fit_operators(entities, rules)
    replaced = [iris.article(r.article.id)[1] for r in spool if r.article.id not in left_out] if adding else []
    if adding:
        # nodes the replaced versions mentioned may be mentioned nowhere once they are gone
        orphans = kgstore.mentioned_in(store, replaced)
        untold = tally.count(tally.article_quads_in(store, replaced),
                             _of_class("Actor", entities, iris, checker, orphans, store),
                             _of_class("Place", entities, iris, checker, orphans, store))
        kgstore.drop_graphs(store, replaced + [ONTOLOGY_IRI])
    names = _spool_names(spool, entities, alias, iris, supertypes_of(checker))
    # from here on this process needs the entities' keys only: the workers that map
    # the articles read the names from their file
    del entities, alias
    if settings.cache and not adding:
        # extraction is over: ~150 MB the writing does not need (reloaded from the cache
        # in 0.2 s by a later build in this process; a kg add holds little else)
        forget_extractors()
    if not adding:
        store = kgstore.open_write(staging)
    local, written, events, tallies, fitted, apart = _write(store, spool, names, iris, compiled.ontology, checker, rules,
                                                     frozenset(left_out), settings, progress, adding)
    dropped.update(fitted)
    entity_nodes = [iris.entity(key) for key in read_object(names.keys)]
    del names
    if not adding:
        # in shorter runs: they come last, on top of all the build holds
        tally_count = [0]
        kgstore.load_nquads(store, nquads_chunks(tally.tally_quads(tallies, iris), tally_count,
                                                 size=LOAD_BYTES), run_bytes=TALLY_RUN_BYTES)
        written += tally_count[0]
        # read back, not gathered as the batches came: the event IRIs (28,000 at 10k,
        # growing with the articles) were held through the writing, where memory peaks
        events = kgstore.subjects(store, iris.events_graph[1])
    shared = [iris.entities_graph[1], iris.events_graph[1]]
    counted = {node[1] for node in entity_nodes}
    if adding:
        kgstore.prune(store, orphans, shared)
        counted |= orphans
    kgstore.write_article_counts(store, sorted(counted), iris.entities_graph[1], new=not adding)
    if adding:              # the tallies the new and the replaced articles touch
        touched = tally.stored(store, iris, {**tallies.pairs, **untold.pairs},
                               {**tallies.claims, **untold.claims}, {**tallies.places, **untold.places},
                               {**tallies.publishers, **untold.publishers})
        touched.update(tallies)
        touched.update(untold, sign=-1)
        tally.remove(store, iris, touched)
        kgstore.load_nquads(store, nquads_chunks(tally.tally_quads(touched, iris), size=LOAD_BYTES),
                            bulk=False)
        tallies = touched
    # the shared descriptions touched, read from the store where every article's part of
    # them is; for kg add, from the shared graphs and the new articles only: what other
    # articles say of them was checked when they came, and the shapes put no upper
    # bound on what lies in article graphs
    focus = itertools.chain(entity_nodes,
                            (iri(e) for e in sorted(events)))
    tally_graphs = (iris.tallies_graph[1], iris.entities_graph[1])
    if adding:
        validation = merge([local, check(checker, kgstore.StoreView(store, shared + replaced), focus),
                            check(checker, kgstore.StoreView(store, tally_graphs),
                                  tally.nodes(tallies, iris))])
        if validation.conforms:
            kgstore.compact_if_fragmented(store, staging)
    else:
        kgstore.compact(store)      # its checkers read it faster too
    kgstore.close(store)
    # the store must be closed (every reference gone) before its folder is renamed:
    # RocksDB finishing a write into a renamed folder corrupts the store; a new store
    # is checked by processes that open it read-only, once this one is gone
    del store
    if not adding:
        parts = itertools.chain(_check_parts(None, focus), _check_parts(tally_graphs,
                                                                        tally.nodes(tallies, iris)))
        # the values of shared nodes in the articles' graphs were checked as they were written,
        # unless a shape bounds how many there are: then every value is read here again
        spread = apart if apart <= checker.spreadable_paths() else None
        context = _CheckContext(str(staging), checker, spread, tuple(shared))
        validation = merge([local, *ordered_map(_check_part, parts, context,
                                                jobs=min(settings.jobs, max(1, len(entity_nodes) // CHECK_BATCH)))])
    return _Built(validation, written, dropped)


def _blamed_articles(validation: ValidationReport, iris: Iris) -> dict[str, str]:
    """The articles whose graphs carry the violations (article id -> the first violation's
    shape message); empty if any violation names no article: that one is kg's own defect, and
    leaving articles out would not mend it."""
    if validation.more:
        return {}                   # not every violation is listed: they cannot all be placed
    prefix = iris.article("")[1]
    blamed: dict[str, str] = {}
    for v in validation.violations:
        if not v.articles:
            return {}
        for article in v.articles:
            blamed.setdefault(article[len(prefix):], f"{v.path}: {v.message}")
    return blamed


def _report_left_out(report: BuildReport, spool: Spool, left_out: Mapping[str, str]) -> None:
    sources = {r.article.id: r.article.source for r in spool if r.article.id in left_out}
    for article_id, why in sorted(left_out.items(), key=lambda item: sources.get(item[0], item[0])):
        source = sources.get(article_id, article_id)
        report.left_out.append(f"{source}: left out of the build, its graph breaks a shape ({why})")
        if source in report.articles:
            report.articles.remove(source)


# N-Quads text handed to Oxigraph's bulk loader at a time: few large loads, not one per batch
LOAD_BYTES = 16_000_000
TALLY_RUN_BYTES = 32_000_000


def _write(store, spool: Spool, names: _SpooledNames, iris: Iris, ontology: tuple[Quad, ...], checker: Checker,
           rules: RoleRules, left_out: frozenset[str], settings: Settings, progress: Progress,
           adding: bool) -> tuple[ValidationReport, int, set[str], tally.Tallies, Counter, frozenset[str]]:
    """Map the spooled results to quads and write them, checking each batch's own nodes
    (articles, mentions, claims, evidence) as it is mapped: the report, the number of quads
    written, the events described (``kg add``'s only: their shared descriptions are checked after), and the
    tallies of the articles (written here for a build; ``kg add`` adds them to the stored
    ones it touches), the role links dropped, and the shape paths given values on shared
    nodes in the articles' graphs (``_render_batch``)."""
    reports: list[ValidationReport] = []
    events: set[str] = set()
    written = [names.described]
    context = _RenderContext(names.table, iris.base, checker, rules, left_out)
    tallies = tally.Tallies()
    dropped: Counter = Counter()
    written_apart: set[str] = set()
    jobs = min(settings.jobs, max(1, spool.count // MIN_ARTICLES_PER_WORKER))

    def chunks() -> Iterator[bytes]:
        yield from read_lines(names.descriptions, LOAD_BYTES)
        yield from nquads_chunks(ontology, written, size=LOAD_BYTES)
        done = 0
        for text, local, described, counted, fitted, apart in ordered_map(_render_batch, spool.slices(BATCH),
                                                                          context, jobs=jobs):
            written_apart.update(apart)
            written[0] += text.count(b"\n")
            dropped.update(fitted)
            reports.append(local)
            if adding:
                events.update(described)
            tallies.update(counted)
            done += BATCH
            progress("written", min(done, spool.count))
            yield text

    kgstore.load_nquads(store, chunks(), bulk=not adding)
    return merge(reports), written[0], events, tallies, dropped, frozenset(written_apart)


@dataclass(frozen=True)
class _SpooledNames:
    """The resolved names, on disk beside the spooled results: the processes that map the
    articles read them there, and the build process, which keeps only the keys, does not
    hold them through the writing (at 100k articles, 297,000 entities and 324,000 aliases:
    206 MB of its memory). The keys wait on disk too: held, each key would keep the memory
    around it from being given back."""

    table: Path             # (alias, entities), pickled
    descriptions: Path      # the entities' shared descriptions, as N-Quads
    described: int          # quads in them
    keys: Path              # the entities' keys, sorted, pickled


def _spool_names(spool: Spool, entities: dict[str, Entity], alias: dict[str, str], iris: Iris,
                 supertypes: Supertypes) -> _SpooledNames:
    count = [0]
    descriptions = spool.keep_text("entities.nq", nquads_chunks(entity_quads(entities.values(), iris, supertypes),
                                                                 count, size=LOAD_BYTES))
    return _SpooledNames(spool.keep_object("names.pickle", (alias, entities)), descriptions, count[0],
                         spool.keep_object("keys.pickle", sorted(entities)))


def _of_class(cls: str, entities: dict[str, Entity], iris: Iris, checker: Checker, more: Iterable[str] = (),
              store=None) -> frozenset[str]:
    """The IRIs of the entities of kgo class ``cls`` or below (and of those among ``more``,
    typed in the store): the actors co-mentions count, the places troop-places count."""
    classes = checker.subclasses(KGO[cls][1])
    found = {iris.entity(e.key)[1] for e in entities.values() if KGO[e.type][1] in classes}
    if store is not None:
        found |= {node for node, (_, types) in kgstore.labels_and_types(store, sorted(more),
                                                                        iris.entities_graph[1]).items()
                  if types & classes}
    return frozenset(found)


def supertypes_of(checker: Checker) -> dict[str, tuple[str, ...]]:
    """For each kgo class, the kgo classes above it (written as types too: kg.rdf)."""
    classes = (checker.subclasses(KGO_NS + "Actor") | checker.subclasses(KGO_NS + "Place")
               | checker.subclasses(KGO_NS + "Event") | {KGO_NS + "Ship"})
    return {c[len(KGO_NS):]: tuple(sorted(a[len(KGO_NS):] for a in checker.superclasses(c) if a.startswith(KGO_NS)))
            for c in classes}


def _most_specific(types: frozenset[str], checker: Checker) -> str:
    """The one of a node's types no other of its types lies below (its own class, not those above)."""
    return min(t for t in types if not any(u != t and u in checker.subclasses(t) for u in types))


# nodes checked at a time by one process
CHECK_BATCH = 2000


@dataclass(frozen=True)
class _CheckContext:
    """What a process checking a new store's shared descriptions needs; sent to it once."""

    store: str
    checker: Checker
    spread: frozenset[str] | None           # the paths whose values in article graphs were checked as written
    home: tuple[str, ...]                   # the graphs the shared nodes are described in
    views: dict = field(default_factory=dict, compare=False, repr=False)

    def view(self, graphs: tuple[str, ...] | None) -> kgstore.StoreView:
        """This process's view of the store over ``graphs`` (None: the shared nodes' view, over
        all), opened once: the classes it has read stay known from batch to batch (every batch
        of entities names the articles, whose classes each batch had read again; a store opened
        per batch had cost 3% more)."""
        view = self.views.get(graphs)
        if view is None:
            st = next((v.store for v in self.views.values()), None) or kgstore.open_read(self.store)
            view = self.views[graphs] = (kgstore.SpreadView(st, self.home, self.spread)
                                         if graphs is None and self.spread is not None
                                         else kgstore.StoreView(st, graphs))
        return view


def _check_parts(graphs: tuple[str, ...] | None, nodes: Iterable) -> Iterator[tuple]:
    """(graphs, nodes) in batches: the nodes to check, read from those graphs (None: all)."""
    nodes = iter(nodes)
    while batch := list(itertools.islice(nodes, CHECK_BATCH)):
        yield graphs, batch


def _check_part(part: tuple, ctx: _CheckContext) -> ValidationReport:
    """A batch of a new store's shared descriptions checked (on two cores, the check of a 10k
    build's took half the time it took on one)."""
    graphs, nodes = part
    return check(ctx.checker, ctx.view(graphs), nodes)


class _Names(NamedTuple):
    alias: dict[str, str]
    entities: dict[str, Entity]
    types: dict[str, frozenset[str]]        # entity IRI -> its class and those above it
    actors: frozenset[str]                  # the actors' IRIs
    places: frozenset[str]                  # the places' and bases' IRIs
    supertypes: dict[str, tuple[str, ...]]  # class -> the classes above it (kg.rdf)


@dataclass(frozen=True)
class _RenderContext:
    """What a worker needs to map results to quads and check them; sent to it once. Each
    process that maps reads the names from their file, once."""

    names_file: Path
    base_iri: str
    checker: Checker
    rules: RoleRules
    left_out: frozenset[str]            # article ids not to map
    read: list = field(default_factory=list, compare=False, repr=False)

    def names(self) -> _Names:
        if not self.read:
            alias, entities = read_object(self.names_file)
            iris = Iris(self.base_iri)
            supertypes = supertypes_of(self.checker)
            types = {t: frozenset({KGO[t][1], *(KGO[a][1] for a in supertypes.get(t, ()))})
                     for t in {e.type for e in entities.values()}}
            self.read.append(_Names(alias, entities, {iris.entity(e.key)[1]: types[e.type] for e in entities.values()},
                                    _of_class("Actor", entities, iris, self.checker),
                                    _of_class("Place", entities, iris, self.checker), supertypes))
        return self.read[0]


def _render_batch(part: SpoolSlice, ctx: _RenderContext) -> tuple[bytes, ValidationReport, list[str], tally.Tallies,
                                                                   Counter, frozenset[str]]:
    """A batch's N-Quads, the check of its own nodes, the events it describes, its tallies,
    the role links dropped by kind, and the shape paths it gives values to on shared nodes
    (entities, events) in its articles' graphs: the values of those it checks here, each by
    itself, when the shapes allow (``Checker.spreadable_paths``)."""
    names = ctx.names()
    results = [fit(r, names.alias, names.entities, ctx.rules) for r in part.read() if r.article.id not in ctx.left_out]
    iris = Iris(ctx.base_iri)
    dropped = sum((dropped_in(r) for r in results), Counter())
    per_article = [list(article_quads(r, names.alias, names.entities, iris, names.supertypes)) for r in results]
    quads = [q for article in per_article for q in article]
    view = QuadsView(quads, names.types)
    shared_graphs = {iris.entities_graph[1], iris.events_graph[1]}
    own, shared = [], set()
    for node, graphs in view.graphs.items():
        if graphs & shared_graphs or node[1] in names.types:
            shared.add(node)
        else:
            own.append(node)
    apart = frozenset(p[1] for s, p, _, g in quads if g[1] not in shared_graphs and s in shared) & ctx.checker.paths()
    events = sorted({node[1] for node, graphs in view.graphs.items() if iris.events_graph[1] in graphs})
    local = merge([check(ctx.checker, view, own),
                   _check_spread(ctx.checker, view, per_article, shared, apart & ctx.checker.spreadable_paths(),
                                 names.types)])
    return (("".join(map(nquad, quads)).encode(), local, events,
             tally.count(quads, names.actors, names.places), dropped, apart))


def _check_spread(checker: Checker, view: QuadsView, per_article: list[list[Quad]], shared: set,
                  paths: frozenset[str], known_types: dict[str, frozenset[str]]) -> ValidationReport:
    """The values of ``paths`` that a batch gives its shared nodes, each checked by itself; should
    one fail, checked again one article at a time, so that the violation names the article that
    wrote the value (not every article of the batch that mentions the node)."""
    report = check(checker, view, sorted(shared), values_of=paths)
    if report.conforms:
        return report
    return merge(check(checker, QuadsView(quads, known_types), sorted({q[0] for q in quads} & shared), values_of=paths)
                 for quads in per_article)


def validate_store(settings: Settings | None = None, engine: str = "kg") -> ValidationReport:
    """The SHACL report for the whole store: by kg's checker, node by node, or by pyshacl (the
    reference engine, which copies the store into memory: small stores only)."""
    settings = settings or Settings()
    st = kgstore.open_read(settings.store)
    if engine == "pyshacl":
        return validate(kgstore.union_graph(st), *load_graphs(settings.shapes, settings.ontology))
    return check(compiled_shapes(settings.shapes, settings.ontology, settings.cache).checker, kgstore.StoreView(st))


@contextlib.contextmanager
def _extraction(paths: Iterable[str | Path], settings: Settings, report: BuildReport,
                ahead: AheadItems | None) -> Iterator[Iterable[PackedResult]]:
    """The extraction results, packed for the spool, from this process's workers or from the
    child ``ahead`` told them to."""
    if ahead is None:
        yield extract_paths(paths, settings, report, packed=True)
        return
    with ahead as told:
        yield _heard(told, report)


def _heard(messages: Iterable[tuple[str, object]], report: BuildReport) -> Iterator[PackedResult]:
    for kind, value in messages:
        if kind == "failure":
            report.failures.append(value)
        else:
            report.articles.append(value.source)
            yield value


def _known_entities(st, keys: Iterable[str], iris: Iris, checker: Checker) -> dict[str, KnownEntity]:
    """The entities already in the store that these resolution keys name (looked up one by one:
    a ``kg add`` reads what its articles mention, not the whole entity graph)."""
    base = iris.base
    nodes = {iris.entity(key)[1] for key in keys}
    known = {}
    for node, (label, types) in kgstore.labels_and_types(st, sorted(nodes), iris.entities_graph[1]).items():
        key = node[len(base):].replace("-", " ")
        known[key] = KnownEntity(key, label, _most_specific(types, checker).rsplit("#", 1)[-1])
    return known
