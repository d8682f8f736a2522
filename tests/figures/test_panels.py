"""Multi-panel figures record their panels, and the site shows one image per panel (side by
side on a wide screen, stacked on a phone): the HTML the figure helpers and the splitter emit."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from actbook.catalog.appearance import TITLES
from actbook.figures import explorers, plotting
from actbook.site import panels

GALLERY = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def meta(png: bytes) -> dict[str, str]:
    return dict(Image.open(io.BytesIO(png)).text)


def boxes(png: bytes) -> list[list[int]]:
    return json.loads(meta(png).get(plotting.PNG_PANELS, "[]"))


def test_the_site_reads_the_chunks_the_figures_write():
    assert panels.PNG_PANELS == plotting.PNG_PANELS
    assert panels.PNG_MIN_TEXT_PX == plotting.PNG_MIN_TEXT_PX


def test_an_explorer_frame_is_cut_into_f_and_f_prime_with_no_text_cut():
    ex = explorers.explorer("relu")
    png = ex.png()
    width, height = Image.open(io.BytesIO(png)).size
    (left, right) = boxes(png)
    assert left[0] == 0 and right[2] == width and left[2] == right[0], "the boxes tile the width"
    assert left[1] == right[1] == 0 and left[3] == right[3] == height
    # each panel's titles, labels and legend lie inside its box (96 dpi, y down)
    fig = ex.plot.fig
    renderer = fig.canvas.get_renderer()
    for box, ax in zip((left, right), (ex.plot.ax_f, ex.plot.ax_g), strict=True):
        b = ax.get_tightbbox(renderer)
        assert box[0] - 1 <= b.x0 and b.x1 <= box[2] + 1, (box, b)


def test_the_gallery_has_one_panel_per_activation_in_reading_order():
    png = plotting.figure_png(plotting.gallery(GALLERY))
    found = boxes(png)
    assert len(found) == len(GALLERY)
    assert found[0][1] == found[1][1] == found[2][1] < found[3][1], "three to a row"
    assert found[3][0] == 0 and found[4][0] == found[1][0], "row-major, on the grid"


def test_on_a_wide_column_the_gallery_keeps_its_rows_of_three():
    png = plotting.figure_png(plotting.gallery(GALLERY))
    html, n = split(f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="g">')
    shares = [float(x) for x in re.findall(r"flex: \d+ 1 ([\d.]+)%", html)]
    assert n == 1 and len(shares) == len(GALLERY)
    assert 99.5 < sum(shares[:3]) <= 100, "a row's panels fill the column and fit in it"
    assert sum(shares[:4]) > 100, "the fourth panel starts the next row"


def test_a_one_panel_figure_is_left_whole():
    fig = plotting.plot_curves([0, 1], {"a": [0, 1]}, "y")
    assert plotting.PNG_PANELS not in meta(plotting.figure_png(fig))


def test_a_one_panel_figure_is_legible_across_a_phone_s_column():
    """The library's one-panel figures are at most PANEL_WIDTH wide: shown across a phone's
    column, their smallest text reaches the audit's phone floor (tests/site measures it in
    the browser, on every page)."""
    from actbook.site.audit import MIN_PHONE_FIGURE_TEXT_PX

    curves = {"ReLU, he": [1.0, 1.0], "tanh, xavier": [1.0, 0.1]}
    for fig in (
        plotting.plot_curves([0, 1], curves, "y", title="a title", logy=True),
        plotting.plot_variance_through_depth({k: 1e-3 + np.array(v) for k, v in curves.items()}),
    ):
        png = plotting.figure_png(fig)
        width = Image.open(io.BytesIO(png)).width
        shown = float(meta(png)[plotting.PNG_MIN_TEXT_PX]) * plotting.PHONE_COLUMN_PX / width
        assert shown >= MIN_PHONE_FIGURE_TEXT_PX, f"{shown:.1f} px on a phone (PNG {width} px)"


def split(html: str) -> tuple[str, int]:
    return panels.split_page(html, lambda src: None, lambda src, k, png: src)


def test_a_precomputed_control_switches_frames_of_stacked_panels():
    ex = explorers.explorer("leaky_relu")
    html, n = split(ex.static_html())
    frames = re.findall(r'<div class="actbook-frame"( hidden)?>(.*?)</div>', html)
    assert n == len(frames) == len(explorers.SLIDERS["leaky_relu"][0].frames(9))
    assert sum(not hidden for hidden, _ in frames) == 1, "one frame shown"
    assert "querySelectorAll('.actbook-frame')" in html, "the control switches whole frames"
    for _, frame in frames:
        imgs = re.findall(r"<img[^>]*>", frame)
        assert frame.startswith('<span class="actbook-panels">') and len(imgs) == 2
        assert TITLES["leaky_relu"] in imgs[0] and 'alt="panel 2 of 2' in imgs[1]
    # each panel keeps the width at which its text is 9 px before it wraps under the other
    first = re.findall(r"<img[^>]*>", frames[0][1])[0]
    data = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', first).group(1))
    w = Image.open(io.BytesIO(data)).width
    text = float(meta(data)[plotting.PNG_MIN_TEXT_PX])
    floor = re.search(r"min-width: min\(100%, (\d+)px\)", first).group(1)
    assert int(floor) == round(w * panels.LEGIBLE_PX / text) and int(floor) < w
    assert f"max-width: {w}px" in first, "never blown up past its own pixels"
    assert split(html) == (html, 0), "splitting twice changes nothing"


def test_a_figure_file_is_split_into_panel_files(tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "chapters").mkdir()
    png = plotting.figure_png(plotting.gallery(GALLERY[:2]))
    (tmp_path / "_images" / "g.png").write_bytes(png)
    page = tmp_path / "chapters" / "p.html"
    page.write_text('<p>x</p><figure><img alt="two activations" src="../_images/g.png" />'
                    '<img alt="logo" src="../_static/logo.svg" /></figure>')  # fmt: skip
    assert panels.split_site(tmp_path) == 1
    html = page.read_text()
    assert 'src="../_images/g-panel1.png"' in html and 'src="../_images/g-panel2.png"' in html
    assert 'src="../_static/logo.svg"' in html, "other images are left alone"
    parts = [Image.open(tmp_path / "_images" / f"g-panel{k}.png") for k in (1, 2)]
    assert sum(p.width for p in parts) == Image.open(io.BytesIO(png)).width
    assert plotting.PNG_MIN_TEXT_PX in parts[0].text and plotting.PNG_PANELS not in parts[0].text
    assert panels.split_site(tmp_path) == 0, "a second pass finds nothing left to split"


@pytest.mark.parametrize("data", [b"", b"not a png"])
def test_what_is_not_a_figure_png_is_left_alone(data):
    assert panels.split_png(data) == []
