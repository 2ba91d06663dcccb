"""Deterministic `tf.data` pipelines written once, run by real TensorFlow (fixtures,
`tools/fixtures/gen_data.py`) and by tensorflux (`test_dataset_vs_tf.py`).

`record(tf, name)` builds case `name` in a fresh graph, drains a one-shot iterator until
OutOfRangeError, and returns what both sides must agree on: the structure with its dtypes, the
static output shapes, every element (flat components as nested lists) and the error that ended
the iteration, if it was not the end of the sequence.
"""

import numpy as np

CASES = {}
X = np.arange(12, dtype=np.float32).reshape(6, 2)
Y = np.arange(6, dtype=np.int64) * 10


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def slices_array(tf):
    return tf.data.Dataset.from_tensor_slices(X)


@case
def slices_tuple_batch(tf):
    return tf.data.Dataset.from_tensor_slices((X, Y)).batch(4)


@case
def slices_dict_batch_drop(tf):
    return tf.data.Dataset.from_tensor_slices({"x": X, "y": Y, "n": [1, 2, 3, 4, 5, 6]}).batch(
        4, drop_remainder=True)


@case
def slices_strings(tf):
    return tf.data.Dataset.from_tensor_slices(["a", "bb", "ccc"]).batch(2)


@case
def from_tensors_repeat(tf):
    return tf.data.Dataset.from_tensors((X[:2], 1.5)).repeat(2)


@case
def range_stop(tf):
    return tf.data.Dataset.range(5)


@case
def range_start_stop_step(tf):
    return tf.data.Dataset.range(2, 11, 3)


@case
def range_negative_step(tf):
    return tf.data.Dataset.range(10, 0, -3)


@case
def batch_remainder(tf):
    return tf.data.Dataset.range(10).batch(3)


@case
def batch_drop_remainder(tf):
    return tf.data.Dataset.range(10).batch(3, drop_remainder=True)


@case
def batch_of_batches(tf):
    return tf.data.Dataset.range(12).batch(2).batch(3, drop_remainder=True)


@case
def map_scalar(tf):
    return tf.data.Dataset.from_tensor_slices(X).map(lambda v: v * 2.0 + 1.0)


@case
def map_tuple_to_dict(tf):
    def fn(x, y):
        return {"sum": tf.reduce_sum(x) + tf.cast(y, tf.float32), "y": y}
    return tf.data.Dataset.from_tensor_slices((X, Y)).map(fn).batch(4)


@case
def map_list_result(tf):
    return tf.data.Dataset.range(4).map(lambda v: [v, v * v])


@case
def map_captures_outer_tensor(tf):
    scale = tf.constant([2.0, -1.0])
    return tf.data.Dataset.from_tensor_slices(X).map(lambda v: v * scale)


@case
def filter_modulo(tf):
    return tf.data.Dataset.range(20).filter(lambda v: tf.equal(v % 3, 0))


@case
def repeat_skip_take(tf):
    return tf.data.Dataset.range(5).repeat(3).skip(4).take(7)


@case
def take_all_skip_none(tf):
    return tf.data.Dataset.range(4).take(-1).skip(0)


@case
def zip_nested(tf):
    a = tf.data.Dataset.range(5)
    b = tf.data.Dataset.from_tensor_slices(X).batch(2)
    return tf.data.Dataset.zip((a, (b, a.map(lambda v: v * 2))))


@case
def concatenate(tf):
    return tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(10, 12))


@case
def flat_map_repeat(tf):
    return tf.data.Dataset.range(4).flat_map(
        lambda v: tf.data.Dataset.from_tensors(v).repeat(v))


@case
def flat_map_slices(tf):
    return tf.data.Dataset.from_tensor_slices(X.reshape(3, 2, 2)).flat_map(
        tf.data.Dataset.from_tensor_slices)


@case
def interleave_blocks(tf):
    return tf.data.Dataset.range(1, 6).interleave(
        lambda v: tf.data.Dataset.from_tensors(v).repeat(v), cycle_length=2, block_length=2)


@case
def interleave_captures(tf):
    offset = tf.constant(100, tf.int64)
    return tf.data.Dataset.range(3).interleave(
        lambda v: tf.data.Dataset.range(v * 10, v * 10 + 3).map(lambda w: w + offset),
        cycle_length=3)


@case
def unbatch_tuple(tf):
    return tf.data.Dataset.from_tensor_slices((X, Y)).batch(4).apply(
        tf.data.experimental.unbatch())


@case
def padded_batch_none(tf):
    ds = tf.data.Dataset.range(6).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v))
    return ds.padded_batch(3, padded_shapes=[None])


@case
def padded_batch_fixed_tuple(tf):
    ds = tf.data.Dataset.range(5).map(
        lambda v: (tf.fill([tf.cast(v, tf.int32)], v), tf.cast(v, tf.float32)))
    return ds.padded_batch(2, padded_shapes=([5], []), padding_values=(tf.constant(-1, tf.int64),
                                                                        0.0))


@case
def cache_repeat(tf):
    return tf.data.Dataset.range(3).map(lambda v: v + 1).cache().repeat(2)


@case
def prefetch_map_and_batch(tf):
    ds = tf.data.Dataset.range(7).apply(
        tf.data.experimental.map_and_batch(lambda v: v * 3, 3))
    return ds.prefetch(1)


@case
def batch_ragged_error(tf):
    return tf.data.Dataset.range(4).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v)).batch(2)


# --- recording -----------------------------------------------------------------------------------
def _describe(types):
    if isinstance(types, dict):
        return {"dict": {k: _describe(types[k]) for k in sorted(types)}}
    if isinstance(types, tuple):
        return {"tuple": [_describe(t) for t in types]}
    return types.name


def _flat(x):
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in _flat(x[k])]
    if isinstance(x, tuple):
        return [v for item in x for v in _flat(item)]
    return [x]


def _value(v):
    arr = np.asarray(v)
    if arr.dtype.kind in "OS":
        return np.vectorize(lambda s: s.decode() if isinstance(s, bytes) else s,
                            otypes=[object])(arr).tolist()
    return arr.tolist()


def _message(e):
    return [type(e).__name__, str(e.message).split("\n")[0]]


def record(tf, name, message=_message, limit=100):
    """Runs case `name` in a new graph; returns its JSON-able record (`message(error)` gives
    the [class name, text] of an error that ends the iteration)."""
    with tf.Graph().as_default():
        ds = CASES[name](tf)
        out = {"structure": _describe(tf.data.get_output_types(ds)),
               "shapes": [s.as_list() if s.ndims is not None else None
                          for s in _flat(tf.data.get_output_shapes(ds))],
               "elements": [], "error": None}
        nxt = tf.data.make_one_shot_iterator(ds).get_next()
        with tf.Session() as sess:
            for _ in range(limit):
                try:
                    value = sess.run(nxt)
                except tf.errors.OutOfRangeError:
                    break
                except tf.errors.OpError as e:
                    out["error"] = message(e)
                    break
                out["elements"].append([_value(v) for v in _flat(value)])
    return out
