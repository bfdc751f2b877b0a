"""The ``kg`` command line: each command parses its options, makes one call into the
library, renders the result and picks the exit code.

Exit codes: 0 success; 1 the data outcome (a file failed to build, a SHACL violation);
2 usage error; 3 kg could not run (store missing or locked, lexicon or shapes unreadable).
"""
from __future__ import annotations


import functools
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from kg import queries as kgqueries
from kg import report as kgreport
from kg import store as kgstore
from kg.config import Settings
from kg.errors import KgError, QueryError

EXIT_DATA, EXIT_CANNOT_RUN = 1, 3

size_option = click.option("--max-article-size", type=click.FloatRange(min=0.001), default=4.0, show_default=True,
                           envvar="KG_MAX_ARTICLE_SIZE",
                           help="Largest article read, in MB; a larger one is reported and skipped.")


jobs_option = click.option("--jobs", type=click.IntRange(min=1), default=None,
                           help="Extraction processes (default: the machine's cores).")
dask_option = click.option("--dask", default=None, metavar="ADDRESS",
                           help="Extract on the Dask cluster whose scheduler is here (tcp://host:8786); "
                                "needs pip install 'kg[dask]'.")


def _sized(settings: Settings, megabytes: float, jobs: int | None = None, dask: str | None = None) -> Settings:
    return replace(settings, max_article_bytes=int(megabytes * 1_000_000), jobs=jobs or os.cpu_count() or 1,
                   dask=dask)


strict_option = click.option("--strict", is_flag=True, default=False,
                             help="Refuse the whole build on any SHACL violation (by default the articles whose "
                                  "graphs carry one are left out, named, and the rest is built; exit 1 either way).")

store_option = click.option("--store", "store", type=click.Path(path_type=Path), default=Path("kg-store"),
                            show_default=True, envvar="KG_STORE", help="The Oxigraph store folder.")


def _settings(store: Path, lexicons: tuple[Path, ...] = ()) -> Settings:
    return Settings(store=store, extra_lexicons=tuple(lexicons), cache=_cache_dir())


def _cache_dir() -> Path:
    """The compiled extractor's cache: $XDG_CACHE_HOME/kg, else ~/.cache/kg."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg"


def _stop_cleanly_on_sigterm() -> None:
    """SIGTERM (a service manager, `kill`) ends a build as an exception does: the half-written
    copy and the lock file are removed, the live store is untouched."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, stop)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handle_errors(func):
    """Turn kg's errors into one readable message and an exit code, in one place."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            text = str(exc) + (f"\n  hint: {exc.hint}" if exc.hint else "")
            _fail(text, EXIT_DATA if isinstance(exc, QueryError) else EXIT_CANNOT_RUN)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: news articles in, a knowledge graph out, served over SPARQL."""


def _progress():
    """Progress on stderr: one updated line on a terminal, a line every 1,000 articles otherwise."""
    tty = sys.stderr.isatty()

    def show(stage: str, done: int) -> None:
        if tty:
            unit = "graph(s)" if stage == "pushed" else "article(s)"
            click.echo(f"\r{stage} {done:,} {unit}" if stage != "validated" else "\rvalidated" + " " * 20,
                       err=True, nl=stage == "validated")
        elif done % 1000 == 0 and done:
            click.echo(f"{stage} {done:,} {'graph(s)' if stage == 'pushed' else 'article(s)'}", err=True)
    return show


def _report(report, verb: str) -> None:
    for line in report.failures + report.left_out:
        click.echo(f"Error: {line}", err=True)
    if report.dropped_roles:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in report.dropped_roles.items())
        click.echo(f"Dropped {sum(report.dropped_roles.values()):,} role link(s) whose entity's type the shapes do not "
                   f"admit for the role ({kinds}); `kg explain` shows each on its node.", err=True)
    if not report.conforms:
        click.echo(report.validation_text, err=True)
        click.echo(f"Error: the graph does not conform to the shapes; {report.store} was left as it was.",
                   err=True)
    elif report.articles:
        click.echo(f"{verb} {len(report.articles)} article(s) into {report.store} ({report.quads} quads).")
    if not report.ok:
        sys.exit(EXIT_DATA)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="An extra entities lexicon file (TOML, as lexicons/entities.toml); repeatable.")
@size_option
@jobs_option
@dask_option
@strict_option
@handle_errors
def build(paths: tuple[Path, ...], store: Path, lexicons: tuple[Path, ...], max_article_size: float,
          jobs: int | None, dask: str | None, strict: bool) -> None:
    """Read articles (files or folders), extract, validate, and write a new store."""
    from kg.pipeline import build as build_store

    _stop_cleanly_on_sigterm()
    settings = replace(_sized(_settings(store, lexicons), max_article_size, jobs, dask), strict=strict)
    _report(build_store(paths, settings, progress=_progress()), "Built")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="An extra entities lexicon file; repeatable.")
@size_option
@strict_option
@handle_errors
def add(paths: tuple[Path, ...], store: Path, lexicons: tuple[Path, ...], max_article_size: float,
        strict: bool) -> None:
    """Add articles to an existing store (an article already there is replaced)."""
    from kg.parallel import extract_ahead

    _stop_cleanly_on_sigterm()
    settings = replace(_sized(_settings(store, lexicons), max_article_size), strict=strict)
    # the extraction's child is forked before the pipeline's modules are imported: it does not
    # need them, and their import (0.1-0.2 s) overlaps its work
    ahead = extract_ahead(paths, settings)
    from kg.pipeline import add as add_articles

    _report(add_articles(paths, settings, progress=_progress(), ahead=ahead), "Added")


@main.command()
@store_option
@click.option("--engine", type=click.Choice(["kg", "pyshacl"]), default="kg", show_default=True,
              help="kg's checker reads the store node by node; pyshacl (the reference) copies it into memory.")
@handle_errors
def validate(store: Path, engine: str) -> None:
    """Check the store against the SHACL shapes; exit 1 on any violation."""
    from kg.pipeline import validate_store

    report = validate_store(_settings(store), engine)
    click.echo(report.text)
    if not report.conforms:
        sys.exit(EXIT_DATA)


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "fmt", type=click.Choice(kgqueries.FORMATS), default="table", show_default=True)
@handle_errors
def query(query: str, store: Path, fmt: str) -> None:
    """Run QUERY: SPARQL text, a .rq file, or the name of a query in queries/."""
    settings = _settings(store)
    text = kgqueries.resolve_query(query, settings.queries)
    out = kgqueries.run(kgstore.open_read(store), text, fmt)
    if isinstance(out, bytes):
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    else:
        click.echo(out)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(kgreport.FORMATS), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the brief to this file (default: standard output).")
@handle_errors
def report(store: Path, fmt: str, output: Path | None) -> None:
    """A brief of the store: figures, timeline, top entities, conflicting claims with their sources."""
    text = kgreport.render(kgreport.brief(_settings(store)), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote the brief of {store} to {output}.", err=True)


@main.command()
@store_option
@click.argument("url")
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="An HTTP header sent with each request (authorisation); repeatable.")
@handle_errors
def push(store: Path, url: str, headers: tuple[str, ...]) -> None:
    """Publish the store to a SPARQL 1.1 Graph Store endpoint at URL: one PUT per named graph."""
    parsed = {}
    for header in headers:
        name, sep, value = header.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{header!r} is not 'Name: value'", param_hint="--header")
        parsed[name.strip()] = value.strip()
    from kg.push import push as push_store      # http.client: 30 ms that no other command needs

    report = push_store(store, url, parsed, progress=_progress())
    click.echo(f"Pushed {report.graphs} graph(s), {report.triples} triples, to {url}.")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(list(kgstore.RDF_FORMATS)), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@handle_errors
def export(store: Path, fmt: str, output: Path | None) -> None:
    """Dump the whole graph (Turtle and N-Triples: the union of all graphs)."""
    data = kgstore.dump(kgstore.open_read(store), fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {output} ({len(data):,} bytes, {fmt}).", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@main.command()
@store_option
@handle_errors
def stats(store: Path) -> None:
    """Counts by class, articles, claims and triples."""
    counts = kgqueries.stats(_settings(store))
    width = max(len(k) for k in counts)
    for name, n in counts.items():
        click.echo(f"{name.ljust(width)}  {n:>8,}")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, envvar="KG_HOST")
@click.option("--port", default=7878, show_default=True, type=int, envvar="KG_PORT")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="Seconds a query may run.")
@click.option("--workers", default=2, show_default=True, type=int, help="Query worker processes.")
@click.option("--base-iri", default=None, help="Base of the data IRIs, served under /id/ "
              "(default: the base the store was built with, https://w3id.org/kg/id/).")
@click.option("--allow-service", is_flag=True, help="Allow federated SERVICE calls to other endpoints.")
@click.option("--per-client", default=4, show_default=True, type=click.IntRange(min=1),
              help="Queries one client address may have running at once; more get 429 with Retry-After.")
@click.option("--max-result-mb", default=100.0, show_default=True, type=click.FloatRange(min=0.001),
              help="A result larger than this is refused (422) rather than held whole; page it with LIMIT.")
@click.option("--max-worker-mb", default=512.0, show_default=True, type=click.FloatRange(min=1),
              help="A query worker holding more memory than this after a query is replaced by a fresh one.")
@click.option("--access-log", is_flag=True, help="Log every request on stderr.")
@click.option("--forwarded-allow-ips", default=None, envvar="FORWARDED_ALLOW_IPS",
              help="Behind a reverse proxy: the proxies' addresses (comma-separated, or *) whose X-Forwarded-For "
                   "and X-Forwarded-Proto are trusted, so the per-client bound counts real clients "
                   "(default: 127.0.0.1; see docs/deploy.md).")
@handle_errors
def serve(store: Path, host: str, port: int, timeout: float, workers: int, base_iri: str | None,
          allow_service: bool, per_client: int, max_result_mb: float, max_worker_mb: float,
          access_log: bool, forwarded_allow_ips: str | None) -> None:
    """Serve the store: SPARQL at /sparql, a query page at /, pages for every IRI, dumps, VoID."""
    from kg.server import serve as run_server

    settings = _settings(store)
    if base_iri:
        settings = replace(settings, base_iri=base_iri)
    run_server(settings, host=host, port=port, timeout=timeout, workers=workers, allow_service=allow_service,
               per_client=per_client, max_result_bytes=int(max_result_mb * 1_000_000),
               max_worker_mb=max_worker_mb, access_log=access_log, forwarded_allow_ips=forwarded_allow_ips,
               on_listening=lambda url: click.echo(f"Serving {store} at {url} (SPARQL at {url}sparql). "
                                                   "Ctrl+C stops.", err=True))


@main.command()
@click.argument("gold", type=click.Path(exists=True, file_okay=False, path_type=Path))
@store_option
@click.option("--explain", is_flag=True, help="List what was missed and what was extra, by kind.")
@handle_errors
def evaluate(gold: Path, store: Path, explain: bool) -> None:
    """Score the store against hand annotations (a folder of gold TOML files, one per article):
    precision, recall and F1 of entities, claims and events."""
    from kg.evaluate import score

    scores = score(store, gold)
    for kind, s in scores.items():
        if explain:
            click.echo(f"## {kind}: missed")
            click.echo("\n".join(f"  - {m}" for m in s.missed) or "  (none)")
            click.echo(f"## {kind}: extra")
            click.echo("\n".join(f"  + {e}" for e in s.extra) or "  (none)")
    for kind, s in scores.items():
        click.echo(f"{kind:9} {s}")


@main.command()
@click.argument("node")
@store_option
@handle_errors
def explain(node: str, store: Path) -> None:
    """Why the graph holds NODE (an IRI, kg:NAME, or a label): sentences, rules, confidence."""
    from kg.explain import explain as explain_node, render

    settings = _settings(store)
    click.echo(render(explain_node(kgstore.open_read(store), node, settings.base_iri)))
