"""TF1 queue-based input pipelines: input producers (`string_input_producer`, ...) and batching
(`batch`, `shuffle_batch`, and their `_join` forms).

Each function builds a queue, its enqueue ops, and a `QueueRunner` added to the graph's
QUEUE_RUNNERS collection; `tf.train.start_queue_runners` starts the threads. `num_epochs` is
counted by a local variable (`limit_epochs`): run `tf.local_variables_initializer()` first,
and the pipeline ends with OutOfRangeError after that many epochs. Op names are TF's: a
producer's queue is named by its scope (`input_producer`, or `name`), a batcher's dequeue op
by its scope (`batch`, `shuffle_batch`, ...), and each adds a scalar summary of how full its
queue is (`fraction_of_32_full`, `fraction_over_<min>_of_<capacity - min>_full`).

Example:
    >>> names = tf.train.string_input_producer(["a.bin", "b.bin"], num_epochs=1)
    >>> key, value = tf.FixedLengthRecordReader(record_bytes=4).read(names)
    >>> batch = tf.train.shuffle_batch([value], 8, capacity=64, min_after_dequeue=16)
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, data_flow_ops, math_ops, random_ops, summary_ops
from tensorflux.train.queue_runner import QueueRunner, add_queue_runner


def limit_epochs(tensor, num_epochs=None, name=None):
    """`tensor`, which fails with OutOfRangeError after it has been run `num_epochs` times.

    Example:
        >>> x = tf.train.limit_epochs(tf.constant([1, 2]), num_epochs=2)
    """
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError("num_epochs must be > 0 not %d." % num_epochs)
    from tensorflux import variables

    with graph_lib.name_scope(name, "limit_epochs", [tensor]) as scope:
        zero = constant_op.constant(0, dtype=dtypes.int64)
        epochs = variables.Variable(zero, trainable=False, name="epochs",
                                    collections=[graph_lib.GraphKeys.LOCAL_VARIABLES])
        counter = data_flow_ops.count_up_to(epochs, num_epochs)
        with graph_lib.control_dependencies([counter]):
            return array_ops.identity(tensor, name=scope)


def _fraction_full(size, capacity, min_after_dequeue=0):
    """The filled fraction of a queue above `min_after_dequeue` (a float32 scalar), as TF
    summarises it."""
    if min_after_dequeue:
        size = math_ops.maximum(0, size - min_after_dequeue)
    return math_ops.cast(size, dtypes.float32) * (1.0 / (capacity - min_after_dequeue))


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None,
                   capacity=32, shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A queue filled, epoch after epoch, with the rows of `input_tensor` (shuffled each epoch
    if `shuffle`), by a queue runner. With `summary_name`, a scalar summary of how full the
    queue is.

    Example:
        >>> q = tf.train.input_producer(tf.constant([[1, 2], [3, 4]]), shuffle=False)
    """
    with graph_lib.name_scope(name, "input_producer", [input_tensor]):
        input_tensor = constant_op.convert_to_tensor(input_tensor, name="input_tensor")
        shape = input_tensor.get_shape()
        element_shape = tensor_shape.as_shape(element_shape) if element_shape is not None \
            else shape[1:] if shape.ndims else tensor_shape.unknown_shape()
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or "
                             "`element_shape` must be specified")
        if shuffle:
            input_tensor = random_ops.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        # As TF: `name` (the caller's scope, e.g. "filenames/") names the queue op itself.
        q = data_flow_ops.FIFOQueue(capacity, [input_tensor.dtype.base_dtype],
                                    shapes=[element_shape], shared_name=shared_name,
                                    name="FIFOQueueV2" if name is None else name)
        enqueue = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enqueue], cancel_op=cancel_op))
        if summary_name is not None:
            summary_ops.scalar(summary_name, _fraction_full(q.size(), capacity))
        return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None, capacity=32,
                          shared_name=None, name=None, cancel_op=None):
    """A queue of file names (or any strings) for a reader, refilled each epoch. The queue op
    is named by the scope (`name` or "input_producer"), with a `fraction_of_<capacity>_full`
    summary.

    Example:
        >>> filename_queue = tf.train.string_input_producer(["data_1.bin", "data_2.bin"])
    """
    not_null_err = "string_input_producer requires a non-null input tensor"
    with graph_lib.name_scope(name, "input_producer", [string_tensor]) as scope:
        string_tensor = constant_op.convert_to_tensor(string_tensor, dtype=dtypes.string)
        if string_tensor.get_shape().num_elements() == 0:
            raise ValueError(not_null_err)
        from tensorflux.ops import debug_ops

        check = debug_ops.Assert(math_ops.greater(array_ops.size(string_tensor), 0),
                                 [not_null_err])
        with graph_lib.control_dependencies([check]):
            string_tensor = array_ops.identity(string_tensor)
        return input_producer(string_tensor, [], num_epochs, shuffle, seed, capacity,
                              shared_name, "fraction_of_%d_full" % capacity, scope, cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """A queue of the integers 0 .. limit - 1 (int32), refilled each epoch."""
    with graph_lib.name_scope(name, "input_producer", [limit]) as scope:
        from tensorflux.ops import fill_ops

        rng = fill_ops.range(limit, dtype=dtypes.int32)
        return input_producer(rng, [], num_epochs, shuffle, seed, capacity, shared_name,
                              "fraction_of_%d_full" % capacity, scope)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """One row of each tensor in `tensor_list` at a time (the same row index for all).

    Example:
        >>> image, label = tf.train.slice_input_producer([images, labels], shuffle=False)
    """
    with graph_lib.name_scope(name, "input_producer", list(tensor_list)):
        tensor_list = [constant_op.convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        size = array_ops.shape(tensor_list[0], out_type=dtypes.int32)[0]
        indices = range_input_producer(size, num_epochs, shuffle, seed, capacity, shared_name)
        index = indices.dequeue()
        return [array_ops.gather(t, index) for t in tensor_list]


# --- batching ----------------------------------------------------------------------------
def _flatten(tensors):
    """(list of tensors, a function that gives a list back the caller's structure)."""
    if isinstance(tensors, dict):
        keys = sorted(tensors)
        return [tensors[k] for k in keys], lambda out: dict(zip(keys, _as_list(out)))
    if isinstance(tensors, (list, tuple)):
        return list(tensors), lambda out: out
    return [tensors], lambda out: out


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _shapes(tensor_lists, shapes, enqueue_many, dynamic_pad):
    if shapes is not None:
        return [tensor_shape.as_shape(s) for s in shapes]
    out = []
    for i, t in enumerate(tensor_lists[0]):
        s = t.get_shape()
        for other in tensor_lists[1:]:
            s = s.merge_with(other[i].get_shape())
        if enqueue_many:
            s = s.with_rank_at_least(1)[1:] if s.ndims is not None else s
        if not dynamic_pad and not s.is_fully_defined():
            raise ValueError("All shapes must be fully defined: %s" % [
                x.get_shape() for x in tensor_lists[0]])
        out.append(s)
    return out


def _batch(tensor_lists, batch_size, make_queue, threads_per_list, enqueue_many, shapes,
           allow_smaller_final_batch, dynamic_pad, name, default_name, scope_values,
           min_after_dequeue=0):
    """The batching functions' common body, with TF's op names: the queue, one enqueue op per
    entry of `tensor_lists` (run by `threads_per_list` threads), a `fraction_..._full`
    summary, and the dequeue op named by the scope (`batch`, `shuffle_batch`, ...)."""
    flat = [_flatten(t) for t in tensor_lists]
    rebuild = flat[0][1]
    lists = [f[0] for f in flat]
    with graph_lib.name_scope(name, default_name, scope_values) as scope:
        lists = [[constant_op.convert_to_tensor(t) for t in tl] for tl in lists]
        constant_op.constant(True, dtype=dtypes.bool)  # TF's `keep_input` (always true here)
        types = [t.dtype.base_dtype for t in lists[0]]
        queue = make_queue(types, _shapes(lists, shapes, enqueue_many, dynamic_pad))
        enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
        ops = [op for tl in lists for op in [enqueue(tl)] * threads_per_list]
        add_queue_runner(QueueRunner(queue, ops))
        capacity = queue.queue_ref.op.get_attr("capacity")
        if min_after_dequeue:
            summary_name = "fraction_over_%d_of_%d_full" % (min_after_dequeue,
                                                            capacity - min_after_dequeue)
        else:
            summary_name = "fraction_of_%d_full" % capacity
        summary_ops.scalar(summary_name,
                           _fraction_full(queue.size(), capacity, min_after_dequeue))
        take = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
        return rebuild(take(batch_size, name=scope))


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
          dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of `batch_size` of `tensors` (a list, dict or tensor), in order, filled by
    `num_threads` threads through a FIFO queue of `capacity` elements.

    Example:
        >>> images, labels = tf.train.batch([image, label], batch_size=32)
    """
    def make_queue(types, shps):
        cls = data_flow_ops.PaddingFIFOQueue if dynamic_pad else data_flow_ops.FIFOQueue
        return cls(capacity, types, shapes=shps, shared_name=shared_name)
    return _batch([tensors], batch_size, make_queue, num_threads, enqueue_many, shapes,
                  allow_smaller_final_batch, dynamic_pad, name, "batch", _as_list(tensors))


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None,
               dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None,
               name=None):
    """Like `batch`, with one enqueue thread per entry of `tensors_list` (e.g. one reader each)."""
    def make_queue(types, shps):
        cls = data_flow_ops.PaddingFIFOQueue if dynamic_pad else data_flow_ops.FIFOQueue
        return cls(capacity, types, shapes=shps, shared_name=shared_name)
    return _batch(list(tensors_list), batch_size, make_queue, 1, enqueue_many, shapes,
                  allow_smaller_final_batch, dynamic_pad, name, "batch_join",
                  _as_list(tensors_list[0]))


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None,
                  enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                  shared_name=None, name=None):
    """Batches of `tensors` in random order, from a RandomShuffleQueue holding at least
    `min_after_dequeue` elements to choose from (until its input ends).

    Example:
        >>> images, labels = tf.train.shuffle_batch([image, label], batch_size=128,
        ...                                         capacity=2000, min_after_dequeue=1000)
    """
    def make_queue(types, shps):
        return data_flow_ops.RandomShuffleQueue(capacity, min_after_dequeue, types, shapes=shps,
                                                seed=seed, shared_name=shared_name)
    return _batch([tensors], batch_size, make_queue, num_threads, enqueue_many, shapes,
                  allow_smaller_final_batch, False, name, "shuffle_batch", _as_list(tensors),
                  min_after_dequeue)


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None,
                       enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                       shared_name=None, name=None):
    """Like `shuffle_batch`, with one enqueue thread per entry of `tensors_list`."""
    def make_queue(types, shps):
        return data_flow_ops.RandomShuffleQueue(capacity, min_after_dequeue, types, shapes=shps,
                                                seed=seed, shared_name=shared_name)
    return _batch(list(tensors_list), batch_size, make_queue, 1, enqueue_many, shapes,
                  allow_smaller_final_batch, False, name, "shuffle_batch_join",
                  _as_list(tensors_list[0]), min_after_dequeue)


def match_filenames_once(pattern, name=None):
    """A local variable holding the file names that match `pattern`, computed once when local
    variables are initialized.

    Example:
        >>> files = tf.train.match_filenames_once("/data/*.tfrecord")
    """
    from tensorflux import variables
    from tensorflux.ops import io_ops

    with graph_lib.name_scope(name, "matching_filenames", [pattern]) as scope:
        return variables.Variable(io_ops.matching_files(pattern), trainable=False,
                                  validate_shape=False, name=scope.rstrip("/"),
                                  collections=[graph_lib.GraphKeys.LOCAL_VARIABLES])


__all__ = ["batch", "batch_join", "input_producer", "limit_epochs", "match_filenames_once",
           "range_input_producer", "shuffle_batch", "shuffle_batch_join", "slice_input_producer",
           "string_input_producer"]
