"""Files written whole or not at all, the one way the kit replaces a file.

The content goes to a temporary file beside the target, reaches the disk (fsync), then takes
the target's name in one step: a reader never sees half a file, and a crash or a power cut
leaves the previous version, never an empty file under the real name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, content: str | bytes) -> None:
    """Replace `path` with `content` (text is written as UTF-8). The temporary file is removed
    if anything fails, so a failed write leaves the folder as it was."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
