"""actbook: the library behind the course *Activation Functions in Neural Networks*.

Modules, named for what they hold:

- :mod:`actbook.symbolic`: every activation once, as SymPy expressions, with the text's
  form of each derivative;
- :mod:`actbook.numeric`: stable NumPy references of every function of the exercise contract;
- :mod:`actbook.plotting`: pure functions and small classes that return matplotlib figures;
- :mod:`actbook.widgets`: interactive figures, live in JupyterLab and precomputed on the site.
"""

__version__ = "0.1.0"
