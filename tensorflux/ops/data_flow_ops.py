"""TF1 queues: `tf.FIFOQueue`, `tf.RandomShuffleQueue`, `tf.PaddingFIFOQueue` (`tf.QueueBase`).

A queue is a graph op (`FIFOQueueV2`, ...) whose output is a resource handle; the first run that
needs it creates the queue object in the session's `state.resources` (kernels in
`backends/numpy/data_flow_ops.py`). The other ops take that handle:

    QueueEnqueueV2 / QueueEnqueueManyV2      block while the queue is full
    QueueDequeueV2 / ...ManyV2 / ...UpToV2   block until enough elements (OutOfRangeError once
                                             the queue is closed and has too few)
    QueueCloseV2, QueueSizeV2, QueueIsClosedV2

All are stateful and not differentiable, and have no XLA kernel: plans holding them run on the
numpy backend. Queue runner threads (`tf.train.QueueRunner`) call `sess.run` concurrently.
"""

from tensorflux.graph import dtypes as dtypes_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.ops import constant_op, registry

ND = registry.NOT_DIFFERENTIABLE
_QUEUE_TYPES = ("FIFOQueueV2", "RandomShuffleQueueV2", "PaddingFIFOQueueV2")


def _handle_shape(op):
    return [(dtypes_lib.resource, tensor_shape.TensorShape([]))]


def _none(op):
    return []


def _dequeue_shape(op, batch):
    attrs = op._attrs
    return [(dt, tensor_shape.TensorShape(batch).concatenate(s) if batch is not None else s)
            for dt, s in zip(attrs["component_types"], attrs["shapes"])]


def _batch_dim(op):
    if op.type == "QueueDequeueUpToV2":
        return [None]
    n = constant_op.constant_value(op.inputs[1])
    return [None if n is None else int(n)]


for _t in _QUEUE_TYPES:
    registry.register(_t, shape=_handle_shape, grad=ND, stateful=True)
registry.register("QueueEnqueueV2", shape=_none, grad=ND, stateful=True)
registry.register("QueueEnqueueManyV2", shape=_none, grad=ND, stateful=True)
registry.register("QueueDequeueV2", shape=lambda op: _dequeue_shape(op, None), grad=ND,
                  stateful=True)
for _t in ("QueueDequeueManyV2", "QueueDequeueUpToV2"):
    registry.register(_t, shape=lambda op: _dequeue_shape(op, _batch_dim(op)), grad=ND,
                      stateful=True)
registry.register("QueueCloseV2", shape=_none, grad=ND, stateful=True)
registry.register("QueueSizeV2", shape=lambda op: [(dtypes_lib.int32, tensor_shape.scalar())],
                  grad=ND, stateful=True)
registry.register("CountUpTo", shape=lambda op: [(op.inputs[0].dtype.base_dtype,
                                                  tensor_shape.scalar())],
                  grad=ND, stateful=True, ref_inputs=(0,))
registry.register("QueueIsClosedV2", shape=lambda op: [(dtypes_lib.bool,
                                                        tensor_shape.scalar())],
                  grad=ND, stateful=True)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


class QueueBase:
    """What every TF1 queue offers: enqueue and dequeue ops over a tuple of components.

    Example:
        >>> q = tf.FIFOQueue(10, [tf.float32, tf.int32], shapes=[[2], []])
        >>> sess.run(q.enqueue(([1.0, 2.0], 7)))
        >>> sess.run(q.dequeue())   # [array([1., 2.]), 7]
    """

    def __init__(self, dtypes, shapes, names, queue_ref):
        self._dtypes = [dtypes_lib.as_dtype(d) for d in dtypes]
        self._shapes = ([tensor_shape.as_shape(s) for s in shapes] if shapes is not None
                        else [tensor_shape.unknown_shape() for _ in self._dtypes])
        if len(self._shapes) != len(self._dtypes):
            raise ValueError("Queue shapes must have the same length as dtypes")
        self._names = list(names) if names is not None else None
        if self._names is not None and len(self._names) != len(self._dtypes):
            raise ValueError("Queue names must have the same length as dtypes")
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]
        self._graph = queue_ref.graph

    # --- properties ---------------------------------------------------------------------
    @property
    def queue_ref(self):
        return self._queue_ref

    @property
    def name(self):
        return self._queue_ref.op.name

    @property
    def dtypes(self):
        return self._dtypes

    @property
    def shapes(self):
        return self._shapes

    @property
    def names(self):
        return self._names

    # --- ops ----------------------------------------------------------------------------
    def _flatten(self, vals):
        """`vals` (one tensor, a list/tuple, or a dict when the queue has names) as a list."""
        if isinstance(vals, dict):
            if self._names is None:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names) != sorted(vals.keys()):
                raise ValueError("Keys in dictionary to enqueue do not match names of Queue.  "
                                 "Dictionary: %s\nQueue: %s" % (sorted(vals), self._names))
            return [vals[k] for k in self._names]
        if self._names is not None:
            raise ValueError("You must enqueue a dictionary in a Queue with names")
        vals = _as_list(vals)
        if len(vals) != len(self._dtypes):
            raise ValueError("Expected %d values to enqueue but got %d"
                             % (len(self._dtypes), len(vals)))
        return vals

    def _convert(self, vals, batched):
        out = []
        for i, (v, dt, shape) in enumerate(zip(self._flatten(vals), self._dtypes, self._shapes)):
            t = constant_op.convert_to_tensor(v, dtype=dt, name="component_%d" % i)
            got = t.get_shape()
            if batched:
                got = got[1:] if got.ndims is not None else got
            if not got.is_compatible_with(shape):
                raise ValueError("Shapes %s and %s are incompatible" % (got, shape))
            out.append(t)
        return out

    def _op(self, op_type, inputs, name, attrs=None):
        attrs = dict(attrs or {})
        attrs.setdefault("component_types", list(self._dtypes))
        attrs.setdefault("shapes", list(self._shapes))
        return self._home().create_op(op_type, [self._queue_ref] + list(inputs), attrs,
                                      name=name, op_def=registry.get(op_type))

    def _home(self):
        """The graph a queue op goes into: the queue's graph, or the default graph when that is
        a function body (a `tf.cond` branch) nested inside it, so the op runs only with the
        branch."""
        default = graph_lib.get_default_graph()
        return default if graph_lib._encloses(self._graph, default) else self._graph

    def _scope(self, name, default, values=()):
        return graph_lib.name_scope(name, "%s_%s" % (self._name, default),
                                    [self._queue_ref] + list(values))

    def enqueue(self, vals, name=None):
        """An op that adds one element (a tuple of components) to the queue; it blocks while
        the queue is full."""
        with self._home().as_default(), self._scope(name, "enqueue") as scope:
            return self._op("QueueEnqueueV2", self._convert(vals, False), scope)

    def enqueue_many(self, vals, name=None):
        """An op that adds the elements of `vals`, sliced along their first dimension."""
        with self._home().as_default(), self._scope(name, "EnqueueMany") as scope:
            return self._op("QueueEnqueueManyV2", self._convert(vals, True), scope)

    def _wrap(self, tensors):
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else list(tensors)

    def dequeue(self, name=None):
        """Removes one element; blocks until there is one (OutOfRangeError once closed)."""
        with self._home().as_default(), self._scope(name, "Dequeue") as scope:
            return self._wrap(self._op("QueueDequeueV2", [], scope).outputs)

    def _dequeue_n(self, op_type, n, name, default):
        with self._home().as_default(), self._scope(name, default) as scope:
            n = constant_op.convert_to_tensor(n, dtype=dtypes_lib.int32, name="n")
            return self._wrap(self._op(op_type, [n], scope).outputs)

    def dequeue_many(self, n, name=None):
        """Removes `n` elements, stacked along a new first dimension; blocks until there are."""
        return self._dequeue_n("QueueDequeueManyV2", n, name, "DequeueMany")

    def dequeue_up_to(self, n, name=None):
        """Like `dequeue_many`, but a closed queue gives its last (fewer than `n`) elements."""
        return self._dequeue_n("QueueDequeueUpToV2", n, name, "DequeueUpTo")

    def close(self, cancel_pending_enqueues=False, name=None):
        """An op that closes the queue: later enqueues fail; dequeues drain what is left."""
        with self._home().as_default(), self._scope(name, "Close") as scope:
            return self._op("QueueCloseV2", [], scope,
                            {"cancel_pending_enqueues": bool(cancel_pending_enqueues)})

    def size(self, name=None):
        """The number of elements in the queue (an int32 scalar)."""
        with self._home().as_default(), self._scope(name, "Size") as scope:
            return self._op("QueueSizeV2", [], scope).outputs[0]

    def is_closed(self, name=None):
        """Whether the queue is closed (a bool scalar)."""
        with self._home().as_default(), self._scope(name, "IsClosed") as scope:
            return self._op("QueueIsClosedV2", [], scope).outputs[0]


def _make_queue(op_type, attrs, dtypes, shapes, shared_name, name):
    g = graph_lib.get_default_graph()
    dtypes = [dtypes_lib.as_dtype(d) for d in _as_list(dtypes)]
    if shapes is not None:
        shapes = [tensor_shape.as_shape(s) for s in _shapes_list(shapes)]
    attrs = dict(attrs, component_types=dtypes, shapes=shapes or [],
                 shared_name=shared_name or "", container="")
    return g.create_op(op_type, [], attrs, name=name, op_def=registry.get(op_type)), dtypes, \
        shapes


def _shapes_list(shapes):
    """`shapes` as a list of shapes: a single shape such as [2, 3], or () (a scalar), is one
    component's (TF's `_as_shape_list`)."""
    if isinstance(shapes, tensor_shape.TensorShape):
        return [shapes]
    shapes = list(shapes)
    if all(s is None or isinstance(s, int) for s in shapes):  # [] too: one scalar shape
        return [shapes]
    return shapes


class FIFOQueue(QueueBase):
    """A queue that gives elements back in the order they were added.

    Example:
        >>> q = tf.FIFOQueue(3, tf.float32)
        >>> sess.run(q.enqueue_many([[1.0, 2.0]])); sess.run(q.dequeue())   # 1.0
    """

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):
        op, dts, shapes = _make_queue("FIFOQueueV2", {"capacity": int(capacity)}, dtypes,
                                      shapes, shared_name, name)
        super().__init__(dts, shapes, names, op.outputs[0])


class PaddingFIFOQueue(QueueBase):
    """A FIFOQueue whose `dequeue_many` pads components of unknown dimensions with zeros."""

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):
        dts = _as_list(dtypes)
        if shapes is None or len(_shapes_list(shapes)) != len(dts):
            raise ValueError("Shapes must be provided for all components, but received %d "
                             "dtypes and %d shapes." % (len(dts), len(shapes or [])))
        op, dts, shapes = _make_queue("PaddingFIFOQueueV2", {"capacity": int(capacity)}, dts,
                                      shapes, shared_name, name)
        super().__init__(dts, shapes, names, op.outputs[0])


class RandomShuffleQueue(QueueBase):
    """A queue that gives elements back in random order, keeping at least `min_after_dequeue`
    elements in it (until it is closed) so that each dequeue picks among many.

    Example:
        >>> q = tf.RandomShuffleQueue(100, 10, tf.int32, shapes=[[]], seed=1)
    """

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name="random_shuffle_queue"):
        from tensorflux.ops import random_ops

        seed1, seed2 = random_ops.get_seed(seed)  # (None, None): a fresh random order
        attrs = {"capacity": int(capacity), "min_after_dequeue": int(min_after_dequeue),
                 "seed": int(seed1 or 0), "seed2": int(seed2 or 0)}
        op, dts, shapes = _make_queue("RandomShuffleQueueV2", attrs, dtypes, shapes,
                                      shared_name, name)
        super().__init__(dts, shapes, names, op.outputs[0])


def count_up_to(ref, limit, name=None):
    """Increments integer variable `ref` and returns its old value; once it has reached `limit`
    the op fails with OutOfRangeError (how `tf.train.limit_epochs` ends an input pipeline).

    Example:
        >>> n = tf.count_up_to(tf.Variable(0), 2)   # runs give 0, 1, then OutOfRangeError
    """
    ref = getattr(ref, "_variable", ref)
    g = ref.graph
    with g.as_default(), g.name_scope(name or "CountUpTo") as scope:
        return g.create_op("CountUpTo", [ref], {"limit": int(limit)}, name=scope,
                           op_def=registry.get("CountUpTo")).outputs[0]


__all__ = ["count_up_to", "QueueBase", "FIFOQueue", "PaddingFIFOQueue", "RandomShuffleQueue"]
