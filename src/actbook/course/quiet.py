"""Truthful, quiet autograde output.

nbgrader warns ``Attribute 'checksum' for cell test-q1 has changed!`` for *every* test cell
with hidden tests, untouched ones included: the gradebook's checksum covers the hidden tests
that the release lacks (nbgrader issue #1961). The warning then reads like tampering on every
row. :class:`QuietChecksums` (a sanitize step just before nbgrader's ``OverwriteCells``)
installs :class:`FalseChecksumFilter` on the converter's logger: it drops the message only
when the submitted cell is exactly the release's (same checksum as the released cell), so a
real edit of a test cell is still printed, and still appears in the integrity report.
:func:`silence_library_warnings` hides SQLAlchemy's ``SAWarning`` lines about nbgrader's
gradebook models, which say nothing to an instructor.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import compute_checksum

CHECKSUM_MESSAGE = "Attribute '%s' for cell %s has changed! (should be: %s, got: %s)"


class FalseChecksumFilter(logging.Filter):
    """Drops nbgrader's checksum warning for cells whose checksum is the release's."""

    def __init__(self) -> None:
        super().__init__("actbook.quiet")
        self.released: dict[str, str] = {}  # grade_id -> checksum of the released cell
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != CHECKSUM_MESSAGE or not isinstance(record.args, tuple):
            return True
        if len(record.args) != 4 or record.args[0] != "checksum":
            return True
        _, grade_id, _, got = record.args
        if self.released.get(grade_id) == got:
            self.dropped += 1
            return False
        return True


def released_checksums(path: Path) -> dict[str, str]:
    """{grade_id: nbgrader checksum} of the locked cells of a released notebook."""
    if not path.exists():
        return {}
    out = {}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") and meta.get("grade_id"):
            out[meta["grade_id"]] = compute_checksum(cell)
    return out


def filter_of(logger: logging.Logger) -> FalseChecksumFilter:
    """The logger's :class:`FalseChecksumFilter`, installed on first use."""
    for f in logger.filters:
        if isinstance(f, FalseChecksumFilter):
            return f
    f = FalseChecksumFilter()
    logger.addFilter(f)
    return f


class QuietChecksums(NbGraderPreprocessor):
    """Arms :class:`FalseChecksumFilter` with this notebook's released cells (changes nothing
    in the notebook). Put it right before ``OverwriteCells``: both log through the same
    converter's logger."""

    def preprocess(self, nb, resources):
        coursedir = CourseDirectory(config=self.config)
        aid, nid = resources["nbgrader"]["assignment"], resources["nbgrader"]["notebook"]
        folder = coursedir.format_path(coursedir.release_directory, ".", aid)
        filter_of(self.log).released = released_checksums(Path(folder) / f"{nid}.ipynb")
        return nb, resources


def silence_library_warnings() -> None:
    """SQLAlchemy's warnings about nbgrader's models never reach the instructor's screen."""
    try:
        from sqlalchemy.exc import SAWarning
    except ImportError:  # pragma: no cover
        return
    warnings.filterwarnings("ignore", category=SAWarning)
