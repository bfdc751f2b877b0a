"""The analyst views: /timeline, /map, /claims and /graph?focus=IRI. Each page is drawn in the
browser from SPARQL queries kept as files in ``view-queries/`` (served at /views/NAME.rq, so an
analyst can read and run them); the JavaScript libraries are vendored under static/vendor."""
from __future__ import annotations

import json
import re

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse

from kg.resources import view_queries_dir
from kg.server.errors import ApiError

QUERIES = view_queries_dir()

_PAGES = {
    "timeline": ("Timeline", "Every dated event: a day is a point, a month or a year a bar over its span. "
                             "Click an event for its page, its evidence sentences and articles."),
    "map": ("Map", "Places and bases with coordinates from the gazetteer, sized by the articles that name "
                   "them. Click a marker for the place's page."),
    "claims": ("Claims side by side", "Each source's numbers for one kind of quantity, by the date of the "
                                      "article telling them; hover a point for the sentence behind it."),
}
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def config_json(request: Request) -> str:
    """What the pages' scripts need to know of the server (the data base, for links to pages);
    escaped for a <script> element."""
    text = json.dumps({"base": request.app.state.settings.base_iri})
    return text.replace("<", "\\u003c")


def _render(request: Request, template: str, **context) -> HTMLResponse:
    env = request.app.state.templates
    return HTMLResponse(env.get_template(template).render(config_json=config_json(request), **context))


async def view_page(request: Request) -> HTMLResponse:
    name = request.url.path.strip("/")
    title, hint = _PAGES[name]
    return _render(request, f"{name}.html", title=title, hint=hint, query=name, script=f"{name}.js")


async def graph_page(request: Request) -> HTMLResponse:
    focus = request.query_params.get("focus", "")
    if not focus:
        raise ApiError(400, "say whose network to draw: /graph?focus=IRI (an entity's IRI, as on its page)")
    if not focus.lower().startswith(("http://", "https://")):
        raise ApiError(400, "focus= takes an entity's IRI (http:// or https://), as on its page")
    base = request.app.state.settings.base_iri
    label = request.query_params.get("label") or focus.rsplit("/", 1)[-1]
    page = "/id/" + focus[len(base):] if focus.startswith(base) else focus
    return _render(request, "graph.html", focus=focus, focus_label=label, focus_page=page)


async def view_query(request: Request) -> PlainTextResponse:
    name = request.path_params["name"]
    path = QUERIES / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERIES.glob("*.rq")))
        raise ApiError(404, f"there is no view query {name!r}; the view queries are: {known}")
    return PlainTextResponse(path.read_text(encoding="utf-8"), media_type="application/sparql-query")
