"""`tf.data.experimental`: AUTOTUNE, the fused transformations TF 1.x code applies, and the
experimental datasets and transformations (re-exported from `experimental_ops`, `grouping`,
`csv_readers`, `readers` and `options`).

Each transformation returns a function for `Dataset.apply`; the fused forms here are simply the
two steps they fuse, which give the same elements.
"""

from tensorflux.data.csv_readers import (
    CsvDataset,
    make_batched_features_dataset,
    make_csv_dataset,
    parse_example_dataset,
)
from tensorflux.data.dataset_ops import AUTOTUNE
from tensorflux.data.experimental_ops import (
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Counter,
    RandomDataset,
    assert_cardinality,
    cardinality,
    choose_from_datasets,
    copy_to_device,
    dense_to_sparse_batch,
    enumerate_dataset,
    get_single_element,
    ignore_errors,
    parallel_interleave,
    prefetch_to_device,
    sample_from_datasets,
    scan,
    take_while,
    unique,
)
from tensorflux.data.grouping import (
    Reducer,
    bucket_by_sequence_length,
    group_by_reducer,
    group_by_window,
    rejection_resample,
    sliding_window_batch,
)
from tensorflux.data.iterator_ops import (
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)
from tensorflux.data.optional import Optional, get_next_as_optional
from tensorflux.data.options import (
    DistributeOptions,
    OptimizationOptions,
    Options,
    StatsOptions,
    ThreadingOptions,
)
from tensorflux.data.readers import TFRecordWriter


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """`ds.apply(shuffle_and_repeat(n, count))` = `ds.shuffle(n, seed).repeat(count)`.

    Example:
        >>> ds = ds.apply(tf.data.experimental.shuffle_and_repeat(1000, seed=1))
    """
    def apply(dataset):
        return dataset.shuffle(buffer_size, seed=seed).repeat(count)

    return apply


def unbatch():
    """`ds.apply(unbatch())` = `ds.unbatch()`: each element split into its rows."""
    return lambda dataset: dataset.unbatch()


def map_and_batch_with_legacy_function(map_func, batch_size, num_parallel_batches=None,
                                       drop_remainder=False, num_parallel_calls=None):
    """`map_and_batch` (TF 1.x's variant with a legacy function trace)."""
    return map_and_batch(map_func, batch_size, num_parallel_batches, drop_remainder,
                         num_parallel_calls)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """`ds.apply(map_and_batch(f, n))` = `ds.map(f).batch(n)`.

    Example:
        >>> ds = ds.apply(tf.data.experimental.map_and_batch(parse, 32, drop_remainder=True))
    """
    del num_parallel_batches, num_parallel_calls

    def apply(dataset):
        return dataset.map(map_func).batch(batch_size, drop_remainder=drop_remainder)

    return apply


__all__ = ["AUTOTUNE", "get_output_classes", "get_output_shapes", "get_output_types",
           "make_initializable_iterator", "make_one_shot_iterator", "map_and_batch",
           "shuffle_and_repeat", "unbatch"]
__all__ += ["Counter", "CsvDataset", "DistributeOptions", "INFINITE_CARDINALITY",
            "OptimizationOptions", "Options", "StatsOptions", "TFRecordWriter",
            "ThreadingOptions", "UNKNOWN_CARDINALITY", "bucket_by_sequence_length",
            "cardinality", "choose_from_datasets", "copy_to_device", "enumerate_dataset",
            "get_single_element", "group_by_window", "ignore_errors", "make_csv_dataset",
            "parallel_interleave", "prefetch_to_device", "rejection_resample",
            "sample_from_datasets", "scan", "sliding_window_batch", "unique"]
__all__ += ["RandomDataset", "Reducer", "assert_cardinality", "dense_to_sparse_batch",
            "group_by_reducer", "make_batched_features_dataset", "parse_example_dataset",
            "take_while"]
__all__ += ["Optional", "get_next_as_optional", "map_and_batch_with_legacy_function"]
