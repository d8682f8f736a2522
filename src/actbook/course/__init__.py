"""Course machinery: the student checks (copied verbatim into every exercise folder), the
release (``make exercises``), nbgrader plug-ins, a course in a folder of its own, the reference
answers of problem set 6 (``answers``, instructor only), the
integrity report and the grading rehearsal (``make grade-demo``).

May import: :mod:`actbook.paths`, :mod:`actbook.catalog`. Never figures, lab or pages: grading
must not depend on how the book draws.
"""
