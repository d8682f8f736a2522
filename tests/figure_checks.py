"""Checks shared by the tests of every interactive figure: moving a live control changes the
image, and the static site's control offers distinct frames, one shown at a time."""

from __future__ import annotations

import re

from actbook.figures.widgets import InteractiveFigure


def frames_of(html: str) -> list[str]:
    """The base64 PNG frames of a static control's HTML."""
    return re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)


def assert_no_address(html: str) -> None:
    """Nothing the page would fetch: no http(s) address outside the frames' own base64, which
    can spell 'http' by chance (gelu_tanh's frames did)."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert "http" not in text, text[max(text.find("http") - 80, 0) : text.find("http") + 80]


def far_value(control):
    """The end of a slider's range farther from its current value (a student's drag)."""
    lo, hi = control.min, control.max
    return hi if control.value - lo < hi - control.value else lo


def assert_each_control_changes_image(fx: InteractiveFigure, values: dict | None = None) -> None:
    """Set every live control (to ``values[name]``, or the far end of its range) and check
    that the value moved and the image changed each time."""
    fx.widget()
    assert fx.controls, "the figure has no control"
    for name, control in fx.controls.items():
        before, default = fx.image, control.value
        control.value = values[name] if values is not None else far_value(control)
        assert control.value != default, f"{name!r} did not move"
        assert fx.image != before, f"moving {name!r} did not change the figure"


def assert_static_control_works(html: str, min_frames: int = 5) -> list[str]:
    """Distinct frames, exactly one visible; returns the frames."""
    frames = frames_of(html)
    assert len(frames) >= min_frames, f"only {len(frames)} frames"
    assert len(set(frames)) == len(frames), "two frames are identical: a dead control"
    assert html.count("<img") - html.count(" hidden") == 1, "exactly one frame is visible"
    return frames
