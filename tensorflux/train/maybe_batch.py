"""`tf.train.maybe_batch`, `maybe_batch_join`, `maybe_shuffle_batch`, `maybe_shuffle_batch_join`:
the queue-based batchers of train/input.py, enqueueing only the elements `keep_input` keeps.

`keep_input` is a bool scalar (keep or drop the whole enqueue) or, with `enqueue_many`, a bool
vector (one per element). Either way the enqueue is an `enqueue_many` of the kept rows
(`dynamic_partition` by `keep_input`), so a dropped element never reaches the queue.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, data_flow_ops, manip_ops, math_ops
from tensorflux.ops.array_extras import dynamic_partition
from tensorflux.train.input import _flatten, _shapes
from tensorflux.train.queue_runner import QueueRunner, add_queue_runner


def _validate_keep_input(keep_input, enqueue_many):
    keep_input = constant_op.convert_to_tensor(keep_input)
    if keep_input.shape.ndims is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and keep_input.shape.ndims == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if keep_input.shape.ndims > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep_input


def _kept(tensors, keep_input, enqueue_many):
    """The rows of `tensors` to enqueue with `enqueue_many`: those `keep_input` keeps."""
    if not enqueue_many:
        tensors = [manip_ops.expand_dims(t, 0) for t in tensors]
    keep = math_ops.cast(keep_input, dtypes.int32)
    if keep_input.shape.ndims == 0:
        keep = manip_ops.expand_dims(keep, 0)
        if enqueue_many:  # one decision for every row
            keep = manip_ops.tile(keep, manip_ops.expand_dims(array_ops.shape(tensors[0])[0], 0))
    return [dynamic_partition(t, keep, num_partitions=2)[1] for t in tensors]


def _maybe_batch(tensor_lists, keep_input, batch_size, make_queue, threads_per_list,
                 enqueue_many, shapes, allow_smaller_final_batch, dynamic_pad, name,
                 default_name):
    flat = [_flatten(t) for t in tensor_lists]
    rebuild = flat[0][1]
    lists = [f[0] for f in flat]
    with graph_lib.name_scope(name, default_name, list(lists[0]) + [keep_input]) as scope:
        keep_input = _validate_keep_input(keep_input, enqueue_many)
        lists = [[constant_op.convert_to_tensor(t) for t in tl] for tl in lists]
        types = [t.dtype.base_dtype for t in lists[0]]
        queue = make_queue(types, _shapes(lists, shapes, enqueue_many, dynamic_pad))
        ops = [queue.enqueue_many(_kept(tl, keep_input, enqueue_many))
               for tl in lists for _ in range(threads_per_list)]
        add_queue_runner(QueueRunner(queue, ops))
        take = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
        return rebuild(take(batch_size, name=scope))  # the op is named as TF's: the scope


def _fifo(capacity, dynamic_pad, shared_name):
    def make_queue(types, shapes):
        cls = data_flow_ops.PaddingFIFOQueue if dynamic_pad else data_flow_ops.FIFOQueue
        return cls(capacity, types, shapes=shapes, shared_name=shared_name)
    return make_queue


def _shuffle(capacity, min_after_dequeue, seed, shared_name):
    def make_queue(types, shapes):
        return data_flow_ops.RandomShuffleQueue(capacity, min_after_dequeue, types,
                                                shapes=shapes, seed=seed,
                                                shared_name=shared_name)
    return make_queue


def maybe_batch(tensors, keep_input, batch_size, num_threads=1, capacity=32,
                enqueue_many=False, shapes=None, dynamic_pad=False,
                allow_smaller_final_batch=False, shared_name=None, name=None):
    """`tf.train.batch` of the elements for which `keep_input` is True.

    Example:
        >>> images, labels = tf.train.maybe_batch([image, label], label >= 0, batch_size=32)
    """
    return _maybe_batch([tensors], keep_input, batch_size,
                        _fifo(capacity, dynamic_pad, shared_name), num_threads, enqueue_many,
                        shapes, allow_smaller_final_batch, dynamic_pad, name, "batch")


def maybe_batch_join(tensors_list, keep_input, batch_size, capacity=32, enqueue_many=False,
                     shapes=None, dynamic_pad=False, allow_smaller_final_batch=False,
                     shared_name=None, name=None):
    """`tf.train.batch_join` of the elements for which `keep_input` is True."""
    return _maybe_batch(list(tensors_list), keep_input, batch_size,
                        _fifo(capacity, dynamic_pad, shared_name), 1, enqueue_many, shapes,
                        allow_smaller_final_batch, dynamic_pad, name, "batch_join")


def maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input,
                        num_threads=1, seed=None, enqueue_many=False, shapes=None,
                        allow_smaller_final_batch=False, shared_name=None, name=None):
    """`tf.train.shuffle_batch` of the elements for which `keep_input` is True.

    Example:
        >>> x, y = tf.train.maybe_shuffle_batch([x, y], 64, 1000, 500, keep_input=weight > 0)
    """
    return _maybe_batch([tensors], keep_input, batch_size,
                        _shuffle(capacity, min_after_dequeue, seed, shared_name), num_threads,
                        enqueue_many, shapes, allow_smaller_final_batch, False, name,
                        "shuffle_batch")


def maybe_shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue,
                             keep_input, seed=None, enqueue_many=False, shapes=None,
                             allow_smaller_final_batch=False, shared_name=None, name=None):
    """`tf.train.shuffle_batch_join` of the elements for which `keep_input` is True."""
    return _maybe_batch(list(tensors_list), keep_input, batch_size,
                        _shuffle(capacity, min_after_dequeue, seed, shared_name), 1,
                        enqueue_many, shapes, allow_smaller_final_batch, False, name,
                        "shuffle_batch_join")


__all__ = ["maybe_batch", "maybe_batch_join", "maybe_shuffle_batch",
           "maybe_shuffle_batch_join"]
