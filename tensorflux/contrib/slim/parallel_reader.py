"""`slim.parallel_reader`: read records from many files with several readers at once.

`ParallelReader` runs `num_readers` readers (each taking file names from the same file-name
queue) whose records a queue runner enqueues into one common queue — a `RandomShuffleQueue`
when shuffling, so records of different files mix. `parallel_read` builds the whole pipeline
from a list of files or glob patterns; `single_pass_read` reads each file once, in order.

Example:
    >>> key, value = slim.parallel_reader.parallel_read(
    ...     "/data/train-*.tfrecord", tf.TFRecordReader, num_readers=4, shuffle=True)
"""

from tensorflux.graph import dtypes as tf_dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import data_flow_ops, math_ops, reader_ops, summary_ops
from tensorflux.platform import gfile
from tensorflux.train import input as tf_input
from tensorflux.train import queue_runner


class ParallelReader(reader_ops.ReaderBase):
    """A `tf.ReaderBase` that reads with `num_readers` instances of
    `reader_class(**reader_kwargs)` into `common_queue`, whose dtypes must be
    `[tf.string, tf.string]` (key, value); `read` dequeues from it.

    Raises:
        TypeError: If `common_queue`'s dtypes are not `[tf.string, tf.string]`.

    Example:
        >>> common_queue = tf.RandomShuffleQueue(256, 128, [tf.string, tf.string])
        >>> key, value = ParallelReader(tf.TFRecordReader, common_queue).read(filename_queue)
    """

    def __init__(self, reader_class, common_queue, num_readers=4, reader_kwargs=None):
        # No reader op of its own (ReaderBase.__init__ is not called), as in TF-Slim.
        if len(common_queue.dtypes) != 2:
            raise TypeError("common_queue.dtypes must be [tf.string, tf.string]")
        for dtype in common_queue.dtypes:
            if not dtype.is_compatible_with(tf_dtypes.string):
                raise TypeError("common_queue.dtypes must be [tf.string, tf.string]")
        reader_kwargs = reader_kwargs or {}
        self._readers = [reader_class(**reader_kwargs) for _ in range(num_readers)]
        self._common_queue = common_queue

    @property
    def num_readers(self):
        return len(self._readers)

    @property
    def common_queue(self):
        return self._common_queue

    @property
    def supports_serialize(self):
        return False

    def read(self, queue, name=None):
        """The next `(key, value)` of the common queue; the readers read the files named by
        `queue` (a queue runner, added to the QUEUE_RUNNERS collection, fills it)."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue(name=name)

    def read_up_to(self, queue, num_records, name=None):
        """Up to `num_records` `(keys, values)` of the common queue (1-D string tensors)."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue_up_to(num_records, name)

    def _configure_readers_by(self, queue):
        enqueue_ops = [self._common_queue.enqueue(reader.read(queue))
                       for reader in self._readers]
        queue_runner.add_queue_runner(queue_runner.QueueRunner(self._common_queue, enqueue_ops))

    def num_records_produced(self, name=None):
        """The number of records the readers have produced (an int64 tensor)."""
        return math_ops.add_n([r.num_records_produced() for r in self._readers], name=name)

    def num_work_units_completed(self, name=None):
        """The number of files the readers have finished (an int64 tensor)."""
        return math_ops.add_n([r.num_work_units_completed() for r in self._readers], name=name)

    def reset(self, name=None):
        """Resets every reader (a grouped op)."""
        from tensorflux.ops import control_flow_ops

        return control_flow_ops.group(*[r.reset() for r in self._readers], name=name)


def parallel_read(data_sources, reader_class, num_epochs=None, num_readers=4,
                  reader_kwargs=None, shuffle=True, dtypes=None, capacity=256,
                  min_after_dequeue=128, seed=None, scope=None):
    """`(key, value)` records of the files of `data_sources`, read by `num_readers` readers.

    Args:
        data_sources: A file name or glob pattern (`*`, `?`, `[`), or a list of them.
        reader_class: A reader class, e.g. `tf.TFRecordReader`.
        num_epochs: Read each file this many times (None: forever). Needs
            `tf.local_variables_initializer()`.
        num_readers: The number of readers.
        reader_kwargs: Keyword arguments of `reader_class`.
        shuffle: Shuffle the file names and the records (a `RandomShuffleQueue` as common
            queue); otherwise files and records come in order through a `FIFOQueue`.
        dtypes: The common queue's dtypes; default `[tf.string, tf.string]`.
        capacity, min_after_dequeue, seed: The common queue's.
        scope: The name scope (default "parallel_read").

    Returns:
        `(key, value)` string tensors.

    Raises:
        ValueError: If no file matches `data_sources`.
    """
    data_files = get_data_files(data_sources)
    with graph_lib.name_scope(scope, "parallel_read"):
        filename_queue = tf_input.string_input_producer(
            data_files, num_epochs=num_epochs, shuffle=shuffle, seed=seed, name="filenames")
        dtypes = dtypes or [tf_dtypes.string, tf_dtypes.string]
        if shuffle:
            common_queue = data_flow_ops.RandomShuffleQueue(
                capacity=capacity, min_after_dequeue=min_after_dequeue, dtypes=dtypes,
                seed=seed, name="common_queue")
        else:
            common_queue = data_flow_ops.FIFOQueue(capacity=capacity, dtypes=dtypes,
                                                   name="common_queue")
        summary_ops.scalar(
            "fraction_of_%d_full" % capacity,
            math_ops.cast(common_queue.size(), tf_dtypes.float32) * (1.0 / capacity))
        return ParallelReader(reader_class, common_queue, num_readers=num_readers,
                              reader_kwargs=reader_kwargs).read(filename_queue)


def single_pass_read(data_sources, reader_class, reader_kwargs=None, scope=None):
    """`(key, value)` records of the files of `data_sources`, each file read once, in order,
    by one reader (OutOfRangeError after the last record).

    Raises:
        ValueError: If no file matches `data_sources`.
    """
    data_files = get_data_files(data_sources)
    with graph_lib.name_scope(scope, "single_pass_read"):
        filename_queue = tf_input.string_input_producer(
            data_files, num_epochs=1, shuffle=False, capacity=1, name="filenames")
        reader_kwargs = reader_kwargs or {}
        return reader_class(**reader_kwargs).read(filename_queue)


def get_data_files(data_sources):
    """The file names of `data_sources` (names or glob patterns, or a list of them).

    Raises:
        ValueError: If no file is found.
    """
    if isinstance(data_sources, (list, tuple)):
        data_files = []
        for source in data_sources:
            data_files += get_data_files(source)
    elif "*" in data_sources or "?" in data_sources or "[" in data_sources:
        data_files = gfile.Glob(data_sources)
    else:
        data_files = [data_sources]
    if not data_files:
        raise ValueError("No data files found in %s" % (data_sources,))
    return data_files


__all__ = ["ParallelReader", "parallel_read", "single_pass_read", "get_data_files"]
