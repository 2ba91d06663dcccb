"""`tf.keras.utils.get_file` (Keras' download cache under `~/.keras/<cache_subdir>/`, with
hash checks and archive extraction) and `tf.keras.utils.Sequence` (a batch source with
`__len__` and `__getitem__`, which `Model.fit` and `fit_generator` read in order).

Example:
    >>> path = tf.keras.utils.get_file("flower_photos", origin=URL, untar=True)
    >>> train = ImageDataGenerator(rescale=1 / 255.).flow_from_directory(path)
"""

import hashlib
import os
import tarfile
import zipfile

__all__ = ["Sequence", "get_file", "validate_file"]


class Sequence:
    """Base class of batch sources: implement `__len__` (batches per epoch) and
    `__getitem__(i)` (batch i as `(x, y)`); `on_epoch_end` runs after each epoch.

    Example:
        >>> class Batches(tf.keras.utils.Sequence):
        ...     def __len__(self):
        ...         return 10
        ...     def __getitem__(self, i):
        ...         return x[32 * i:32 * (i + 1)], y[32 * i:32 * (i + 1)]
    """

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def on_epoch_end(self):
        pass

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


def _hash_file(fpath, algorithm="sha256", chunk_size=65535):
    hasher = hashlib.sha256() if algorithm in ("sha256", "auto") else hashlib.md5()
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's sha256 or md5 ("auto": sha256 for 64 hex digits) is `file_hash`."""
    if algorithm == "sha256" or (algorithm == "auto" and len(file_hash) == 64):
        hasher = "sha256"
    else:
        hasher = "md5"
    return str(_hash_file(fpath, hasher, chunk_size)) == str(file_hash)


def _safe_members(archive, path):
    """The tar members that extract inside `path` (no absolute or `..` paths, no links out)."""
    base = os.path.realpath(path)
    for member in archive.getmembers():
        target = os.path.realpath(os.path.join(base, member.name))
        if os.path.commonpath([base, target]) != base:
            continue
        if (member.issym() or member.islnk()) and os.path.commonpath(
                [base, os.path.realpath(os.path.join(os.path.dirname(target),
                                                     member.linkname))]) != base:
            continue
        yield member


def _extract_archive(file_path, path=".", archive_format="auto"):
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else archive_format)
    for kind in formats:
        is_match, open_fn = ((tarfile.is_tarfile, tarfile.open) if kind == "tar"
                             else (zipfile.is_zipfile, zipfile.ZipFile))
        if is_match(file_path):
            with open_fn(file_path) as archive:
                if kind == "tar":
                    archive.extractall(path, members=_safe_members(archive, path))
                else:
                    archive.extractall(path)
            return True
    return False


def _download(origin, fpath):
    from tensorflux.datasets import idx

    return idx.fetch(origin, fpath)


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None):
    """The path of `fname` in Keras' cache, downloaded from `origin` when absent (or when
    its hash does not match `file_hash`).

    Args:
        fname: File name in the cache (default: the last part of `origin`).
        origin: The URL.
        untar: Deprecated Keras option: extract the `.tar.gz` and return the folder.
        md5_hash, file_hash, hash_algorithm: Expected hash ("auto": sha256 or md5 by length).
        cache_subdir: Folder under the cache (`datasets`, `models`, or an absolute path).
        extract, archive_format: Extract a tar/zip archive next to it.
        cache_dir: The cache (default `~/.keras`, or `/tmp/.keras` when not writable).

    Raises:
        OSError: "URL fetch failure on ..." when the download fails; the message names the
            path where a copy of the file can be put instead.

    Example:
        >>> path = tf.keras.utils.get_file("mnist.npz", "https://.../mnist.npz")
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = os.path.join(os.path.expanduser("~"), ".keras")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir)
    if not os.access(base, os.W_OK):
        base = os.path.join("/tmp", ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fname = os.fspath(fname) if fname else os.path.basename(
        origin.split("?")[0].split("#")[0])
    if not fname:
        raise ValueError("Can't parse the file name from the origin provided: '%s'.Please "
                         "specify the `fname` as the input param." % (origin,))
    if untar:
        if fname.endswith(".tar.gz"):
            fname = fname[:-len(".tar.gz")]
        untar_fpath = os.path.join(datadir, fname)
        fpath = untar_fpath + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)
    download = not os.path.exists(fpath)
    if not download and file_hash is not None and not validate_file(fpath, file_hash,
                                                                    hash_algorithm):
        print("A local file was found, but it seems to be incomplete or outdated because the "
              "%s file hash does not match the original value of %s so we will re-download "
              "the data." % (hash_algorithm, file_hash))
        download = True
    if download:
        print("Downloading data from %s" % origin)
        try:
            _download(origin, fpath)
        except OSError as e:
            raise OSError("URL fetch failure on %s: %s -- without network access, copy the "
                          "file to %s" % (origin, e, fpath)) from None
        if file_hash is not None and not validate_file(fpath, file_hash, hash_algorithm):
            raise ValueError("Incomplete or corrupted file detected. The %s file hash does not "
                             "match the provided value of %s." % (hash_algorithm, file_hash))
    if untar:
        if not os.path.exists(untar_fpath):
            _extract_archive(fpath, datadir, archive_format="tar")
        return untar_fpath
    if extract:
        _extract_archive(fpath, datadir, archive_format)
    return fpath
