"""The benchmarks run (in quick mode) and the book's results tables render from them.

Timings themselves are never asserted here: they are measured by `make bench`."""

import json
import sys
from pathlib import Path

import pytest

from actbook.pages import performance as results

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))


@pytest.fixture
def tmp_results(tmp_path, monkeypatch):
    import common

    path = tmp_path / "results.json"
    monkeypatch.setattr(common, "RESULTS", path)
    return path


def test_quick_benchmarks_write_results_the_book_can_render(tmp_results):
    import activation_cost
    import forms
    import widgets

    activation_cost.main(quick=True)
    forms.main(quick=True)
    widgets.main(quick=True)
    r = json.loads(tmp_results.read_text())
    assert r["activation_cost"]["sizes"]["1e+05/float32"]["ratio"]["relu"] == 1.0
    table = results.cost_table(r, ["relu", "sigmoid"], size="1e+05")
    assert table.count("\n") == 3 and "×" in table
    assert "| Sigmoid |" in results.forms_table(r) and "| Sigmoid′ |" in results.forms_table(r)
    assert results.layer_table(r).count("| ReLU |") == 1
    assert set(r["widgets_ms"]["per_figure"]) >= {"catalog/sigmoid", "catalog/swish"}


def test_actbook_forms_are_accurate_and_never_warn(tmp_results):
    import forms

    out = forms.main(quick=True)
    for name, per_form in out.items():
        ours = per_form["actbook"]
        assert not ours["warns"], name
        assert ours["max_rel_error"] < 1e-12, (name, ours)


def test_naive_forms_are_caught_by_the_accuracy_check():
    import forms

    ref = forms.reference("softplus")
    naive = forms.FORMS["softplus"]["log(1 + exp(x))"]
    assert forms.max_rel_error(naive(forms.GRID), ref) > 1e-3
    assert forms.warns(forms.FORMS["sigmoid"]["1 / (1 + exp(-x))"].__wrapped__)


def test_committed_results_cover_every_activation():
    r = results.load()
    ratios = r["activation_cost"]["sizes"]["1e+07/float32"]["ratio"]
    assert {"relu", "sigmoid", "gelu", "softmax", "mish_grad"} <= set(ratios)
