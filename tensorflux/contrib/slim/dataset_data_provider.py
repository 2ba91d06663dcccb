"""`slim.dataset_data_provider.DatasetDataProvider`: the items of a `slim.dataset.Dataset`,
read by `parallel_read` (several readers, a common queue) and decoded by the dataset's
decoder.

Example:
    >>> provider = slim.dataset_data_provider.DatasetDataProvider(
    ...     dataset, num_readers=4, common_queue_capacity=20 * 32, common_queue_min=10 * 32)
    >>> image, label = provider.get(["image", "label"])
    >>> images, labels = tf.train.batch([preprocess(image), label], batch_size=32)
"""

from tensorflux.contrib.slim import data_provider, parallel_reader


class DatasetDataProvider(data_provider.DataProvider):
    """Reads and decodes one record of `dataset` at a time; `get(items)` gives its items,
    and `get(["record_key"])` the record's key.

    Args:
        dataset: A `slim.dataset.Dataset`.
        num_readers: The number of parallel readers.
        reader_kwargs: Keyword arguments of the dataset's reader class.
        shuffle: Shuffle the files and the records (a `RandomShuffleQueue`).
        num_epochs: Read the data this many times (None: forever); then the provider's
            tensors raise OutOfRangeError. Needs `tf.local_variables_initializer()`.
        common_queue_capacity, common_queue_min: The common queue's capacity and
            min_after_dequeue.
        record_key: The item name of the record keys.
        seed: The shuffling seed.
        scope: The name scope of the reading ops.

    Raises:
        ValueError: If `record_key` is one of the dataset's items.
    """

    def __init__(self, dataset, num_readers=1, reader_kwargs=None, shuffle=True,
                 num_epochs=None, common_queue_capacity=256, common_queue_min=128,
                 record_key="record_key", seed=None, scope=None):
        key, data = parallel_reader.parallel_read(
            dataset.data_sources, reader_class=dataset.reader, num_epochs=num_epochs,
            num_readers=num_readers, reader_kwargs=reader_kwargs, shuffle=shuffle,
            capacity=common_queue_capacity, min_after_dequeue=common_queue_min, seed=seed,
            scope=scope)
        items = dataset.decoder.list_items()
        tensors = dataset.decoder.decode(data, items)
        items_to_tensors = dict(zip(items, tensors))
        if record_key in items_to_tensors:
            raise ValueError("The item name used for `record_key` cannot also be used for a "
                             "dataset item: %s" % record_key)
        items_to_tensors[record_key] = key
        super().__init__(items_to_tensors=items_to_tensors, num_samples=dataset.num_samples)


__all__ = ["DatasetDataProvider"]
