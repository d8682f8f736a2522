"""The selection guide, mistakes and debugging modules: tree logic, chooser, cost reading,
and every mistake demo showing its failure and its fix numerically."""

import re

import numpy as np
import pytest

from actbook.catalog import costs
from actbook.figures.plotting import plot_variance_through_depth
from actbook.lab.nn import MLP
from actbook.lab.training import epochs_to_accuracy
from actbook.pages import debugging as dbg
from actbook.pages import mistakes
from actbook.pages import selection as tree

# The text's tree (section IV), leaf by leaf: (layer, edge label) -> recommendation.
TEXT_TREE = {
    ("hidden", "Default / fast"): "ReLU",
    ("hidden", "Deep network (40+ layers)"): "Swish / GELU",
    ("hidden", "Dying-ReLU problem"): "Leaky ReLU or ELU",
    ("hidden", "Transformer / NLP"): "GELU",
    ("hidden", "RNN / LSTM"): "Tanh",
    ("output", "Binary classification"): "Sigmoid",
    ("output", "Multi-class (one label)"): "Softmax",
    ("output", "Multi-label (several tags)"): "Sigmoid (one per label)",
    ("output", "Regression"): "Linear (no activation)",
}


# ------------------------------------------------------------------ the tree


def test_tree_has_exactly_the_texts_leaves():
    got = {(layer, leaf.label): leaf.activation for layer, leaf in tree.leaves()}
    assert got == TEXT_TREE


@pytest.mark.parametrize("layer,leaf", tree.leaves(), ids=lambda x: getattr(x, "key", x))
def test_every_leaf_is_reachable_and_explained(layer, leaf):
    assert tree.recommend(layer, leaf.key) is leaf
    assert leaf.reason and leaf.caveat and leaf.page.endswith(".md")


def test_recommend_rejects_unknown_answers():
    with pytest.raises(ValueError, match="unknown layer"):
        tree.recommend("middle", "default")
    with pytest.raises(ValueError, match="unknown answer"):
        tree.recommend("output", "default")  # a hidden-layer answer


def test_diagram_draws_every_leaf():
    fig = tree.draw_tree()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for _, leaf in tree.leaves():
        assert leaf.activation in texts and leaf.label in texts


# ------------------------------------------------------------------ the chooser


def test_chooser_static_html_holds_every_recommendation_and_one_is_shown():
    html = tree.Chooser("output", "regression").static_html()
    answers = re.findall(r'<p data-leaf="([^"]+)"[^>]*>', html)
    assert sorted(answers) == sorted(f"{lay}/{leaf.key}" for lay, leaf in tree.leaves())
    for _, leaf in tree.leaves():
        assert html.count(leaf.activation) >= 1
    shown = [m for m in re.findall(r'<p data-leaf="[^"]+"[^>]*>', html) if "hidden" not in m]
    assert shown == ['<p data-leaf="output/regression" aria-live="polite">']
    assert html.count("<select") == 1 + len(tree.TREE)
    assert "onchange=" in html and "<script" not in html and "http" not in html


def test_chooser_widget_follows_both_dropdowns():
    c = tree.Chooser()
    layer, answer, out = c.widget().children
    assert "ReLU" in out.value
    layer.value = "output"
    assert [v for _, v in answer.options] == [leaf.key for leaf in tree.TREE["output"].answers]
    answer.value = "multi_class"
    assert c.leaf.activation == "Softmax" and "Softmax" in out.value


def test_chooser_mimebundle_has_widget_and_html():
    bundle = tree.Chooser()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="actbook-chooser"')


# ------------------------------------------------------------------ the comparison table


def test_cost_ratios_read_the_layout_make_bench_writes():
    assert costs.cost_ratios({}) is None
    results = {
        "activation_cost": {
            "sizes": {
                "1e+06/float32": {"ratio": {"tanh": 9.0}},
                "1e+07/float32": {"ratio": {"tanh": 2.5, "sigmoid": 4.0}},
            },
            "dense_layer": {"float32": {"layer_ratio_to_relu": {"tanh": 1.01}}},
        }
    }
    ratios = costs.cost_ratios(results)
    assert ratios["float32"]["tanh"] == 2.5  # the largest size wins
    assert tree.cost_cell("sigmoid", ratios) == "4.00× / n/a"
    assert tree.cost_cell("tanh", ratios, ("layer_float32",)) == "1.01×"


def test_table_without_measurements_says_run_make_bench():
    table = tree.comparison_table(None)
    assert table.count("run `make bench`") == 2 * 9
    assert "$[0, +\\infty)$" in table  # ReLU attains 0
    assert "$(0, 1)$" in table and "$(-1, 1)$" in table
    assert "$[-0.170, +\\infty)$" in table and "$[-0.278, +\\infty)$" in table
    usage = tree.usage_table()
    assert usage.count("\n") == 9 + 1 and "SiLU" in usage and "SwiGLU" in usage


def test_softmax_range_check():
    lo, hi, err = tree.softmax_range_check()
    assert 0 < lo and hi < 1 and err < 1e-12


# ------------------------------------------------------------------ the mistakes


def test_sigmoid_deep_net_vanishes_relu_does_not():
    o = mistakes.sigmoid_in_deep_net(depth=10)
    assert o.failure < 1e-5 and o.fix > 0.05 and o.fixed


def test_softmax_cannot_mark_two_labels_sigmoid_can():
    o = mistakes.softmax_for_multilabel()
    assert o.failure == 0.0  # impossible: at most one probability above 0.5
    assert o.extra["softmax_best_min_present"] <= 0.5
    assert o.fix > 0.9 and o.fixed


def test_missing_output_activation_leaves_range_sigmoid_stays_inside():
    o = mistakes.missing_output_activation()
    assert o.failure > 0.1 and o.fix == 0.0
    assert o.extra["linear_min"] < 0 or o.extra["linear_max"] > 1


def test_sigmoid_output_cannot_reach_regression_targets():
    o = mistakes.sigmoid_output_for_regression()
    assert o.extra["sigmoid_max"] <= 1.0 < 3.0 < o.extra["linear_max"]
    assert o.failure > 10 * o.fix


def test_bad_initialisation_saturates_xavier_does_not():
    o = mistakes.bad_initialisation()
    assert o.failure > 0.5 and o.fix < 0.01
    assert o.extra["std_small"][-1] < 1e-4 < o.extra["std_xavier"][-1]


def test_linear_hidden_layers_collapse():
    o = mistakes.linear_hidden_layers()
    assert o.extra["collapse_error"] < 1e-12
    assert o.failure < 0.7 < 0.95 < o.fix


def test_dead_relus_grow_with_learning_rate():
    r = mistakes.dead_relus(lrs=(0.1, 3.0), seeds=range(2), epochs=150, activations=("relu",))
    low, high = r["relu"][0.1], r["relu"][3.0]
    assert low["dead"] < 0.2 and high["dead"] > 0.5 and high["accuracy"] < low["accuracy"]


def test_dead_at_init_grows_as_bias_falls():
    d = mistakes.dead_at_init(biases=(0.0, -1.0), seeds=range(1))
    assert d[0.0] < 0.2 < 0.5 < d[-1.0]


# ------------------------------------------------------------------ the debugging checks


def test_layer_report_sees_dead_layers():
    X, y = dbg.spirals()
    rows = dbg.layer_report(MLP([2, 64, 64, 64, 3], bias=-1.0), X, y)
    assert [r["dead"] for r in rows][1:] == [1.0, 1.0]
    assert all(r["grad_norm"] == 0.0 for r in rows)
    assert "| 2 | 100% |" in dbg.report_table(rows)


def test_histograms_one_panel_per_layer_and_model():
    X, _ = dbg.spirals()
    fig = dbg.plot_activation_histograms([MLP([2, 8, 8, 8, 3]), MLP([2, 8, 8, 3])], ["a", "b"], X)
    assert len(fig.axes) == 2 * 3


def test_ratio_is_invariant_to_loss_scale_absolute_norm_is_not():
    d = dbg.loss_scale_demo(depths=(2, 10), scales=(1.0, 2.0**16))
    a, b = d[("sigmoid", 10, 1.0)], d[("sigmoid", 10, 2.0**16)]
    assert a["ratio"] == pytest.approx(b["ratio"], rel=1e-12)
    assert a["first"] < 1e-5 < b["first"]  # the absolute threshold changes its verdict
    assert a["ratio"] < 1e-4 < d[("relu", 2, 1.0)]["ratio"]


def test_exploding_relu_and_elu_diverge_clipping_does_not():
    runs = dbg.exploding_demo(lr=2.0, clip=1.0)
    assert runs["ReLU"]["diverged"] and runs["ELU"]["diverged"]
    clipped = next(v for k, v in runs.items() if "clipping" in k)
    assert not clipped["diverged"] and clipped["accuracy"] > 0.9


def test_sigmoid_converges_slower_than_relu():
    s = epochs_to_accuracy("sigmoid", (64, 64), lr=3.0, max_epochs=1500)
    r = epochs_to_accuracy("relu", (64, 64), lr=1.0, max_epochs=1500)
    assert r is not None and (s is None or s > 5 * r)


def test_only_rrelu_injects_noise():
    assert dbg.is_deterministic("gelu") and dbg.is_deterministic("mish")
    assert not dbg.is_deterministic("rrelu")


def test_variance_plot_has_one_line_per_curve():
    fig = plot_variance_through_depth({"a": np.ones(5), "b": np.full(5, 0.5)})
    assert len(fig.axes[0].get_lines()) == 2
