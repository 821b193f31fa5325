"""``briefgen build --pdf`` without a real browser: the message when there is none, and what a
browser is asked to do (tests/browser/test_browser_reading.py prints with the real Chromium)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_cli import BRIEFGEN

FAKE_BROWSER = f"""#!{sys.executable}
import sys
from pathlib import Path
args = sys.argv[1:]
Path(sys.argv[0] + ".args").write_text("\\n".join(args))
if Path(sys.argv[0]).name.startswith("failing"):
    sys.exit("[0101/000000.0:ERROR] the printer is on fire")
target = next(a.split("=", 1)[1] for a in args if a.startswith("--print-to-pdf="))
Path(target).write_bytes(b"%PDF-1.4 made by the fake browser for " + args[-1].encode())
"""


def build_pdf(brief: Path, path: str, browser: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "BRIEFGEN_CHROMIUM"}
    env["PATH"] = path
    if browser is not None:
        env["BRIEFGEN_CHROMIUM"] = str(browser)
    command = [BRIEFGEN] if BRIEFGEN else [sys.executable, "-m", "briefgen"]
    return subprocess.run([*command, "build", "--no-search", "--pdf"], cwd=brief, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def fake_browser(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(FAKE_BROWSER, "utf-8")
    path.chmod(0o755)
    return path


def test_no_browser_is_a_clear_error_and_the_site_is_still_written(small_brief: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = build_pdf(small_brief, str(empty))
    assert result.returncode == 1
    assert result.stdout.startswith("wrote ")
    assert "briefgen: error: no headless Chromium to print the PDF with" in result.stderr
    assert "hint: install one (apt-get install chromium) or set BRIEFGEN_CHROMIUM" in result.stderr
    assert "Traceback" not in result.stderr
    assert (small_brief / "build/print/index.html").is_file()
    assert not (small_brief / "build/brief.pdf").exists()


def test_the_browser_prints_the_print_edition_into_the_output_folder(small_brief: Path, tmp_path: Path) -> None:
    browser = fake_browser(tmp_path, "chromium")
    result = build_pdf(small_brief, f"{tmp_path}{os.pathsep}/usr/bin{os.pathsep}/bin")  # found on PATH
    assert result.returncode == 0, result.stderr
    output = small_brief / "build"
    assert (output / "brief.pdf").read_bytes() == (
        b"%PDF-1.4 made by the fake browser for " + (output / "print/index.html").resolve().as_uri().encode())
    args = Path(f"{browser}.args").read_text("utf-8").splitlines()
    assert "--headless" in args
    assert [a for a in args if a.startswith("--print-to-pdf=")] == [f"--print-to-pdf={output / '.briefgen-brief.pdf'}"]
    assert "briefgen: wrote build/brief.pdf" in result.stderr
    assert not (output / ".briefgen-brief.pdf").exists()


def test_a_browser_that_fails_leaves_the_earlier_pdf(small_brief: Path, tmp_path: Path) -> None:
    assert build_pdf(small_brief, "/usr/bin:/bin", fake_browser(tmp_path, "chromium")).returncode == 0
    earlier = (small_brief / "build/brief.pdf").read_bytes()
    result = build_pdf(small_brief, "/usr/bin:/bin", fake_browser(tmp_path, "failing-chromium"))
    assert result.returncode == 1
    assert "did not print the PDF (exit status 1)" in result.stderr
    assert "hint: it said: [0101/000000.0:ERROR] the printer is on fire" in result.stderr
    assert (small_brief / "build/brief.pdf").read_bytes() == earlier


def test_a_browser_variable_naming_nothing_is_an_error(small_brief: Path, tmp_path: Path) -> None:
    result = build_pdf(small_brief, "/usr/bin:/bin", tmp_path / "no-such-browser")
    assert result.returncode == 1
    assert "BRIEFGEN_CHROMIUM names" in result.stderr and "which is not a program that can be run" in result.stderr
