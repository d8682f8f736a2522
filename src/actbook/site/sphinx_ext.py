"""A small Sphinx extension that keeps the website's pages free of console errors and dead weight.

Loaded by ``_config.yml`` (``sphinx.extra_extensions``). It fixes, at the page level, three
things the browser tests (``tests/test_site.py``) found on the stock Jupyter Book 1 stack:

* Sphinx 7.4 writes an inline script added after the builder starts twice (the registry holds
  it under the name ``None``, the builder under ``""``), so sphinx-thebe's
  ``const THEBE_JS_URL`` is declared twice and the page throws a SyntaxError. Duplicates are
  dropped.
* The pydata theme starts with an empty colour mode unless the ``default_mode`` of
  ``html_context`` is set, and logs "Got invalid theme mode" on a reader's first visit. The
  site starts in ``auto`` (it follows the reader's system setting).
* MyST-NB embeds the ipywidgets state of every executed notebook (tens of kB of PNG per
  interactive figure) although the site loads no widget manager (``nb_ipywidgets_js: {}``):
  the precomputed controls of :mod:`actbook.figures.widgets` need none. The state is dropped.
* The pydata theme's navigation expanders are ``<summary>`` elements holding only an icon:
  axe-core reports them as controls with no name (serious). Each gets an ``aria-label``
  naming the section it opens.
"""

from __future__ import annotations

from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _key(js: Any) -> tuple:
    return (js.filename or "", js.priority, tuple(sorted(js.attributes.items())))


def dedupe_scripts(scripts: list) -> list:
    """The scripts in order, each once, with no widget state; ``None`` and ``""`` names equal."""
    seen: set[tuple] = set()
    kept = []
    for js in scripts:
        key = _key(js)
        if key in seen or js.attributes.get("type") == WIDGET_STATE:
            continue
        seen.add(key)
        kept.append(js)
    return kept


def label_expanders(soup: Any) -> Any:
    """Give every icon-only ``<summary>`` of a navigation tree (BeautifulSoup) a name."""
    for summary in soup.select("li > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.find_parent("li").find("a", recursive=False)
        title = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Show or hide the pages of {title}"
    return soup


def _page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body:
        # docutils marks a bibliography role="list" but its entries role="doc-biblioentry":
        # axe reports a list without list items (critical). The entries' own role suffices.
        context["body"] = body.replace('<div role="list" class="citation-list">',
                                       '<div class="citation-list">')  # fmt: skip
    scripts = context.get("script_files")
    if scripts is not None:
        # The list is the builder's own (restored before every page): edit it in place.
        scripts[:] = dedupe_scripts(scripts)
    toctree = context.get("generate_toctree_html")
    if toctree is not None:

        def labelled(kind: str, *args: Any, **kwargs: Any) -> Any:
            out = toctree(kind, *args, **kwargs)  # the theme returns a BeautifulSoup tree
            return label_expanders(out) if hasattr(out, "select") else out

        context["generate_toctree_html"] = labelled


def _default_mode(app, config) -> None:
    config.html_context.setdefault("default_mode", "auto")


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", _default_mode)
    # After every extension has added its scripts for the page.
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
