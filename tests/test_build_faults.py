"""``coopkit build`` on a bad output folder: one line, exit 1, the previous build left whole."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

from coopkit.cli import main


def build(runner, root: Path, out: Path):
    result = runner.invoke(main, ["build", "--root", str(root), "--out", str(out), "--jobs", "1"])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_build_under_a_file_says_so_in_one_line(runner, small_course, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = build(runner, small_course, blocker / "build")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot write the build to {blocker / 'build'}: {blocker} is a file, not a folder"
    ]


def test_a_full_disk_halfway_leaves_the_previous_build_whole(
    runner, small_course, tmp_path, monkeypatch
):
    from slides_builder import build as builder

    out = tmp_path / "build"
    assert build(runner, small_course, out).exit_code == 0
    before = snapshot(out)
    assert len(before) > 5
    written = []
    original = builder.write_atomically

    def fill_the_disk(path, data):
        if written:  # one new file made it, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        return original(path, data)

    monkeypatch.setattr(builder, "write_atomically", fill_the_disk)
    (small_course / "modules" / "theme-1.yaml").write_text(
        (small_course / "modules" / "theme-1.yaml")
        .read_text(encoding="utf-8")
        .replace("Premier thème", "Premier thème revu"),
        encoding="utf-8",
    )
    result = build(runner, small_course, out)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: cannot write the build to {out}: No space left on device"
    )
    assert snapshot(out) == before  # not one file of the failed build in it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "course"]  # no leftovers


def test_a_read_only_folder_says_so_in_one_line(runner, small_course, tmp_path, monkeypatch):
    """Tests run as root here, where folder modes do not stop a write: the refusal is
    simulated where the operating system would give it (making the folder beside it)."""
    from course import files

    out = tmp_path / "build"
    assert build(runner, small_course, out).exit_code == 0
    before = snapshot(out)

    def read_only(**_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkdtemp", read_only)
    result = build(runner, small_course, out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: cannot write the build to {out}: Read-only file system"
    assert snapshot(out) == before


def test_a_build_replaces_the_previous_one_and_keeps_what_it_did_not_rebuild(
    runner, small_course, tmp_path
):
    out = tmp_path / "build"
    assert build(runner, small_course, out).exit_code == 0
    (out / "notes-de-l-animateur.txt").write_text("gardé", encoding="utf-8")
    result = runner.invoke(
        main, ["build", "--root", str(small_course), "--out", str(out), "--only", "decks"]
    )
    assert result.exit_code == 0, result.stderr
    assert (out / "notes-de-l-animateur.txt").read_text(encoding="utf-8") == "gardé"
    assert (out / "guides").is_dir()  # not rebuilt, still there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "course"]
