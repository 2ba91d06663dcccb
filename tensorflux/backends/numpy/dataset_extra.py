"""numpy runtime of the `tf.data.experimental` datasets (counter, scan, reduce, shard,
ignore_errors, unique, take_while, windows, group_by_window / group_by_reducer,
choose/sample_from_datasets, sliding windows, dense_to_sparse_batch, rejection resampling).
See `dataset_sources.py` for how a pipeline runs; readers are in `dataset_readers.py`, the
element counts in `dataset_cardinality.py`."""

import weakref

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy.cond_ops import _Runner, _sub_state
from tensorflux.backends.numpy.dataset_batching import _stack
from tensorflux.backends.numpy.dataset_cardinality import INFINITE, UNKNOWN
from tensorflux.backends.numpy.dataset_sources import (
    SparseValue,
    WindowValue,
    _body_fn,
    _shuffle_rng,
    build,
    builder,
    expand,
)

_RUNNERS = weakref.WeakKeyDictionary()  # dataset -> {body attr: compiled runner}


def _named_body_fn(ds, attr, captures, ctx):
    """Runs the traced body `ds._attrs[attr]` on a list of argument values."""
    body = ds._attrs[attr]
    key = ("tf.data", ds._name, attr)

    def call(args):
        runners = _RUNNERS.setdefault(ds, {})
        if attr not in runners:
            runners[attr] = _Runner(body)
        outs, _ = runners[attr](_sub_state(ctx.state, key), expand(args) + captures)
        return outs

    return call


# --- counting and state ------------------------------------------------------------------------
@builder("counter")
def _counter(ds, children, own, ctx):
    start, step = own

    def epoch():
        value = np.asarray(start)
        while True:
            yield [value]
            value = np.asarray(value + step, dtype=value.dtype)
    return epoch


@builder("scan")
def _scan(ds, children, own, ctx):
    (child,) = children
    n = ds._attrs["n_state"]
    initial, call = own[:n], _body_fn(ds, own[n:], ctx)

    def epoch():
        state = list(initial)
        for element in child():
            outs = call(state + list(element))
            state = outs[:n]
            yield outs[n:]
    return epoch


@builder("reduce")
def _reduce(ds, children, own, ctx):
    (child,) = children
    n = ds._attrs["n_state"]
    initial, call = own[:n], _body_fn(ds, own[n:], ctx)

    def epoch():
        state = list(initial)
        for element in child():
            state = call(state + list(element))
        yield state
    return epoch


@builder("shard")
def _shard(ds, children, own, ctx):
    (child,) = children
    num_shards, index = (int(v) for v in own)
    if num_shards <= 0:
        raise ValueError("Number of shards must be greater than zero (currently num_shards = "
                         "%d)." % num_shards)
    if not 0 <= index < num_shards:
        raise ValueError("Index must be between 0 and %d (currently index = %d)."
                         % (num_shards - 1, index))

    def epoch():
        for k, element in enumerate(child()):
            if k % num_shards == index:
                yield element
    return epoch


@builder("ignore_errors")
def _ignore_errors(ds, children, own, ctx):
    (child,) = children

    def epoch():
        elements = child()
        while True:
            try:
                element = next(elements)
            except StopIteration:
                return
            except Exception:  # noqa: BLE001 - TF drops an element on any error status
                continue
            yield element
    return epoch


@builder("unique")
def _unique(ds, children, own, ctx):
    (child,) = children

    def key(element):
        return tuple((np.shape(v), np.asarray(v).tobytes() if np.asarray(v).dtype != object
                      else tuple(np.ravel(v).tolist())) for v in element)

    def epoch():
        seen = set()
        for element in child():
            k = key(element)
            if k not in seen:
                seen.add(k)
                yield element
    return epoch


@builder("take_while")
def _take_while(ds, children, own, ctx):
    (child,) = children
    call = _body_fn(ds, own, ctx)

    def epoch():
        for element in child():
            if not bool(np.asarray(call(element)[0])):
                return
            yield element
    return epoch


@builder("assert_cardinality")
def _assert_cardinality(ds, children, own, ctx):
    (child,) = children
    expected = int(own[0])

    def epoch():
        n = 0
        for element in child():
            n += 1
            if expected >= 0 and n > expected:
                raise errors.FailedPreconditionError(
                    None, None, "Input dataset was expected to contain %d elements but "
                    "contained at least %d elements." % (expected, n))
            yield element
        if expected == INFINITE or n < expected:
            raise errors.FailedPreconditionError(
                None, None, "Input dataset was expected to contain %s elements but contained "
                "only %d elements." % (_count_name(expected), n))
    return epoch


def _count_name(n):
    return {INFINITE: "an infinite number of", UNKNOWN: "an unknown number of"}.get(n, str(n))


@builder("random")
def _random(ds, children, own, ctx):
    rng = _shuffle_rng(ds._attrs["seeds"], False)()
    info = np.iinfo(np.int64)

    def epoch():
        while True:
            yield [np.asarray(rng.integers(info.min, info.max, endpoint=True), np.int64)]
    return epoch


@builder("options")
def _options(ds, children, own, ctx):
    return children[0]


# --- grouping ----------------------------------------------------------------------------------
@builder("window_dataset")
def _window_dataset(ds, children, own, ctx):
    (child,) = children
    size, shift, stride = (int(v) for v in own)
    if size <= 0:
        raise ValueError("Window size must be greater than zero.")
    if shift <= 0:
        raise ValueError("Window shift must be greater than zero.")
    if stride <= 0:
        raise ValueError("Window stride must be greater than zero.")
    drop = ds._attrs["drop_remainder"]
    span = (size - 1) * stride + 1

    def epoch():
        elements, buf, done = child(), [], False
        while True:
            while not done and len(buf) < span:
                item = next(elements, None)
                if item is None:
                    done = True
                else:
                    buf.append(item)
            if not buf or (drop and len(buf) < span):
                return
            rows = buf[0:span:stride]
            yield [WindowValue([row[c] for row in rows]) for c in range(len(rows[0]))]
            for _ in range(shift - len(buf)):  # a shift past the buffer skips elements
                if done or next(elements, None) is None:
                    done = True
                    break
            buf = buf[shift:]
    return epoch


@builder("window")
def _window(ds, children, own, ctx):
    rows = ctx.windows[ds._name]

    def epoch():
        yield from rows
    return epoch


@builder("group_by_window")
def _group_by_window(ds, children, own, ctx):
    (child,) = children
    attrs = ds._attrs
    n_key, n_size = attrs["n_key"], attrs["n_size"]
    key_call = _named_body_fn(ds, "key_body", own[:n_key], ctx)
    size_call = _named_body_fn(ds, "size_body", own[n_key:n_key + n_size], ctx)
    reduce_call = _named_body_fn(ds, "reduce_body", own[n_key + n_size:], ctx)

    def reduce(key, rows):
        outs = reduce_call([np.int64(key)])
        ctx.windows[attrs["window"]._name] = rows
        return build(attrs["inner"], iter(outs), ctx)()

    def epoch():
        groups = {}
        for element in child():
            key = int(np.asarray(key_call(element)[0]))
            group = groups.setdefault(key, [])
            group.append(element)
            size = int(np.asarray(size_call([np.int64(key)])[0]))
            if size <= 0:
                raise ValueError("Window size must be greater than zero, but got %d." % size)
            if len(group) >= size:
                del groups[key]
                yield from reduce(key, group)
        for key in sorted(groups):
            yield from reduce(key, groups[key])
    return epoch


@builder("dense_to_sparse_batch")
def _dense_to_sparse_batch(ds, children, own, ctx):
    from tensorflux.backends.numpy.dataset_batching import _batches

    row_shape = np.asarray(own[1], np.int64).ravel()

    def make(rows):
        arrays = [np.asarray(row[0]) for row in rows]
        for a in arrays:
            if a.ndim != len(row_shape):
                raise ValueError("Input element had rank %d but row_shape has rank %d."
                                 % (a.ndim, len(row_shape)))
            if any(0 <= r < d for d, r in zip(a.shape, row_shape)):
                raise errors.DataLossError(
                    None, None, "Input element had shape ([%s]) that is larger than the row "
                    "shape ([%s])." % (",".join(map(str, a.shape)),
                                       ",".join(map(str, row_shape))))
        largest = np.max([a.shape for a in arrays], axis=0) if row_shape.size else row_shape
        shape = [int(m) if r < 0 else int(r) for r, m in zip(row_shape, largest)]
        indices = [np.concatenate([np.full([a.size, 1], i, np.int64),
                                   np.argwhere(np.ones(a.shape, bool)).astype(np.int64)], 1)
                   for i, a in enumerate(arrays)]
        return [SparseValue(np.concatenate(indices, 0).reshape(-1, 1 + len(row_shape)),
                            np.concatenate([a.ravel() for a in arrays]),
                            np.asarray([len(arrays)] + shape, np.int64))]

    return _batches(children[0], int(own[0]), False, make)


@builder("group_by_reducer")
def _group_by_reducer(ds, children, own, ctx):
    (child,) = children
    calls, start = [], 0
    for attr, n in zip(("key_body", "init_body", "reduce_body", "final_body"),
                       ds._attrs["counts"]):
        calls.append(_named_body_fn(ds, attr, own[start:start + n], ctx))
        start += n
    key_call, init_call, reduce_call, final_call = calls

    def epoch():
        states = {}  # insertion order: keys in order of first appearance, as TF
        for element in child():
            key = int(np.asarray(key_call(element)[0]))
            if key not in states:
                states[key] = init_call([np.int64(key)])
            states[key] = reduce_call(list(states[key]) + list(element))
        for state in states.values():
            yield final_call(state)
    return epoch


@builder("sliding_window")
def _sliding_window(ds, children, own, ctx):
    (child,) = children
    size, shift, stride = (int(v) for v in own)
    for value, what in ((size, "window_size"), (shift, "window_shift"),
                        (stride, "window_stride")):
        if value <= 0:
            raise ValueError("%s must be greater than zero, but got %d." % (what, value))
    span = (size - 1) * stride + 1

    def epoch():
        elements, buf = child(), []
        while True:
            while len(buf) < span:
                item = next(elements, None)
                if item is None:
                    return
                buf.append(item)
            yield _stack(buf[0:span:stride])
            for _ in range(shift - len(buf)):  # a shift past the buffer skips elements
                if next(elements, None) is None:
                    return
            buf = buf[shift:]
    return epoch


@builder("rejection_resample")
def _rejection_resample(ds, children, own, ctx):
    (child,) = children
    has_initial = ds._attrs["has_initial"]
    n_caps = len(own) - (2 if has_initial else 1)
    call = _body_fn(ds, own[:n_caps], ctx)
    target = np.asarray(own[n_caps], dtype=np.float64)
    initial = np.asarray(own[n_caps + 1], dtype=np.float64) if has_initial else None
    rng = _shuffle_rng(ds._attrs["seeds"], False)()
    class_dtype = ds._types[0].as_numpy_dtype
    counts = np.zeros(target.shape, np.float64)

    def epoch():
        for element in child():
            c = int(np.asarray(call(element)[0]))
            if not 0 <= c < len(target):
                raise ValueError("Class %d is out of range of target_dist (%d classes)."
                                 % (c, len(target)))
            if initial is None:
                counts[c] += 1
                dist = counts / counts.sum()
            else:
                dist = initial
            seen = dist > 0
            ratio = np.where(seen, target / np.where(seen, dist, 1.0), 0.0)
            accept = ratio[c] / ratio.max() if ratio.max() > 0 else 0.0
            if rng.random() < accept:
                yield [np.asarray(c, dtype=class_dtype)] + list(element)
    return epoch


# --- mixing datasets ---------------------------------------------------------------------------
@builder("choose")
def _choose(ds, children, own, ctx):
    datasets, choices = children[:-1], children[-1]
    stop = ds._attrs["stop_on_empty"]
    n = len(datasets)

    def epoch():
        inputs = [d() for d in datasets]
        active = [True] * n
        for element in choices():
            i = int(element[0])
            if not 0 <= i < n:
                raise ValueError("Selector index out of range: %d >= %d" % (i, n))
            if not active[i]:
                continue
            item = next(inputs[i], None)
            if item is None:
                if stop:
                    return
                active[i] = False
                if not any(active):
                    return
                continue
            yield item
    return epoch


@builder("sample")
def _sample(ds, children, own, ctx):
    from_dataset = ds._attrs["weights_dataset"]
    if from_dataset:
        children, weights_epoch = children[:-1], children[-1]
    else:
        fixed = np.asarray(own[0], dtype=np.float64)
        if fixed.shape != (len(children),):
            raise ValueError("`weights` has shape %s but there are %d datasets."
                             % (list(fixed.shape), len(children)))
    rng = _shuffle_rng(ds._attrs["seeds"], False)()
    stop = ds._attrs["stop_on_empty"]

    def epoch():
        inputs = [d() for d in children]
        active = np.ones(len(children), bool)
        weight_rows = weights_epoch() if from_dataset else None
        while True:
            if from_dataset:
                row = next(weight_rows, None)
                if row is None:
                    return
                weights = np.asarray(row[0], dtype=np.float64)
            else:
                weights = fixed
            p = np.where(active, np.maximum(weights, 0.0), 0.0)
            if p.sum() <= 0:
                return
            i = int(rng.choice(len(p), p=p / p.sum()))
            item = next(inputs[i], None)
            if item is None:
                if stop:
                    return
                active[i] = False
                continue
            yield item
    return epoch
