"""Atomic file replacement: write to a temporary name in the same directory, then rename.

A reader never sees a half-written checkpoint, and a failed write leaves the previous files
exactly as they were (TF's writers do the same with `*.tempstate<random>` files).
"""

import os
import tempfile


def temp_path(path):
    """Creates and returns an empty temporary file next to `path` (same filesystem)."""
    fd, temp = tempfile.mkstemp(prefix=os.path.basename(path) + ".tempstate",
                                dir=os.path.dirname(path) or ".")
    os.close(fd)
    return temp


def _link_backup(path):
    # A hard link keeps the old contents reachable after `os.replace` swaps in the new file.
    if not os.path.exists(path):
        return None
    backup = temp_path(path)
    os.remove(backup)
    try:
        os.link(path, backup)
    except OSError:
        return None
    return backup


def replace_files(moves):
    """Moves each `(temp, final)` into place; if one move fails, restores the earlier ones.

    Args:
        moves: `(temp_path, final_path)` pairs, all in existing directories.
    """
    done = []  # (final, backup of its old contents or None, whether it existed)
    backups = []
    try:
        for temp, final in moves:
            existed = os.path.exists(final)
            backup = _link_backup(final)
            if backup is not None:
                backups.append(backup)
            os.replace(temp, final)
            done.append((final, backup, existed))
    except BaseException:
        for final, backup, existed in reversed(done):
            if backup is not None:
                os.replace(backup, final)
            elif not existed:
                os.remove(final)
        raise
    finally:
        for backup in backups:
            if os.path.exists(backup):
                os.remove(backup)


def atomic_write(path, data):
    """Writes `data` (bytes or str, UTF-8) to `path` atomically.

    Example:
        >>> atomic_write("/tmp/train/checkpoint", 'model_checkpoint_path: "m"\\n')  # doctest: +SKIP
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    temp = temp_path(path)
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        replace_files([(temp, path)])
    finally:
        if os.path.exists(temp):
            os.remove(temp)
