"""Writing a file all or nothing, with the permissions the user's umask asks for.

Every command that writes (diagram exports, the population table, nbgrader assignments) goes
through here: the content goes to a temporary name in the same folder and is renamed into place,
so an error never leaves a partial file, and the new file gets ``0o666 & ~umask`` (``mkstemp``
alone would give 0600).

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     p = write_atomic(pathlib.Path(tmp) / "a.txt", lambda f: f.write(b"hello"))
...     p.read_text(), oct(p.stat().st_mode & 0o777) == oct(0o666 & ~umask())
('hello', True)
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write`` on a binary file that becomes ``path`` only if it returns without error.

    Raises
    ------
    IsADirectoryError
        ``path`` is a folder.
    ValueError
        The folder of ``path`` does not exist.
    OSError
        The folder cannot be written (the temporary file is removed).
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"folder {str(folder)!r} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=folder)
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path
