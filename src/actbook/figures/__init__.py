"""Figures: plotting helpers (pure functions returning a Figure), interactive figures that are
live widgets in JupyterLab and precomputed controls on the site, and the activation explorers.

May import: :mod:`actbook.catalog`, :mod:`actbook.lab`.
"""
