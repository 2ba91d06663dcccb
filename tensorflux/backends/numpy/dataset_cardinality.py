"""TF 1.x's cardinality of a `tf.data` pipeline (`tf.data.experimental.cardinality`): its
number of elements from the values of its tensors, -1 when infinite, -2 when unknown (a
`map`, `filter`, reader or random mix makes it unknown, as in TF 1.x)."""

INFINITE = -1
UNKNOWN = -2


def _batched(n, size, drop):
    if n < 0:
        return n
    return n // size + (1 if n % size and not drop else 0)


def _repeat(n, count):
    if count < 0:
        return 0 if n == 0 else INFINITE
    if count == 0:
        return 0
    return n if n < 0 else n * count


def _take(n, count):
    if count == 0:
        return 0
    if n == UNKNOWN:
        return UNKNOWN
    if n == INFINITE:
        return count if count >= 0 else INFINITE
    return n if count < 0 else min(n, count)


def _skip(n, count):
    if n < 0:
        return n
    return 0 if count < 0 else max(0, n - count)


def _zip(ns):
    result = INFINITE
    for n in ns:
        if n == UNKNOWN:
            return UNKNOWN
        if n != INFINITE and (result == INFINITE or n < result):
            result = n
    return result


def _concatenate(ns):
    if UNKNOWN in ns:
        return UNKNOWN
    return INFINITE if INFINITE in ns else sum(ns)


def _range(own):
    start, stop, step = (int(v) for v in own)
    if step == 0:
        raise ValueError("step must be a non-zero integer.")
    return len(range(start, stop, step))


def _slices_count(ds, own):
    sparse = ds._attrs.get("sparse") or [False]
    return int(own[2][0]) if sparse[0] else len(own[0])  # a sparse one: its dense_shape[0]


def _shard_count(n, own):
    num_shards, index = (int(v) for v in own)
    if n < 0:
        return n
    return n // num_shards + (1 if index < n % num_shards else 0)


def _windows_count(ds, n, own):
    size, shift, stride = (int(v) for v in own)
    if n < 0:
        return n
    if ds._attrs["drop_remainder"]:
        return max(0, (n - (size - 1) * stride - 1) // shift + 1)
    return -(-n // shift)


_SAME = ("shuffle", "cache", "prefetch", "options", "scan")
_RULES = {
    "tensors": lambda ds, ns, own: 1,
    "slices": lambda ds, ns, own: _slices_count(ds, own),
    "range": lambda ds, ns, own: _range(own),
    "counter": lambda ds, ns, own: INFINITE,
    "zip": lambda ds, ns, own: _zip(ns),
    "concatenate": lambda ds, ns, own: _concatenate(ns),
    "batch": lambda ds, ns, own: _batched(ns[0], int(own[0]), ds._attrs["drop_remainder"]),
    "padded_batch": lambda ds, ns, own: _batched(ns[0], int(own[0]),
                                                 ds._attrs["drop_remainder"]),
    "repeat": lambda ds, ns, own: _repeat(ns[0], int(own[0])),
    "take": lambda ds, ns, own: _take(ns[0], int(own[0])),
    "skip": lambda ds, ns, own: _skip(ns[0], int(own[0])),
    "window_dataset": lambda ds, ns, own: _windows_count(ds, ns[0], own),
    "shard": lambda ds, ns, own: _shard_count(ns[0], own),
    "random": lambda ds, ns, own: INFINITE,
    "assert_cardinality": lambda ds, ns, own: int(own[0]),
}


def cardinality(ds, values):
    """TF 1.x's cardinality of `ds` (-1 infinite, -2 unknown), its tensors' values taken from
    the iterator `values` in `Dataset._graph_inputs` order (as `build` reads them)."""
    ns = [cardinality(c, values) for c in ds._inputs]
    own = [next(values) for _ in ds._tensors]
    if ds._kind in _SAME:
        return ns[0]
    rule = _RULES.get(ds._kind)
    return UNKNOWN if rule is None else rule(ds, ns, own)
