"""Catalog pages, part 1 (linear, softmax, tanh, ReLU, Leaky ReLU / PReLU / RReLU, the index).

Every control of their interactive figures changes the image, live and on the static site;
the softmax temperature module behaves as the page says; and the pages' prose links its
exercise, glues what it cites and types no computed number.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import mpmath
import numpy as np
import pytest

from actbook.catalog import numeric
from actbook.catalog.comparison import (
    high_precision,
    left_saturation_point,
    max_abs_difference,
    relative_error,
)
from actbook.figures import explorers
from actbook.figures.explorers import explorer
from actbook.figures.plotting import plot_curves
from actbook.lab.diagnostics import moments_through_depth
from actbook.pages import softmax as softmax_plots
from actbook.pages.elu import plot_moments
from tests.figure_checks import (
    assert_each_control_changes_image,
    assert_no_address,
    assert_static_control_works,
)

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"

#: page -> the exercise that implements it.
EXERCISE = {
    "linear": "ps01-classic",
    "tanh": "ps01-classic",
    "softmax": "ps02-softmax",
    "relu": "ps03-relu-family",
    "leaky_relu": "ps03-relu-family",
}


def figures() -> dict[str, callable]:
    factories = {name: (lambda n=name: explorers.explorer(n)) for name in explorers.SLIDERS}
    factories["softmax-temperature"] = softmax_plots.temperature_explorer
    return factories


FIGURES = figures()


# ---------------------------------------------------------------- interactive figures


@pytest.mark.parametrize("name", FIGURES)
def test_every_live_slider_changes_the_image(name):
    assert_each_control_changes_image(FIGURES[name]())


@pytest.mark.parametrize("name", FIGURES)
def test_static_control_has_distinct_labelled_frames(name):
    fx = FIGURES[name]()
    html = fx.static_html()
    assert_static_control_works(html)
    assert f'aria-label="{fx.sliders[0].label}"' in html
    assert_no_address(html)


@pytest.mark.parametrize("name", explorers.SLIDERS)
def test_explorer_controls_are_the_catalog_parameters_and_a_probe(name):
    fx = explorers.explorer(name)
    assert list(fx.controls) == [s.name for s in explorers.SLIDERS[name]] + ["probe"]


def test_explorers_use_the_parameter_sliders_of_the_catalog():
    assert [s.name for s in explorers.explorer("linear").sliders] == ["m", "probe"]
    assert [s.name for s in explorers.explorer("rrelu").sliders] == ["lower", "upper", "probe"]
    assert [s.name for s in softmax_plots.temperature_explorer().sliders] == ["T"]


# ---------------------------------------------------------------- softmax_plots


def test_entropy_increases_with_temperature():
    ts = np.linspace(0.05, 20, 200)
    h = np.array(
        [softmax_plots.entropy(softmax_plots.softmax_t(softmax_plots.LOGITS, t)) for t in ts]
    )
    assert np.all(np.diff(h) > 0)
    k = len(softmax_plots.LOGITS)
    assert h[0] < 0.01 and np.log(k) - h[-1] < 0.01  # one-hot at T -> 0, uniform at T -> oo


def test_temperature_bars_are_the_distribution_and_sum_to_one():
    plot = softmax_plots.TemperaturePlot()
    for t in (0.1, 0.7, 1.0, 3.0, 5.0):
        plot.update(T=t)
        heights = np.array([bar.get_height() for bar in plot.bars])
        np.testing.assert_allclose(heights.sum(), 1.0, rtol=1e-12)
        np.testing.assert_allclose(heights, softmax_plots.softmax_t(plot.logits, t))
        assert plot.labels[0].get_text() == f"{heights[0]:.2f}"
        assert plot.dot.get_xdata()[0] == t
    assert plot.bars[0].get_height() == heights.max()  # the largest logit keeps the largest bar


def test_softmax_t_and_entropy_edge_cases():
    np.testing.assert_allclose(softmax_plots.softmax_t([1000.0, 0.0], 1e-3), [1.0, 0.0])
    np.testing.assert_allclose(softmax_plots.entropy([0.25] * 4), np.log(4))
    assert softmax_plots.entropy([1.0, 0.0, 0.0]) == 0.0  # 0 log 0 = 0, and no warning
    with pytest.raises(ValueError, match="positive"):
        softmax_plots.softmax_t([1.0, 2.0], 0.0)


def test_static_softmax_figure_outputs_sum_to_one_and_jacobian_columns_to_zero():
    fig = softmax_plots.plot_softmax()
    ax_s, ax_j = fig.axes
    outputs = [ln.get_ydata() for ln in ax_s.get_lines() if ln.get_label().startswith("$s_")]
    assert len(outputs) == 3
    np.testing.assert_allclose(np.sum(outputs, axis=0), 1.0)
    (col_sum,) = [ln.get_ydata() for ln in ax_j.get_lines() if ln.get_label() == "column sum"]
    assert np.max(np.abs(col_sum)) < 1e-15


# ---------------------------------------------------------------- the pages' markdown


def prose(md: str) -> str:
    """The page's text without its code cells, math, inline code and glue roles."""
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    md = re.sub(r"\$\$.*?\$\$", "", md, flags=re.S)
    md = re.sub(r"\$[^$\n]+\$", "", md)
    md = re.sub(r"\{glue:[a-z]+\}`[^`]+`", "", md)
    return re.sub(r"`[^`\n]+`", "", md)


def code_cells(md: str, with_options: bool = False) -> list:
    """The page's code cells as jupytext reads them: their sources (options apart), or the
    cells themselves (``cell.metadata`` holds the options, in either MyST form)."""
    cells = [c for c in jupytext.reads(md, fmt="md:myst").cells if c.cell_type == "code"]
    return cells if with_options else [c.source for c in cells]


PAGES = [*EXERCISE, "catalog"]


@pytest.mark.parametrize("page", EXERCISE)
def test_page_links_its_exercise(page):
    md = (CHAPTERS / f"{page}.md").read_text()
    ex = EXERCISE[page]
    assert f"](../exercises/{ex}/{ex}.ipynb)" in md


@pytest.mark.parametrize("page", PAGES)
def test_page_types_no_computed_number(page):
    text = prose((CHAPTERS / f"{page}.md").read_text())
    typed = re.findall(r"\d+\.\d{3,}|\d+\.\d+%|\d\.?\d*e[-+]?\d+", text)
    assert not typed, f"{page}: numbers typed in the prose instead of glued: {typed}"


@pytest.mark.parametrize("page", PAGES)
def test_every_glued_name_is_glued_by_the_page(page):
    md = (CHAPTERS / f"{page}.md").read_text()
    used = set(re.findall(r"\{glue:[a-z]+\}`([A-Za-z0-9_]+)", md))
    code = "\n".join(code_cells(md))
    for cell in code_cells(md):
        ast.parse(cell)
    glued = set(re.findall(r'glue\("([A-Za-z0-9_]+)"', code))
    # f-string names, e.g. glue(f"acc_{act}_{-bias:g}", ...) -> a pattern acc_.*_.*
    patterns = [
        re.sub(r"\\\{[^}]*\\\}", ".*", re.escape(p)) for p in re.findall(r'glue\(f"([^"]+)"', code)
    ]
    missing = {n for n in used - glued if not any(re.fullmatch(p, n) for p in patterns)}
    assert not missing, f"{page}: glue names used in the text but never glued: {missing}"
    assert used, f"{page}: no glued number at all"


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_cell_has_caption_name_and_alt(page):
    md = (CHAPTERS / f"{page}.md").read_text()
    for cell in code_cells(md, with_options=True):
        if re.search(r"plot_activation\(|plot_softmax\(|gallery\(", cell.source):
            opts = cell.metadata.get("mystnb", {})
            found = {**opts.get("figure", {}), **opts.get("image", {})}
            for key in ("caption", "name", "alt"):
                assert found.get(key), f"{page}: a figure cell lacks {key}"


@pytest.mark.parametrize("page", PAGES)
def test_every_glue_role_has_a_valid_format(page):
    md = (CHAPTERS / f"{page}.md").read_text()
    for role in re.findall(r"\{glue:text\}`([^`]+)`", md):
        name, _, spec = role.partition(":")
        assert re.fullmatch(r"[A-Za-z0-9_]+", name), f"{page}: bad glue name in {role!r}"
        if spec:
            format(1.5, spec)  # raises ValueError on a malformed spec such as ".0f}"


#: The catalog's pages of element-wise activations (softmax maps a vector: its figure is the
#: temperature's). Each follows one outline and shows each activation in ONE figure, both the
#: static picture (its default frame) and the interactive one.
ELEMENTWISE_PAGES = [
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "swish",
    "mish",
]
OUTLINE = [
    "Definition",
    "The derivative, derived",
    "The figure",
    "Advantages, disadvantages and use cases",
    "Practise",
]


def sections(md: str) -> dict[str, str]:
    """Second-level heading -> the text under it, in page order."""
    parts = re.split(r"^## (.+)$", md, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("page", ELEMENTWISE_PAGES)
def test_catalog_page_follows_the_one_outline(page):
    heads = [h.removesuffix("s") if h == "The figures" else h  # ELU and SELU: two figures
             for h in sections((CHAPTERS / f"{page}.md").read_text())]  # fmt: skip
    found = [h for h in heads if h in OUTLINE]
    assert found == OUTLINE, f"{page}: the outline's headings in order {OUTLINE}, found {heads}"


@pytest.mark.parametrize("page", ELEMENTWISE_PAGES)
def test_catalog_page_ends_with_its_uses_then_practise(page):
    heads = list(sections((CHAPTERS / f"{page}.md").read_text()))
    assert heads[-2:] == OUTLINE[-2:], f"{page}: the last two headings are {heads[-2:]}"


#: Every page of the catalog, softmax included (its Jacobian is its derivative).
CATALOG_PAGES = [*ELEMENTWISE_PAGES[:3], "softmax", *ELEMENTWISE_PAGES[3:]]


def displayed_formulas(section: str) -> list[str]:
    """The display formulas a section shows: its $$ blocks and the code cells' Math displays."""
    blocks = re.findall(r"^\$\$(.*?)^\$\$", re.sub(r"```.*?```", "", section, flags=re.S),
                        flags=re.S | re.M)  # fmt: skip
    shown = [m for cell in code_cells(section) for m in re.findall(r"display\(\s*Math\(", cell)]
    return [b.strip() for b in blocks] + shown


@pytest.mark.parametrize("page", CATALOG_PAGES)
def test_catalog_page_shows_the_definition_and_the_derivative_once(page):
    """The Definition states one formula, the derivative section one (the derivative, or
    softmax's Jacobian): each appears once, as a numbered equation, and the code beside it
    derives or checks it without displaying it a second time."""
    found = sections((CHAPTERS / f"{page}.md").read_text())
    heads = [h for h in found if h == "Definition" or re.search("derivative|Jacobian", h)]
    assert len(heads) >= 2, f"{page}: no Definition or no derivative section"
    for head in heads:  # Mish's page also derives softplus' in a section of its own
        shown = displayed_formulas(found[head])
        assert len(shown) == 1, f"{page}, {head}: {len(shown)} displays of one formula"
        assert re.search(r"^\$\$ \(eq-[a-z-]+\)$", found[head], flags=re.M), (
            f"{page}, {head}: the formula is not a numbered equation"
        )


@pytest.mark.parametrize("page", ELEMENTWISE_PAGES)
def test_catalog_page_shows_each_activation_in_one_captioned_figure(page):
    md = (CHAPTERS / f"{page}.md").read_text()
    assert "plot_activation(" not in md, f"{page}: a static figure beside the interactive one"
    figure = next(t for h, t in sections(md).items() if h.startswith("The figure"))
    calls = [c for c in code_cells(figure) if "explorer(" in c]
    assert calls, f"{page}: no interactive figure under 'The figure'"
    first = calls[0]
    assert "caption=" in first and "alt=" in first, f"{page}: the figure lacks a caption or alt"


# ---------------------------------------------- ELU, SELU, GELU, Swish, Mish pages


def test_elu_alpha_slider_moves_the_left_branch():
    fx = explorer("elu")
    fx.widget()
    fx.controls["alpha"].value = 2.0
    z0, y0 = fx.plot.z[0], fx.plot.lines[0].get_ydata()[0]
    np.testing.assert_allclose(y0, 2.0 * np.expm1(z0))


def test_swish_beta_slider_moves_towards_relu():
    fx = explorer("swish")
    fx.widget()
    fx.controls["beta"].value = 10.0
    y = fx.plot.lines[0].get_ydata()
    assert np.max(np.abs(y - numeric.relu(fx.plot.z))) < 0.03  # W(1/e)/10 ~ 0.028


# ----------------------------------------------------------------- actbook.pages.elu


def test_selu_keeps_mean_zero_and_variance_one_through_depth():
    means, variances = moments_through_depth("selu", depth=30, width=128, n=400)
    assert means.shape == variances.shape == (30,)
    assert np.all(np.abs(means) < 0.1)
    assert np.all(np.abs(variances - 1) < 0.15)


def test_selu_fixed_point_attracts_and_elu_collapses():
    _, v_selu = moments_through_depth("selu", depth=30, width=128, n=400, input_std=0.3)
    assert v_selu[0] < 0.3 and abs(v_selu[-1] - 1) < 0.15
    m_elu, v_elu = moments_through_depth("elu", depth=30, width=128, n=400)
    assert m_elu[0] == pytest.approx(0.1605, abs=0.03)  # E[ELU(Z)] for Z ~ N(0, 1)
    assert v_elu[0] == pytest.approx(0.6192, abs=0.05)
    assert v_elu[-1] < 0.05  # no fixed point at variance 1


def test_moments_are_reproducible_and_validated():
    a = moments_through_depth("elu", depth=3, width=16, n=20, seed=1)
    b = moments_through_depth("elu", depth=3, width=16, n=20, seed=1)
    np.testing.assert_array_equal(a[1], b[1])
    with pytest.raises(ValueError):
        moments_through_depth("selu", depth=0)


def test_plot_moments_draws_one_line_per_run_and_the_target():
    runs = {"selu": (np.zeros(5), np.ones(5)), "elu": (np.ones(5), np.zeros(5))}
    fig = plot_moments(runs)
    ax_m, ax_v = fig.axes
    labels = [ln.get_label() for ln in ax_v.get_lines()]
    assert labels.count("SELU") == 1 and labels.count("ELU") == 1
    assert "fixed point" in labels


# ----------------------------------------------------------------- actbook.catalog.comparison


def test_max_abs_difference_finds_the_gelu_tanh_error():
    z = np.linspace(-10, 10, 200_001)
    err, at = max_abs_difference(numeric.gelu_tanh(z), numeric.gelu(z), z)
    assert err == pytest.approx(4.73e-4, rel=0.01)
    assert abs(abs(at) - 2.70) < 0.05
    assert max_abs_difference([0, 1, 5], [0, 2, 1], [7, 8, 9]) == (4.0, 9.0)


def test_high_precision_reference_and_relative_error():
    z = np.array([[-20.0, -1.0]])
    ref = high_precision(lambda x: x / 2 * mpmath.erfc(-x / mpmath.sqrt(2)), z)
    assert ref.shape == z.shape
    assert ref[0, 0] == pytest.approx(-5.507248237212467e-88, rel=1e-12)
    rel = relative_error(numeric.gelu(z), ref)
    assert np.all(rel < 1e-13)
    with pytest.raises(ValueError, match="undefined"):
        relative_error([1.0], [0.0])


def test_left_saturation_point():
    assert left_saturation_point("elu") == pytest.approx(np.log(0.01), abs=1e-3)
    assert left_saturation_point("elu", alpha=2.0) == pytest.approx(np.log(0.01), abs=1e-3)
    assert left_saturation_point("gelu") > left_saturation_point("swish")  # Phi dies faster
    with pytest.raises(ValueError, match="still above"):
        left_saturation_point("elu", zmin=-1.0)


def test_plot_curves_one_line_per_curve():
    z = np.linspace(1, 2, 5)
    fig = plot_curves(z, {"a": z, "b": z**2}, ylabel="err", logy=True)
    (ax,) = fig.axes
    assert [ln.get_label() for ln in ax.get_lines()][-2:] == ["a", "b"]
    assert ax.get_yscale() == "log"
