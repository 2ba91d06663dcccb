"""The running form of a `tf.data` pipeline: Python generators built from concrete values.

`build(dataset, values, ctx)` walks the dataset description (`tensorflux/data/`) children first,
taking each node's tensor values from the iterator `values` (the order of
`Dataset._graph_inputs`), and returns an *epoch* function: each call starts a new pass and
returns a generator of elements, an element being the flat list of its component arrays (a
SparseTensor component is one `SparseValue` holding its three arrays).
`repeat` and `shuffle` call their child's epoch function once per pass.

Traced functions (map, filter, flat_map) run as compiled sub-plans (`cond_ops._Runner`), with
the session state of the `get_next` that pulls the element (`ctx.state`) and random generators
of their own, keyed by the dataset's name.
"""

import gzip
import os
import weakref

import numpy as np

from tensorflux import tf_record
from tensorflux.backends.numpy.cond_ops import _Runner, _sub_state

_RUNNERS = weakref.WeakKeyDictionary()  # dataset -> compiled runner of its body
_BUILDERS = {}


class Context:
    """What a running pipeline reads: the session state of the current `get_next`."""

    __slots__ = ("state", "windows")

    def __init__(self, state):
        self.state = state
        self.windows = {}  # "window" dataset name -> the elements of its current window


def builder(kind):
    def deco(fn):
        _BUILDERS[kind] = fn
        return fn
    return deco


def build(ds, values, ctx):
    """The epoch function of dataset `ds`; `values` yields its graph inputs' values in order."""
    children = [build(c, values, ctx) for c in ds._inputs]
    own = [next(values) for _ in ds._tensors]
    return _BUILDERS[ds._kind](ds, children, own, ctx)


class SparseValue:
    """A SparseTensor component of a running element: its three arrays."""

    __slots__ = ("indices", "values", "dense_shape")

    def __init__(self, indices, values, dense_shape):
        self.indices = indices
        self.values = values
        self.dense_shape = dense_shape


class WindowValue:
    """A dataset component of a running element (`Dataset.window`): its elements."""

    __slots__ = ("rows",)

    def __init__(self, rows):
        self.rows = rows


def expand(element):
    """The flat arrays of an element: three per sparse component, none for a nested dataset
    (as the body's inputs)."""
    out = []
    for v in element:
        if isinstance(v, WindowValue):
            continue
        if isinstance(v, SparseValue):
            out.extend((v.indices, v.values, v.dense_shape))
        else:
            out.append(v)
    return out


def regroup(values, sparse):
    """The components of an element from flat arrays (`sparse`: one flag per component)."""
    out, i = [], 0
    for flag in sparse:
        if flag:
            out.append(SparseValue(*values[i:i + 3]))
            i += 3
        else:
            out.append(values[i])
            i += 1
    return out


def _body_fn(ds, captures, ctx):
    """Runs `ds`'s traced body on one element: `call(element) -> output values`."""
    body = ds._attrs["body"]
    key = ("tf.data", ds._name)
    sparse = ds._attrs.get("out_sparse")
    sparse = sparse if sparse and any(sparse) else None

    def call(element):
        runner = _RUNNERS.get(ds)
        if runner is None:
            runner = _RUNNERS[ds] = _Runner(body)
        outs, _ = runner(_sub_state(ctx.state, key), expand(element) + captures)
        return regroup(outs, sparse) if sparse else outs

    return call


# --- sources -----------------------------------------------------------------------------------
@builder("tensors")
def _tensors(ds, children, own, ctx):
    element = regroup(own, ds._attrs.get("sparse") or [False] * len(own))

    def epoch():
        yield list(element)
    return epoch


def _sparse_rows(v):
    """The rows (slices along axis 0) of a sparse component, as SparseValues."""
    shape = np.asarray(v.dense_shape, np.int64).ravel()
    indices = np.asarray(v.indices, np.int64).reshape(-1, len(shape))
    values = np.asarray(v.values)
    rows = []
    for i in range(int(shape[0])):
        keep = indices[:, 0] == i
        rows.append(SparseValue(indices[keep, 1:], values[keep], shape[1:]))
    return rows


@builder("slices")
def _slices(ds, children, own, ctx):
    own = [_sparse_rows(v) if isinstance(v, SparseValue) else v
           for v in regroup(own, ds._attrs.get("sparse") or [False] * len(own))]
    rows = {len(v) for v in own}
    n = len(own[0])
    if len(rows) > 1:
        raise ValueError("Dimensions %s of the components are not compatible (each component "
                         "of from_tensor_slices must have the same size in dimension 0)."
                         % sorted(rows))

    def epoch():
        for i in range(n):
            yield [v[i] for v in own]
    return epoch


@builder("range")
def _range(ds, children, own, ctx):
    start, stop, step = (int(v) for v in own)
    if step == 0:
        raise ValueError("step must be a non-zero integer.")
    npd = ds._types.as_numpy_dtype

    def epoch():
        for v in range(start, stop, step):
            yield [np.asarray(v, dtype=npd)]
    return epoch


@builder("generator")
def _generator(ds, children, own, ctx):
    from tensorflux.ops.func_graph import flatten

    fn = ds._attrs["generator"]
    dtypes = [t.as_numpy_dtype for t in flatten(ds._types)]

    def epoch():
        for value in fn(*own):
            leaves = flatten(value) if isinstance(value, (tuple, dict)) else [value]
            if len(leaves) != len(dtypes):
                raise TypeError("`generator` yielded an element that did not match the "
                                "expected structure: %r" % (value,))
            yield [np.asarray(v, dtype=d) for v, d in zip(leaves, dtypes)]
    return epoch


@builder("zip")
def _zip(ds, children, own, ctx):
    def epoch():
        gens = [child() for child in children]
        while True:
            element = []
            for g in gens:
                item = next(g, None)
                if item is None:
                    return
                element.extend(item)
            yield element
    return epoch


@builder("concatenate")
def _concatenate(ds, children, own, ctx):
    def epoch():
        for child in children:
            yield from child()
    return epoch


# --- per-element functions ---------------------------------------------------------------------
class _Resumable:
    """An element iterator that survives an error of its function, as TF's iterators do: the
    element whose function failed is lost, the next `next` goes on with the following one
    (what `ignore_errors` relies on). A Python generator would be closed by the error."""

    __slots__ = ("source", "step")

    def __init__(self, source, step):
        self.source = source
        self.step = step

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            out = self.step(next(self.source))
            if out is not None:
                return out


@builder("map")
def _map(ds, children, own, ctx):
    (child,) = children
    call = _body_fn(ds, own, ctx)
    return lambda: _Resumable(child(), call)


@builder("filter")
def _filter(ds, children, own, ctx):
    (child,) = children
    call = _body_fn(ds, own, ctx)

    def keep(element):
        return element if bool(np.asarray(call(element)[0])) else None
    return lambda: _Resumable(child(), keep)


def _open_windows(ds, element, ctx):
    """Hands the nested datasets of `element` to the "window" nodes the body was traced with."""
    for name, value in zip(ds._attrs.get("windows") or (), element):
        if name is not None:
            ctx.windows[name] = [[v] for v in value.rows]


@builder("flat_map")
def _flat_map(ds, children, own, ctx):
    (child,) = children
    call = _body_fn(ds, own, ctx)
    inner = ds._attrs["inner"]

    def epoch():
        for element in child():
            _open_windows(ds, element, ctx)
            yield from build(inner, iter(call(element)), ctx)()
    return epoch


# --- order and count ---------------------------------------------------------------------------
def _shuffle_rng(seeds, fixed):
    s1, s2 = seeds
    entropy = [s1, s2] if s1 is not None else np.random.SeedSequence().entropy
    rng = np.random.default_rng(entropy)
    return (lambda: np.random.default_rng(entropy)) if fixed else (lambda: rng)


@builder("shuffle")
def _shuffle(ds, children, own, ctx):
    (child,) = children
    size = int(own[0])
    if size <= 0:
        raise ValueError("buffer_size must be greater than zero.")
    next_rng = _shuffle_rng(ds._attrs["seeds"], not ds._attrs["reshuffle"])

    def epoch():
        rng = next_rng()
        buf = []
        for element in child():
            if len(buf) < size:
                buf.append(element)
                continue
            j = int(rng.integers(size))
            yield buf[j]
            buf[j] = element
        while buf:
            j = int(rng.integers(len(buf)))
            buf[j], buf[-1] = buf[-1], buf[j]
            yield buf.pop()
    return epoch


@builder("repeat")
def _repeat(ds, children, own, ctx):
    (child,) = children
    count = int(own[0])

    def epoch():
        k = 0
        while count < 0 or k < count:
            empty = True
            for element in child():
                empty = False
                yield element
            if empty:  # an empty dataset repeated forever is still empty
                return
            k += 1
    return epoch


@builder("take")
def _take(ds, children, own, ctx):
    (child,) = children
    count = int(own[0])

    def epoch():
        if count == 0:
            return
        for k, element in enumerate(child(), 1):
            yield element
            if k == count:
                return
    return epoch


@builder("skip")
def _skip(ds, children, own, ctx):
    (child,) = children
    count = int(own[0])

    def epoch():
        for k, element in enumerate(child()):
            if count >= 0 and k >= count:
                yield element
    return epoch


@builder("cache")
def _cache(ds, children, own, ctx):
    (child,) = children
    cached = []
    complete = [False]

    def epoch():
        if complete[0]:
            yield from cached
            return
        del cached[:]
        for element in child():
            cached.append(element)
            yield element
        complete[0] = True
    return epoch


@builder("prefetch")
def _prefetch(ds, children, own, ctx):
    return children[0]


@builder("interleave")
def _interleave(ds, children, own, ctx):
    """TF's InterleaveDataset order: a cycle of open inner iterators, `block` elements each."""
    (child,) = children
    cycle, block = int(own[-2]), int(own[-1])
    cycle = cycle if cycle > 0 else (os.cpu_count() or 1)
    if block <= 0:
        raise ValueError("block_length must be greater than zero.")
    call = _body_fn(ds, own[:-2], ctx)
    inner = ds._attrs["inner"]

    def epoch():
        inputs = child()
        current = [None] * cycle
        index = taken = n_open = 0
        end_of_input = False
        while not end_of_input or n_open:
            if current[index] is not None:
                element = next(current[index], None)
                if element is not None:
                    yield element
                    taken += 1
                    if taken == block:
                        index, taken = (index + 1) % cycle, 0
                    continue
                current[index] = None
                n_open -= 1
                index, taken = (index + 1) % cycle, 0
            elif not end_of_input:
                element = next(inputs, None)
                if element is None:
                    end_of_input = True
                else:
                    _open_windows(ds, element, ctx)
                    current[index] = build(inner, iter(call(element)), ctx)()
                    n_open += 1
            else:
                index, taken = (index + 1) % cycle, 0
    return epoch


@builder("text_lines")
def _text_lines(ds, children, own, ctx):
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in np.ravel(own[0])]
    opener = gzip.open if ds._attrs["compression"] == "GZIP" else open

    def epoch():
        for name in names:
            with opener(name, "rb") as f:
                for line in f:
                    if line.endswith(b"\n"):
                        line = line[:-1]
                    if line.endswith(b"\r"):
                        line = line[:-1]
                    yield [np.asarray(line, dtype=object)]
    return epoch


@builder("tf_records")
def _tf_records(ds, children, own, ctx):
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in np.ravel(own[0])]
    compression = ds._attrs["compression"]

    def epoch():
        for name in names:
            with open(name, "rb") as f:
                data = tf_record.decompress(f.read(), compression, name)
            for _, record in tf_record.read_records(data, name):
                yield [np.asarray(record, dtype=object)]
    return epoch
