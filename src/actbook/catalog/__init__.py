"""The catalog: each activation once.

SymPy definitions and derivatives (:mod:`~actbook.catalog.symbolic`), stable NumPy references
(:mod:`~actbook.catalog.numeric`), computed properties, numerical comparisons, one title per
activation (:mod:`~actbook.catalog.appearance`), the measured costs (:mod:`~actbook.catalog.costs`,
the one reader of ``benchmarks/results*.json``) and the selection advice.

May import: :mod:`actbook.paths`. Nothing else of actbook.
"""
