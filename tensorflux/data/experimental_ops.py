"""`tf.data.experimental` transformations: counting, state, errors, mixing datasets, whole-
dataset ops (`cardinality`, `get_single_element`) and the device transformations.

Each transformation returns a function for `Dataset.apply`; the dataset nodes they add run in
`backends/numpy/dataset_extra.py`.
"""

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset_ops import Dataset
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import constant_op, dataset_extra_ops, random_ops
from tensorflux.ops.func_graph import assert_same_structure, flatten, pack_sequence_as

TS = tensor_shape.TensorShape
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
_INT64_MAX = np.iinfo(np.int64).max


def Counter(start=0, step=1, dtype=dtypes.int64):  # noqa: N802
    """An infinite dataset counting `start, start + step, ...` (scalars of `dtype`).

    Example:
        >>> tf.data.experimental.Counter(5, 3).take(3)   # 5, 8, 11
    """
    dtype = dtypes.as_dtype(dtype)
    tensors = [constant_op.convert_to_tensor(start, dtype=dtype, name="start"),
               constant_op.convert_to_tensor(step, dtype=dtype, name="step")]
    return Dataset("counter", dtype, TS([]), tensors=tensors)


def scan(initial_state, scan_func):
    """A transformation that threads a state through the elements:
    `scan_func(state, element) -> (new_state, output)`; the dataset yields the outputs.

    Example:
        >>> ds.apply(tf.data.experimental.scan(0, lambda s, x: (s + x, s + x)))  # running sum
    """
    def apply(dataset):
        state = structure.to_element(initial_state, name="initial_state")
        traced, output, _, _ = _trace_with_state(state, scan_func, dataset, "scan_func", True)
        types, shapes = structure.types_and_shapes(output)
        return dataset._derive("scan", types, shapes, flatten(state) + traced.captures,
                               body=traced.body, n_state=len(flatten(state)))
    return apply


def reduce(dataset, initial_state, reduce_func):
    """`dataset.reduce(initial_state, reduce_func)`: the state after
    `state = reduce_func(state, element)` has seen every element, as tensors.

    Example:
        >>> total = tf.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)   # 10
    """
    state = structure.to_element(initial_state, name="initial_state")
    traced, _, types, shapes = _trace_with_state(state, reduce_func, dataset, "reduce_func",
                                                 False)
    node = dataset._derive("reduce", types, shapes, flatten(state) + traced.captures,
                           body=traced.body, n_state=len(flatten(state)))
    return get_single_element(node)


def _trace_with_state(state, fn, dataset, what, pair):
    """Traces `fn(state, element)` until the state's shapes are stable (a state that grows
    gets unknown dimensions, as TF does). `fn` returns `(new_state, output)` when `pair`,
    else the new state. Returns (traced, output, state types, state shapes)."""
    state_types, state_shapes = structure.types_and_shapes(state)
    while True:
        traced = structure.trace(
            fn, (state_types, dataset._types), (state_shapes, dataset._shapes), what,
            args=lambda phs: _scan_args(phs, state_types, dataset._types))
        result, output = traced.result, None
        if pair:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TypeError("Invalid `%s`. `%s` should return a pair consisting of new "
                                "state and the output value but its return type is %s."
                                % (what, what, structure.spec_string(result)))
            new_state, output = pack_sequence_as(result, traced.body.outputs)
        else:
            new_state = pack_sequence_as(result, traced.body.outputs)
        new_types, new_shapes = structure.types_and_shapes(new_state)
        try:
            assert_same_structure(state_types, new_types)
        except (TypeError, ValueError) as e:
            raise TypeError("Invalid `%s`. The element structure of the new state must match "
                            "the initial state: %s" % (what, e)) from None
        if flatten(new_types) != flatten(state_types):
            raise TypeError("Invalid `%s`. The element types for the new state must match the "
                            "initial state. Expected %s, got %s."
                            % (what, state_types, new_types))
        weak = [a.most_specific_compatible_shape(b)
                for a, b in zip(flatten(state_shapes), flatten(new_shapes))]
        if all(a.ndims is None or (w.ndims is not None and a.as_list() == w.as_list())
               for a, w in zip(flatten(state_shapes), weak)):
            return traced, output, state_types, state_shapes
        state_shapes = pack_sequence_as(state_types, weak)


def _scan_args(phs, state_types, element_types):
    n = len(flatten(state_types))
    return (pack_sequence_as(state_types, phs[:n]), pack_sequence_as(element_types, phs[n:]))


def enumerate_dataset(start=0):
    """A transformation pairing each element with its index: `(index, element)`.

    Example:
        >>> ds.apply(tf.data.experimental.enumerate_dataset(start=1))
    """
    def apply(dataset):
        return Dataset.zip((Dataset.range(start, _INT64_MAX), dataset))
    return apply


def ignore_errors(log_warning=False):
    """A transformation that drops the elements whose computation raised an error.

    Example:
        >>> ds.map(parse).apply(tf.data.experimental.ignore_errors())
    """
    del log_warning
    return lambda dataset: dataset._derive("ignore_errors")


def dense_to_sparse_batch(batch_size, row_shape):
    """A transformation batching `batch_size` dense elements of varying shape into one
    `tf.SparseTensor` of dense shape `[batch] + row_shape` (a None in `row_shape`: the batch's
    largest size in that dimension); every entry of an element becomes a value.

    Example:
        >>> words.apply(tf.data.experimental.dense_to_sparse_batch(32, [20]))
    """
    def apply(dataset):
        from tensorflux.data.dataset_ops import _int64

        if structure.has_sparse(dataset._types) or \
                isinstance(dataset._types, (tuple, dict)):
            raise TypeError("dense_to_sparse_batch() needs a dataset of single dense tensors.")
        dims = row_shape
        if isinstance(row_shape, (list, tuple, TS)):
            dims = [-1 if d is None else d for d in tensor_shape.as_shape(row_shape).as_list()]
        shape_t = constant_op.convert_to_tensor(dims, dtype=dtypes.int64, name="row_shape")
        known = constant_op.constant_value(shape_t)
        if known is None:
            static = tensor_shape.unknown_shape(shape_t.shape.num_elements())
        else:
            static = TS([None if d < 0 else int(d) for d in np.ravel(known)])
        if dataset._shapes.ndims is not None and static.ndims is not None and \
                dataset._shapes.ndims != static.ndims:
            raise ValueError("`row_shape` has rank %d but the elements have rank %d."
                             % (static.ndims, dataset._shapes.ndims))
        types = structure.SparseDType(dataset._types)
        return dataset._derive("dense_to_sparse_batch", types, TS([None]).concatenate(static),
                               tensors=[_int64(batch_size, "batch_size"), shape_t])
    return apply


def take_while(predicate):
    """A transformation that stops at the first element for which `predicate` is false.

    Example:
        >>> tf.data.Dataset.range(10).apply(tf.data.experimental.take_while(lambda x: x < 4))
    """
    def apply(dataset):
        traced = structure.trace(predicate, dataset._types, dataset._shapes, "predicate")
        outs = traced.body.outputs
        if len(outs) != 1 or outs[0].dtype.base_dtype != dtypes.bool or \
                not outs[0].shape.is_compatible_with(TS([])):
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             "tensor but its return type is%s."
                             % structure.spec_string(traced.result))
        return dataset._derive("take_while", tensors=traced.captures, body=traced.body)
    return apply


def assert_cardinality(expected_cardinality):
    """A transformation that checks, while it runs, that the dataset has exactly
    `expected_cardinality` elements (FailedPreconditionError otherwise) and declares that
    count.

    Example:
        >>> ds = tf.data.TextLineDataset(files).apply(
        ...     tf.data.experimental.assert_cardinality(1000))
    """
    def apply(dataset):
        from tensorflux.data.dataset_ops import _int64

        return dataset._derive("assert_cardinality",
                               tensors=[_int64(expected_cardinality, "expected_cardinality")])
    return apply


def RandomDataset(seed=None):  # noqa: N802
    """An infinite dataset of random int64 scalars (the same sequence for the same `seed`).

    Example:
        >>> coin = tf.data.experimental.RandomDataset(seed=1).map(lambda x: x % 2)
    """
    return Dataset("random", dtypes.int64, TS([]), seeds=random_ops.get_seed(seed))


def unique():
    """A transformation keeping the first occurrence of each element (int32, int64 or string
    components).

    Example:
        >>> tf.data.Dataset.from_tensor_slices([1, 3, 1, 2, 3]).apply(
        ...     tf.data.experimental.unique())   # 1, 3, 2
    """
    def apply(dataset):
        for t in flatten(dataset._types):
            if t not in (dtypes.int32, dtypes.int64, dtypes.string):
                raise TypeError("`tf.data.Dataset.unique` does not support type %s -- only "
                                "`tf.int32`, `tf.int64`, and `tf.string` are supported." % (t,))
        return dataset._derive("unique")
    return apply


def cardinality(dataset):
    """The number of elements of `dataset` as an int64 scalar tensor, or
    `INFINITE_CARDINALITY` (-1) / `UNKNOWN_CARDINALITY` (-2), as TF 1.x computes it (a
    `map` or `filter` makes it unknown).

    Example:
        >>> tf.data.experimental.cardinality(tf.data.Dataset.range(10).batch(3))   # 4
    """
    return dataset_extra_ops.dataset_cardinality(dataset)


def get_single_element(dataset):
    """The only element of `dataset` as tensors (InvalidArgumentError when it has none or
    more than one when run).

    Example:
        >>> x = tf.data.experimental.get_single_element(tf.data.Dataset.from_tensors(1.0))
    """
    if not isinstance(dataset, Dataset):
        raise TypeError("Invalid `dataset`. Expected a `tf.data.Dataset` object but got %s."
                        % type(dataset))
    types, shapes = structure.expand(dataset._types, dataset._shapes)
    outs = dataset_extra_ops.dataset_to_single_element(dataset, types, shapes)
    return pack_sequence_as(dataset._types,
                            structure.regroup(dataset._types, outs, dataset._shapes))


# --- mixing datasets ---------------------------------------------------------------------------
def _merge_structures(datasets):
    """The common (types, shapes) of several datasets, TypeError when they differ."""
    first = datasets[0]
    shapes = flatten(first._shapes)
    for ds in datasets[1:]:
        try:
            assert_same_structure(first._types, ds._types)
        except (TypeError, ValueError):
            raise TypeError("Invalid `datasets`. `datasets` must have compatible element "
                            "specs.") from None
        if flatten(ds._types) != flatten(first._types):
            raise TypeError("Invalid `datasets`. `datasets` must have compatible element "
                            "specs.")
        shapes = [a.most_specific_compatible_shape(b) for a, b in zip(shapes,
                                                                      flatten(ds._shapes))]
    return first._types, pack_sequence_as(first._types, shapes)


def _check_datasets(datasets):
    datasets = list(datasets)
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    for ds in datasets:
        if not isinstance(ds, Dataset):
            raise TypeError("Invalid `datasets`. `datasets` must be a list of `tf.data.Dataset` "
                            "objects, got %r." % (ds,))
    return datasets


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=False):
    """The element of `datasets[i]` for each `i` of `choice_dataset` (int64 scalars), in
    order; a choice of an exhausted dataset is skipped (or ends the dataset when
    `stop_on_empty_dataset`).

    Example:
        >>> tf.data.experimental.choose_from_datasets([a, b], tf.data.Dataset.range(2).repeat(3))
    """
    datasets = _check_datasets(datasets)
    if not isinstance(choice_dataset, Dataset):
        raise TypeError("Invalid `choice_dataset`. `choice_dataset` must be a "
                        "`tf.data.Dataset` object.")
    if choice_dataset._types != dtypes.int64 or \
            not TS([]).is_compatible_with(choice_dataset._shapes):
        spec = (structure.tensor_spec_string(choice_dataset._types, choice_dataset._shapes)
                if isinstance(choice_dataset._types, dtypes.DType) else
                repr(choice_dataset._types))
        raise TypeError("Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar "
                        "`tf.int64` tensors but are %s." % spec)
    types, shapes = _merge_structures(datasets)
    return Dataset("choose", types, shapes, datasets + [choice_dataset],
                   stop_on_empty=bool(stop_on_empty_dataset))


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """Elements drawn at random from `datasets`, dataset `i` with probability
    `weights[i] / sum(weights)` (uniform by default; `weights` may be a dataset of weight
    vectors, one per element drawn); an exhausted dataset drops out (or ends the dataset when
    `stop_on_empty_dataset`). The same `seed` gives the same sequence (not TF's sequence:
    tensorflux's generators are not TF's Philox streams).

    Example:
        >>> tf.data.experimental.sample_from_datasets([pos, neg], weights=[0.3, 0.7], seed=1)
    """
    datasets = _check_datasets(datasets)
    types, shapes = _merge_structures(datasets)
    if isinstance(weights, Dataset):
        if weights._types not in (dtypes.float32, dtypes.float64) or \
                not TS([len(datasets)]).is_compatible_with(weights._shapes):
            raise TypeError("Invalid `weights`. `weights` type must be either `tf.float32` or "
                            "`tf.float64` and shape [%d]." % len(datasets))
        return Dataset("sample", types, shapes, datasets + [weights],
                       seeds=random_ops.get_seed(seed),
                       stop_on_empty=bool(stop_on_empty_dataset), weights_dataset=True)
    if weights is None:
        weights = [1.0 / len(datasets)] * len(datasets)
    w = constant_op.convert_to_tensor(weights, name="weights")
    if w.dtype.base_dtype not in (dtypes.float32, dtypes.float64):
        w = constant_op.convert_to_tensor(np.asarray(weights, np.float32), name="weights")
    if w.shape.ndims == 1 and w.shape.as_list() != [len(datasets)]:
        raise ValueError("Invalid `weights`. `weights` should have the same length as "
                         "`datasets` but got `len(weights)=%s` vs. `len(datasets)=%d`."
                         % (w.shape.as_list()[0], len(datasets)))
    return Dataset("sample", types, shapes, datasets, tensors=[w],
                   seeds=random_ops.get_seed(seed), stop_on_empty=bool(stop_on_empty_dataset),
                   weights_dataset=False)


def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False,
                        buffer_output_elements=None, prefetch_input_elements=None):
    """A transformation interleaving the datasets `map_func` returns: TF's deterministic
    order is `Dataset.interleave`'s (`sloppy=True` allows any order; this one is kept).

    Example:
        >>> files.apply(tf.data.experimental.parallel_interleave(
        ...     tf.data.TFRecordDataset, cycle_length=4))
    """
    del sloppy, buffer_output_elements, prefetch_input_elements

    def apply(dataset):
        return dataset.interleave(map_func, cycle_length=cycle_length,
                                  block_length=block_length)
    return apply


# --- devices -----------------------------------------------------------------------------------
def prefetch_to_device(device, buffer_size=None):
    """A transformation prefetching to `device`; on this runtime the elements are produced
    in the session that pulls them, so the dataset is returned as it is.

    Example:
        >>> ds.apply(tf.data.experimental.prefetch_to_device("/gpu:0"))
    """
    del device, buffer_size
    return lambda dataset: dataset._derive("prefetch")


def copy_to_device(target_device, source_device="/cpu:0"):
    """A transformation copying elements to `target_device`: the same elements here."""
    del target_device, source_device
    return lambda dataset: dataset._derive("prefetch")


__all__ = ["Counter", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality",
           "choose_from_datasets", "copy_to_device", "enumerate_dataset", "get_single_element",
           "ignore_errors", "parallel_interleave", "prefetch_to_device", "sample_from_datasets",
           "scan", "unique"]
__all__ += ["RandomDataset", "assert_cardinality", "dense_to_sparse_batch", "take_while"]
