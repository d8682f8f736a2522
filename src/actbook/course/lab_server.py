"""The student's JupyterLab server (``make lab``): what its settings cannot say without code.

Named by ``jupyter/student/jupyter_server_config.json``.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """A kernel's websocket that sends each message at once.

    Tornado leaves Nagle's algorithm on, and jupyter_server does not turn it off: a widget's
    new image, written right after the small echo of the slider's value, waits for the
    browser's delayed acknowledgement (up to 40 ms on Linux) before it leaves the server.
    """

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
