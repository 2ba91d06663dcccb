"""`tf.data`: input pipelines (`Dataset`, `Iterator`) run inside the Session, as in TF 1.x.

    ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(1000).batch(32)
    x, y = ds.make_one_shot_iterator().get_next()

The public names are this explicit list.
"""

from tensorflux.data import experimental
from tensorflux.data.dataset_ops import Dataset
from tensorflux.data.iterator_ops import (
    Iterator,
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)
from tensorflux.data.options import Options, ThreadingOptions
from tensorflux.data.readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset

DatasetV1 = Dataset
AUTOTUNE = experimental.AUTOTUNE
INFINITE_CARDINALITY = experimental.INFINITE_CARDINALITY
UNKNOWN_CARDINALITY = experimental.UNKNOWN_CARDINALITY

__all__ = ["AUTOTUNE", "Dataset", "DatasetV1", "Iterator", "experimental", "get_output_classes",
           "get_output_shapes", "get_output_types", "make_initializable_iterator",
           "make_one_shot_iterator", "TextLineDataset"]
__all__ += ["TFRecordDataset"]
__all__ += ["FixedLengthRecordDataset", "INFINITE_CARDINALITY", "Options", "ThreadingOptions",
            "UNKNOWN_CARDINALITY"]
