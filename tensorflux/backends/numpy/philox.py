"""Philox-4x32-10 and TF's stateless sampling on top of it, for numpy and jax alike.

These are the bit-level rules of TF's CPU kernels for the stateless random ops
(`core/lib/random/philox_random.h`, `random_distributions.h`, `stateless_random_ops_v2.cc`):
output group `g` of a fixed-size distribution reads the Philox block at counter `base + g`
(a 128-bit add) and turns its four 32-bit words into 4 float32 / int32 values, or 2 float64 /
int64 ones. Truncated normals take Box-Muller pairs from a block stream that starts at
`base + 256 * g` (`base + 128 * g` for float64) and keep the first values within 2 standard
deviations. Every function takes the array module `xp` (numpy, or jax.numpy with 64-bit types
on), so the XLA kernels compute the same numbers.

Known gaps: a truncated-normal group reads at most `_TRUNC_BLOCKS` blocks (the chance that
fewer than 4 of its 32 candidates are accepted is below 1e-30); bfloat16 is not produced.

Example:
    >>> key, counter = seed_to_key_counter(np.array([1, 2]), np)
    >>> uniform(key, counter, 3, np.float32, np).shape
    (3,)
"""

import numpy as np

_W32A, _W32B = 0x9E3779B9, 0xBB67AE85
_M4x32A, _M4x32B = 0xD2511F53, 0xCD9E8D57
_MASK32 = 0xFFFFFFFF
_TRUNC_BLOCKS = 8
_TRUNC_SKIP = {np.dtype(np.float32): 256, np.dtype(np.float16): 256, np.dtype(np.float64): 128}


def _u64(x, xp):
    return xp.asarray(x).astype(xp.uint64)


def _mulhilo(a, b, xp):
    p = _u64(b, xp) * xp.uint64(a)
    return (p & xp.uint64(_MASK32)).astype(xp.uint32), (p >> xp.uint64(32)).astype(xp.uint32)


def philox(counter, key, xp):
    """Philox-4x32-10 of counters `counter` (4 uint32 arrays) under `key` (2 uint32 scalars)."""
    c0, c1, c2, c3 = counter
    k0, k1 = _u64(key[0], xp), _u64(key[1], xp)
    for r in range(10):
        if r:
            k0 = (k0 + xp.uint64(_W32A)) & xp.uint64(_MASK32)
            k1 = (k1 + xp.uint64(_W32B)) & xp.uint64(_MASK32)
        lo0, hi0 = _mulhilo(_M4x32A, c0, xp)
        lo1, hi1 = _mulhilo(_M4x32B, c2, xp)
        c0 = hi1 ^ c1 ^ k0.astype(xp.uint32)
        c1 = lo1
        c2 = hi0 ^ c3 ^ k1.astype(xp.uint32)
        c3 = lo0
    return c0, c1, c2, c3


def _split(x64, xp):
    return (x64 & xp.uint64(_MASK32)).astype(xp.uint32), (x64 >> xp.uint64(32)).astype(xp.uint32)


def blocks(key, counter, offsets, xp):
    """The Philox blocks at `counter + offsets` (128-bit adds) as a (len(offsets), 4) array.

    Args:
        key: uint64 scalar (TF's key tensor: low word first).
        counter: two uint64 (TF's Philox counter tensor).
        offsets: uint64 array of block offsets.
    """
    lo, hi = _u64(counter[0], xp), _u64(counter[1], xp)
    offsets = _u64(offsets, xp)
    new_lo = lo + offsets
    new_hi = hi + (new_lo < offsets).astype(xp.uint64)
    c0, c1 = _split(new_lo, xp)
    c2, c3 = _split(new_hi, xp)
    words = philox((c0, c1, c2, c3), _split(_u64(key, xp), xp), xp)
    return xp.stack(words, axis=-1)


def seed_to_key_counter(seed, xp):
    """TF's `GenerateKey`: a 2-element int seed scrambled into a (key, counter) pair."""
    seed = xp.asarray(seed).astype(xp.int64).astype(xp.uint64)
    s0, s1 = _split(seed[0], xp), _split(seed[1], xp)
    mix = philox((s0[0], s0[1], s1[0], s1[1]), (xp.uint32(0x3EC8F720), xp.uint32(0x02461E29)),
                 xp)
    key = _u64(mix[0], xp) | (_u64(mix[1], xp) << xp.uint64(32))
    counter = xp.stack([xp.uint64(0), _u64(mix[2], xp) | (_u64(mix[3], xp) << xp.uint64(32))])
    return key, counter


def _bitcast(x, dtype, xp):
    if xp is np:
        return x.view(dtype)
    import jax

    return jax.lax.bitcast_convert_type(x, dtype)


def _words(key, counter, size, per_block, xp):
    n_blocks = -(-size // per_block) if size else 0
    return blocks(key, counter, xp.arange(n_blocks, dtype=xp.uint64), xp).reshape(-1)


def _unit_float32(x, xp):
    bits = (x & xp.uint32(0x7FFFFF)) | xp.uint32(0x3F800000)
    return _bitcast(bits, xp.float32, xp) - xp.float32(1.0)


def _unit_float16(x, xp):
    bits = ((x & xp.uint32(0x3FF)) | xp.uint32(15 << 10)).astype(xp.uint16)
    return _bitcast(bits, xp.float16, xp) - xp.float16(1.0)


def _unit_float64(x0, x1, xp):
    man = (_u64(x0 & xp.uint32(0xFFFFF), xp) << xp.uint64(32)) | _u64(x1, xp)
    return _bitcast(man | xp.uint64(1023 << 52), xp.float64, xp) - 1.0


def uniform(key, counter, size, dtype, xp):
    """`size` floats in [0, 1) of `dtype` (float16, float32 or float64), flat."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        w = _words(key, counter, size, 2, xp).reshape(-1, 2)
        return _unit_float64(w[:, 0], w[:, 1], xp)[:size]
    w = _words(key, counter, size, 4, xp)[:size]
    return _unit_float16(w, xp) if dtype == np.float16 else _unit_float32(w, xp)


def uniform_int(key, counter, size, lo, hi, dtype, xp):
    """`size` ints of `dtype` (int32/int64) in [lo, hi): `lo + bits % (hi - lo)`, as TF."""
    dtype = np.dtype(dtype)
    if dtype == np.int64:
        w = _words(key, counter, size, 2, xp).reshape(-1, 2)
        bits = _u64(w[:, 0], xp) | (_u64(w[:, 1], xp) << xp.uint64(32))
        span = (xp.asarray(hi).astype(xp.int64) - xp.asarray(lo).astype(xp.int64))
        off = bits % span.astype(xp.uint64)
        return (xp.asarray(lo).astype(xp.int64) + off.astype(xp.int64))[:size]
    w = _words(key, counter, size, 4, xp)[:size]
    span = (xp.asarray(hi).astype(xp.int64) - xp.asarray(lo).astype(xp.int64)).astype(xp.uint32)
    off = (w % span).astype(xp.int64)
    return (xp.asarray(lo).astype(xp.int64) + off).astype(dtype)


def _f32(fn, x, xp):
    """`fn` of float32 `x` rounded to float32 through float64: the correctly rounded result
    that TF's C library `logf` / `sincosf` give (numpy's float32 loops can be 1 ulp off)."""
    return fn(x.astype(xp.float64)).astype(xp.float32)


def _box_muller32(x0, x1, xp):
    u1 = xp.maximum(_unit_float32(x0, xp), xp.float32(1e-7))
    v1 = (2.0 * np.pi * _unit_float32(x1, xp).astype(xp.float64)).astype(xp.float32)
    u2 = _f32(xp.sqrt, xp.float32(-2.0) * _f32(xp.log, u1, xp), xp)
    return _f32(xp.sin, v1, xp) * u2, _f32(xp.cos, v1, xp) * u2


def _box_muller64(w, xp):
    u1 = xp.maximum(_unit_float64(w[..., 0], w[..., 1], xp), 1e-7)
    v1 = 2.0 * np.pi * _unit_float64(w[..., 2], w[..., 3], xp)
    u2 = xp.sqrt(-2.0 * xp.log(u1))
    return xp.sin(v1) * u2, xp.cos(v1) * u2


def _normal_pairs(w, dtype, xp):
    """Box-Muller normals of blocks `w` (..., 4) in stream order (float32 unless float64)."""
    if np.dtype(dtype) == np.float64:
        f0, f1 = _box_muller64(w, xp)
        return xp.stack([f0, f1], axis=-1)
    f0, f1 = _box_muller32(w[..., 0::2], w[..., 1::2], xp)
    return xp.stack([f0, f1], axis=-1).reshape(w.shape[:-1] + (4,))


def normal(key, counter, size, dtype, xp):
    """`size` standard normal values of `dtype`, flat."""
    per_block = 2 if np.dtype(dtype) == np.float64 else 4
    n_blocks = -(-size // per_block) if size else 0
    w = blocks(key, counter, xp.arange(n_blocks, dtype=xp.uint64), xp)
    return _normal_pairs(w, dtype, xp).reshape(-1)[:size].astype(dtype)


def truncated_normal(key, counter, size, dtype, xp):
    """`size` standard normal values of `dtype` within (-2, 2), flat (TF's rejection order)."""
    dtype = np.dtype(dtype)
    group = 2 if dtype == np.float64 else 4
    n_groups = -(-size // group) if size else 0
    starts = xp.arange(n_groups, dtype=xp.uint64) * xp.uint64(_TRUNC_SKIP[dtype])
    offsets = starts[:, None] + xp.arange(_TRUNC_BLOCKS, dtype=xp.uint64)[None, :]
    w = blocks(key, counter, offsets.reshape(-1), xp).reshape(n_groups, _TRUNC_BLOCKS, 4)
    cand = _normal_pairs(w, dtype, xp).reshape(n_groups, -1)
    ok = xp.abs(cand) < 2.0
    rank = xp.cumsum(ok, axis=1) - 1
    # Candidate k is the (rank+1)-th accepted one; pick the first `group` accepted per row.
    picks = [xp.sum(xp.where(ok & (rank == j), cand, 0), axis=1) for j in range(group)]
    return xp.stack(picks, axis=1).reshape(-1)[:size].astype(dtype)
