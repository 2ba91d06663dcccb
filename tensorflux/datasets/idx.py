"""IDX files (the MNIST family's binary format): read, write, find on disk, and fetch."""

import gzip
import hashlib
import http.client
import math
import os
import shutil
import tempfile
import urllib.request
import zlib

import numpy as np

# IDX type byte -> big-endian numpy dtype (http://yann.lecun.com/exdb/mnist/, bottom of page).
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


class DatasetNotFoundError(FileNotFoundError):
    """A data set's files are not on disk; the message says how to get them."""


def read_idx(path):
    """Reads an IDX file, gzipped or raw, into a native-endian numpy array.

    Compression is detected from the file's first bytes, not its name, so a
    `.gz` file that was unpacked in place still reads.

    Args:
        path: Path of the file (`str` or path-like).

    Returns:
        A writable `np.ndarray` whose shape is the file's dimensions and whose
        dtype is the file's (uint8, int8, int16, int32, float32 or float64).

    Raises:
        FileNotFoundError: If `path` does not exist.
        ValueError: If the file is not a well-formed IDX file (bad magic, unknown
            type, truncated or with trailing bytes, broken gzip stream).

    Example:
        >>> labels = read_idx("train-labels-idx1-ubyte.gz")  # doctest: +SKIP
        >>> labels.shape, labels.dtype
        ((60000,), dtype('uint8'))
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise ValueError(f"{path}: corrupt or truncated gzip stream ({e})") from e
    return parse_idx(data, name=path)


def parse_idx(data, name="<bytes>"):
    """Parses the bytes of an (uncompressed) IDX file; see `read_idx`.

    Args:
        data: The file's contents.
        name: What to call the data in error messages.

    Returns:
        A writable, native-endian `np.ndarray`.

    Raises:
        ValueError: If `data` is not a well-formed IDX file.
    """
    if len(data) < 4:
        raise ValueError(f"{name}: not an IDX file: only {len(data)} bytes, header needs 4")
    zero, type_code, ndim = data[:2], data[2], data[3]
    if zero != b"\x00\x00":
        raise ValueError(
            f"{name}: not an IDX file: magic number starts with {zero.hex()}, expected 0000"
        )
    if type_code not in IDX_DTYPES:
        known = ", ".join(f"0x{code:02X}" for code in IDX_DTYPES)
        raise ValueError(f"{name}: unknown IDX data type 0x{type_code:02X} (known: {known})")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(
            f"{name}: truncated IDX header: {ndim} dimensions need {header_size} bytes, "
            f"file has {len(data)}"
        )
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[type_code]
    count = math.prod(shape)
    expected = header_size + count * dtype.itemsize
    if len(data) != expected:
        problem = "truncated" if len(data) < expected else "has trailing bytes"
        raise ValueError(
            f"{name}: IDX file {problem}: shape {shape} of {dtype.name} needs {expected} "
            f"bytes, file has {len(data)}"
        )
    flat = np.frombuffer(data, dtype=dtype, count=count, offset=header_size)
    # astype copies, which gives a writable array in the machine's byte order.
    return flat.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def write_idx(path, array):
    """Writes `array` as an IDX file, gzipped when `path` ends in `.gz`.

    Args:
        path: Destination path.
        array: Array of one of the IDX dtypes (see `IDX_DTYPES`).

    Raises:
        ValueError: If the array's dtype has no IDX type code.

    Example:
        >>> write_idx("labels-idx1-ubyte.gz", np.arange(10, dtype=np.uint8))  # doctest: +SKIP
    """
    array = np.asarray(array)
    codes = {dt.newbyteorder("="): code for code, dt in IDX_DTYPES.items()}
    code = codes.get(array.dtype.newbyteorder("="))
    if code is None:
        raise ValueError(f"IDX has no type for dtype {array.dtype}")
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    body = array.astype(IDX_DTYPES[code], copy=False).tobytes()
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(header + body)


def find_idx_file(data_dir, filename):
    """Returns the path of `filename` in `data_dir`, accepting it with or without `.gz`.

    Args:
        data_dir: Folder to look in.
        filename: The canonical name, e.g. `"train-images-idx3-ubyte.gz"`.

    Returns:
        The existing path (the gzipped name is preferred), or None.
    """
    base = filename[:-3] if filename.endswith(".gz") else filename
    for candidate in (base + ".gz", base):
        path = os.path.join(data_dir, candidate)
        if os.path.isfile(path):
            return path
    return None


def fetch(urls, dest, md5=None, timeout=60):
    """Downloads a file, trying each mirror in turn; the result appears atomically.

    The file is written under a temporary name and renamed only once complete
    (and its checksum matches), so a failed download never leaves a partial file.

    Args:
        urls: One URL or a sequence of mirror URLs for the same file.
        dest: Destination path.
        md5: Expected hex MD5 of the downloaded bytes, or None to skip the check.
        timeout: Socket timeout in seconds per attempt.

    Returns:
        `dest`.

    Raises:
        OSError: If every mirror fails; the message lists each failure.
    """
    if isinstance(urls, str):
        urls = [urls]
    folder = os.path.dirname(os.path.abspath(dest))
    os.makedirs(folder, exist_ok=True)
    errors = []
    for url in urls:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as r:
                shutil.copyfileobj(r, out)
            if md5 is not None:
                got = _md5_of(tmp)
                if got != md5:
                    raise OSError(f"checksum mismatch: md5 {got}, expected {md5}")
            os.replace(tmp, dest)
            return dest
        except (OSError, http.client.HTTPException) as e:  # URLError is an OSError.
            errors.append(f"{url}: {e}")
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    raise OSError(f"could not download {os.path.basename(dest)}:\n  " + "\n  ".join(errors))


def _md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
