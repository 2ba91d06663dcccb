"""`slim.dataset.Dataset`: the description of a data set — its files, reader class, decoder,
size and item descriptions — as TF-Slim's `datasets/*.py` build it.

Example:
    >>> dataset = slim.dataset.Dataset(
    ...     data_sources="/data/flowers_train_*.tfrecord", reader=tf.TFRecordReader,
    ...     decoder=decoder, num_samples=3320, num_classes=5,
    ...     items_to_descriptions={"image": "A color image.", "label": "An integer label."})
"""


class Dataset:
    """A data set specification; extra keyword arguments become attributes (`num_classes`,
    `labels_to_names`, ...).

    Args:
        data_sources: A file name, glob pattern, or list of them.
        reader: The reader class (`tf.TFRecordReader`, `tf.TextLineReader`, ...).
        decoder: A `DataDecoder` (e.g. `slim.tfexample_decoder.TFExampleDecoder`).
        num_samples: The number of samples in the data set.
        items_to_descriptions: A dict from item names to their descriptions.
    """

    def __init__(self, data_sources, reader, decoder, num_samples, items_to_descriptions,
                 **kwargs):
        kwargs["data_sources"] = data_sources
        kwargs["reader"] = reader
        kwargs["decoder"] = decoder
        kwargs["num_samples"] = num_samples
        kwargs["items_to_descriptions"] = items_to_descriptions
        self.__dict__.update(kwargs)


__all__ = ["Dataset"]
