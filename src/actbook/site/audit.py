"""Check the built website as a reader's browser sees it: offline, accessible, working controls.

The pieces are reusable by the browser tests (``tests/test_site.py``) and the page-weight
benchmark (``benchmarks/site.py``):

* :func:`toc_pages` lists the HTML page of every entry of ``_toc.yml`` (so the checks grow with
  the book);
* :func:`serve` serves a built site from a plain threading ``http.server`` on a free localhost
  port, recording every failed request (the browser does not report a missing favicon);
* :func:`find_chromium` finds a Chromium or Chrome by name on ``PATH`` (or ``ACTBOOK_CHROMIUM``),
  and :func:`browser` starts it through Playwright, with no background traffic; without one it
  raises :class:`BrowserMissing`, whose one-line message says how to install it;
* :func:`audit_page` opens one page in a fresh browser context whose network is cut off
  (every request to another host is recorded and aborted) and collects what the tests judge:
  requests, console errors, typeset math, images, interactive controls, axe-core violations
  and light/dark screenshots.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from actbook.paths import ROOT  # noqa: E402

#: The browsers the audit can drive, by the names their packages install (Debian: chromium).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "no Chromium found (looked for {names} on PATH and $ACTBOOK_CHROMIUM): install it, "
    "e.g. `apt-get install chromium` on Debian or Ubuntu"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
INLINE_SCHEMES = {"data", "blob", "about"}

# Controls of the theme (header, sidebars, search dialog, article toolbar) and the copy buttons
# of code cells live outside the article or copy to the clipboard: they are the "known theme
# controls". Every other control on a page must visibly change something when used.
THEME_CONTROL = (
    "el => !el.closest('article.bd-article') || el.matches('button.copybtn')"
    " || !!el.closest('.bd-header-article, .header-article-items')"
)
CONTROLS = "input, select, textarea, button, summary, [role=button]"
# The control of a precomputed figure: a range over frames, or a dropdown for a choice.
INTERACTIVE_RANGE = (
    "figure.actbook-interactive input[type=range], figure.actbook-interactive select"
)

# TeX that MathJax should have turned into math: display delimiters or a TeX command.
RAW_TEX = re.compile(
    r"\$\$|\\\(|\\\[|\\(?:frac|dfrac|begin|end|left|right|mathrm|operatorname|sigma|sum|prod"
    r"|int|sqrt|tanh|exp|log|cdot|infty|partial|alpha|beta|lambda|mathbb|tag|label)\b"
)


# ----------------------------------------------------------------------------- the book
def toc_files(root: Path = ROOT) -> list[str]:
    """Every file of ``_toc.yml`` (root first), as written there (no suffix)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for e in entries:
            if "file" in e:
                files.append(str(Path(e["file"]).with_suffix("")))
            walk(e.get("sections", []))
            walk(e.get("chapters", []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return files


def toc_pages(root: Path = ROOT) -> list[str]:
    """The built HTML path (relative to the site) of every page of the table of contents."""
    return [f + ".html" for f in toc_files(root)]


def source_of(docname: str, root: Path = ROOT) -> Path:
    """The source file of a toc entry: ``.md`` or ``.ipynb``."""
    for suffix in (".md", ".ipynb"):
        path = root / (docname + suffix)
        if path.exists():
            return path
    raise FileNotFoundError(f"no source for toc entry {docname!r}")


def is_notebook(docname: str, root: Path = ROOT) -> bool:
    """A notebook page: an ``.ipynb``, or a MyST text notebook (front matter with a kernel)."""
    src = source_of(docname, root)
    if src.suffix == ".ipynb":
        return True
    text = src.read_text()
    head = text.split("---", 2)[1] if text.startswith("---") else ""
    return "kernelspec" in head


def public_repository(root: Path = ROOT) -> str:
    """The public student edition's URL of ``_config.yml`` (``repository.url``), or ""."""
    conf = yaml.safe_load((root / "_config.yml").read_text())
    return str((conf.get("repository") or {}).get("url") or "").strip().rstrip("/")


def launch_urls(root: Path = ROOT) -> dict[str, str]:
    """The launch providers configured in ``_config.yml`` (the one place): name -> base url.

    None without a public repository: the site then shows no launch button.
    """
    conf = yaml.safe_load((root / "_config.yml").read_text())
    if not public_repository(root):
        return {}
    buttons = conf.get("launch_buttons") or {}
    keys = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url")
    return {k: buttons[k].rstrip("/") for k in keys if buttons.get(k)}


# ----------------------------------------------------------------------------- serving
class _Handler(http.server.SimpleHTTPRequestHandler):
    failures: list[str]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).isdigit() and int(code) >= 400:
            self.failures.append(f"{code} {self.path}")


@dataclass
class StaticServer:
    url: str
    failures: list[str]  # "404 /favicon.ico": every request the server could not answer


@contextmanager
def serve(folder: Path) -> Iterator[StaticServer]:
    """Serve ``folder`` on a free port of 127.0.0.1 from a background thread."""
    failures: list[str] = []
    handler = type("Handler", (_Handler,), {"failures": failures})
    factory = functools.partial(handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StaticServer(f"http://127.0.0.1:{server.server_address[1]}/", failures)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class BrowserMissing(RuntimeError):
    """No Chromium on this machine; the message is one line that says how to install it."""


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome: ``$ACTBOOK_CHROMIUM`` if set, else the first of
    :data:`CHROMIUM_NAMES` on ``PATH``; None when there is none."""
    if env := os.environ.get("ACTBOOK_CHROMIUM"):
        return env if Path(env).is_file() else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@contextmanager
def browser() -> Iterator[Any]:
    """The machine's Chromium, headless, with no background network traffic of its own."""
    executable = find_chromium()
    if executable is None:
        raise BrowserMissing(INSTALL_HINT.format(names=", ".join(CHROMIUM_NAMES)))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in INLINE_SCHEMES or parts.hostname in LOCAL_HOSTS


# ----------------------------------------------------------------------------- reading
#: A phone and a desktop window: nothing may be cut off or scroll the page sideways at either.
READING_WIDTHS = (390, 1400)
#: The width at which every figure's smallest text must reach MIN_FIGURE_TEXT_PX.
FIGURE_WIDTH = 1400
MIN_FIGURE_TEXT_PX = 9.0
#: On a phone (390 px) a figure never scrolls sideways and its smallest text is at least
#: MIN_PHONE_FIGURE_TEXT_PX tall, computed as at FIGURE_WIDTH. Why 7 and not 9: a CSS pixel is
#: an angle, and a phone is held at about 30 cm where a desktop screen is at 50-70 cm, so 7 px
#: there looks larger than 9 px on the desktop; a phone draws it with 2-3 device pixels per CSS
#: pixel (14-21 dots, sharp), and 7 px is a 5 pt font, the smallest a printed chart's tick
#: labels use. Smaller than that a reader must zoom, which is what stacking the panels avoids.
PHONE_WIDTH = 390
MIN_PHONE_FIGURE_TEXT_PX = 7.0
#: At this width every line of visible code fits its box: no code cell makes the reader scroll
#: sideways inside it to read a line. On a phone a code box may scroll (code keeps its lines).
CODE_FIT_WIDTH = 1400
#: The code a reader sees: cell inputs (chapters and exercises) and the page's code blocks
#: (not the printed outputs, which wrap: actbook.css).
CODE_BOXES = "article .cell_input pre, article div[class*=highlight] pre"

# What a reader should never see in an output: Python and SymPy spelling of values.
_REPRS = {
    "SymPy infinity (write ∞)": re.compile(r"(?<![\w.])-?oo\b|\bzoo\b"),
    "Python None (write none, or say what is missing)": re.compile(r"\bNone\b"),
    "a check printed as True/False (say what holds)": re.compile(
        r"[:=]\s*(?:True|False)\b|\b(?:True|False)\s*$"
    ),
    "SymPy Matrix repr (show the matrix as math, or say what holds)": re.compile(
        r"\b(?:Immutable)?(?:Dense)?Matrix\(\["
    ),
    "a figure printed instead of drawn": re.compile(r"<Figure size \d+x\d+"),
    "zero in scientific notation (write 0)": re.compile(
        r"(?<![\w.])[-+]?0\.0*[eE][-+]?\d+(?![\w.])"
    ),
    "a float with more than 6 significant digits": re.compile(
        r"(?<![\w.])[-+]?(?:\d+\.\d+|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])"
    ),
}
MAX_SIGNIFICANT_DIGITS = 6


def _significant_digits(number: str) -> int:
    mantissa = re.split(r"[eE]", number.lstrip("+-−"))[0].replace(".", "").replace(",", "")
    return len(mantissa.lstrip("0")) or 1


#: The tag of a cell whose digits are the lesson (a constant to 30 digits): its outputs may
#: hold long floats; every other rule holds there too.
FULL_PRECISION_TAG = "full-precision"


def reader_reprs(text: str, full_precision: bool = False) -> list[str]:
    """The Python/SymPy reprs in ``text`` that a reader should not see, one line each.

    The one rule of the course: values are written for people: ``∞`` not ``oo``, "none" not
    ``None``, a check states what holds instead of printing ``True``, and a float keeps at most
    :data:`MAX_SIGNIFICANT_DIGITS` significant digits (3 unless more teach something).

    >>> for r in reader_reprs("range: (-1.7581, oo)|equals: True|0.22916666666666666, 0.25"
    ...                       .replace("|", chr(10))): print(r)
    SymPy infinity (write ∞): range: (-1.7581, oo)
    a check printed as True/False (say what holds): equals: True
    a float with more than 6 significant digits: 0.22916666666666666, 0.25
    >>> reader_reprs("| relu | 81% | 0.00e+00 |") + reader_reprs("1.5e-05, 10e3, 0.5")
    ['zero in scientific notation (write 0): | relu | 81% | 0.00e+00 |']
    >>> reader_reprs("<Figure size 1000x640 with 1 Axes>")
    ['a figure printed instead of drawn: <Figure size 1000x640 with 1 Axes>']
    >>> reader_reprs("diff: Matrix([[0]])")
    ['SymPy Matrix repr (show the matrix as math, or say what holds): diff: Matrix([[0]])']
    """
    found = []
    for line in text.splitlines():
        for what, rx in _REPRS.items():
            hits = list(rx.finditer(line))
            if what.startswith("a float"):
                if full_precision:
                    continue
                hits = [m for m in hits if _significant_digits(m.group(0)) > MAX_SIGNIFICANT_DIGITS]
            if hits:
                found.append(f"{what}: {line.strip()[:120]}")
    return found


def long_floats(text: str, max_digits: int = MAX_SIGNIFICANT_DIGITS) -> list[str]:
    """The float literals of ``text`` with more than ``max_digits`` significant digits (a
    problem set's visible test reads like a spec: ``0.26894``, not ``0.2689414213699951``).

    >>> long_floats("expect_close(f(x), [0.2689414213699951, 0.5, 1e-300], rtol=1e-4)")
    ['0.2689414213699951']
    """
    rx = _REPRS["a float with more than 6 significant digits"]
    return [m.group(0) for m in rx.finditer(text) if _significant_digits(m.group(0)) > max_digits]


#: Prose (paragraphs, list items, table cells, captions, admonitions) states a value with at
#: most this many significant digits: fmt's 3, or 4 where the difference sits in the 4th
#: (0.04452 against 0.04472). More is noise to a reader; a value whose digits are the lesson
#: (a published constant as code spells it) is written as code, `0.044715`, and not judged.
MAX_PROSE_DIGITS = 4

# What prose must not hold: the spelling of a value by a program instead of for a reader.
_PROSE = {
    "Python e-notation (write 2.2 × 10⁻¹⁶: tables.fmt)": re.compile(
        r"(?<![\w.:/])[-+−]?\d+(?:\.\d+)?[eE][-+−]?\d+(?!\w|\.\d)"  # a sentence may end
    ),
    "a hyphen for a minus sign (write −0.28: tables.fmt)": re.compile(
        r"(?<![\w.:/)\]−-])-(?=\.?\d|∞)"
    ),
    f"more than {MAX_PROSE_DIGITS} significant digits in prose (tables.fmt: 3)": re.compile(
        r"(?<![\w.:/])\d[\d,]*\.\d+(?!\w|\.\d)"
    ),
}


def prose_numbers(text: str) -> list[str]:
    """The numbers in prose ``text`` written by a program rather than for a reader.

    The rule of the course's prose (outputs have theirs, :func:`reader_reprs`): no Python
    e-notation, a minus sign (U+2212) and not a hyphen, at most :data:`MAX_PROSE_DIGITS`
    significant digits. :func:`actbook.figures.tables.fmt` writes every value so.

    >>> for r in prose_numbers("a difference of 5.8e-15. | below -0.28 | the minimum −0.308843."
    ...                        .replace("|", chr(10))): print(r)
    Python e-notation (write 2.2 × 10⁻¹⁶: tables.fmt): a difference of 5.8e-15.
    a hyphen for a minus sign (write −0.28: tables.fmt): below -0.28
    more than 4 significant digits in prose (tables.fmt: 3): the minimum −0.308843.
    >>> prose_numbers("−0.309 at 5.8 × 10⁻¹⁵, ps01-classic, 2015-2017, arXiv:1606.08415, 1,230")
    []
    """
    found = []
    for line in text.splitlines():
        for what, rx in _PROSE.items():
            hits = list(rx.finditer(line))
            if what.startswith("more than"):
                hits = [m for m in hits if _significant_digits(m.group(0)) > MAX_PROSE_DIGITS]
            if hits:
                found.append(f"{what}: {line.strip()[:120]}")
    return found


@dataclass
class FigureShown:
    """One figure as a page shows it: its PNG's size, its shown size, its PNG text chunks."""

    src: str
    natural_width: int
    shown_width: float
    meta: dict[str, str]
    scrolls: bool = False  # inside a box that scrolls sideways (the figure is not all in view)
    panel: bool = False  # one panel of a multi-panel figure (actbook.site.panels)

    @property
    def scale(self) -> float:
        return self.shown_width / max(1, self.natural_width)

    def text_px(self, key: str = "actbook:min-text-px") -> float | None:
        """Its smallest text's displayed height: the font size in the PNG (recorded by the
        library when it drew the figure) times the scale at which the page shows it; None for
        an image not drawn by the course (no record)."""
        return float(self.meta[key]) * self.scale if key in self.meta else None


# Every element of the article wider than the viewport or clipped; page-level sideways scroll;
# scrolling elements (display math, code) that show no cue (scrollbar or shadow) that they do.
_OVERFLOW = """() => {
  const W = document.documentElement.clientWidth;
  const where = e => ' in #' + ((e.closest('section[id]') || {}).id || '?') + ': '
    + (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  const name = e => e.tagName.toLowerCase()
    + (typeof e.className === 'string' && e.className.trim()
       ? '.' + e.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const out = [], nocue = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > W + 1) out.push(`the page scrolls sideways (${doc.scrollWidth} > ${W} px)`);
  for (const e of document.querySelectorAll('article *')) {
    if (!e.checkVisibility()) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let p = e.parentElement, inScroller = false;
    while (p && p !== document.body) {
      if (scrolls(p)) { inScroller = true; break; }
      p = p.parentElement;
    }
    if (!inScroller && (r.right > W + 1 || r.left < -1)) {
      out.push(`${name(e)} spans ${Math.round(r.left)}..${Math.round(r.right)} px${where(e)}`);
      continue;
    }
    const cs = getComputedStyle(e);
    if (e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'IMG') {
      // inline boxes have no client width; MathJax's assistive MathML is hidden on purpose
      const judged = cs.display !== 'inline' && e.tagName !== 'MJX-ASSISTIVE-MML';
      if (judged && ['hidden', 'clip'].includes(cs.overflowX)) {
        // what is drawn beyond the box (scrollWidth also counts hidden assistive MathML)
        let right = r.right, left = r.left;
        for (const d of e.querySelectorAll('*')) {
          if (d.closest('mjx-assistive-mml')) continue;
          const b = d.getBoundingClientRect();
          if (b.width === 0 || b.height === 0) continue;
          right = Math.max(right, b.right); left = Math.min(left, b.left);
        }
        const cut = Math.round(Math.max(right - r.right, r.left - left));
        if (cut > 1) out.push(`${name(e)} clips ${cut} px${where(e)}`);
      } else if (scrolls(e)) {
        const bar = e.offsetHeight - e.clientHeight
          - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth);
        const shadow = /gradient/.test(cs.backgroundImage);
        if (!(bar > 0 && cs.scrollbarWidth !== 'none') && !shadow)
          nocue.push(`${name(e)} scrolls with no visible cue${where(e)}`);
      }
    }
  }
  return {out, nocue};
}"""

_TABLES = """() => [...document.querySelectorAll('article table')].flatMap((t, i) => {
  const width = r => [...r.cells].reduce((s, c) => s + (c.colSpan || 1), 0);
  const rows = [...t.rows];
  if (!rows.length) return [];
  const head = t.tHead && t.tHead.rows.length ? t.tHead.rows[0] : rows[0];
  const n = width(head);
  return rows.filter(r => width(r) !== n).map(r =>
    `table ${i + 1} (${n} columns) has a row of ${width(r)}: `
    + r.textContent.trim().replace(/\\s+/g, ' ').slice(0, 80));
})"""

_OUTPUT_TEXT = """tag => [...document.querySelectorAll('article .cell_output')]
  .filter(e => e.checkVisibility())
  .map(e => {  // code spans hold code on purpose (a config value `True`): not judged
    const c = e.cloneNode(true);
    c.querySelectorAll('code').forEach(k => k.remove());
    e.after(c); const text = c.innerText; c.remove();
    return {text, precise: !!e.closest('.tag_' + tag)};
  })"""

# The prose of the article: everything but code, math and the plain-text outputs of code
# (those are judged by reader_reprs); rendered tables and Markdown outputs are prose.
_PROSE_TEXT = """tag => {
  const art = document.querySelector('article');
  if (!art) return '';
  const c = art.cloneNode(true);
  c.querySelectorAll('pre, code, script, style, mjx-container, .math, .cell_input, '
    + '.output.stream, .output.text_plain, .output.error, .tag_' + tag).forEach(e => e.remove());
  c.querySelectorAll('details').forEach(d => { d.open = true; });  // worked answers are read too
  art.after(c); const text = c.innerText; c.remove();
  return text;
}"""

_CODE_LINES = """() => [...document.querySelectorAll('article .cell_input pre')]
  .filter(e => e.checkVisibility())
  .reduce((n, e) => n + e.textContent.replace(/\\n+$/, '').split('\\n').length, 0)"""

# Every visible code box with a line wider than the box (scrollWidth > clientWidth): where it
# is, and which of its lines do not fit (a monospace line's width, measured in the box's font).
_WIDE_CODE = """boxes => {
  const canvas = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll(boxes)]  // each element once, in page order
    .filter(e => !e.closest('.cell_output') && e.checkVisibility())
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => {
      const cs = getComputedStyle(e);
      canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const lines = e.textContent.replace(/\\n+$/, '').split('\\n')
        .filter(l => canvas.measureText(l).width > room + 1);
      return {where: (e.closest('section[id]') || {}).id || '?',
              over: e.scrollWidth - e.clientWidth, n: Math.max(1, lines.length),
              lines: lines.map(l => l.trim().slice(0, 70))};
    });
}"""

# A cell hidden whole (tag hide-cell): a bare "Show code cell content" toggle, nothing else.
_HIDDEN_CELLS = """() => [...document.querySelectorAll('article details summary')]
  .filter(e => /show code cell content/i.test(e.textContent)).length"""

_FIGURES = """() => [...document.querySelectorAll('article img')]
  .filter(m => m.checkVisibility() && m.naturalWidth > 0)
  .map(m => {
    let box = m.parentElement, scrolls = false;  // a box around it that scrolls sideways
    for (; box && box.tagName !== 'ARTICLE'; box = box.parentElement)
      if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
          && box.scrollWidth > box.clientWidth + 1) { scrolls = true; break; }
    return {src: m.currentSrc || m.src, natural: m.naturalWidth,
            shown: m.getBoundingClientRect().width, scrolls,
            panel: !!m.closest('.actbook-panels')};
  })"""


def png_text(data: bytes) -> dict[str, str]:
    """The text chunks of a PNG (where the course's figures record their smallest text)."""
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception:  # not a PNG (an SVG logo): no chunks
        return {}
    return {str(k): str(v) for k, v in getattr(img, "text", {}).items()}


def _image_bytes(src: str) -> bytes:
    import base64
    import urllib.request

    if src.startswith("data:"):
        head, _, payload = src.partition(",")
        return base64.b64decode(payload) if head.endswith(";base64") else payload.encode()
    if not is_local(src):
        return b""
    with urllib.request.urlopen(src, timeout=10) as r:  # the local test server only
        return r.read()


#: The boxes that the theme makes focusable when they scroll (pydata-sphinx-theme's
#: addTabStopsToScrollableElements, run 300 ms after a resize).
_SCROLLERS = "pre, .cell_output > .output, .pst-scrollable-table-container"
_TAB_STOPS_SETTLED = f"""() => [...document.querySelectorAll({_SCROLLERS!r})].every(e =>
    (e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight) === (e.tabIndex === 0))"""


def _wait_for_tab_stops(page) -> None:
    """Until the theme has caught up with a resize: axe run before that judges the tab stops
    of the previous width (a box that scrolls only at the new width is not yet focusable)."""
    try:
        page.wait_for_function(_TAB_STOPS_SETTLED, timeout=20_000)
    except Exception:  # noqa: BLE001  (then axe reports what a reader would meet)
        pass


def _check_reading(page, report: PageReport) -> None:
    """Measure the page as read on a phone and on a desktop window (see READING_WIDTHS)."""
    # The theme slides its sidebars in after a resize; under load a fixed wait could measure
    # a frame of that slide (the whole article 133 px to the left on CI): no transitions.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    for width in READING_WIDTHS:
        page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
        page.wait_for_timeout(100)  # let the theme re-lay out (sidebars collapse)
        found = page.evaluate(_OVERFLOW)
        report.overflow[width] = found["out"]
        report.no_scroll_cue[width] = found["nocue"]
        if width == CODE_FIT_WIDTH:
            for box in page.evaluate(_WIDE_CODE, CODE_BOXES):
                report.wide_code_lines += int(box["n"])
                report.wide_code.append(
                    f"code in #{box['where']} is {box['over']} px wider than its box:"
                    f" {box['n']} line(s) do not fit, e.g. {box['lines'][:1]}"
                )
        if width in (FIGURE_WIDTH, PHONE_WIDTH):
            shown = report.figures if width == FIGURE_WIDTH else report.phone_figures
            for m in page.evaluate(_FIGURES):
                meta = png_text(_image_bytes(m["src"]))
                fig = FigureShown(m["src"][:80], int(m["natural"]), float(m["shown"]), meta)
                fig.scrolls, fig.panel = bool(m["scrolls"]), bool(m["panel"])
                shown.append(fig)
    page.set_viewport_size(VIEWPORT)
    _wait_for_tab_stops(page)
    report.ragged_tables = page.evaluate(_TABLES)
    report.reprs = [
        r
        for out in page.evaluate(_OUTPUT_TEXT, FULL_PRECISION_TAG)
        for r in reader_reprs(out["text"], out["precise"])
    ]
    report.prose_numbers = prose_numbers(page.evaluate(_PROSE_TEXT, FULL_PRECISION_TAG))
    report.code_lines = int(page.evaluate(_CODE_LINES))
    report.hidden_cells = int(page.evaluate(_HIDDEN_CELLS))


# ----------------------------------------------------------------------------- one page
@dataclass
class PageReport:
    """What one visit of a page found. Empty lists mean a clean page."""

    page: str
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    math_sources: int = 0  # elements holding TeX in the HTML
    math_untypeset: list[str] = field(default_factory=list)
    raw_tex: list[str] = field(default_factory=list)
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    interactive: list[dict] = field(default_factory=list)
    dead_controls: list[str] = field(default_factory=list)
    theme_controls: int = 0
    axe_serious: list[str] = field(default_factory=list)
    dark_theme: str = ""
    dark_figure_luminance: list[float] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)
    # How the page reads (measured at the widths of READING_WIDTHS):
    overflow: dict[int, list[str]] = field(default_factory=dict)  # width -> what is cut off
    no_scroll_cue: dict[int, list[str]] = field(default_factory=dict)  # scrollers with no cue
    ragged_tables: list[str] = field(default_factory=list)
    reprs: list[str] = field(default_factory=list)  # see reader_reprs
    prose_numbers: list[str] = field(default_factory=list)  # see prose_numbers
    code_lines: int = 0  # lines of code a reader sees (hidden and folded cells excluded)
    hidden_cells: int = 0  # "Show code cell content" toggles: cells hidden whole
    wide_code: list[str] = field(default_factory=list)  # code boxes that scroll at CODE_FIT_WIDTH
    wide_code_lines: int = 0  # the lines of those boxes that are wider than the box
    figures: list[FigureShown] = field(default_factory=list)  # at FIGURE_WIDTH
    phone_figures: list[FigureShown] = field(default_factory=list)  # at PHONE_WIDTH


_WAIT_MATH = """async () => {
  if (!document.querySelector('.math, .text_latex')) return 0;
  for (let i = 0; i < 400 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 25));
  if (!(window.MathJax && MathJax.startup)) return -1;
  await MathJax.startup.promise;
  return document.querySelectorAll('mjx-container').length;
}"""

_MATH = """() => {
  const srcs = [...document.querySelectorAll('article .math, article .text_latex')];
  const untypeset = srcs
    .filter(e => !e.querySelector('mjx-container') && !e.closest('mjx-container'))
    .map(e => e.textContent.trim().slice(0, 80));
  const art = document.querySelector('article').cloneNode(true);
  art.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight')
     .forEach(e => e.remove());
  return {n: srcs.length, untypeset, text: art.textContent};
}"""

_IMAGES = """() => [...document.images].map(m => ({
  src: (m.currentSrc || m.src).slice(0, 80), ok: m.complete && m.naturalWidth > 0,
  alt: (m.getAttribute('alt') || '').trim(), inArticle: !!m.closest('article')}))"""

_FIGURE_STATE = """fig => ({
  shown: [...fig.querySelectorAll('.actbook-frame')].findIndex(m => !m.hidden),
  output: (fig.querySelector('output') || {}).textContent || ''})"""


def _fingerprint(page) -> str:
    return page.evaluate("() => document.querySelector('article').outerHTML")


def _mean_luminance(png: bytes) -> float:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    hist = img.histogram()
    return sum(i * n for i, n in enumerate(hist)) / max(1, sum(hist))


def _check_interactive(page, report: PageReport) -> None:
    """Move every precomputed control to both ends; the shown frame and the pixels must change."""
    ranges = page.locator(INTERACTIVE_RANGE)
    for i in range(ranges.count()):
        rng = ranges.nth(i)
        fig = rng.locator("xpath=ancestor::figure[1]")
        fig.scroll_into_view_if_needed()
        before = fig.evaluate(_FIGURE_STATE)
        shot_before = fig.screenshot()
        is_select = rng.evaluate("e => e.tagName === 'SELECT'")
        if is_select:
            n = rng.locator("option").count()
            last = n - 1 if rng.evaluate("e => e.selectedIndex") != n - 1 else 0
            rng.select_option(index=last)
        else:
            rng.focus()
            page.keyboard.press("End")
        after = fig.evaluate(_FIGURE_STATE)
        if after == before and not is_select:  # it was at the end already: the other end
            page.keyboard.press("Home")
            after = fig.evaluate(_FIGURE_STATE)
        shot_after = fig.screenshot()
        report.interactive.append(
            {
                "index": i,
                "before": before,
                "after": after,
                "frame_changed": after["shown"] != before["shown"] and after["shown"] >= 0,
                "label_changed": after["output"] != before["output"],
                "pixels_changed": shot_before != shot_after,
            }
        )
        if is_select:  # back to the default frame
            rng.select_option(
                index=rng.evaluate("e => [...e.options].findIndex(o => o.defaultSelected)")
            )
        else:
            rng.fill(rng.evaluate("e => e.defaultValue"))


def _check_controls(page, report: PageReport) -> None:
    """Use every control that is not the theme's; a control that changes nothing is dead."""
    controls = page.locator(CONTROLS)
    done = set()
    for i in range(controls.count()):
        el = controls.nth(i)
        if el.evaluate(THEME_CONTROL):
            report.theme_controls += 1
            continue
        if el.evaluate(f"e => e.matches('{INTERACTIVE_RANGE}')"):
            continue  # checked with pixels by _check_interactive
        if not el.is_visible():
            continue
        desc = el.evaluate(
            "e => e.outerHTML.slice(0, 120) + ' in ' + ((e.closest('section[id]') || {}).id || '?')"
        )
        if desc in done:
            continue
        done.add(desc)
        url, before = page.url, _fingerprint(page)
        kind = el.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        try:
            if kind.startswith("select"):
                options = el.locator("option")
                el.select_option(index=(1 if options.count() > 1 else 0))
            elif kind in ("input:range",):
                el.focus()
                page.keyboard.press("End")
            elif kind.startswith(("textarea", "input:text", "input:search", "input:number")):
                el.fill("1")
            else:
                el.click(timeout=2000)
        except (
            Exception
        ) as exc:  # a control that cannot be used is as dead as one that does nothing
            report.dead_controls.append(f"{desc}: {type(exc).__name__}")
            continue
        page.wait_for_timeout(50)
        if page.url != url:
            page.go_back()
            continue
        if _fingerprint(page) == before:
            report.dead_controls.append(desc)


def _axe(page, rules: list[str] | None = None) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    # No CSSOM preload: axe would fetch the theme's @import relative to the page (a 404).
    options: dict[str, Any] = {"resultTypes": ["violations"], "preload": False}
    if rules:
        options["runOnly"] = rules
    found = []
    for v in Axe().run(page, options=options).response["violations"]:
        if v.get("impact") in ("serious", "critical"):
            targets = [" ".join(map(str, n.get("target", []))) for n in v["nodes"][:3]]
            found.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {targets}")
    return found


def audit_page(
    browser_,
    base_url: str,
    page_path: str,
    screenshots: Path | None = None,
    axe: bool = True,
) -> PageReport:
    """Open ``page_path`` of the site served at ``base_url`` and check everything a reader meets."""
    report = PageReport(page_path)
    context = browser_.new_context(viewport=VIEWPORT, color_scheme="light")

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:  # the reader may be offline: nothing may come from elsewhere
            report.external_requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda m: m.type == "error" and report.console_errors.append(f"console: {m.text}"),
    )
    page.on("pageerror", lambda e: report.console_errors.append(f"uncaught: {e}"))
    page.on(
        "requestfailed",
        lambda r: is_local(r.url) and report.failed_requests.append(f"{r.failure} {r.url}"),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and report.failed_requests.append(f"{r.status} {r.url}"),
    )
    try:
        page.goto(base_url + page_path, wait_until="load", timeout=180_000)  # a loaded machine
        page.evaluate("() => document.fonts.ready.then(() => true)")
        if page.evaluate(_WAIT_MATH) < 0:
            report.console_errors.append("MathJax never started")
        math = page.evaluate(_MATH)
        report.math_sources = math["n"]
        report.math_untypeset = math["untypeset"]
        report.raw_tex = sorted({m.group(0) for m in RAW_TEX.finditer(math["text"])})
        _check_reading(page, report)

        images = page.evaluate(_IMAGES)
        report.images = len(images)
        report.broken_images = [m["src"] for m in images if not m["ok"]]
        report.images_without_alt = [m["src"] for m in images if not m["alt"]]

        if axe:
            report.axe_serious += _axe(page)

        slug = page_path.removesuffix(".html").replace("/", "__")
        if screenshots is not None:
            screenshots.mkdir(parents=True, exist_ok=True)
            path = screenshots / f"{slug}-light.png"
            page.screenshot(path=path)
            report.screenshots.append(path)

        _check_interactive(page, report)
        _check_controls(page, report)

        # Dark mode: the site starts in "auto", so the reader's system setting switches it.
        page.evaluate("() => window.scrollTo(0, 0)")
        # Colours fade between modes: measure the end state, not a frame of the fade.
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        page.emulate_media(color_scheme="dark")
        try:
            page.wait_for_function(
                "document.documentElement.dataset.theme === 'dark'", timeout=3000
            )
        except Exception:  # reported below: the theme stayed light
            pass
        report.dark_theme = page.evaluate("() => document.documentElement.dataset.theme")
        if axe:  # text must stay readable in dark mode too
            report.axe_serious += [f"dark mode: {v}" for v in _axe(page, ["color-contrast"])]
        # a multi-panel figure is judged whole (one dark panel, a colour map, is no defect)
        one = ":not(.actbook-panels > img):visible"
        figures = page.locator(f"article .actbook-panels:visible, article figure img{one},"
                               f" article .cell_output img{one}")  # fmt: skip
        for i in range(min(figures.count(), 3)):
            report.dark_figure_luminance.append(_mean_luminance(figures.nth(i).screenshot()))
        if screenshots is not None:
            page.evaluate("() => window.scrollTo(0, 0)")
            path = screenshots / f"{slug}-dark.png"
            page.screenshot(path=path)
            report.screenshots.append(path)
            if figures.count():
                path = screenshots / f"{slug}-dark-figure.png"
                figures.first.screenshot(path=path)
                report.screenshots.append(path)
    finally:
        context.close()
    return report


def page_weight(browser_, url: str) -> dict[str, Any]:
    """Bytes and requests of one page (cold cache), time to ``load`` and to typeset math."""
    context = browser_.new_context(viewport=VIEWPORT)
    context.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.evaluate(_WAIT_MATH)
        timing = page.evaluate(
            """() => {
              const n = performance.getEntriesByType('navigation')[0];
              const res = performance.getEntriesByType('resource')
                .map(r => [r.name.split('?')[0].split('/').slice(-2).join('/'), r.encodedBodySize]);
              return {load: n.loadEventEnd, html: n.encodedBodySize, ready: performance.now(),
                      resources: res};
            }"""
        )
    finally:
        context.close()
    resources = sorted(timing["resources"], key=lambda r: -r[1])
    return {
        "bytes": float(timing["html"] + sum(size for _, size in resources)),
        "requests": float(1 + len(resources)),
        "html_bytes": float(timing["html"]),
        "load_ms": float(timing["load"]),
        "math_ready_ms": float(timing["ready"]),
        "heaviest": resources[:5],
    }


# ----------------------------------------------------------------------------- reading report
def reading_report(browser_, base_url: str, page_path: str) -> PageReport:
    """Only the reading measures of one page (overflow, tables, reprs, code, figures): what
    ``python -m actbook.site.audit`` reports, without axe, controls or screenshots."""
    report = PageReport(page_path)
    context = browser_.new_context(viewport=VIEWPORT, color_scheme="light")
    context.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    page = context.new_page()
    try:
        page.goto(base_url + page_path, wait_until="load", timeout=180_000)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.evaluate(_WAIT_MATH)
        _check_reading(page, report)
    finally:
        context.close()
    return report
