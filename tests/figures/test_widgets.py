"""Interactive figures: every control changes the figure, live and on the static site."""

import re

import numpy as np
import pytest

from actbook.figures.plotting import ActivationPlot, gallery, plot_activation
from actbook.figures.widgets import InteractiveFigure, Slider, activation_explorer
from tests.figure_checks import assert_no_address, assert_static_control_works


def test_live_slider_changes_the_image():
    fx = activation_explorer("leaky_relu", [Slider("alpha", "α", 0.0, 1.0, 0.01, 0.01)])
    w = fx.widget()
    image = w.children[-1]
    before = image.value
    fx.controls["alpha"].value = 0.5  # what a student's drag does
    assert image.value != before
    np.testing.assert_allclose(fx.plot.lines[0].get_ydata()[0], 0.5 * fx.plot.z[0])


def test_a_live_frame_and_a_page_frame_show_the_same_pixels_the_page_one_smaller():
    """Live frames trade size for speed (zlib level 1), a page's frames the other way."""
    import io

    from PIL import Image

    fx = activation_explorer("sigmoid")
    fx.controls["probe"].value = 1.5
    live, page = fx.png(), fx.png(level=9)
    pixels = [np.asarray(Image.open(io.BytesIO(p)).convert("RGB")) for p in (live, page)]
    assert pixels[0].shape == pixels[1].shape and np.array_equal(*pixels)
    assert len(page) < 0.9 * len(live)
    assert fx.image == live  # the widget shows the live encoding


def test_probe_slider_moves_the_point_and_tangent():
    fx = activation_explorer("sigmoid")
    fx.widget()
    before = fx.image
    fx.controls["probe"].value = 3.0
    assert fx.image != before
    assert "f′(3.00) = 0.0452" in fx.plot.readout.get_text()  # sigma'(3), 3 digits


def test_probe_readout_covers_no_curve():
    """The readout sits outside the derivative's axes, so it hides no part of a curve."""
    fx = activation_explorer("tanh")
    fx.png()  # lay the figure out
    renderer = fx.plot.fig.canvas.get_renderer()
    box = fx.plot.readout.get_window_extent(renderer)
    axes_box = fx.plot.ax_g.get_window_extent(renderer)
    assert box.y0 >= axes_box.y1 - 1, (box, axes_box)


def test_labels_are_rounded_to_the_step_and_frames_lie_on_it():
    lower = Slider("lower", "lower", 0.0, 1 / 3, 1 / 24, 1 / 8)
    texts = [lower.text(v) for v in lower.frames(9)]
    assert texts[:4] == ["lower = 0.000", "lower = 0.042", "lower = 0.083", "lower = 0.125"]
    temp = Slider("T", "T", 0.05, 3.0, 0.05, 1.0)
    for v in temp.frames(9):
        assert abs((v - temp.min) / temp.step - round((v - temp.min) / temp.step)) < 1e-9
        assert len(temp.text(v).split(".")[-1]) == 2, temp.text(v)


def test_a_choice_is_a_dropdown_on_the_site():
    from actbook.figures.widgets import Choice, InteractiveFigure

    fx = activation_explorer("elu", [Slider("alpha", "α", 0.5, 2.0, 0.1, 1.0)])
    choice = Choice.of("alpha", "α", [0.5, 1.0, 2.0], default=1.0)
    html = InteractiveFigure(fx.plot, [choice], "ELU").static_html()
    assert "<select" in html and 'type="range"' not in html
    assert html.count("<option") == 3 and '<option value="1" selected>1</option>' in html


def test_static_control_has_distinct_frames_one_visible_and_labelled():
    fx = activation_explorer("elu", [Slider("alpha", "α", 0.5, 2.0, 0.1, 1.0)])
    html = fx.static_html()
    assert_static_control_works(html)
    assert 'aria-label="α"' in html and "<output>α = 1.0</output>" in html
    assert all('alt="' in tag for tag in re.findall(r"<img[^>]*>", html))
    assert_no_address(html)


def test_a_caption_is_shown_above_the_control_on_the_site_and_under_the_live_image():
    fx = activation_explorer("tanh", caption="Tanh & its derivative.")
    html = fx.static_html()
    caption = html.index('<p class="actbook-caption">Tanh &amp; its derivative.</p>')
    assert html.index("<figcaption>") < caption < html.index("<input")
    assert "Tanh &amp; its derivative." in fx.widget().children[-1].value
    assert "actbook-caption" not in activation_explorer("tanh").static_html()


def test_mimebundle_carries_widget_and_html():
    bundle = activation_explorer("tanh")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<figure class="actbook-interactive">')


def test_a_figure_needs_a_slider():
    with pytest.raises(ValueError, match="at least one slider"):
        InteractiveFigure(ActivationPlot("relu"), [], "x")


def test_static_figures_have_two_panels_and_gallery_all():
    assert len(plot_activation("gelu", overlay=["relu"]).axes) == 2
    assert len(gallery(["relu", "tanh", "gelu"]).axes) == 6


def test_overlays_are_dashed_as_the_captions_say_and_the_activation_solid():
    plot = ActivationPlot("gelu", {}, ["relu", "swish"])
    styles = {line.get_label(): line.get_linestyle() for line in plot.ax_f.lines}
    assert styles["ReLU"] == styles["Swish"] == "--" and styles["GELU"] == "-"
