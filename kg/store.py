"""The on-disk Oxigraph store: the only module that imports pyoxigraph.

Writes never touch the live store: a build is written beside it (``<store>.new-<pid>``),
and swapped in only once complete and valid, so a failed or interrupted build leaves the
previous store as it was. ``kg add`` works on a backup copy in the same way. A lock file
(``<store>.lock``) keeps two writers apart.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import itertools
import os
import queue
import re
import shutil
import threading
from dataclasses import dataclass
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, ResultTooLarge, StoreError, StoreLocked
from kg.terms import n3 as nquad_term, nquads_chunks
from kg.vocab import PREFIXES

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
# formats that hold one graph: the union of all graphs is written
TRIPLE_FORMATS = {"turtle", "ntriples", "rdfxml"}


# ------------------------------------------------------------------ terms
def to_rdflib(term):
    """An Oxigraph term as rdflib's (rdflib imported here: most commands never need it)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt.endswith("#string") else URIRef(dt))
    return BNode(term.value)


# ------------------------------------------------------------------ opening
def open_read(path: str | Path) -> ox.Store:
    """The store at ``path``, read-only.

    Raises:
        StoreError: if there is no store there.
    """
    path = Path(path)
    recover(path)
    if not (path / "CURRENT").exists():
        raise StoreError("no kg store here", path=path, hint="build one first: kg build ARTICLES --store "
                         f"{path}")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store ({exc})", path=path) from None


def check_target(path: str | Path) -> None:
    """Refuse, before any work, a --store path that holds something other than a kg store: a
    file, or a folder with other things in it. kg never moves or replaces what it did not make.

    Raises:
        StoreError: naming the path and what is there.
    """
    path = Path(path)
    recover(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise StoreError("this is a file, not a kg store; kg will not replace it", path=path,
                         hint="give --store a new or empty folder, or an existing kg store")
    if path.is_dir() and not (path / "CURRENT").exists() and any(path.iterdir()):
        raise StoreError("this folder is not a kg store; kg will not replace it", path=path,
                         hint="give --store a new or empty folder, or an existing kg store")


@contextlib.contextmanager
def write_lock(path: str | Path) -> Iterator[None]:
    """Hold ``<store>.lock`` while writing; a second writer gets ``StoreLocked`` at once. The
    file is removed when the writing ends, however it ends (an exception, SIGTERM made an
    exception by the command line); after SIGKILL the kernel drops the lock and the next writer
    takes the file over."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # a writer that opened the file just before its holder removed it holds a lock on a
            # file no longer there: only the lock on the file at the path counts
            if os.fstat(handle.fileno()).st_ino != os.stat(lock).st_ino:
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            raise StoreLocked("another kg process is writing this store", path=path,
                              hint="wait for it to finish, then run the command again") from None
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock)
            fcntl.flock(handle, fcntl.LOCK_UN)


def staging_dir(dest: str | Path) -> Path:
    """A fresh directory beside ``dest`` for a store being written; old leftovers are removed."""
    dest = Path(dest)
    recover(dest)
    for stale in dest.parent.glob(dest.name + ".new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return dest.with_name(f"{dest.name}.new-{os.getpid()}")


def new_store(staging: Path, quads: Iterable) -> None:
    """Write quads into a new store at ``staging``."""
    store = open_write(staging)
    bulk_write(store, quads)
    close(store)


def open_write(path: Path) -> ox.Store:
    """A store being written (a staging copy: never the live store)."""
    return ox.Store(str(path))


def bulk_write(store: ox.Store, quads: Iterable) -> None:
    """Write quads with Oxigraph's bulk loader (fast, not transactional: for staging stores)."""
    store.bulk_extend(_quads(quads))


def close(store: ox.Store) -> None:
    store.flush()


# Each `kg add` leaves a few small files (one a written index) that every later query merges:
# eight adds made conflicting-claims 3x slower on the 10k-article store (1.2 s to 3.4 s), and a
# compaction brought it back (9 s at that size). So an add compacts once this many small files
# have gathered: one add in about five pays for it.
SMALL_FILES_BEFORE_COMPACTING = 40
_SMALL_FILE_BYTES = 1_000_000


def compact(store: ox.Store) -> None:
    """Merge a newly written store's files: the bulk loader and the writes after it leave
    overlapping files that every lookup probes. On the 10k store, 13 s, and the example queries
    then ran about 2x faster (troop-locations 3.0 s -> 1.4 s on a slow machine); earlier builds had
    had this done, by chance, in the background while they checked the store."""
    store.optimize()


def compact_if_fragmented(store: ox.Store, path: str | Path) -> bool:
    """Compact the store at ``path`` if small files have gathered there; True if it did."""
    small = sum(1 for f in Path(path).glob("*.sst") if f.stat().st_size < _SMALL_FILE_BYTES)
    if small <= SMALL_FILES_BEFORE_COMPACTING:
        return False
    store.optimize()
    return True


def copy_store(src: ox.Store | str | Path, staging: Path) -> None:
    """A consistent copy of the store ``src`` (open, or at that path), hard links where the file
    system allows."""
    (src if isinstance(src, ox.Store) else open_read(src)).backup(str(staging))


def drop_graphs(store: ox.Store, graphs: Iterable[str]) -> None:
    """Remove whole named graphs (those the store has)."""
    for g in graphs:
        node = ox.NamedNode(g)
        if store.contains_named_graph(node):
            store.remove_graph(node)


def _quads(quads: Iterable) -> Iterator[ox.Quad]:
    """Plain-term quads (kg.terms) as Oxigraph's; IRIs repeat (predicates, classes, graphs,
    entities), so each is made once per call."""
    nodes: dict[str, ox.NamedNode] = {}
    for s, p, o, g in quads:
        yield ox.Quad(_term(s, nodes), _term(p, nodes), _term(o, nodes),
                      _term(g, nodes) if g is not None else ox.DefaultGraph())


def _term(term, nodes: dict[str, ox.NamedNode]):
    """A plain term as Oxigraph's, its IRI made once per ``nodes`` cache."""
    if term[0] == "iri":
        found = nodes.get(term[1])
        if found is None:
            if len(nodes) > 100_000:        # bounded: a big build has millions of IRIs
                nodes.clear()
            found = nodes[term[1]] = ox.NamedNode(term[1])
        return found
    if term[0] == "bnode":
        return ox.BlankNode(term[1])
    if term[3]:
        return ox.Literal(term[1], language=term[3])
    return ox.Literal(term[1], datatype=_term(("iri", term[2]), nodes))


# N-Quads text the runs of the bulk loader in progress at one time take: its memory grows with them
# (one run for a whole 10k-article build peaked at 1.6 GB), its files shrink in number (a run a
# batch wrote hundreds, and every query after was half as fast again)
BULK_RUN_BYTES = 128_000_000
# runs of the bulk loader in progress at one time, each reading its own part of the text: a run
# ends on one core (Oxigraph sorts and writes the run's files after parsing it), and meanwhile
# the other run parses (a 10k store's N-Quads: 37-43 s in 128 MB runs one after the other,
# 29-30 s in 64 MB runs two at a time, at the same peak memory)
BULK_LOADERS = 2


def load_nquads(store: ox.Store, chunks: Iterable[bytes], *, bulk: bool = True,
                run_bytes: int | None = None, loaders: int | None = None) -> None:
    """Write N-Quads text, read chunk by chunk as it is made (parsed in Rust): into a new store
    with Oxigraph's bulk loader, in runs of ``run_bytes / loaders``, ``loaders`` of them at a
    time; into a copy being added to, in one transaction. The chunks are taken in the caller's
    thread (they may come from pyoxigraph's iterators, which stay in their thread); which run a
    chunk goes to does not matter: the store holds the set of the quads, whatever their order."""
    chunks = iter(chunks)
    if not bulk:
        store.load(io.BufferedReader(_ChunkReader(chunks), buffer_size=1 << 20), format=ox.RdfFormat.N_QUADS)
        return
    loaders = loaders or BULK_LOADERS
    run_bytes = max(1, (run_bytes or BULK_RUN_BYTES) // loaders)
    threads = [_RunLoader(store) for _ in range(loaders)]
    try:
        chunk = next(chunks, None)
        turn = 0
        while chunk is not None:
            loader = threads[turn % loaders]
            turn += 1
            size = 0
            while chunk is not None and size < run_bytes:
                loader.feed(chunk)
                size += len(chunk)
                chunk = next(chunks, None)
            loader.end_run()
    except BaseException:
        for loader in threads:
            loader.abandon()
        raise
    finally:
        for loader in threads:
            loader.close()
    for loader in threads:
        loader.raise_error()


_END_RUN, _ABANDON, _CLOSE = object(), object(), object()


class _RunLoader:
    """A thread running the bulk loader on the runs it is fed, one after the other: while one
    run ends (Oxigraph sorts and writes its files on one core), the next, fed to another such
    thread, is parsed. Whatever fails in it is raised again by the feeding thread."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def feed(self, chunk: bytes) -> None:
        self._put(chunk)

    def end_run(self) -> None:
        self._put(_END_RUN)

    def abandon(self) -> None:
        """The run in progress fails, its files unused (the store is being given up)."""
        self._put(_ABANDON)

    def close(self) -> None:
        self._put(_CLOSE)
        self._thread.join()

    def raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _put(self, item) -> None:
        self._queue.put(item)
        if self._error is not None and item is not _ABANDON and item is not _CLOSE:
            self.raise_error()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _CLOSE:
                return
            if self._error is not None or item is _END_RUN or item is _ABANDON:
                continue        # after a failure, what is fed is let go until the feeder stops
            try:
                # lenient: no IRI is parsed again here. Every IRI in a build's text is minted by kg
                # (slugs, offsets, lexicon IDs checked when read) or made valid first (an article's
                # URL: kg.rdf.url_term); the checks cost a tenth of the loader's time
                self._store.bulk_load(io.BufferedReader(_ChunkReader(self._run_chunks(item)), buffer_size=1 << 20),
                                      format=ox.RdfFormat.N_QUADS, lenient=True)
            except BaseException as exc:        # disk full, a parse error, an abandoned run
                self._error = self._error or exc
            if self._closing:
                return

    _closing = False

    def _run_chunks(self, first: bytes) -> Iterator[bytes]:
        yield first
        while True:
            item = self._queue.get()
            if item is _END_RUN:
                return
            if item is _ABANDON or item is _CLOSE:
                self._closing = item is _CLOSE
                raise _Abandoned("the build was given up while this run was being written")
            yield item


class _Abandoned(Exception):
    pass


class _ChunkReader(io.RawIOBase):
    """A binary file over an iterator of byte chunks."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not len(self._pending):
            try:
                self._pending = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def graph_names(store: ox.Store) -> list[str]:
    """The store's named graphs, sorted."""
    return sorted(g.value for g in store.named_graphs())


def graph_ntriples(store: ox.Store, graph: str) -> Iterator[str]:
    """One graph's triples as N-Triples lines, read as they are sent (never the whole graph at once)."""
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        yield f"{_n3(q.subject)} <{q.predicate.value}> {_n3(q.object)} .\n"


def _n3(term) -> str:
    return nquad_term(plain(term))


def labels_and_types(store: ox.Store, nodes: Iterable[str], graph: str) -> dict[str, tuple[str, frozenset[str]]]:
    """(label, classes) of each node described in ``graph`` (its class and those above it), looked
    up node by node."""
    g = ox.NamedNode(graph)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    out = {}
    for value in nodes:
        node = ox.NamedNode(value)
        labels = [q.object.value for q in store.quads_for_pattern(node, label, None, g)]
        types = [q.object.value for q in store.quads_for_pattern(node, _RDF_TYPE, None, g)]
        if labels and types:
            out[value] = (min(labels), frozenset(types))
    return out


def mentioned_in(store: ox.Store, articles: Iterable[str]) -> set[str]:
    """The nodes these article graphs say they mention."""
    out = set()
    for article in articles:
        node = ox.NamedNode(article)
        for q in store.quads_for_pattern(None, _MENTIONED_IN, node, node):
            out.add(q.subject.value)
    return out


def prune(store: ox.Store, candidates: Iterable[str], shared_graphs: Iterable[str]) -> None:
    """Drop from ``shared_graphs`` the descriptions (and a place's geometry) of the candidates no
    article mentions any more."""
    graphs = [ox.NamedNode(g) for g in shared_graphs]
    for value in sorted(candidates):
        node = ox.NamedNode(value)
        if next(store.quads_for_pattern(node, _MENTIONED_IN, None, None), None) is not None:
            continue
        for g in graphs:
            for q in list(store.quads_for_pattern(node, None, None, g)):
                if q.predicate == _HAS_GEOMETRY and isinstance(q.object, ox.NamedNode):
                    for inner in list(store.quads_for_pattern(q.object, None, None, g)):
                        store.remove(inner)
                store.remove(q)


def write_article_counts(store: ox.Store, nodes: Iterable[str], graph: str, *, new: bool = False) -> None:
    """Set the kgo:articleCount of each node described in ``graph``: the number of its
    kgo:mentionedIn (an article graph says it once), so that "most mentioned" needs no count over
    every mention. In a ``new`` store (nothing counted yet, every node described) they are
    counted all at once."""
    g = ox.NamedNode(graph)
    if new:
        _write_new_article_counts(store, nodes, g)
        return
    quads = []
    for value in nodes:
        node = ox.NamedNode(value)
        if next(store.quads_for_pattern(node, _RDF_TYPE, None, g), None) is None:
            continue
        for old in list(store.quads_for_pattern(node, _ARTICLE_COUNT, None, g)):
            store.remove(old)
        # counted by Oxigraph: a well-known actor is mentioned in most of a 10k corpus's articles,
        # and bringing each of those quads into Python cost 0.13 s of a one-article kg add
        mentions = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {node} {_MENTIONED_IN} ?a }} }}"
        n = int(next(iter(store.query(mentions)))[0].value)
        if n:
            quads.append(ox.Quad(node, _ARTICLE_COUNT, ox.Literal(str(n), datatype=_INTEGER), g))
    store.extend(quads)


def _write_new_article_counts(store: ox.Store, nodes: Iterable[str], graph: ox.NamedNode) -> None:
    # grouped counts in Oxigraph: a query per node took 9 s of a 10k build (63,000 entities).
    # COUNT_BATCH nodes at a time: one grouped count over every node of a 100k store held
    # 548,000 groups, +285 MB (9.7 s; run alone on that store), and came at the build's peak;
    # in batches of 5,000, +24 MB (19.0 s); of 25,000, +42 MB (13.1 s).
    # Written by the bulk loader, as text: made into a list of quads and written in one
    # transaction, a 100k build's counts were its peak by their timing (1,265 MB, 600 MB above
    # the moments before)
    count_of, integer, g = _ARTICLE_COUNT.value, _INTEGER.value, graph.value

    def quads() -> Iterator[tuple]:
        todo = iter(nodes)
        while batch := list(itertools.islice(todo, COUNT_BATCH)):
            values = " ".join(str(ox.NamedNode(node)) for node in batch)
            counts = store.query(f"SELECT ?node (COUNT(*) AS ?n) WHERE {{ VALUES ?node {{ {values} }} "
                                 f"GRAPH ?g {{ ?node {_MENTIONED_IN} ?a }} }} GROUP BY ?node")
            yield from ((("iri", node.value, "", ""), ("iri", count_of, "", ""), ("literal", n.value, integer, ""),
                         ("iri", g, "", "")) for node, n in counts)

    load_nquads(store, nquads_chunks(quads(), size=1 << 20))


# nodes whose mentions are counted in one query
COUNT_BATCH = 20_000


_ARTICLE_COUNT = ox.NamedNode(PREFIXES["kgo"] + "articleCount")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_MENTIONED_IN = ox.NamedNode(PREFIXES["kgo"] + "mentionedIn")
_HAS_GEOMETRY = ox.NamedNode(PREFIXES["geo"] + "hasGeometry")


class StoreView:
    """The union of a store's graphs (or of ``graphs``) as lookups, for the SHACL checker
    (``kg.shacl.GraphView``): it reads the nodes it checks, it does not copy the graph."""

    def __init__(self, store: ox.Store, graphs: Iterable[str] | None = None) -> None:
        self.store = store
        self.graphs = None if graphs is None else [ox.NamedNode(g) for g in graphs]
        # over many graphs (a kg add's shared graphs and every article it replaces), one lookup
        # in all graphs kept to these: a lookup per graph made a 2,000-article kg add quadratic
        self._graph_set = None if self.graphs is None or len(self.graphs) <= _GRAPHS_LOOKED_UP_ONE_BY_ONE \
            else frozenset(self.graphs)
        self._types: dict[tuple, frozenset[str]] = {}
        self._type_sets: dict[frozenset[str], frozenset[str]] = {}     # a few distinct sets, shared

    def _quads(self, s, p, o):
        if self.graphs is None:
            yield from self.store.quads_for_pattern(s, p, o, None)
        elif self._graph_set is not None:
            graphs = self._graph_set
            yield from (q for q in self.store.quads_for_pattern(s, p, o, None) if q.graph_name in graphs)
        else:
            for g in self.graphs:
                yield from self.store.quads_for_pattern(s, p, o, g)

    def instances(self, cls: str):
        for q in self._quads(None, _RDF_TYPE, ox.NamedNode(cls)):
            yield plain(q.subject)

    def describe(self, node: tuple) -> dict[str, set[tuple]]:
        out: dict[str, set[tuple]] = {}
        for q in self._quads(_node(node), None, None):
            out.setdefault(q.predicate.value, set()).add(plain(q.object))
        return out

    def types(self, node: tuple) -> frozenset[str]:
        if node[0] == "literal":
            return frozenset()
        found = self._types.get(node)
        if found is None:
            if len(self._types) > 200_000:
                self._types.clear()
            found = frozenset(q.object.value for q in self._quads(_node(node), _RDF_TYPE, None))
            found = self._types[node] = self._type_sets.setdefault(found, found)
        return found


class SpreadView(StoreView):
    """The union of a store's graphs, for checking the shared nodes (entities, events) of a
    new build: each described in full in its ``home`` graphs, and, of the ``spread``
    predicates, whose values lie in every article's graph that mentions the node (at 100k
    articles, 3 million evidence and article links), only as far as one value, enough for the
    shapes' minimum count of one. Those values were each checked in the batch that wrote them
    (``Checker.spreadable_paths``); reading them all again here took four fifths of the
    check's time. ``whole`` reads everything, for the report of a violation."""

    def __init__(self, store: ox.Store, home: Iterable[str], spread: Iterable[str]) -> None:
        super().__init__(store)
        self.home = [ox.NamedNode(g) for g in home]
        self.spread = [ox.NamedNode(p) for p in sorted(spread)]
        self.whole = StoreView(store)

    def describe(self, node: tuple) -> dict[str, set[tuple]]:
        out: dict[str, set[tuple]] = {}
        subject = _node(node)
        for g in self.home:
            for q in self.store.quads_for_pattern(subject, None, None, g):
                out.setdefault(q.predicate.value, set()).add(plain(q.object))
        for p in self.spread:
            if p.value not in out:
                for q in self.store.quads_for_pattern(subject, p, None, None):
                    out[p.value] = {plain(q.object)}
                    break
        return out


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_GRAPHS_LOOKED_UP_ONE_BY_ONE = 4


def plain(term) -> tuple[str, str, str, str]:
    """An Oxigraph term as kg's plain term (``kg.terms``)."""
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value, "", "")
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", term.language)
        return ("literal", term.value, term.datatype.value, "")
    return ("bnode", term.value, "", "")


def matching(store: ox.Store, s=None, p=None, o=None, g=None) -> Iterator[tuple]:
    """The quads matching a pattern of plain terms (None: any), as plain-term quads."""
    nodes: dict[str, ox.NamedNode] = {}
    pattern = [_term(x, nodes) if x is not None else None for x in (s, p, o, g)]
    for q in store.quads_for_pattern(*pattern):
        yield plain(q.subject), plain(q.predicate), plain(q.object), plain(q.graph_name)


def subjects(store: ox.Store, graph: str) -> list[str]:
    """The IRIs described in one graph, sorted (found by Oxigraph: 0.5 s for a 10k build's
    events, against 3 s reading the graph's quads here)."""
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} FILTER(isIRI(?s)) }}")
    return sorted(row[0].value for row in rows)


def remove_subjects(store: ox.Store, subjects: Iterable, graph) -> None:
    """Take every quad of these subjects (plain terms) out of one graph."""
    g = _node(graph)
    for s in subjects:
        for q in list(store.quads_for_pattern(_node(s), None, None, g)):
            store.remove(q)


def _node(node: tuple):
    return ox.NamedNode(node[1]) if node[0] == "iri" else ox.BlankNode(node[1])


def swap_in(staging: Path, dest: str | Path) -> None:
    """Put the store at ``staging`` in place of ``dest``; the old one is removed after.

    On Linux the two folders are exchanged in one step (renameat2 RENAME_EXCHANGE), so ``dest``
    is at every moment the old store or the new one, even if kg is killed; elsewhere the old
    store is renamed aside first, and ``recover`` puts it back if kg died between the renames."""
    dest = Path(dest)
    if dest.exists() or dest.is_symlink():
        check_target(dest)          # checked before the build too; what is there may have changed since
        if _exchange(staging, dest):
            shutil.rmtree(staging, ignore_errors=True)       # now the old store
            return
        old = dest.with_name(dest.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        os.rename(dest, old)
        os.rename(staging, dest)
        shutil.rmtree(old, ignore_errors=True)
        return
    os.rename(staging, dest)


def recover(dest: str | Path) -> None:
    """A store renamed aside by a swap that was killed half-way is put back."""
    dest = Path(dest)
    old = dest.with_name(dest.name + ".old")
    if not dest.exists() and (old / "CURRENT").exists():
        os.rename(old, dest)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


# ------------------------------------------------------------------ reading
def query(store: ox.Store, sparql: str, *, union: bool = True):
    """Run a query (the default graph is the union of all graphs unless ``union`` is False).

    Raises:
        QueryError: with the parser's message if the query does not parse.
    """
    try:
        return store.query(sparql, use_default_graph_as_union=union, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(syntax_message(sparql, exc)) from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None


@dataclass(frozen=True)
class Rows:
    """A SELECT result as plain data: variable names and rows of (kind, value) cells,
    kind being "iri", "literal", "bnode" or "" for an unbound variable."""

    variables: tuple[str, ...]
    rows: tuple[tuple[tuple[str, str], ...], ...]


def run_query(store: ox.Store, sparql: str, fmt: str, *, union: bool = True) -> bytes | Rows | bool:
    """Run a query and serialize its result in ``fmt`` (a results format for SELECT/ASK, an
    RDF format for CONSTRUCT/DESCRIBE); ``fmt="rows"`` gives SELECT rows or ASK's boolean."""
    result = query(store, sparql, union=union)
    if isinstance(result, ox.QueryTriples):
        rdf = fmt if fmt in RDF_FORMATS else "turtle"
        return ox.serialize(result, format=RDF_FORMATS[rdf], prefixes=_prefixes(rdf))
    if fmt in RESULT_FORMATS:
        return result.serialize(format=RESULT_FORMATS[fmt])
    if fmt != "rows":
        raise QueryError(f"format {fmt} is for CONSTRUCT or DESCRIBE queries; "
                         f"use one of {', '.join(RESULT_FORMATS)} for SELECT and ASK")
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    names = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_cell(sol[n]) for n in names) for sol in result)
    return Rows(names, rows)


def select(store: ox.Store, sparql: str, *, union: bool = True) -> Rows:
    """Rows of a SELECT query (the default graph is the union unless ``union`` is False)."""
    result = run_query(store, sparql, "rows", union=union)
    if not isinstance(result, Rows):
        raise QueryError("expected a SELECT query")
    return result


def select_typed(store: ox.Store, sparql: str) -> tuple[tuple[str, ...], list[tuple[tuple[str, str, str], ...]]] | bool:
    """A SELECT's variables and rows of (kind, value, datatype) cells, or an ASK's boolean (for
    ``kg.values``: the datatype says what Python value a literal is).

    Raises:
        QueryError: the query does not parse, or is a CONSTRUCT or DESCRIBE.
    """
    result = query(store, sparql)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        raise QueryError("expected a SELECT or ASK query", hint="kg.open(...) gives CONSTRUCT results as a graph")
    names = tuple(v.value for v in result.variables)
    return names, [tuple(_typed_cell(sol[n]) for n in names) for sol in result]


def _typed_cell(term) -> tuple[str, str, str]:
    kind, value = _cell(term)
    return kind, value, term.datatype.value if kind == "literal" and term.datatype is not None else ""


def ask(store: ox.Store, sparql: str) -> bool:
    """The answer of an ASK query."""
    result = run_query(store, sparql, "rows")
    if not isinstance(result, bool):
        raise QueryError("expected an ASK query")
    return result


def _cell(term) -> tuple[str, str]:
    if term is None:
        return ("", "")
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    return ("literal", term.value)


def union_graph(store: ox.Store):
    """Every triple of every graph, once, as an rdflib Graph (for validation)."""
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    for q in store.quads_for_pattern(None, None, None, None):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def dump(store: ox.Store, fmt: str) -> bytes:
    """The whole store in an RDF format. N-Quads and N-Triples come sorted, so that two builds
    of the same input give byte-identical dumps."""
    if fmt not in RDF_FORMATS:
        raise StoreError(f"unknown format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
    if fmt in TRIPLE_FORMATS:
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        data = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=_prefixes(fmt))
    else:
        data = store.dump(format=RDF_FORMATS[fmt], prefixes=_prefixes(fmt))
    if fmt in ("nquads", "ntriples"):
        lines = sorted(set(data.splitlines()))
        data = b"\n".join(lines) + (b"\n" if lines else b"")
    return data


def _prefixes(fmt: str) -> dict[str, str] | None:
    return PREFIXES if fmt in ("turtle", "trig") else None


def count(store: ox.Store) -> int:
    return len(store)


# ------------------------------------------------------------------ SPARQL protocol answers
# media types the endpoint speaks, by result kind, first = default
SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
FORMAT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "ntriples": "application/n-triples", "nt": "application/n-triples",
                "rdfxml": "application/rdf+xml", "xml-rdf": "application/rdf+xml", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json"}
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
            "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle",
            "text/plain": "application/n-triples", "application/json+ld": "application/ld+json"}


@functools.cache
def _empty_store() -> ox.Store:
    """One empty in-memory store to parse queries against (nothing ever writes to it)."""
    return ox.Store()


_AT = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.S)


def syntax_message(sparql: str, error: Exception) -> str:
    """The parser's error as one line a person can act on: the unknown prefix by name, or where
    parsing stopped (line, column, the words just before) and the keywords that could have come
    there (Oxigraph lists every character range a name may hold as well: left out).

    Example:
        >>> syntax_message("SELECT ?x WHERE { ?x foo:bar ?y }", SyntaxError("error at 1:29: expected one of "
        ...                "Prefix not found, ['%'], ['.']"))
        "the query does not parse: unknown prefix `foo:` at line 1, column 22; declare it (PREFIX foo: <...>) or use one of kg's predeclared prefixes"
        >>> syntax_message("SELECT ?x WHERE { ?x ?y }", SyntaxError("error at 1:26: expected one of LATERAL, SERVICE, [_]"))
        'the query does not parse at line 1, column 26, after `?x ?y }` (expected LATERAL or SERVICE or a term)'
    """
    text = str(error)
    found = _AT.search(text)
    if not found:
        return f"the query does not parse: {' '.join(text.split())}"
    line, column, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    line_start = sum(len(x) + 1 for x in sparql.split("\n")[:line - 1])
    offset = min(len(sparql), line_start + column - 1)
    if "Prefix not found" in expected:
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", sparql[:offset])
        prefix = (name.group(1) or "") if name else ""
        col = (offset - len(name.group(0)) if name else offset) - line_start + 1
        return (f"the query does not parse: unknown prefix `{prefix}:` at line {line}, column {col}; declare it "
                f"(PREFIX {prefix}: <...>) or use one of kg's predeclared prefixes")
    before = " ".join(sparql[max(0, offset - 40):offset].split()[-3:])
    keywords = re.findall(r"(?<![\w'\[])([A-Z][A-Za-z_ ]+[A-Za-z]|[{}()\[\].,;*=!|&+/?^-])(?=,|$)", expected)
    extra = " or a term" if "[" in expected else ""
    hint = f" (expected {' or '.join(keywords[:8])}{extra})" if keywords else ""
    if "expected one of" not in text:
        hint = f" ({' '.join(expected.split())})"        # "IRI parsing failed": a reason, not a list
    after = f", after `{before}`" if before else ""
    return f"the query does not parse at line {line}, column {column}{after}{hint}"


def check_syntax(sparql: str, *, base_iri: str | None = None) -> None:
    """Raise QueryError if ``sparql`` does not parse (with kg's prefixes and ``base_iri``).

    Parsed against an empty in-memory store: pyoxigraph has no parse-only call, and on an
    empty store a SELECT or CONSTRUCT is not evaluated until read (an ASK finds nothing at once).
    The caller must have bounded the query's nesting: the parser recurses.
    """
    kwargs: dict = {"prefixes": PREFIXES}
    if base_iri:
        kwargs["base_iri"] = base_iri
    try:
        _empty_store().query(sparql, **kwargs)
    except SyntaxError as exc:
        raise QueryError(syntax_message(sparql, exc)) from None
    except (OSError, ValueError):
        pass    # it parsed; whatever failed is the evaluation's, reported by the worker that runs it


def answer(store: ox.Store, sparql: str, accept: list[str], *, default_graphs: list[str] = (),
           named_graphs: list[str] = (), base_iri: str | None = None,
           max_bytes: int | None = None) -> tuple[bytes, str]:
    """Answer a SPARQL query as the protocol asks: (body, media type).

    ``accept`` lists acceptable media types, best first (the server parses the Accept
    header and ``format=``). Without ``default_graphs`` the default graph is the union of
    all graphs.

    Raises:
        QueryError: the query does not parse, or fails.
    """
    kwargs: dict = {"prefixes": PREFIXES}
    if base_iri:
        kwargs["base_iri"] = base_iri
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(sparql, **kwargs)
    except SyntaxError as exc:
        raise QueryError(syntax_message(sparql, exc)) from None
    except (OSError, ValueError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
    table = GRAPH_TYPES if isinstance(result, ox.QueryTriples) else SOLUTION_TYPES
    media = next((_ALIASES.get(a, a) for a in accept if _ALIASES.get(a, a) in table), next(iter(table)))
    out = _CappedBuffer(max_bytes)
    if table is GRAPH_TYPES:
        ox.serialize(result, out, format=table[media], prefixes=PREFIXES if media == "text/turtle" else None)
    else:
        result.serialize(out, format=table[media])
    return out.getvalue(), media


class _CappedBuffer(io.BytesIO):
    """A result written as it is serialised, refused once past ``limit`` bytes: a CONSTRUCT of the
    whole store is never held whole."""

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if self.limit is not None and self.tell() + len(data) > self.limit:
            raise ResultTooLarge(f"the result is larger than {self.limit / 1e6:g} MB, this endpoint's limit",
                                 hint="add a LIMIT (and OFFSET to page), or take the whole graph from /dump.nq")
        return super().write(data)


def store_identity(path: str | Path) -> tuple[int, int] | None:
    """Changes when a build swaps in a new store (the folder is a new one)."""
    try:
        st = os.stat(path)      # not through pathlib: asked before every query a worker answers
        return (st.st_ino, st.st_mtime_ns)
    except FileNotFoundError:
        return None
