"""The student's JupyterLab server (``make lab``): what its settings cannot say without code.

Named by ``jupyter/student/jupyter_server_config.json``: the kernels' websocket class, and
this module as the server extension that serves Validate.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.utils import url_path_join as ujoin
from nbgrader.server_extensions.validate_assignment.handlers import (
    ValidateAssignmentHandler,
    default_handlers,
)


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """A kernel's websocket that sends each message at once.

    Tornado leaves Nagle's algorithm on, and jupyter_server does not turn it off: a widget's
    new image, written right after the small echo of the slider's value, waits for the
    browser's delayed acknowledgement (up to 40 ms on Linux) before it leaves the server.
    """

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


# --- Validate ---------------------------------------------------------------------------------
# Loaded instead of nbgrader's validate_assignment server extension (same handlers).


class ValidateProblemSet(ValidateAssignmentHandler):
    """nbgrader's Validate, answering a chapter in one line. JupyterLab shows the button on
    every notebook, chapters included; nbgrader answered a chapter (Markdown) with the
    traceback of reading it as JSON."""

    def validate_notebook(self, path):
        if not str(path).endswith(".ipynb"):
            return {
                "success": False,
                "value": f"{path} is a chapter, not a problem set: Validate checks the "
                "notebooks in exercises/.",
            }
        return super().validate_notebook(path)


def _load_jupyter_server_extension(server_app) -> None:
    webapp = server_app.web_app
    webapp.settings["root_dir"] = server_app.root_dir
    handlers = [(pattern, ValidateProblemSet if h is ValidateAssignmentHandler else h)
                for pattern, h in default_handlers]  # fmt: skip
    webapp.add_handlers(".*$", [(ujoin(webapp.settings["base_url"], p), h) for p, h in handlers])
