"""Course machinery: the student checks (copied verbatim into every exercise folder), the
release (``make exercises``), nbgrader plug-ins, a course in a folder of its own, the reference
answers of problem set 6 (``answers``, instructor only), the integrity report, the grading
rehearsal (``make grade-demo``), parallel grading (``parallel``) and the instructor's tools
(rubrics in the formgrader, quiet autograde output, feedback when grading is complete,
results per question: ``instructor``, ``rubrics``, ``quiet``, ``feedback``, ``results``), the
student's work folder (``workspace``) and the Markdown pages in the form JupyterLab saves
them (``text_notebooks``).

May import: :mod:`actbook.paths`, :mod:`actbook.catalog`. Never figures, lab or pages: grading
must not depend on how the book draws.
"""
