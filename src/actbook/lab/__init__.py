"""The neural-network lab: a small NumPy MLP, toy datasets, diagnostics (dead units, gradient
norms, signal propagation through depth) and shared training runs.

May import: :mod:`actbook.catalog`.
"""
