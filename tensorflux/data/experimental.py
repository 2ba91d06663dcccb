"""`tf.data.experimental`: AUTOTUNE and the fused transformations TF 1.x code applies.

Each function returns a transformation for `Dataset.apply`; here the fused forms are simply the
two steps they fuse, which give the same elements.
"""

from tensorflux.data.dataset_ops import AUTOTUNE
from tensorflux.data.iterator_ops import (
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)


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
