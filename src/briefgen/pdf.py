"""``briefgen build --pdf``: the print edition (print/index.html) as brief.pdf, printed by a
headless Chromium when one is installed. The site is written first; the PDF is an extra."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from briefgen.editions import PRINT_PAGE

PDF_NAME = "brief.pdf"
BROWSER_VARIABLE = "BRIEFGEN_CHROMIUM"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Looked for on PATH in this order, after ``$BRIEFGEN_CHROMIUM``."""
PRINT_TIMEOUT = 300
"""Seconds Chromium may take: the print edition of a large brief is a long page."""


class PdfFailed(Exception):
    """No PDF was made; the message says why and the hint what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def find_browser() -> str:
    """The Chromium to print with: ``$BRIEFGEN_CHROMIUM``, else the first of ``BROWSERS`` on PATH."""
    chosen = os.environ.get(BROWSER_VARIABLE)
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise PdfFailed(f"{BROWSER_VARIABLE} names {chosen}, which is not a program that can be run",
                            f"point {BROWSER_VARIABLE} at a Chromium or Chrome executable, or unset it")
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found is not None:
            return found
    raise PdfFailed("no headless Chromium to print the PDF with: " + ", ".join(BROWSERS) + " are not on PATH",
                    f"install one (apt-get install chromium) or set {BROWSER_VARIABLE}; the site itself "
                    f"was written, and {PRINT_PAGE} prints from any browser (Print, Save as PDF)")


def print_pdf(output: Path, browser: str) -> Path:
    """Print ``output/print/index.html`` to ``output/brief.pdf`` and return its path.

    Chromium writes to a hidden name first, renamed once complete, so a failed print
    leaves any earlier brief.pdf as it was. Its profile lives in a temporary folder.
    """
    page = output / PRINT_PAGE
    if not page.is_file():
        raise PdfFailed(f"{page} is missing, so there is nothing to print",
                        "a brief's templates/ cannot remove the print edition; build again")
    partial = output / f".briefgen-{PDF_NAME}"
    target = output / PDF_NAME
    with tempfile.TemporaryDirectory(prefix="briefgen-chromium-") as profile:
        command = [browser, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-extensions", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", "--print-to-pdf-no-header",  # the newer flag and the older one
                   f"--print-to-pdf={partial.resolve()}", page.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium will not start as root with its sandbox
        partial.unlink(missing_ok=True)
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=PRINT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise PdfFailed(f"{browser} took more than {PRINT_TIMEOUT} s to print {PRINT_PAGE}") from None
        except OSError as exc:
            raise PdfFailed(f"{browser} could not be started: {exc.strerror or exc}",
                            f"check the program, or set {BROWSER_VARIABLE} to another one") from None
    if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        said = [line for line in (done.stderr or "").splitlines() if line.strip()]
        raise PdfFailed(f"{browser} did not print the PDF (exit status {done.returncode})",
                        f"it said: {said[-1].strip()}" if said else "run it by hand to see why")
    os.replace(partial, target)
    return target
