"""numpy kernels for the string hash-bucket ops (ops/hash_ops.py): TF's hashes, bit for bit.

FarmHash Fingerprint64 comes from feature_column/fingerprint.py; SipHash-2-4 (the strong,
keyed hash) and TF's legacy `Hash64` (MurmurHash64A with seed 0xDECAFCAFFE) are here. Each
string is hashed once per distinct value in a tensor (inputs are usually full of repeats).
"""

import numpy as np

from tensorflux.feature_column.fingerprint import fingerprint64
from tensorflux.ops.registry import kernel

_MASK = (1 << 64) - 1


def _bytes(s):
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def _rotl(v, b):
    return ((v << b) | (v >> (64 - b))) & _MASK


def siphash24(k0, k1, data):
    """SipHash-2-4 of `data` under the 128-bit key (k0, k1), an int in [0, 2**64)."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573

    def rounds(v0, v1, v2, v3, n):
        for _ in range(n):
            v0 = (v0 + v1) & _MASK
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _MASK
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)
        return v0, v1, v2, v3

    n = len(data)
    end = n - n % 8
    for i in range(0, end, 8):
        m = int.from_bytes(data[i:i + 8], "little")
        v3 ^= m
        v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 2)
        v0 ^= m
    last = ((n & 0xFF) << 56) | int.from_bytes(data[end:], "little")
    v3 ^= last
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def hash64(data, seed=0xDECAFCAFFE):
    """TF's legacy `Hash64` (core/lib/hash/hash.cc): MurmurHash64A with TF's default seed."""
    m = 0xC6A4A7935BD1E995
    n = len(data)
    h = (seed ^ (n * m)) & _MASK
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * m) & _MASK
        k ^= k >> 47
        k = (k * m) & _MASK
        h = ((h ^ k) * m) & _MASK
    if n % 8:
        h = ((h ^ int.from_bytes(data[end:], "little")) * m) & _MASK
    h ^= h >> 47
    h = (h * m) & _MASK
    return h ^ (h >> 47)


# --- Fingerprint64 over many strings at once -----------------------------------------------------
# Strings of one length share every offset, so each length group is hashed as uint64 columns
# (numpy's uint64 arithmetic wraps as C's does); strings over 64 bytes use the scalar version.
_K0 = np.uint64(0xC3A5C85C97CB3127)
_K1 = np.uint64(0xB492B66FBE98F273)
_K2 = np.uint64(0x9AE16A3B2F90404F)


def _rot(v, s):
    return (v >> np.uint64(s)) | (v << np.uint64(64 - s))


def _smix(v):
    return v ^ (v >> np.uint64(47))


def _len16(u, v, mul):
    a = _smix((u ^ v) * mul)
    b = _smix((v ^ a) * mul)
    return b * mul


def _fingerprint_group(mat, n):
    """Fingerprint64 of each row of `mat` (uint8 [m, n], all strings of length n <= 64)."""
    def f64(i):
        return mat[:, i:i + 8].copy().view("<u8").reshape(-1)

    def f32(i):
        return mat[:, i:i + 4].copy().view("<u4").reshape(-1).astype(np.uint64)

    mul = _K2 + np.uint64(2 * n)
    if n == 0:
        return np.full(mat.shape[0], _K2, np.uint64)
    if n < 4:
        y = mat[:, 0].astype(np.uint64) + (mat[:, n >> 1].astype(np.uint64) << np.uint64(8))
        z = np.uint64(n) + (mat[:, n - 1].astype(np.uint64) << np.uint64(2))
        return _smix(y * _K2 ^ z * _K0) * _K2
    if n < 8:
        return _len16(np.uint64(n) + (f32(0) << np.uint64(3)), f32(n - 4), mul)
    if n <= 16:
        a = f64(0) + _K2
        b = f64(n - 8)
        c = _rot(b, 37) * mul + a
        d = (_rot(a, 25) + b) * mul
        return _len16(c, d, mul)
    a = f64(0) * (_K1 if n <= 32 else _K2)
    b = f64(8)
    c = f64(n - 8) * mul
    d = f64(n - 16) * _K2
    y = _rot(a + b, 43) + _rot(c, 30) + d
    if n <= 32:
        return _len16(y, a + _rot(b + _K2, 18) + c, mul)
    z = _len16(y, a + _rot(b + _K2, 18) + c, mul)
    e = f64(16) * mul
    f = f64(24)
    g = (y + f64(n - 32)) * mul
    h = (z + f64(n - 24)) * mul
    return _len16(_rot(e + f, 43) + _rot(g, 30) + h, e + _rot(f + a, 18) + g, mul)


def fingerprint64_array(strings):
    """FarmHash Fingerprint64 of each bytes object in the 1-D object array `strings`."""
    out = np.empty(len(strings), np.uint64)
    lengths = np.fromiter((len(b) for b in strings), np.int64, len(strings))
    with np.errstate(over="ignore"):
        for n in np.unique(lengths):
            rows = np.flatnonzero(lengths == n)
            if n > 64:
                out[rows] = [fingerprint64(strings[i]) for i in rows]
                continue
            buf = b"".join(strings[i] for i in rows)
            mat = np.frombuffer(buf, np.uint8).reshape(len(rows), int(n))
            out[rows] = _fingerprint_group(mat, int(n))
    return out


def _bucketize(hash_fn, num_buckets):
    def run(x):
        x = np.asarray(x, dtype=object)
        cache = {}
        out = np.empty(x.shape, np.int64)
        for i, s in np.ndenumerate(x):
            b = _bytes(s)
            v = cache.get(b)
            if v is None:
                v = cache[b] = hash_fn(b) % num_buckets
            out[i] = v
        return out
    return run


@kernel("StringToHashBucketFast")
def _fast(op):
    num_buckets = np.uint64(op._attrs["num_buckets"])

    def run(x):
        x = np.asarray(x, dtype=object)
        flat = np.array([_bytes(s) for s in x.reshape(-1)] + [None], dtype=object)[:-1]
        return (fingerprint64_array(flat) % num_buckets).astype(np.int64).reshape(x.shape)
    return run


@kernel("StringToHashBucketStrong")
def _strong(op):
    k0, k1 = (int(k) & _MASK for k in op._attrs["key"])
    return _bucketize(lambda b: siphash24(k0, k1, b), op._attrs["num_buckets"])


@kernel("StringToHashBucket")
def _legacy(op):
    return _bucketize(hash64, op._attrs["num_buckets"])
