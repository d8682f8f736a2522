"""Drive ``make lab`` as a student does: the server on a work folder, JupyterLab in Chromium.

Used by the browser tests (tests/site/test_lab.py) and the end-to-end latency benchmark
(benchmarks/lab.py): one way to start the server, open a notebook, run cells and read what a
student sees.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actbook.paths import ROOT

#: The notebook shown in the main area (JupyterLab hides the others).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@dataclass
class Lab:
    url: str
    token: str
    work: Path

    def api(self, path: str, method: str = "GET", body: dict | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}/api/{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read()
        return json.loads(text) if text else None

    def status(self, path: str) -> int:
        req = urllib.request.Request(
            f"{self.url}/{path}", headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def stop_kernels(self) -> None:
        """Shut every kernel down (after its notebook is closed: no dialog then)."""
        for s in self.api("sessions"):
            self.api(f"sessions/{s['id']}", method="DELETE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(work: Path, log: Path, timeout: float = 1200) -> Iterator[Lab]:
    """``make lab`` on ``work`` (filled from the release first, as for a student; on a clean
    clone it first runs the chapters for their values: minutes)."""
    port, token = _free_port(), secrets.token_hex(12)
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token}"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["make", "-s", "lab", f"WORK={work}", f"LAB_ARGS={args}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    lab = Lab(f"http://127.0.0.1:{port}", token, work)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                lab.api("status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "make lab did not start:\n" + log.read_text()[-3000:]
                    ) from None
                time.sleep(1)
        yield lab
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            os.killpg(proc.pid, signal.SIGKILL)


def open_lab(page, lab: Lab) -> None:
    """Load JupyterLab at the server's own start page, as ``make lab`` opens it."""
    page.goto(f"{lab.url}/?token={lab.token}")
    page.wait_for_selector(".jp-DirListing-item", timeout=180_000)


def listing(page) -> list[str]:
    return page.locator(".jp-DirListing-content .jp-DirListing-itemText").all_inner_texts()


def _item(page, name: str):
    """The file browser's entry named ``name``."""
    text = page.locator(".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$"))
    return page.locator(".jp-DirListing-item", has=text)


def go_to_folder(page, folder: str) -> None:
    """Open ``folder`` (relative to the root) in the file browser, by its breadcrumbs."""
    parts = [p for p in folder.split("/") if p]
    for attempt in range(3):  # under load a click on home can be lost (a dialog, a redraw)
        page.locator(".jp-BreadCrumbs-home").click()
        try:
            if parts:
                _item(page, parts[0]).wait_for(timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
            dismiss_dialogs(page)
    for part in parts:
        _item(page, part).dblclick()
        page.wait_for_selector(f".jp-BreadCrumbs:has-text('{part}')")
    page.wait_for_timeout(300)


def dismiss_dialogs(page) -> list[str]:
    """Close any dialog JupyterLab shows (with Escape), returning what each said."""
    said = []
    for _ in range(5):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            break
        said.append(dialog.first.inner_text())
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
    return said


def double_click(page, name: str) -> None:
    """Open a file of the current folder as a student does: a double-click."""
    dismiss_dialogs(page)
    text = page.locator(".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$"))
    page.locator(".jp-DirListing-item", has=text).dblclick()
    page.wait_for_selector(f".lm-TabBar-tab.lm-mod-current:has-text('{name}')", timeout=120_000)


def cells(page):
    return page.locator(f"{PANEL} .jp-Notebook .jp-Cell")


def wait_until_rendered(page) -> None:
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=120_000)
    page.wait_for_function(
        f"""() => {{ const c = document.querySelectorAll('{PANEL} .jp-MarkdownCell');
        return c.length > 0 && [...c].every(x => x.classList.contains('jp-mod-rendered'))
          && [...c].map(x => x.innerText).join('').trim().length > 0; }}""",
        timeout=120_000,
    )


def wait_idle(page, timeout: float = 600) -> None:
    """Until the kernel has run every cell it was given (no "[*]" prompt left)."""
    page.wait_for_selector(
        f"{PANEL} .jp-Notebook-ExecutionIndicator, .jp-Notebook-ExecutionIndicator",
        state="attached",
    )
    page.wait_for_function(
        f"""() => ![...document.querySelectorAll('{PANEL} .jp-InputArea-prompt')]
                  .some(p => p.textContent.includes('*'))""",
        timeout=timeout * 1000,
    )
    page.wait_for_timeout(300)


def run_all(page, timeout: float = 600) -> None:
    """Run All Cells, until every code cell has an execution count. (Waiting for "no [*]"
    alone can end before the kernel has even gone busy, under load.)"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    prompts = f"{PANEL} .jp-CodeCell .jp-InputArea-prompt"
    before = page.locator(prompts).all_inner_texts()
    # As in run_cell: the menu's click can be lost under load (CI: every prompt still "[ ]"
    # after 10 minutes); a run that began changes a prompt at once, so clicking again is safe.
    for _ in range(5):
        try:
            menu(page, "Run", "Run All Cells")
            page.wait_for_function(
                f"""before => [...document.querySelectorAll('{prompts}')]
                              .some((p, i) => p.innerText !== before[i])""",
                arg=before,
                timeout=10_000,
            )
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")  # a menu left open
            continue
    try:
        page.wait_for_function(
            f"""() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputArea-prompt')]
                      .every(p => /\\[\\d+\\]/.test(p.textContent))""",
            timeout=timeout * 1000,
        )
    except Exception as e:  # say which cells did not run
        prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        raise AssertionError(f"not every cell ran: {prompts}") from e
    wait_idle(page)


def run_cell(page, i: int) -> str:
    """Run cell ``i`` (Ctrl+Enter) and return its output as a student reads it."""
    cell = cells(page).nth(i)
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.inner_text()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # A key press can be lost while JupyterLab is still settling a just-opened notebook;
    # a request that arrived shows "[*]" at once, so pressing again cannot run the cell twice.
    for _ in range(5):
        prompt.click()
        page.keyboard.press("Control+Enter")
        try:
            prompt.filter(has_not_text=before).wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    # Until this cell has a new execution count: under load the kernel may take seconds to
    # go busy, and an idle indicator seen before that would end the wait too early.
    done = prompt.filter(has_not_text="*")
    (done.filter(has_not_text=before) if before.strip() else done).wait_for(timeout=600_000)
    wait_idle(page)
    return cell.locator(".jp-OutputArea").inner_text()


def set_source(page, i: int, text: str) -> None:
    """Replace the text of cell ``i`` as if typed (no auto-indent)."""
    cells(page).nth(i).locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(
        ".lm-Menu-item",
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")),
    ).click()


def menu_items(page, top: str) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.wait_for_selector(".lm-Menu .lm-Menu-itemLabel")
    items = [t for t in page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts() if t.strip()]
    page.keyboard.press("Escape")
    return items


def close_current_tab(page) -> None:
    """Close the notebook shown, without saving (the kernel's language info alone makes
    JupyterLab ask)."""
    dismiss_dialogs(page)
    page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").first.click()
    page.wait_for_timeout(500)
    discard = page.locator(".jp-Dialog button", has_text="Discard")
    if discard.count():
        discard.first.click()
        page.wait_for_timeout(300)


def slider_latency(page, steps: int = 10) -> list[float]:
    """Move the first slider of the notebook by one step ``steps`` times; for each, the
    milliseconds from the key press to the new image in the page (end to end: browser,
    kernel, figure, PNG, back)."""
    handle = page.locator(f"{PANEL} .widget-slider .noUi-handle").first
    img = page.locator(f"{PANEL} .jupyter-widgets img, {PANEL} .widget-image").first
    try:
        img.wait_for(timeout=300_000)
    except Exception as e:  # the output says why (a traceback, a text-only widget)
        shown = page.locator(f"{PANEL} .jp-OutputArea").first.inner_text()
        raise AssertionError(f"no widget image; the cell shows: {shown[-1500:]!r}") from e
    out, key = [], "ArrowRight"
    for _ in range(steps):
        # Bounce between the slider's ends: a key press at an end changes nothing.
        now, low, high = (
            float(handle.get_attribute(f"aria-value{a}")) for a in ("now", "min", "max")
        )
        if (key == "ArrowRight" and now >= high) or (key == "ArrowLeft" and now <= low):
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        handle.focus()
        ms = page.evaluate(
            """([key]) => new Promise(resolve => {
                const img = document.querySelector(
                  '.jp-NotebookPanel:not(.lm-mod-hidden) .widget-image');
                const before = img.src, t0 = performance.now();
                const obs = new MutationObserver(() => {
                  if (img.src !== before) { obs.disconnect(); resolve(performance.now() - t0); }
                });
                obs.observe(img, {attributes: true});
                document.activeElement.dispatchEvent(
                  new KeyboardEvent('keydown', {key, bubbles: true}));
                setTimeout(() => { obs.disconnect(); resolve(-1); }, 30000);
            })""",
            [key],
        )
        if ms < 0:
            raise AssertionError(f"{key} at {now} (range {low}..{high}): no new image in 30 s")
        out.append(ms)
    return out


def run_scratch(page, lab: Lab, name: str, source: str) -> str:
    """Write a one-cell notebook ``name`` at the work folder's root, open it and run it;
    return the cell's output text."""
    cell = {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "source": source}
    cell["execution_count"] = None
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    content = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": kernelspec}}
    content["cells"] = [cell]
    lab.api(
        f"contents/{name}",
        method="PUT",
        body={"type": "notebook", "format": "json", "content": content},
    )
    page.locator(".jp-BreadCrumbs-home").click()
    double_click(page, name)
    wait_kernel(page)
    return run_cell(page, 0)


def wait_kernel(page) -> None:
    """Until the notebook's kernel is up and idle."""
    page.wait_for_selector(
        f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000
    )
