"""The notebook users' API: kg.open (rdflib over Oxigraph), kg.query, kg.dataframe, and the
example notebook, executed."""
from pathlib import Path

import pytest
import rdflib
from oxrdflib import OxigraphStore

import kg

from conftest import ROOT


def test_api_open_gives_a_readonly_rdflib_dataset(seeds_store):
    ds = kg.open(seeds_store)
    assert isinstance(ds, rdflib.Dataset)
    rows = list(ds.query("SELECT ?l WHERE { ?x a kgo:Person ; rdfs:label ?l } ORDER BY ?l"))
    assert "Kim Jong Un" in [str(r[0]) for r in rows]
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert "https://w3id.org/kg/id/graph/entities" in graphs
    assert any(g.startswith("https://w3id.org/kg/id/article/") for g in graphs)
    # evaluated by Oxigraph: rdflib's own engine does not know the store's default prefixes
    assert isinstance(ds.store, OxigraphStore)
    with pytest.raises(RuntimeError, match="read-write"):
        ds.add((rdflib.URIRef("urn:a"), rdflib.URIRef("urn:b"), rdflib.URIRef("urn:c"), rdflib.URIRef("urn:g")))


def test_api_query_and_dataframe(seeds_store):
    rows = kg.query("SELECT ?a ?t WHERE { ?a a kgo:Article ; schema:headline ?t } ORDER BY ?a", seeds_store)
    assert len(rows) == 5 and set(rows[0]) == {"a", "t"}
    df = kg.dataframe("SELECT ?a WHERE { ?a a kgo:Article }", seeds_store)
    assert list(df.columns) == ["a"] and len(df) == 5


def test_api_public_surface():
    assert set(kg.__all__) == {"KgError", "Settings", "__version__", "add", "build", "dataframe", "open", "query",
                               "stats", "validate_store"}
    for name in kg.__all__:
        assert hasattr(kg, name)


def test_api_example_notebook_runs(seeds_store, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("KG_STORE", str(seeds_store))
    notebook = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    outputs = "".join(o.get("text", "") + str(o.get("data", {})) for c in notebook.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "Dataset" in outputs and "National Intelligence Service" in outputs and "Statement" in outputs
    assert Path(seeds_store).exists()


def test_the_documented_notebook_code_runs_as_written(tmp_path):
    """docs/notebooks.md's code, cell by cell as a notebook user pastes it, in a fresh folder
    holding only the seeds (it builds the store itself)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    import re
    import shutil

    code = re.search(r"```python\n(.*?)```", (ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8"), re.S).group(1)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(o.get("text", "") for o in notebook.cells[0].outputs)
    assert "'n': 13000" in printed and "'kind': 'containers'" in printed
    assert (tmp_path / "kg-store" / "CURRENT").exists()


def test_values_come_back_typed(seeds_store):
    import datetime as dt
    from decimal import Decimal

    from kg.model import DateValue
    rows = kg.query("SELECT ?n ?conf ?d ?e WHERE { ?c a kgo:Claim ; kgo:quantity ?n ; kgo:confidence ?conf . "
                    "OPTIONAL { ?x kgo:date ?d ; kgo:earliest ?e } } LIMIT 50", seeds_store)
    assert all(isinstance(r["n"], int) and isinstance(r["conf"], Decimal) for r in rows)
    dates = kg.query("SELECT ?d WHERE { ?x kgo:date ?d }", seeds_store)
    assert {type(r["d"]) for r in dates} <= {dt.date, DateValue} and any(type(r["d"]) is dt.date for r in dates)
    assert kg.query("ASK { ?x a kgo:Article }", seeds_store) is True
    assert kg.query("ASK { ?x a kgo:Nothing }", seeds_store) is False
    assert kg.query("SELECT ?n WHERE { ?c a kgo:Claim ; kgo:quantity ?n } LIMIT 1", seeds_store, raw=True)[0]["n"].isdigit()
    from rdflib import URIRef
    assert isinstance(kg.query("SELECT ?a WHERE { ?a a kgo:Article } LIMIT 1", seeds_store, iri=URIRef)[0]["a"], URIRef)


def test_dataframe_columns_are_typed(seeds_store):
    import pandas as pd
    df = kg.dataframe("SELECT ?c ?n ?conf ?earliest ?month WHERE { { ?c a kgo:Claim ; kgo:quantity ?n ; "
                      "kgo:confidence ?conf } UNION { ?c kgo:earliest ?earliest } UNION "
                      "{ BIND(\"2024-06\"^^xsd:gYearMonth AS ?month) } }", seeds_store)
    assert str(df["n"].dtype) == "Int64" and df["n"].sum() > 10_000
    assert str(df["conf"].dtype) == "float64"
    assert pd.api.types.is_datetime64_any_dtype(df["earliest"])
    month = df["month"].dropna().iloc[0]
    assert isinstance(month, pd.Period) and month.freqstr == "M"
    assert df["c"].dtype == object
    assert kg.dataframe("SELECT ?n WHERE { ?c kgo:quantity ?n }", seeds_store, raw=True)["n"].dtype == object
