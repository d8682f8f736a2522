"""The website's tooling: the Sphinx extension, the browser audit and the instructor build.

May import: :mod:`actbook.paths`, :mod:`actbook.course.release`.
"""
