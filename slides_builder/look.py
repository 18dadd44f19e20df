"""Contact sheets of built decks, rendered by LibreOffice, to look at before a release.

Each deck is rendered to PDF (LibreOffice, a private profile), its pages to PNG
(poppler's ``pdftoppm``), and the pages laid out on sheets of 24 slides (ImageMagick's
``montage``), each slide under its number: ``OUT/look/theme-1-1.png``, ….
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SHEET_COLUMNS = 6
SHEET_ROWS = 4
THUMBNAIL = "400x"  # 400 px wide, as high as the slide's shape (16:9 or 4:3)
LABEL_FONT = str(Path(__file__).parent / "fonts" / "Carlito-Regular.ttf")  # any machine has it
TOOLS = {"soffice": "libreoffice-impress", "pdftoppm": "poppler-utils", "montage": "imagemagick"}


class LookError(RuntimeError):
    """A tool is missing or failed."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LookError(f"{name} is not installed (Debian package {TOOLS[name]})")
    return path


def contact_sheets(decks: list[Path], out: Path) -> list[Path]:
    """Render ``decks`` and write their contact sheets to ``out``; returns the sheets."""
    tools = {name: _tool(name) for name in TOOLS}
    out.mkdir(parents=True, exist_ok=True)
    sheets = []
    with tempfile.TemporaryDirectory(prefix="coopkit-look-") as scratch:
        work = Path(scratch)
        profile = (work / "profile").as_uri()
        soffice = [tools["soffice"], f"-env:UserInstallation={profile}", "--headless"]
        _run([*soffice, "--convert-to", "pdf", "--outdir", str(work), *map(str, decks)])
        per_sheet = SHEET_COLUMNS * SHEET_ROWS
        for deck in decks:
            pdf = work / f"{deck.stem}.pdf"
            if not pdf.is_file():
                raise LookError(f"LibreOffice did not render {deck}")
            shutil.copyfile(pdf, out / pdf.name)
            pages = work / deck.stem
            pages.mkdir()
            _run([tools["pdftoppm"], "-r", "40", "-png", str(pdf), str(pages / "slide")])
            images = sorted(pages.glob("slide-*.png"))
            for old in out.glob(f"{deck.stem}-*.png"):
                old.unlink()  # a shorter deck leaves no stale sheet behind
            for number, start in enumerate(range(0, len(images), per_sheet), start=1):
                sheet = out / f"{deck.stem}-{number}.png"
                labelled = []
                for index, image in enumerate(images[start : start + per_sheet], start=start + 1):
                    labelled += ["-label", str(index), str(image)]
                layout = ["-tile", f"{SHEET_COLUMNS}x", "-geometry", f"{THUMBNAIL}+6+6"]
                style = ["-background", "#d0d0d0", "-font", LABEL_FONT, "-pointsize", "14"]
                _run([tools["montage"], *labelled, *layout, *style, str(sheet)])
                sheets.append(sheet)
    return sheets


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise LookError(f"{Path(command[0]).name} failed: {detail[-1] if detail else 'no output'}")
