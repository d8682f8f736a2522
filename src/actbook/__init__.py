"""actbook: the library behind the course *Activation Functions in Neural Networks*.

Subpackages by role; each may import only the ones listed before it (tests/test_layout.py
holds these rules):

- :mod:`actbook.paths`: where the course's folders are (the only module that knows);
- :mod:`actbook.catalog`: each activation once: symbolic, numeric, properties, comparison,
  titles, measured costs, the selection advice;
- :mod:`actbook.lab`: the small NumPy network lab (nn, datasets, diagnostics, training);
- :mod:`actbook.figures`: plotting, interactive figures (widgets), the activation explorers;
- :mod:`actbook.pages`: the code behind one chapter each, ``pages/<name>.py`` for
  ``chapters/<name>.md``;
- :mod:`actbook.course`: the exercises' student checks, release, grading plug-ins, integrity
  report and the grading rehearsal (imports only the catalog);
- :mod:`actbook.site`: the Sphinx extension, the browser audit, the instructor build (imports
  only ``course.release``).
"""

__version__ = "0.1.0"
