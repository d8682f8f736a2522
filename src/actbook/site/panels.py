"""Multi-panel figures that read on a phone: each panel its own image, side by side on a wide
screen, one above the other on a narrow one.

A figure of :mod:`actbook.figures.plotting` records, in a PNG text chunk, the boxes that cut
it into its panels (``actbook:panels``). After the build, :func:`split_site` replaces every
such ``<img>`` of the site (an image file or the data URI of a precomputed frame) by a
``<span class="actbook-panels">`` of one ``<img>`` per panel. The panels wrap like words
(``flex-wrap``): each keeps at least the width at which its smallest text is
:data:`LEGIBLE_PX` tall, so a wide column shows them side by side at the figure's own scale
and a phone's column shows them stacked, each as wide as the column. No script, no second
rendering: the page weighs what it did.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

#: The PNG text chunks this module reads; :mod:`actbook.figures.plotting` writes them (the
#: site may not import the figures, so the names are repeated; a test holds them equal).
PNG_PANELS = "actbook:panels"
PNG_MIN_TEXT_PX = "actbook:min-text-px"
#: A panel wraps under its neighbour rather than shrink its text below this (the audit's
#: floor at 1400 px, :data:`actbook.site.audit.MIN_FIGURE_TEXT_PX`).
LEGIBLE_PX = 9.0

_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def split_png(data: bytes) -> list[tuple[bytes, int, int]]:
    """The panels of a figure's PNG (bytes, width, height), or [] when it has none; their
    boxes tile the image (the widths of a row add up to the figure's width).

    Each panel keeps the figure's text chunks, except the panel boxes (a panel is split no
    further: splitting is idempotent).
    """
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception:  # noqa: BLE001  (not a PNG: an SVG logo, say)
        return []
    text = dict(getattr(img, "text", {}))
    boxes = json.loads(text.pop(PNG_PANELS, "[]"))
    if len(boxes) < 2:
        return []
    info = PngInfo()
    for k, v in text.items():
        info.add_text(k, v)
    parts = []
    for left, top, right, bottom in boxes:
        box = (max(0, left), max(0, top), min(img.width, right), min(img.height, bottom))
        buf = io.BytesIO()
        img.crop(box).save(buf, format="png", pnginfo=info, optimize=False)
        parts.append((buf.getvalue(), box[2] - box[0], box[3] - box[1]))
    return parts


def panels_html(attrs: dict[str, str], srcs: list[str], sizes: list[tuple[int, int]],
                min_text_px: float, width: int) -> str:  # fmt: skip
    """The ``<span>`` of panel images that replaces an ``<img>`` with ``attrs``, cut from a
    figure ``width`` pixels wide.

    A panel's flex basis is its share of the figure's width, so a wide column holds the
    figure's own rows; it wraps under its neighbour when that share is narrower than the
    width at which its text is :data:`LEGIBLE_PX` tall.
    """
    alt = attrs.get("alt", "")
    keep = {k: v for k, v in attrs.items() if k not in ("src", "alt", "width", "height", "style")}
    rest = "".join(f' {k}="{v}"' for k, v in keep.items())
    scale = LEGIBLE_PX / min_text_px if min_text_px > 0 else 1.0
    imgs = []
    for k, (src, (w, h)) in enumerate(zip(srcs, sizes, strict=True)):
        # the description once, on the first panel; the others say where it is
        label = alt if k == 0 and alt else f"panel {k + 1} of {len(srcs)} of the figure above"
        share = max(0.0, 100 * w / width - 0.05)  # a hair under: a full row always fits
        style = (f"flex: {w} 1 {share:.2f}%; min-width: min(100%, {w * min(scale, 1.0):.0f}px);"
                 f" max-width: {w}px")  # fmt: skip
        imgs.append(
            f'<img src="{src}" alt="{label}" width="{w}" height="{h}" style="{style}"{rest}>'
        )
    return '<span class="actbook-panels">' + "".join(imgs) + "</span>"


def split_page(html: str, read: Callable[[str], bytes | None],
               write: Callable[[str, int, bytes], str]) -> tuple[str, int]:  # fmt: skip
    """``html`` with each multi-panel figure split, and how many were split.

    ``read(src)`` gives an image's bytes (None when it is not local); ``write(src, k, png)``
    stores panel ``k`` and returns its ``src``. A data URI's panels stay data URIs.
    """
    count = 0

    def replace(m: re.Match) -> str:
        nonlocal count
        attrs = dict(_ATTR.findall(m.group(0)))
        src = attrs.get("src", "")
        if src.startswith("data:image/png;base64,"):
            data = base64.b64decode(src.partition(",")[2])
            store = lambda k, png: "data:image/png;base64," + base64.b64encode(png).decode()  # noqa: E731
        elif src.endswith(".png") and not re.match(r"^[a-z]+:", src):
            data = read(src)
            store = lambda k, png: write(src, k, png)  # noqa: E731
        else:
            return m.group(0)
        parts = split_png(data) if data else []
        if not parts:
            return m.group(0)
        from PIL import Image

        meta = getattr(Image.open(io.BytesIO(parts[0][0])), "text", {})
        count += 1
        srcs = [store(k, png) for k, (png, _, _) in enumerate(parts)]
        sizes = [(w, h) for _, w, h in parts]
        width = Image.open(io.BytesIO(data)).width
        return panels_html(attrs, srcs, sizes, float(meta.get(PNG_MIN_TEXT_PX, 0) or 0), width)

    return _IMG.sub(replace, html), count


def split_site(outdir: Path) -> int:
    """Split the multi-panel figures of every page under ``outdir``; the number split."""
    total = 0
    for page in sorted(outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "<img" not in html:
            continue

        def read(src: str, page: Path = page) -> bytes | None:
            path = (page.parent / src).resolve()
            inside = path.is_relative_to(outdir.resolve()) and path.is_file()
            return path.read_bytes() if inside else None

        def write(src: str, k: int, png: bytes, page: Path = page) -> str:
            path = (page.parent / src).resolve()
            panel = path.with_name(f"{path.stem}-panel{k + 1}.png")
            panel.write_bytes(png)
            head = src.rpartition("/")[0]
            return f"{head}/{panel.name}" if head else panel.name

        new, n = split_page(html, read, write)
        if n:
            page.write_text(new, encoding="utf-8")
            total += n
    return total
