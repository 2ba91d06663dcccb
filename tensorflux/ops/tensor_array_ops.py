"""`tf.TensorArray`: TF 2's graph-mode TensorArray, a TensorList in its `flow` tensor.

What TF 1.x code gets in a TF 2 graph (control flow v2): every `write`, `unstack`, `scatter` and
`split` returns a new TensorArray whose `flow` is the new list; `read`, `stack`, `gather` and
`concat` read one. `tf.while_loop` carries a TensorArray loop variable as its flow (see
cond_ops.py), and gradients flow through writes and reads (ops/list_ops.py).

Example:
    >>> ta = tf.TensorArray(tf.float32, size=3)
    >>> ta = ta.write(0, 1.0).write(1, 2.0).write(2, 3.0)
    >>> total = tf.reduce_sum(ta.stack())  # 6.0
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, list_ops, math_ops
from tensorflux.ops._helpers import convert


def _check_dtypes(value, dtype):
    if value.dtype.base_dtype != dtype:
        raise TypeError("TensorArray dtype is %s but Op is trying to write dtype %s "
                        % (dtype.name, value.dtype.base_dtype.name))


class TensorArray:
    """A list of tensors of one dtype, written and read by index inside graphs and loops.

    Args follow TF's: `dtype` (required), `size` (unless `flow` is given), `dynamic_size`
    (writes past the end grow the array), `element_shape` (a shape every element has),
    `infer_shape` (learn the element shape from writes), `flow` (a TensorList variant).
    `clear_after_read`, `tensor_array_name` and `colocate_with_first_write_call` are accepted
    and unused, as in TF 2.
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if handle is not None:
            raise ValueError("TensorArray in a TF 2 graph has no handle; pass `flow`.")
        if flow is not None and (not isinstance(flow, Tensor) or
                                 flow.dtype.base_dtype != dtypes.variant):
            raise TypeError("Expected `flow` to be a variant tensor, but received `%s` instead."
                            % (getattr(flow, "dtype", type(flow)),))
        if flow is None and size is None:
            raise ValueError("Argument `size` must be provided if argument `flow` is not "
                             "provided.")
        if flow is not None and size is not None:
            raise ValueError("Cannot provide both `flow` and `size` arguments at the same time.")
        if flow is not None and element_shape is not None:
            raise ValueError("Cannot provide both `flow` and `element_shape` argumentsat the "
                             "same time.")
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._dynamic_size = dynamic_size
        self._size = size
        self._infer_shape = infer_shape
        self._element_shape = [tensor_shape.as_shape(element_shape)]
        if flow is None:
            with graph_lib.name_scope(name, "TensorArrayV2", [size]) as scope:
                self._flow = list_ops.tensor_list_reserve(element_shape, size, self._dtype,
                                                          name=scope)
        else:
            self._flow = flow
            data = flow._handle_data
            if data is not None and element_shape is None:
                self._element_shape = [data[1]]

    @property
    def flow(self):
        """The TensorList variant tensor holding the elements."""
        return self._flow

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape[0]

    @property
    def handle(self):
        return None

    @property
    def dynamic_size(self):
        return self._dynamic_size

    def _check_element_shape(self, shape):
        if not shape.is_compatible_with(self.element_shape):
            raise ValueError("Inconsistent shapes: saw %s but expected %s "
                             % (shape, self.element_shape))
        if self._infer_shape:
            self._element_shape[0] = self.element_shape.merge_with(shape)

    def _with_flow(self, flow):
        """A TensorArray like this one (sharing its element shape) over list `flow`."""
        ta = TensorArray.__new__(TensorArray)
        ta.__dict__.update(self.__dict__)
        ta._flow = flow
        return ta

    def identity(self):
        """The same array behind an Identity of its flow (for control dependencies)."""
        flow = array_ops.identity(self._flow)
        list_ops.copy_handle_data(self._flow, flow)
        return self._with_flow(flow)

    def read(self, index, name=None):
        """Element `index` (zeros if it was never written and its shape is known)."""
        with graph_lib.name_scope(name, "TensorArrayV2Read", [self._flow, index]):
            return list_ops.tensor_list_get_item(self._flow, index, self._dtype,
                                                 self.element_shape, name=name)

    def write(self, index, value, name=None):
        """A new TensorArray with element `index` set to `value`."""
        with graph_lib.name_scope(name, "TensorArrayV2Write", [self._flow, index, value]):
            value = convert(value, preferred_dtype=self._dtype, name="value")
            _check_dtypes(value, self._dtype)
            self._check_element_shape(value.shape)
            flow = list_ops.tensor_list_set_item(
                self._flow, index, value, resize_if_index_out_of_bounds=bool(self._dynamic_size),
                name=name)
            return self._with_flow(flow)

    def stack(self, name=None):
        """All elements stacked along a new axis 0."""
        with graph_lib.name_scope(name, "TensorArrayV2Stack", [self._flow]):
            n = -1
            if not self._dynamic_size and self._size is not None:
                v = constant_op.constant_value(convert(self._size))
                n = -1 if v is None else int(v)
            return list_ops.tensor_list_stack(self._flow, self._dtype, n, self.element_shape)

    def gather(self, indices, name=None):
        """Elements `indices`, stacked."""
        return list_ops.tensor_list_gather(self._flow, indices, self._dtype,
                                           self.element_shape, name=name)

    def concat(self, name=None):
        """All elements concatenated along their axis 0."""
        shape = self.element_shape
        shape = [None] + shape.as_list()[1:] if shape.ndims else None
        value, _ = list_ops.tensor_list_concat(self._flow, self._dtype, shape, name=name)
        return value

    def unstack(self, value, name=None):
        """A new TensorArray holding the rows of `value`."""
        with graph_lib.name_scope(name, "TensorArrayUnstack", [self._flow, value]):
            value = convert(value, preferred_dtype=self._dtype, name="value")
            _check_dtypes(value, self._dtype)
            self._check_element_shape(value.shape[1:] if value.shape.ndims else
                                      tensor_shape.unknown_shape())
            flow = list_ops.tensor_list_from_tensor(value, value.shape[1:] if
                                                    value.shape.ndims else None)
            return self._with_flow(flow)

    def scatter(self, indices, value, name=None):
        """A new TensorArray with elements `indices` set to the rows of `value`."""
        with graph_lib.name_scope(name, "TensorArrayScatter", [self._flow, value, indices]):
            value = convert(value, preferred_dtype=self._dtype, name="value")
            _check_dtypes(value, self._dtype)
            self._check_element_shape(value.shape[1:] if value.shape.ndims else
                                      tensor_shape.unknown_shape())
            flow = list_ops.tensor_list_scatter(value, indices, self._flow)
            return self._with_flow(flow)

    def split(self, value, lengths, name=None):
        """A new TensorArray holding `value` cut along axis 0 into pieces of `lengths` rows."""
        with graph_lib.name_scope(name, "TensorArraySplit", [self._flow, value, lengths]):
            value = convert(value, preferred_dtype=self._dtype, name="value")
            _check_dtypes(value, self._dtype)
            lengths = math_ops.cast(lengths, dtypes.int64)
            known = constant_op.constant_value(lengths)
            if value.shape.ndims is not None and known is not None and known.size and \
                    known.max() == known.min():
                self._check_element_shape(
                    tensor_shape.TensorShape([int(known.ravel()[0])]).concatenate(
                        value.shape[1:]))
            flow = list_ops.tensor_list_split(value, self.element_shape, lengths, name=name)
            return self._with_flow(flow)

    def size(self, name=None):
        """The number of elements (an int32 scalar)."""
        if not self._dynamic_size and self._size is not None:
            return convert(self._size, dtype=dtypes.int32)
        return list_ops.tensor_list_length(self._flow, name=name)

    def close(self, name=None):
        """A no-op, as in TF 2."""
        from tensorflux.ops import control_flow_ops

        return control_flow_ops.no_op(name=name)

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError("TensorArray.grad is not supported for TF 2 TensorArrays.")


def build_ta_with_new_flow(old_ta, flow):
    """A TensorArray like `old_ta` over `flow` (while_loop rebuilds its arrays with it)."""
    return old_ta._with_flow(flow)


__all__ = ["TensorArray", "build_ta_with_new_flow"]
