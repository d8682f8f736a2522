"""A complete nbgrader course in a folder of its own (a temporary one for the rehearsal):
generate, release through an exchange, fetch and submit as students, collect, autograde with
progress, feedback, CSV export. The repository is never written to.
"""

from __future__ import annotations

import copy
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

from actbook.course.plugins import load_config
from actbook.paths import ROOT

# ---------------------------------------------------------------------------------------------
# 2. A course in a folder of its own
# ---------------------------------------------------------------------------------------------


@dataclass
class GradeResult:
    student: str
    score: float
    max_score: float
    cells: dict[str, float]
    ok: bool
    seconds: float
    log: str = ""

    @property
    def warnings(self) -> list[str]:
        return [line[10:] for line in self.log.splitlines() if line.startswith("[WARNING]")]


class Course:
    """An nbgrader course in ``root``, built from the repository's assignments and settings.

    ``root`` gets ``solutions/`` (a copy of the instructor notebooks), ``exercises/`` (made by
    ``generate_assignment``), ``gradebook.db``, an ``exchange/`` and ``students/<id>/`` homes;
    the repository itself is only read.
    """

    def __init__(
        self, root: Path, assignments: Iterable[str], *, timeout: int | None = None, **settings
    ):
        from nbgrader.apps import NbGraderAPI

        self.root = Path(root).resolve()
        self.exchange = self.root / "exchange"
        self.exchange.mkdir(parents=True, exist_ok=True)
        self.exchange.chmod(0o777)  # as on a shared exchange: everyone may write their inbound
        for aid in assignments:
            shutil.copytree(ROOT / "solutions" / aid, self.root / "solutions" / aid)
        self.config = load_config()
        self.config.CourseDirectory.root = str(self.root)
        self.config.CourseDirectory.db_url = f"sqlite:///{self.root / 'gradebook.db'}"
        self.config.Exchange.root = str(self.exchange)
        self.config.NbGraderAPI.log_level = "WARN"
        if timeout is not None:
            self.config.Execute.timeout = timeout
        for dotted, value in settings.items():  # e.g. ResilientExecute__guard=False
            section, name = dotted.split("__")
            setattr(self.config[section], name, value)
        self.api = NbGraderAPI(config=self.config)

    def _check(self, result: dict, what: str) -> dict:
        if not result.get("success"):
            raise RuntimeError(f"{what} failed:\n{result.get('error') or result.get('log')}")
        return result

    # -- the instructor's side ------------------------------------------------------------
    def generate(self, aid: str) -> None:
        self._check(self.api.generate_assignment(aid), f"generate_assignment {aid}")

    def release(self, aid: str) -> None:
        self._check(self.api.release_assignment(aid), f"release_assignment {aid}")

    def collect(self, aid: str) -> None:
        self._check(self.api.collect(aid), f"collect {aid}")

    def submitted(self, aid: str) -> list[str]:
        return sorted(self.api.get_submitted_students(aid))

    def autograde(
        self, aid: str, students: Iterable[str], progress: Callable | None = None
    ) -> dict[str, GradeResult]:
        """Grade each student in turn, in this process; one student's failure stops nothing."""
        students = list(students)
        results = {}
        for i, sid in enumerate(students, 1):
            t0 = time.perf_counter()
            res = self.api.autograde(aid, sid)
            seconds = time.perf_counter() - t0
            score, max_score, cells = self.scores(aid, sid)
            results[sid] = GradeResult(
                sid, score, max_score, cells, bool(res.get("success")), seconds, res.get("log", "")
            )
            if progress:
                progress(i, len(students), results[sid])
        return results

    def scores(self, aid: str, sid: str) -> tuple[float, float, dict[str, float]]:
        """(score, max score, score of each test cell) in the gradebook; 0 where ungraded."""
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.config.CourseDirectory.db_url) as gb:
            assignment = gb.find_assignment(aid)
            max_score = float(assignment.max_score)
            try:
                sub = gb.find_submission(aid, sid)
            except MissingEntry:
                return 0.0, max_score, {}
            cells = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    cells[g.cell.name] = float(g.score or 0.0)
            return float(sub.score or 0.0), max_score, cells

    def generate_feedback(self, aid: str) -> None:
        self._check(self.api.generate_feedback(aid), f"generate_feedback {aid}")

    def release_feedback(self, aid: str) -> None:
        self._check(self.api.release_feedback(aid), f"release_feedback {aid}")

    def export_csv(self, path: Path) -> Path:
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        plugin = CsvExportPlugin(config=self.config)
        plugin.to = str(path)
        with Gradebook(self.config.CourseDirectory.db_url) as gb:
            plugin.export(gb)
        return Path(path)

    # -- the students' side ---------------------------------------------------------------
    def home(self, sid: str) -> Path:
        return self.root / "students" / sid

    def _student_app(self, kind: str, aid: str, sid: str):
        from nbgrader.auth import Authenticator
        from nbgrader.exchange import ExchangeFactory

        cfg = copy.deepcopy(self.config)
        cfg.Exchange.assignment_dir = str(self.home(sid))
        # nbgrader remembers a user's submissions in a cache under their home (fetch_feedback
        # finds their feedback through it): one per fake student, inside the course
        cfg.Exchange.cache = str(self.home(sid) / ".nbgrader_cache")
        cfg.CourseDirectory.assignment_id = aid
        cfg.CourseDirectory.student_id = sid
        coursedir = CourseDirectory(config=cfg)
        factory = ExchangeFactory(config=cfg)
        app = getattr(factory, kind)(
            coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg
        )
        return app

    def fetch(self, aid: str, sid: str) -> Path:
        """What a student's *Fetch* button does: copy the release into their home."""
        self.home(sid).mkdir(parents=True, exist_ok=True)
        self._student_app("FetchAssignment", aid, sid).start()
        return self.home(sid) / aid

    def submit(self, aid: str, sid: str) -> None:
        """What a student's *Submit* button does: copy their folder into the inbound."""
        self._student_app("Submit", aid, sid).start()

    def fetch_feedback(self, aid: str, sid: str) -> list[Path]:
        self._student_app("FetchFeedback", aid, sid).start()
        return sorted((self.home(sid) / aid / "feedback").rglob("*.html"))


def restore_renamed(course_root: Path, aid: str, notebooks: Iterable[str]) -> dict[str, str]:
    """Give a renamed notebook (``ps01-classic-Copy1.ipynb``) back its name, before grading.

    nbgrader grades notebooks by file name, so a renamed one would score 0. When an expected
    notebook is missing and the submission holds exactly one unknown notebook, that one is
    the student's work. Returns {student: "old name -> new name"} for the report.
    """
    moved = {}
    for folder in sorted((course_root / "submitted").glob(f"*/{aid}")):
        expected = set(notebooks)
        present = {p.stem for p in folder.glob("*.ipynb")}
        lacking, unknown = expected - present, sorted(present - expected)
        if len(lacking) == 1 and len(unknown) == 1:
            new = lacking.pop()
            (folder / f"{unknown[0]}.ipynb").rename(folder / f"{new}.ipynb")
            moved[folder.parent.name] = f"{unknown[0]}.ipynb -> {new}.ipynb"
    return moved
