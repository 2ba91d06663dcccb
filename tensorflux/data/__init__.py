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
from tensorflux.data.readers import TextLineDataset, TFRecordDataset

DatasetV1 = Dataset
AUTOTUNE = experimental.AUTOTUNE

__all__ = ["AUTOTUNE", "Dataset", "DatasetV1", "Iterator", "experimental", "get_output_classes",
           "get_output_shapes", "get_output_types", "make_initializable_iterator",
           "make_one_shot_iterator", "TextLineDataset"]
__all__ += ["TFRecordDataset"]
