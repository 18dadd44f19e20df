"""Writing output files safely: a reader never sees half a file, a failure leaves the old one."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; exports are meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def replacing_folder(target: Path) -> Iterator[Path]:
    """A new folder beside ``target``, holding a copy of it, for the block to write into; it
    takes ``target``'s place as a whole when the block ends, and is deleted if it fails.

    So a build that fails halfway (a full disk, a deck that cannot be rendered) leaves the
    previous build whole, never a mix of old and new files.
    """
    target = Path(target).absolute()
    for ancestor in (target, *target.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, f"{ancestor} is a file, not a folder")
            break
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        if target.is_dir():
            shutil.copytree(target, staging, dirs_exist_ok=True)
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp makes 0700; a build is meant to be shared
        if target.exists():
            previous = target.parent / f".{target.name}.old-{secrets.token_hex(4)}"
            os.replace(target, previous)
            try:
                os.replace(staging, target)
            except BaseException:
                os.replace(previous, target)
                raise
            shutil.rmtree(previous, ignore_errors=True)
        else:
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it replaced the target
