"""Grouping transformations of `tf.data.experimental`: `group_by_window`,
`bucket_by_sequence_length`, `group_by_reducer`, `sliding_window_batch` and
`rejection_resample`.

`group_by_window`'s `reduce_func(key, window)` is traced once with `window` a dataset node of
kind "window" (no tensors of its own): at run time the kernel hands that node the elements of
each full window and runs the dataset `reduce_func` returned on them.
"""

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset_ops import Dataset, _int64
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import constant_op, random_ops
from tensorflux.ops.func_graph import flatten, pack_sequence_as

TS = tensor_shape.TensorShape


def _is_int64_scalar(traced):
    outs = traced.body.outputs
    return (len(outs) == 1 and outs[0].dtype.base_dtype == dtypes.int64
            and outs[0].shape.is_compatible_with(TS([])))


def _as_int64(fn):
    def call(*args):
        value = fn(*args)
        if isinstance(value, (tuple, list, dict)):
            return value
        return constant_op.convert_to_tensor(value, dtype=dtypes.int64)
    return call


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """A transformation that groups elements by `key_func(element)` (an int64 scalar) and
    replaces each window of `window_size` elements of one key (or `window_size_func(key)`)
    by the elements of the dataset `reduce_func(key, window_dataset)`; windows still open at
    the end are reduced in order of their keys.

    Example:
        >>> ds.apply(tf.data.experimental.group_by_window(
        ...     lambda x: x % 2, lambda key, window: window.batch(4), window_size=4))
    """
    if (window_size is not None and window_size_func) or \
            not (window_size is not None or window_size_func):
        raise ValueError("Either the `window_size` argument or the `window_size_func` argument "
                         "must be specified.")
    if window_size is not None:
        def window_size_func(unused_key):
            return constant_op.convert_to_tensor(window_size, dtype=dtypes.int64)

    def apply(dataset):
        key = structure.trace(_as_int64(key_func), dataset._types, dataset._shapes, "key_func")
        if not _is_int64_scalar(key):
            raise ValueError("Invalid `key_func`. `key_func` must return a single `tf.int64` "
                             "scalar tensor but its return type is %s."
                             % structure.spec_string(key.result))
        size = structure.trace(_as_int64(window_size_func), dtypes.int64, TS([]),
                               "window_size_func")
        if not _is_int64_scalar(size):
            raise ValueError("Invalid `window_size_func`. `window_size_func` must return a "
                             "single `tf.int64` scalar tensor but its return type is %s."
                             % structure.spec_string(size.result))
        window = Dataset("window", dataset._types, dataset._shapes)

        def outputs(graph, result):
            if not isinstance(result, Dataset):
                raise TypeError("Invalid `reduce_func`. `reduce_func` must return a single "
                                "`tf.data.Dataset` object but its return type is %s."
                                % structure.spec_string(result))
            return [graph.capture(t) for t in result._graph_inputs()]

        reduce = structure.trace(reduce_func, dtypes.int64, TS([]), "reduce_func", outputs,
                                 args=lambda phs: (phs[0], window))
        inner = reduce.result
        tensors = key.captures + size.captures + reduce.captures
        return dataset._derive("group_by_window", inner._types, inner._shapes, tensors,
                               key_body=key.body, size_body=size.body, reduce_body=reduce.body,
                               n_key=len(key.captures), n_size=len(size.captures),
                               inner=inner, window=window)
    return apply


class Reducer:
    """What `group_by_reducer` does with each group: `init_func(key) -> state`,
    `reduce_func(state, element) -> state`, `finalize_func(state) -> output`.

    Example:
        >>> count = tf.data.experimental.Reducer(
        ...     init_func=lambda _: np.int64(0), reduce_func=lambda state, x: state + 1,
        ...     finalize_func=lambda state: state)
    """

    def __init__(self, init_func, reduce_func, finalize_func):
        self.init_func = init_func
        self.reduce_func = reduce_func
        self.finalize_func = finalize_func


def group_by_reducer(key_func, reducer):
    """A transformation reducing the elements of each key (`key_func(element)`, an int64
    scalar) with `reducer`; the dataset yields one finalized state per key, keys in order of
    first appearance, once the input is exhausted.

    Example:
        >>> ds.apply(tf.data.experimental.group_by_reducer(lambda x: x % 2, count))
    """
    def apply(dataset):
        key = structure.trace(_as_int64(key_func), dataset._types, dataset._shapes, "key_func")
        if not _is_int64_scalar(key):
            raise ValueError("Invalid `key_func`. `key_func` must return a single `tf.int64` "
                             "scalar tensor but its return type is %s."
                             % structure.spec_string(key.result))
        init = structure.trace(reducer.init_func, dtypes.int64, TS([]), "init_func")
        state_types, state_shapes = structure.types_and_shapes(
            pack_sequence_as(init.result, init.body.outputs))
        while True:
            reduce = structure.trace(
                reducer.reduce_func, (state_types, dataset._types),
                (state_shapes, dataset._shapes), "reduce_func",
                args=lambda phs: (pack_sequence_as(state_types, phs[:len(flatten(state_types))]),
                                  pack_sequence_as(dataset._types,
                                                   phs[len(flatten(state_types)):])))
            new_types, new_shapes = structure.types_and_shapes(
                pack_sequence_as(reduce.result, reduce.body.outputs))
            if flatten(new_types) != flatten(state_types):
                raise TypeError("Invalid `reducer`. The element types for the new state must "
                                "match the initial state. Expected %s, got %s."
                                % (state_types, new_types))
            weak = [a.most_specific_compatible_shape(b)
                    for a, b in zip(flatten(state_shapes), flatten(new_shapes))]
            if all(a.ndims is None or (w.ndims is not None and a.as_list() == w.as_list())
                   for a, w in zip(flatten(state_shapes), weak)):
                break
            state_shapes = pack_sequence_as(state_types, weak)
        final = structure.trace(reducer.finalize_func, state_types, state_shapes,
                                "finalize_func")
        types, shapes = structure.types_and_shapes(
            pack_sequence_as(final.result, final.body.outputs))
        tensors = key.captures + init.captures + reduce.captures + final.captures
        counts = [len(t.captures) for t in (key, init, reduce, final)]
        return dataset._derive("group_by_reducer", types, shapes, tensors, key_body=key.body,
                               init_body=init.body, reduce_body=reduce.body,
                               final_body=final.body, counts=counts)
    return apply


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                              padded_shapes=None, padding_values=None,
                              pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    """A transformation batching elements of similar length: bucket `i` holds the elements
    whose `element_length_func(element)` lies in `[bucket_boundaries[i-1], bucket_boundaries[i])`
    and is padded-batched by `bucket_batch_sizes[i]` (TF's `group_by_window` construction).

    Example:
        >>> ds.apply(tf.data.experimental.bucket_by_sequence_length(
        ...     lambda x: tf.shape(x)[0], [10, 20], [32, 16, 8]))
    """
    import tensorflux as tf

    if len(bucket_batch_sizes) != len(bucket_boundaries) + 1:
        raise ValueError("`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
                         "`len(bucket_batch_sizes)=%d` and `len(bucket_boundaries)=%d`."
                         % (len(bucket_batch_sizes), len(bucket_boundaries)))
    batch_sizes = tf.constant(bucket_batch_sizes, dtype=tf.int64)

    def element_to_bucket_id(*args):
        seq_length = element_length_func(*args)
        boundaries = list(bucket_boundaries)
        buckets_min = [np.iinfo(np.int32).min] + boundaries
        buckets_max = boundaries + [np.iinfo(np.int32).max]
        conditions = tf.logical_and(tf.less_equal(buckets_min, seq_length),
                                    tf.less(seq_length, buckets_max))
        return tf.reduce_min(tf.where(conditions))

    def window_size_fn(bucket_id):
        return batch_sizes[bucket_id]

    def batching_fn(bucket_id, grouped_dataset):
        batch_size = window_size_fn(bucket_id)
        if no_padding:
            return grouped_dataset.batch(batch_size, drop_remainder=drop_remainder)
        none_filler = None
        if pad_to_bucket_boundary:
            check = tf.assert_less(
                bucket_id, tf.constant(len(bucket_batch_sizes) - 1, dtype=tf.int64),
                message="When pad_to_bucket_boundary=True, elements must have length < "
                        "max(bucket_boundaries).")
            with tf.control_dependencies([check]):
                boundaries = tf.constant(bucket_boundaries, dtype=tf.int64)
                none_filler = boundaries[bucket_id] - 1
        shapes = _fill_shapes(
            grouped_dataset.output_types,
            padded_shapes if padded_shapes is not None else grouped_dataset.output_shapes,
            none_filler)
        return grouped_dataset.padded_batch(batch_size, shapes, padding_values,
                                            drop_remainder=drop_remainder)

    return group_by_window(element_to_bucket_id, batching_fn, window_size_func=window_size_fn)


def _fill_shapes(types, shapes, filler):
    """`shapes` nested like `types`, each a list of dims with `filler` for the unknown ones."""
    if isinstance(types, dict):
        return {k: _fill_shapes(types[k], shapes[k], filler) for k in types}
    if isinstance(types, tuple):
        return tuple(_fill_shapes(t, s, filler) for t, s in zip(types, shapes))
    return [filler if d is None else d for d in tensor_shape.as_shape(shapes).as_list()]


def sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1):
    """A transformation stacking sliding windows of `window_size` elements, one starting every
    `window_shift` (alias `stride`) elements, taking every `window_stride`-th element; a
    window that would run past the end is dropped (TF 1.x's `sliding_window_batch`).

    Example:
        >>> tf.data.Dataset.range(5).apply(
        ...     tf.contrib.data.sliding_window_batch(3))   # [0 1 2], [1 2 3], [2 3 4]
    """
    if stride is None and window_shift is None:
        window_shift = 1
    elif stride is not None and window_shift is None:
        window_shift = stride
    elif stride is not None and window_shift is not None:
        raise ValueError("Cannot specify both `stride` and `window_shift`")

    def apply(dataset):
        tensors = [_int64(window_size, "window_size"), _int64(window_shift, "window_shift"),
                   _int64(window_stride, "window_stride")]
        shapes = pack_sequence_as(dataset._types, [TS([None]).concatenate(s)
                                                   for s in flatten(dataset._shapes)])
        return dataset._derive("sliding_window", shapes=shapes, tensors=tensors)
    return apply


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    """A transformation that resamples the elements so that their classes
    (`class_func(element)`, an integer scalar) follow `target_dist`, by rejection: an element
    of class `c` is kept with probability proportional to `target[c] / initial[c]`
    (`initial_dist`, or the class frequencies seen so far). Elements become
    `(class, element)` pairs.

    Example:
        >>> ds.apply(tf.data.experimental.rejection_resample(
        ...     lambda x, y: y, target_dist=[0.5, 0.5], seed=1))
    """
    def apply(dataset):
        traced = structure.trace(class_func, dataset._types, dataset._shapes, "class_func")
        outs = traced.body.outputs
        if len(outs) != 1 or not outs[0].dtype.base_dtype.is_integer:
            raise ValueError("`class_func` must return a single integer scalar tensor.")
        target = constant_op.convert_to_tensor(target_dist, dtype=dtypes.float32,
                                               name="target_dist")
        tensors = traced.captures + [target]
        if initial_dist is not None:
            tensors.append(constant_op.convert_to_tensor(initial_dist, dtype=dtypes.float32,
                                                         name="initial_dist"))
        types = (outs[0].dtype.base_dtype, dataset._types)
        shapes = (TS([]), dataset._shapes)
        return dataset._derive("rejection_resample", types, shapes, tensors,
                               body=traced.body, has_initial=initial_dist is not None,
                               seeds=random_ops.get_seed(seed))
    return apply


__all__ = ["Reducer", "bucket_by_sequence_length", "group_by_reducer", "group_by_window",
           "rejection_resample", "sliding_window_batch"]
