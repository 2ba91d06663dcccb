"""TF1 gradient accumulators: `tf.ConditionalAccumulator`, `tf.SparseConditionalAccumulator`.

An accumulator sums the gradients that replicas push into it and hands out their average once
enough have arrived; `tf.train.SyncReplicasOptimizer` keeps one per variable. Each gradient
comes with the step it was computed at (`local_step`); one older than the accumulator's own
step is stale and silently dropped. Taking the average blocks until `num_required` gradients
are in, then resets the sum and bumps the accumulator's step by one.

As TF 1.x graphs (and TF 2's `compat.v1` in graph mode) build them, the dense accumulator is a
resource (`ResourceConditionalAccumulator`, `ResourceAccumulator*` ops) and the sparse one a
string reference (`SparseConditionalAccumulator`, `Accumulator*`, `SparseAccumulator*` ops).
The older dense ref ops (`ConditionalAccumulator`, `AccumulatorApplyGradient`, ...) are
registered too, for imported GraphDefs. Kernels: `backends/numpy/accumulator_ops.py`; none of
these ops is differentiable.
"""

import collections

from tensorflux.graph import dtypes as dtypes_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.ops import constant_op, math_ops, registry
from tensorflux.ops.indexed_slices import IndexedSlices

ND = registry.NOT_DIFFERENTIABLE
_REDUCTIONS = ("MEAN", "SUM")


def _handle(dtype):
    # TF's shape function gives every accumulator handle the shape [2] (a ref handle's layout).
    return lambda op: [(dtype, tensor_shape.TensorShape([2]))]


def _none(op):
    return []


def _int32_scalar(op):
    return [(dtypes_lib.int32, tensor_shape.scalar())]


def _taken(op):
    return [(op._attrs["dtype"], tensor_shape.unknown_shape())]


def _sparse_taken(op):
    return [(dtypes_lib.int64, tensor_shape.TensorShape([None])),
            (op._attrs["dtype"], tensor_shape.unknown_shape()),
            (dtypes_lib.int64, tensor_shape.TensorShape([None]))]


_STRING_REF = dtypes_lib.string._as_ref
registry.register("ResourceConditionalAccumulator", shape=_handle(dtypes_lib.resource), grad=ND,
                  stateful=True)
registry.register("ConditionalAccumulator", shape=_handle(_STRING_REF), grad=ND, stateful=True)
registry.register("SparseConditionalAccumulator", shape=_handle(_STRING_REF), grad=ND,
                  stateful=True)
for _prefix in ("ResourceAccumulator", "Accumulator"):
    registry.register(_prefix + "ApplyGradient", shape=_none, grad=ND, stateful=True)
    registry.register(_prefix + "TakeGradient", shape=_taken, grad=ND, stateful=True)
    registry.register(_prefix + "NumAccumulated", shape=_int32_scalar, grad=ND, stateful=True)
    registry.register(_prefix + "SetGlobalStep", shape=_none, grad=ND, stateful=True)
registry.register("SparseAccumulatorApplyGradient", shape=_none, grad=ND, stateful=True)
registry.register("SparseAccumulatorTakeGradient", shape=_sparse_taken, grad=ND, stateful=True)

SparseTakeGradient = collections.namedtuple("SparseAccumulatorTakeGradient",
                                            ["indices", "values", "shape"])


def _int64(value):
    return math_ops.cast(constant_op.convert_to_tensor(value), dtypes_lib.int64)


def _make_accumulator(op_type, dtype, shape, shared_name, name, reduction_type):
    if reduction_type not in _REDUCTIONS:
        raise ValueError("Attr 'reduction_type' of '%s' Op passed string '%s' not in: \"MEAN\", "
                         "\"SUM\"." % (op_type, reduction_type))
    g = graph_lib.get_default_graph()
    shape = tensor_shape.unknown_shape() if shape is None else tensor_shape.as_shape(shape)
    attrs = {"dtype": dtypes_lib.as_dtype(dtype), "shape": shape, "container": "",
             "shared_name": shared_name or "", "reduction_type": reduction_type}
    return g.create_op(op_type, [], attrs, name=name, op_def=registry.get(op_type)).outputs[0]


class ConditionalAccumulatorBase:
    """What both accumulators offer: the handle, the count of gradients in, the global step."""

    _PREFIX = "ResourceAccumulator"

    def __init__(self, dtype, shape, accumulator_ref):
        self._dtype = dtypes_lib.as_dtype(dtype)
        self._shape = (tensor_shape.unknown_shape() if shape is None
                       else tensor_shape.as_shape(shape))
        self._accumulator_ref = accumulator_ref
        self._name = accumulator_ref.op.name.split("/")[-1]
        self._graph = accumulator_ref.graph

    @property
    def accumulator_ref(self):
        return self._accumulator_ref

    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    def _op(self, op_type, inputs, name, attrs=None, convert=None):
        """Creates `op_type` on the handle under scope `name` (default: the op type); `convert`
        makes the inputs that TF converts inside the op's scope (its name_scope is open)."""
        with self._graph.as_default(), graph_lib.name_scope(name, op_type) as scope:
            if convert is not None:
                inputs = list(inputs) + convert()
            # A ref handle's users go where it is (TF colocates ops on a reference input).
            colocate = self._accumulator_ref if self._PREFIX == "Accumulator" else None
            with self._graph.colocate_with(colocate):
                return self._graph.create_op(op_type, [self._accumulator_ref] + list(inputs),
                                             attrs or {}, name=scope,
                                             op_def=registry.get(op_type))

    def num_accumulated(self, name=None):
        """The number of gradients accumulated since the last take (an int32 scalar)."""
        return self._op(self._PREFIX + "NumAccumulated", [],
                        name or "%s_NumAccumulated" % self._name).outputs[0]

    def set_global_step(self, new_global_step, name=None):
        """An op that sets the accumulator's step; gradients older than it are dropped (setting
        a lower step than the current one only logs a warning, as in TF)."""
        with self._graph.as_default():
            step = _int64(new_global_step)
        return self._op(self._PREFIX + "SetGlobalStep", [step], name)


class ConditionalAccumulator(ConditionalAccumulatorBase):
    """Averages dense gradients of one shape pushed by several replicas.

    Example:
        >>> acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
        >>> sess.run(acc.apply_grad([1.0, 2.0])); sess.run(acc.apply_grad([3.0, 4.0]))
        >>> sess.run(acc.take_grad(2))   # array([2., 3.]); the accumulator's step is now 1
    """

    def __init__(self, dtype, shape=None, shared_name=None, name="conditional_accumulator",
                 reduction_type="MEAN"):
        ref = _make_accumulator("ResourceConditionalAccumulator", dtype, shape, shared_name,
                                name, reduction_type)
        super().__init__(dtype, shape, ref)

    def apply_grad(self, grad, local_step=0, name=None):
        """An op that adds `grad` unless `local_step` is older than the accumulator's step.

        Raises:
            ValueError: if `grad`'s static shape does not fit the accumulator's.
        """
        with self._graph.as_default():
            grad = constant_op.convert_to_tensor(grad, self._dtype)
            grad.get_shape().assert_is_compatible_with(self._shape)
            step = _int64(local_step)
        return self._op("ResourceAccumulatorApplyGradient", [step, grad], name,
                        {"dtype": self._dtype})

    def take_grad(self, num_required, name=None):
        """The average (or sum) of the gradients in; blocks until `num_required` are in, then
        resets the accumulator and bumps its step (InvalidArgumentError if `num_required` < 1).
        """
        def convert():
            return [constant_op.convert_to_tensor(num_required, dtypes_lib.int32,
                                                  name="num_required")]
        out = self._op("ResourceAccumulatorTakeGradient", [], name, {"dtype": self._dtype},
                       convert).outputs[0]
        out.set_shape(self._shape)
        return out


class SparseConditionalAccumulator(ConditionalAccumulatorBase):
    """Averages sparse gradients (`IndexedSlices`): each row by the number of gradients that
    touched it.

    Example:
        >>> acc = tf.SparseConditionalAccumulator(tf.float32, shape=[3, 2])
        >>> sess.run(acc.apply_grad([0], [[1.0, 2.0]]))
        >>> sess.run(acc.take_grad(1))   # (indices [0], values [[1., 2.]], shape [3, 2])
    """

    _PREFIX = "Accumulator"

    def __init__(self, dtype, shape=None, shared_name=None,
                 name="sparse_conditional_accumulator", reduction_type="MEAN"):
        ref = _make_accumulator("SparseConditionalAccumulator", dtype, shape, shared_name, name,
                                reduction_type)
        super().__init__(dtype, shape, ref)

    def apply_indexed_slices_grad(self, grad, local_step=0, name=None):
        """`apply_grad` for an `IndexedSlices` gradient."""
        return self.apply_grad(grad.indices, grad.values, grad.dense_shape, local_step, name)

    def apply_grad(self, grad_indices, grad_values, grad_shape=None, local_step=0, name=None):
        """An op that adds the rows `grad_values` at `grad_indices` unless `local_step` is
        older than the accumulator's step. Rows are merged with the ones in by walking both
        index lists in order, as TF does (give sorted indices to sum equal rows)."""
        with self._graph.as_default():
            step = _int64(local_step)
            indices = math_ops.cast(grad_indices, dtypes_lib.int64)
            shape = math_ops.cast([] if grad_shape is None else grad_shape, dtypes_lib.int64)

        def convert():
            values = constant_op.convert_to_tensor(grad_values, self._dtype,
                                                   name="gradient_values")
            return [values, shape]
        return self._op("SparseAccumulatorApplyGradient", [step, indices], name,
                        {"dtype": self._dtype, "has_known_shape": grad_shape is not None},
                        convert)

    def take_grad(self, num_required, name=None):
        """(indices, values, shape) of the averaged gradient; blocks until `num_required`
        gradients are in. The shape's first dimension is -1 when the accumulator's is unknown.
        """
        def convert():
            return [constant_op.convert_to_tensor(num_required, dtypes_lib.int32,
                                                  name="num_required")]
        op = self._op("SparseAccumulatorTakeGradient", [], name, {"dtype": self._dtype},
                      convert)
        return SparseTakeGradient(*op.outputs)

    def take_indexed_slices_grad(self, num_required, name=None):
        """`take_grad` as an `IndexedSlices`."""
        out = self.take_grad(num_required, name)
        return IndexedSlices(indices=out.indices, values=out.values, dense_shape=out.shape)


__all__ = ["ConditionalAccumulatorBase", "ConditionalAccumulator",
           "SparseConditionalAccumulator"]
