"""`slim.prefetch_queue.prefetch_queue`: a queue that holds ready-made input (e.g. whole
batches), filled by its own queue runner, so that a training step's dequeue does not wait for
the batch to be assembled.

Example:
    >>> images, labels = tf.train.batch([image, label], batch_size=32, num_threads=4)
    >>> batch_queue = slim.prefetch_queue.prefetch_queue([images, labels])
    >>> images, labels = batch_queue.dequeue()
"""

from tensorflux.graph import dtypes as tf_dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import data_flow_ops, math_ops, summary_ops
from tensorflux.train import queue_runner


def prefetch_queue(tensors, capacity=8, num_threads=1, dynamic_pad=False, shared_name=None,
                   name=None):
    """A `FIFOQueue` (a `PaddingFIFOQueue` if `dynamic_pad`) of `tensors`, filled by
    `num_threads` threads of a queue runner added to the QUEUE_RUNNERS collection.

    Args:
        tensors: A list or dict of tensors (a dict's keys become the queue's names, sorted).
        capacity: The queue's capacity.
        num_threads: The number of enqueuing threads.
        dynamic_pad: Allow variable dimensions in the shapes.
        shared_name: The queue's shared name.
        name: The name scope (default "prefetch_queue").

    Returns:
        The queue; its `dequeue()` gives tensors of the dtypes and shapes of `tensors`.
    """
    if isinstance(tensors, dict):
        names = sorted(tensors.keys())
        tensor_list = [tensors[n] for n in names]
    else:
        names = None
        tensor_list = tensors
    with graph_lib.name_scope(name, "prefetch_queue", tensor_list):
        dtypes = [t.dtype for t in tensor_list]
        shapes = [t.get_shape() for t in tensor_list]
        queue_class = (data_flow_ops.PaddingFIFOQueue if dynamic_pad
                       else data_flow_ops.FIFOQueue)
        queue = queue_class(capacity=capacity, dtypes=dtypes, shapes=shapes, names=names,
                            shared_name=shared_name)
        enqueue_op = queue.enqueue(tensors)
        queue_runner.add_queue_runner(queue_runner.QueueRunner(queue,
                                                               [enqueue_op] * num_threads))
        summary_ops.scalar(
            "fraction_of_%d_full" % capacity,
            math_ops.cast(queue.size(), tf_dtypes.float32) * (1.0 / capacity))
        return queue


__all__ = ["prefetch_queue"]
