"""`tf.contrib.data`: TF 1.x's contributed `tf.data` transformations, most of them the same
functions as `tf.data.experimental` (where TF 1.x moved them), plus the few that only contrib
kept (`batch_and_drop_remainder`, `padded_batch_and_drop_remainder`, `sloppy_interleave`,
`assert_element_shape`).

Example:
    >>> ds = ds.apply(tf.contrib.data.batch_and_drop_remainder(32))
    >>> ds = files.apply(tf.contrib.data.parallel_interleave(tf.data.TFRecordDataset, 4))
"""

from tensorflux.data.dataset_ops import AUTOTUNE
from tensorflux.data.experimental import (
    Counter,
    CsvDataset,
    Optional,
    RandomDataset,
    Reducer,
    TFRecordWriter,
    bucket_by_sequence_length,
    choose_from_datasets,
    copy_to_device,
    dense_to_sparse_batch,
    enumerate_dataset,
    get_next_as_optional,
    get_single_element,
    group_by_reducer,
    group_by_window,
    ignore_errors,
    make_batched_features_dataset,
    make_csv_dataset,
    map_and_batch,
    parallel_interleave,
    parse_example_dataset,
    prefetch_to_device,
    rejection_resample,
    sample_from_datasets,
    scan,
    shuffle_and_repeat,
    sliding_window_batch,
    unbatch,
    unique,
)
from tensorflux.graph import tensor_shape
from tensorflux.ops.func_graph import flatten, pack_sequence_as


def batch_and_drop_remainder(batch_size):
    """`ds.apply(batch_and_drop_remainder(n))` = `ds.batch(n, drop_remainder=True)`: full
    batches only, with a static batch dimension.

    Example:
        >>> tf.data.Dataset.range(7).apply(tf.contrib.data.batch_and_drop_remainder(3))
    """
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)


def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """`ds.padded_batch(n, padded_shapes, padding_values, drop_remainder=True)`."""
    def apply(dataset):
        return dataset.padded_batch(batch_size, padded_shapes, padding_values,
                                    drop_remainder=True)
    return apply


def sloppy_interleave(map_func, cycle_length, block_length=1):
    """`parallel_interleave(..., sloppy=True)`; elements come in the deterministic order."""
    return parallel_interleave(map_func, cycle_length, block_length, sloppy=True)


def assert_element_shape(expected_shapes):
    """A transformation checking that the elements have `expected_shapes` (nested like the
    elements): incompatible static shapes raise ValueError now, and each element is checked
    when it runs (`tf.ensure_shape`), refining the static shapes.

    Example:
        >>> ds.apply(tf.contrib.data.assert_element_shape(([None, 3], [None])))
    """

    import tensorflux as tf

    def apply(dataset):
        if isinstance(dataset.output_types, (tuple, dict)):
            wanted = flatten(_as_shapes(dataset.output_types, expected_shapes))
        else:
            wanted = [tensor_shape.as_shape(expected_shapes)]
        for have, want in zip(flatten(dataset.output_shapes), wanted):
            if not have.is_compatible_with(want):
                raise ValueError("Shapes %s and %s are not compatible" % (have, want))

        def check(*args):
            element = args[0] if len(args) == 1 else args
            leaves = [tf.ensure_shape(t, s) for t, s in zip(flatten(element), wanted)]
            return pack_sequence_as(dataset.output_types, leaves)

        return dataset.map(check)
    return apply


def _as_shapes(types, shapes):
    if isinstance(types, dict):
        return {k: _as_shapes(types[k], shapes[k]) for k in types}
    if isinstance(types, tuple):
        return tuple(_as_shapes(t, s) for t, s in zip(types, shapes))
    return tensor_shape.as_shape(shapes)


__all__ = ["AUTOTUNE", "Counter", "CsvDataset", "TFRecordWriter", "assert_element_shape",
           "batch_and_drop_remainder", "bucket_by_sequence_length", "choose_from_datasets",
           "copy_to_device", "enumerate_dataset", "get_single_element", "group_by_window",
           "ignore_errors", "make_csv_dataset", "map_and_batch",
           "padded_batch_and_drop_remainder", "parallel_interleave", "prefetch_to_device",
           "rejection_resample", "sample_from_datasets", "scan", "shuffle_and_repeat",
           "sliding_window_batch", "sloppy_interleave", "unbatch", "unique"]
__all__ += ["RandomDataset", "Reducer", "dense_to_sparse_batch", "group_by_reducer",
            "make_batched_features_dataset", "parse_example_dataset"]
__all__ += ["Optional", "get_next_as_optional"]
