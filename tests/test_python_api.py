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
