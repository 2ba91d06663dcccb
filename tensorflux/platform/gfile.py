"""`tf.gfile` / `tf.io.gfile`: TF's file API on local files (what TF1 programs call)."""

import glob as _glob
import os
import shutil

from tensorflux import errors


class GFile:
    """`tf.gfile.GFile(name, mode)`: a file object; text unless the mode has "b"."""

    def __init__(self, name, mode="r"):
        self._name = os.fspath(name)
        self._mode = mode
        try:
            self._f = open(self._name, mode)  # noqa: SIM115 - closed by close()/__exit__
        except FileNotFoundError as e:
            raise errors.NotFoundError(None, None, "%s; No such file or directory"
                                       % self._name) from e

    @property
    def name(self):
        return self._name

    @property
    def mode(self):
        return self._mode

    def read(self, n=-1):
        return self._f.read(n)

    def readline(self):
        return self._f.readline()

    def readlines(self):
        return self._f.readlines()

    def write(self, data):
        return self._f.write(data)

    def flush(self):
        self._f.flush()

    def seek(self, offset=None, whence=0, position=None):
        self._f.seek(position if position is not None else offset, whence)

    def tell(self):
        return self._f.tell()

    def size(self):
        return os.path.getsize(self._name)

    def close(self):
        self._f.close()

    def __iter__(self):
        return iter(self._f)

    def __next__(self):
        return next(self._f)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


Open = GFile
FastGFile = GFile


def Exists(filename):  # noqa: N802 - TF's public name
    return os.path.exists(filename)


def IsDirectory(dirname):  # noqa: N802 - TF's public name
    return os.path.isdir(dirname)


def ListDirectory(dirname):  # noqa: N802 - TF's public name
    if not os.path.isdir(dirname):
        raise errors.NotFoundError(None, None, "Could not find directory %s" % dirname)
    return os.listdir(dirname)


def MakeDirs(dirname):  # noqa: N802 - TF's public name
    os.makedirs(dirname, exist_ok=True)


def MkDir(dirname):  # noqa: N802 - TF's public name
    try:
        os.mkdir(dirname)
    except FileExistsError as e:
        raise errors.AlreadyExistsError(None, None, "File already exists: %s" % dirname) from e


def Remove(filename):  # noqa: N802 - TF's public name
    try:
        os.remove(filename)
    except FileNotFoundError as e:
        raise errors.NotFoundError(None, None, "%s; No such file or directory" % filename) from e


def DeleteRecursively(dirname):  # noqa: N802 - TF's public name
    if not os.path.exists(dirname):
        raise errors.NotFoundError(None, None, "%s; No such file or directory" % dirname)
    if os.path.isdir(dirname):
        shutil.rmtree(dirname)
    else:
        os.remove(dirname)


def Rename(oldname, newname, overwrite=False):  # noqa: N802 - TF's public name
    if not overwrite and os.path.exists(newname):
        raise errors.AlreadyExistsError(None, None, "File already exists: %s" % newname)
    os.replace(oldname, newname)


def Copy(oldpath, newpath, overwrite=False):  # noqa: N802 - TF's public name
    if not overwrite and os.path.exists(newpath):
        raise errors.AlreadyExistsError(None, None, "File already exists: %s" % newpath)
    shutil.copyfile(oldpath, newpath)


def Glob(filename):  # noqa: N802 - TF's public name
    return sorted(_glob.glob(filename))


def Walk(top, in_order=True):  # noqa: N802 - TF's public name
    yield from os.walk(top, topdown=in_order)


def Stat(filename):  # noqa: N802 - TF's public name
    return os.stat(filename)


# tf.io.gfile spellings
exists, isdir, listdir, makedirs, mkdir, remove = Exists, IsDirectory, ListDirectory, MakeDirs, \
    MkDir, Remove
rmtree, rename, copy, glob, walk, stat = DeleteRecursively, Rename, Copy, Glob, Walk, Stat
