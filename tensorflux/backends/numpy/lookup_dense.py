"""The dense hash table behind `MutableDenseHashTableV2` (TF's `MutableDenseHashTable`).

Open addressing over two bucket matrices, keys [num_buckets, key_size] and values
[num_buckets, value_size], with triangular (quadratic) probing from `hash(key) & (n - 1)`; a
free slot holds `empty_key`, a removed one `deleted_key`. The table doubles (and re-inserts
everything) when an insert could push it past `max_load_factor`. The layout is TF's, bucket for
bucket, so `export()` gives what TF gives: integer keys hash to themselves (`std::hash`),
strings by TF's `Hash64`. (Float keys hash by their bytes here; TF uses `std::hash`, so their
bucket order can differ.)
"""

import threading

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy.hash_ops import hash64

_MASK = (1 << 64) - 1


class DenseError(Exception):
    def __init__(self, cls, message):
        super().__init__(message)
        self.cls = cls


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _scalar(v):
    return v.item() if isinstance(v, np.generic) else v


class DenseTable:
    """TF's MutableDenseHashTable: `find`, `insert`, `remove`, `export`, `import_arrays`."""

    static = False
    initialized = True

    def __init__(self, op, empty_key, deleted_key):
        attrs = op._attrs
        self.lock = threading.Lock()
        self.key_dtype = attrs["key_dtype"]
        self.value_dtype = attrs["value_dtype"]
        self.value_shape = tuple(attrs["value_shape"].as_list())
        self.max_load = float(attrs.get("max_load_factor", 0.8))
        self.empty = np.asarray(empty_key, self.key_dtype.as_numpy_dtype)
        self.deleted = np.asarray(deleted_key, self.key_dtype.as_numpy_dtype)
        self.key_shape = self.empty.shape
        self.empty_row = tuple(_scalar(v) for v in self.empty.reshape(-1))
        self.deleted_row = tuple(_scalar(v) for v in self.deleted.reshape(-1))
        if self.empty_row == self.deleted_row:
            raise DenseError(errors.InvalidArgumentError,
                             "empty_key and deleted_key cannot be equal")
        self._allocate(int(attrs.get("initial_num_buckets", 131072)))

    # --- layout ---------------------------------------------------------------------------
    def _allocate(self, n):
        if n < 4 or n & (n - 1):
            raise DenseError(errors.InvalidArgumentError, "Number of buckets must be at least 4 "
                             "and a power of 2, got: %d" % n)
        self.n = n
        self.keys = [self.empty_row] * n
        width = int(np.prod(self.value_shape, dtype=np.int64))
        self.values = np.zeros((n, width), self.value_dtype.as_numpy_dtype)
        if self.values.dtype == object:
            self.values[:] = b""
        self.count = 0

    def _hash(self, row):
        def one(v):
            if isinstance(v, (bytes, str)):
                return hash64(v.encode("utf-8") if isinstance(v, str) else v)
            if isinstance(v, (int, bool)):
                return int(v) & _MASK
            return hash64(np.asarray(v).tobytes())
        if len(row) == 1:
            return one(row[0])
        h = 0
        for v in row:
            h = (h ^ ((one(v) + 0x9E3779B97F4A7800 + (h << 10) + (h >> 4)) & _MASK)) & _MASK
        return h

    def _probe(self, row):
        """The bucket indices visited for `row`, in TF's probing order."""
        mask = self.n - 1
        b = self._hash(row) & mask
        for probes in range(1, self.n + 1):
            yield b
            b = (b + probes) & mask
        raise DenseError(errors.InternalError, "Internal error in MutableDenseHashTable")

    def _rows(self, keys, name):
        keys = np.asarray(keys)
        nd = len(self.key_shape)
        if keys.shape[keys.ndim - nd:] != self.key_shape:
            raise DenseError(errors.InvalidArgumentError, "Expected key shape %s to end with %s"
                             % (_dims(keys.shape), _dims(self.key_shape)))
        batch = keys.shape[:keys.ndim - nd]
        flat = keys.reshape((-1, int(np.prod(self.key_shape, dtype=np.int64))))
        rows = [tuple(_scalar(v) for v in r) for r in flat]
        for r in rows:
            for reserved, what in ((self.empty_row, "empty_key"),
                                   (self.deleted_row, "deleted_key")):
                if r == reserved:
                    raise DenseError(errors.InvalidArgumentError,
                                     "Using the %s as a table key is not allowed" % what)
        return batch, rows

    # --- ops ------------------------------------------------------------------------------
    def find(self, keys, default):
        batch, rows = self._rows(keys, "keys")
        width = self.values.shape[1]
        out = np.empty((len(rows), width), self.values.dtype)
        default = np.asarray(default).reshape(-1)
        dynamic = default.size == len(rows) * width and default.size != width
        default = default.reshape(len(rows), width) if dynamic else default
        for i, r in enumerate(rows):
            for b in self._probe(r):
                if self.keys[b] == r:
                    out[i] = self.values[b]
                    break
                if self.keys[b] == self.empty_row:
                    out[i] = default[i] if dynamic else default
                    break
        return out.reshape(batch + self.value_shape)

    def insert_arrays(self, keys, values):
        keys, values = np.asarray(keys), np.asarray(values)
        batch = keys.shape[:keys.ndim - len(self.key_shape)]
        if values.shape != batch + self.value_shape:
            raise DenseError(errors.InvalidArgumentError, "Expected shape %s for value, got %s"
                             % (_dims(batch + self.value_shape), _dims(values.shape)))
        _, rows = self._rows(keys, "keys")
        pending = self.count + len(rows)
        if pending > self.n * self.max_load:
            n = self.n
            while pending > n * self.max_load:
                n <<= 1
            self._rebucket(n)
        self._insert(rows, values.reshape(len(rows), -1))

    def _insert(self, rows, values):
        for r, v in zip(rows, values):
            for b in self._probe(r):
                if self.keys[b] == r:
                    self.values[b] = v
                    break
                if self.keys[b] in (self.empty_row, self.deleted_row):
                    self.count += 1
                    self.keys[b] = r
                    self.values[b] = v
                    break

    def _rebucket(self, n):
        old_keys, old_values = self.keys, self.values
        self._allocate(n)
        keep = [i for i, r in enumerate(old_keys) if r not in (self.empty_row, self.deleted_row)]
        self._insert([old_keys[i] for i in keep], old_values[keep])

    def remove(self, keys):
        _, rows = self._rows(keys, "keys")
        for r in rows:
            for b in self._probe(r):
                if self.keys[b] == r:
                    self.count -= 1
                    self.keys[b] = self.deleted_row
                    break
                if self.keys[b] == self.empty_row:
                    break

    def size(self):
        return self.count

    def export(self):
        keys = np.empty((self.n, len(self.empty_row)), self.key_dtype.as_numpy_dtype)
        for i, r in enumerate(self.keys):
            keys[i] = r
        return [keys, self.values.copy()]

    def import_arrays(self, keys, values):
        keys = np.asarray(keys)
        n = keys.shape[0]
        self._allocate(n)
        rows = [tuple(_scalar(v) for v in r) for r in keys.reshape(n, -1)]
        self.keys = rows
        self.values = np.array(np.asarray(values).reshape(n, -1), self.values.dtype)
        self.count = sum(r not in (self.empty_row, self.deleted_row) for r in rows)
