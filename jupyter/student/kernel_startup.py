# Run by every kernel of `make lab` as it starts (IPython startup file; the work folder's
# .course/ipython, written by actbook.course.workspace). A name that is not defined yet, most
# often a test cell run in a fresh kernel before the notebook's imports, is said in one line
# with what to do, instead of a traceback. A problem set's imports (checks.py) replace this
# with their own feedback for failed checks.


def _not_defined_yet(shell, etype, value, tb, tb_offset=None):
    name = getattr(value, "name", None) or str(value)
    line = (
        f"NameError: `{name}` is not defined yet: run the cells above this one first "
        "(Run \u2192 Run All Above Selected Cell), then this one."
    )
    shell._showtraceback(etype, value, [line])  # a custom handler shows its traceback itself
    return [line]


get_ipython().set_custom_exc((NameError,), _not_defined_yet)  # noqa: F821 (IPython's)
del _not_defined_yet
