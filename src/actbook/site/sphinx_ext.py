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
* A figure of several panels is one image, whose text a phone shrinks to 4 px: after the
  build, :func:`actbook.site.panels.split_site` cuts it into one image per panel, laid out
  side by side on a wide screen and stacked on a narrow one.
* The pydata theme's navigation expanders are ``<summary>`` elements holding only an icon:
  axe-core reports them as controls with no name (serious). Each gets an ``aria-label``
  naming the section it opens.

It also owns the site's repository, issues and launch buttons. They must lead to the public
student edition (``make student-edition``; the instructor guide, "Two repositories"), whose
address is configured in one place: ``repository`` and ``launch_buttons`` of ``_config.yml``.
:func:`edition_options` turns the repository and issues buttons on when ``repository.url`` is
set and, when it is empty (or Jupyter Book's placeholder), turns every repository, issues,
edit and launch button off: the site never links to a repository that may not exist. The
download buttons need no repository; since the theme only writes a text notebook's ``.ipynb``
download while it makes launch links, :func:`_keep_notebook_download` writes it otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


#: Repository URLs that mean "no public edition configured" (Jupyter Book's default is its own).
UNSET_REPOSITORIES = {"", "https://github.com/executablebooks/jupyter-book"}
LAUNCH_URLS = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url")
#: Hosts whose issue trackers live at ``<repository>/issues``.
ISSUE_HOSTS = {"github.com", "gitlab.com"}


class EditionConfigError(ValueError):
    """``repository.url`` of ``_config.yml`` is not the address of a repository."""


def public_repository(theme_options: dict) -> str:
    """The configured public edition's URL (no trailing slash or ``.git``), or "" if none."""
    url = str(theme_options.get("repository_url") or "").strip().rstrip("/").removesuffix(".git")
    if url in UNSET_REPOSITORIES:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or len(parts.path.strip("/").split("/")) < 2:
        raise EditionConfigError(
            f"_config.yml: repository.url must be https://HOST/OWNER/REPO or empty, not {url!r}"
        )
    return url


def edition_options(theme_options: dict) -> dict:
    """The theme's options with the repository, issues and launch buttons set from the
    configured public edition: all off without one.

    >>> off = edition_options({"repository_url": "", "use_repository_button": True,
    ...                        "launch_buttons": {"binderhub_url": "https://mybinder.org"}})
    >>> off["use_repository_button"], off["launch_buttons"]["binderhub_url"]
    (False, '')
    >>> on = edition_options({"repository_url": "https://github.com/o/r.git", "launch_buttons": {}})
    >>> on["repository_url"], on["use_repository_button"], on["use_issues_button"]
    ('https://github.com/o/r', True, True)
    """
    opts = dict(theme_options)
    launch = dict(opts.get("launch_buttons") or {})
    url = public_repository(opts)
    opts["repository_url"] = url
    if not url:
        opts.update(use_repository_button=False, use_issues_button=False)
        opts["use_edit_page_button"] = False
        launch.update({key: "" for key in LAUNCH_URLS}, thebe=False)
    else:
        opts["use_repository_button"] = True
        opts["use_issues_button"] = urlsplit(url).hostname in ISSUE_HOSTS
        if urlsplit(url).hostname != "github.com":
            launch["colab_url"] = ""  # Colab opens notebooks from GitHub only
    opts["launch_buttons"] = launch
    return opts


def launches(theme_options: dict) -> bool:
    """Whether the theme makes launch links (and then writes the ``.ipynb`` downloads)."""
    launch = theme_options.get("launch_buttons") or {}
    return bool(theme_options.get("repository_url")) and any(
        launch.get(k) for k in (*LAUNCH_URLS, "thebe")
    )


def _configure_buttons(app, config) -> None:
    try:
        config.html_theme_options = edition_options(config.html_theme_options or {})
    except EditionConfigError as e:
        from sphinx.errors import ConfigError

        raise ConfigError(str(e)) from None


def _keep_notebook_download(app, pagename, templatename, context, doctree) -> None:
    """Without launch buttons, still offer a text notebook's ``.ipynb`` (as the theme does)."""
    if launches(app.config.html_theme_options) or "kernelspec" not in app.env.metadata.get(
        pagename, {}
    ):
        return
    if not str(context.get("sourcename", "")).endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if executed.is_file():
        target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(executed, target)
        context["ipynb_source"] = f"{pagename}.ipynb"


def _default_mode(app, config) -> None:
    config.html_context.setdefault("default_mode", "auto")


def _split_panels(app, exception) -> None:
    """Multi-panel figures: one image per panel, stacked on a phone (:mod:`.panels`)."""
    if exception is None and app.builder.format == "html":
        from actbook.site.panels import split_site

        split_site(Path(app.outdir))


def setup(app) -> dict[str, Any]:
    app.connect("build-finished", _split_panels)
    app.connect("config-inited", _default_mode)
    app.connect("config-inited", _configure_buttons)
    # Before the theme's header buttons (priority 501), which offer the download it sets.
    app.connect("html-page-context", _keep_notebook_download, priority=500)
    # After every extension has added its scripts for the page.
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
