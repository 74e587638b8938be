"""The HTML report in a real browser: Debian's headless Chromium prints it and draws it.

``make test`` installs the ``chromium`` package when it is missing, so this test
fails (rather than skips) without a browser. It renders the report of the
production example in both languages, prints it to PDF (A4), takes a PNG
screenshot, and reads the DOM Chromium built.

``MAINTLIB_UPDATE_DOCS=1`` also writes the summary's screenshot used by
``docs/report.md`` (``docs/report-summary.png``).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from test_report import PRODUCTION, report

DOCS_SCREENSHOT = Path(__file__).parent.parent / "docs" / "report-summary.png"
#: The flags of the issue: nothing is fetched, nothing is synced, no GPU, no sandbox
#: (CI runs as root), a throw-away profile.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SUMMARY = {"nl": "Samenvatting", "en": "Summary"}


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is not installed: run `make test` (it installs the Debian package)")
    return found


def browse(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / "profile"
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


@functools.cache
def production(lang: str) -> bytes:
    return report(PRODUCTION, 12, format="html", lang=lang)


@pytest.fixture(params=["nl", "en"])
def page(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    lang: str = request.param
    target = tmp_path / f"report.{lang}.html"
    target.write_bytes(production(lang))
    return lang, target


def test_the_browser_builds_the_summary_and_the_charts(
    page: tuple[str, Path], tmp_path: Path
) -> None:
    lang, html = page
    dom = browse(tmp_path, html, "--dump-dom").stdout.decode("utf-8")
    assert f"<h2>{SUMMARY[lang]}</h2>" in dom
    assert '<section id="summary">' in dom
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>', dom)
    assert len(charts) == 3
    assert dom.count("<rect ") > 300  # bars and a year of days
    assert '<html lang="' + lang + '"' in dom


def test_the_browser_prints_a4(page: tuple[str, Path], tmp_path: Path) -> None:
    _, html = page
    pdf = tmp_path / "report.pdf"
    browse(tmp_path, html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")
    # A4 is 595 × 842 points; each section starts a page.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", content)
    assert boxes
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}
    assert len(boxes) >= 5


def test_the_screenshot_is_not_blank(page: tuple[str, Path], tmp_path: Path) -> None:
    lang, html = page
    png = tmp_path / "report.png"
    browse(tmp_path, html, f"--screenshot={png}", "--window-size=1000,1300")
    with Image.open(png) as shot:
        image = shot.convert("RGB")
    assert image.size == (1000, 1300)
    grey = image.convert("L").histogram()
    inked = sum(grey[:200])
    assert inked > 0.02 * sum(grey)  # text and table lines, not an empty page
    assert len(image.getcolors(maxcolors=1 << 20) or ()) > 50
    if lang == "en" and os.environ.get("MAINTLIB_UPDATE_DOCS"):
        small = image.crop((0, 0, 1000, 1040)).resize((750, 780), Image.Resampling.LANCZOS)
        small.quantize(colors=64).save(DOCS_SCREENSHOT, optimize=True)
