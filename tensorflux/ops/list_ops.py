"""TensorList ops: a variant scalar holding a list of tensors, the storage of `tf.TensorArray`.

TF 2's graph-mode TensorArray (what TF 1.x code gets in a TF 2 graph, and what `tf.while_loop`
carries as a loop variable) is a TensorList: every write returns a new list (`TensorListSetItem`),
reads, stacks and gathers take one. An unwritten element reads as zeros when its shape is known,
which is what the gradient lists need.

The element dtype and shape of a list tensor are its *handle data* (`Tensor._handle_data`, as
TF's): they make a float list differentiable (`gradients._trainable`) and travel through
Identity, while-loop variables and captures (see cond_ops.py and func_graph.py). Gradients are
TF's: the gradient of a list is a list, `Stack` and `FromTensor` are each other's gradient,
`GetItem`'s gradient is a zero list with one item set, `SetItem`'s reads the item's gradient
back out of the list and zeros that slot.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape
_SCALAR = TS([])
_VARIANT = [(dtypes.variant, _SCALAR)]


# --- element shapes --------------------------------------------------------------------------
def build_element_shape(shape):
    """The int32 shape tensor TF's list ops take: -1 for an unknown rank, -1 per unknown dim."""
    if hasattr(shape, "op") and hasattr(shape, "dtype"):
        return shape
    if shape is None:
        return constant_op.constant(-1, dtypes.int32)
    shape = tensor_shape.as_shape(shape)
    if shape.ndims is None:
        return constant_op.constant(-1, dtypes.int32)
    return constant_op.constant([-1 if d is None else d for d in shape.as_list()], dtypes.int32)


def _static_element_shape(t):
    """A TensorShape from an element_shape input (-1 means unknown rank)."""
    return constant_op.constant_value_as_shape(t)


def _set_handle_data(t, element_dtype, element_shape):
    t._handle_data = (dtypes.as_dtype(element_dtype).base_dtype,
                      tensor_shape.as_shape(element_shape))
    return t


def copy_handle_data(src, dst):
    """Gives `dst` the element dtype and shape of list tensor `src` (if it has them)."""
    data = getattr(src, "_handle_data", None)
    if data is not None:
        dst._handle_data = data
    return dst


def _handle_shape(t):
    data = getattr(t, "_handle_data", None)
    return data[1] if data is not None else tensor_shape.unknown_shape()


def _item_shape(op, shape_input=None):
    """The element shape a read can promise: the op's element_shape input merged with what
    the list's handle data says."""
    shape = _handle_shape(op.inputs[0])
    if shape_input is not None:
        given = _static_element_shape(op.inputs[shape_input])
        if given.ndims is not None and shape.is_compatible_with(given):
            shape = shape.merge_with(given)
        elif shape.ndims is None:
            shape = given
    return shape


def _stack_shape(op):
    n = op._attrs.get("num_elements", -1)
    lead = TS([None if n is None or n < 0 else n])
    return [(op._attrs["element_dtype"], lead.concatenate(_item_shape(op, 1)))]


def _gather_shape(op):
    idx = op.inputs[1].shape
    lead = TS([idx[0].value if idx.ndims == 1 else None])
    return [(op._attrs["element_dtype"], lead.concatenate(_item_shape(op, 2)))]


def _concat_shape(op):
    item = _item_shape(op, 1)
    rest = TS([None]).concatenate(item[1:]) if item.ndims else tensor_shape.unknown_shape()
    return [(op._attrs["element_dtype"], rest), (dtypes.int64, TS([None]))]


registry.register("TensorListReserve", shape=lambda op: _VARIANT, grad=ND)
registry.register("EmptyTensorList", shape=lambda op: _VARIANT, grad=ND)
registry.register("TensorListLength", shape=lambda op: [(dtypes.int32, _SCALAR)], grad=ND)
registry.register("TensorListElementShape", grad=ND, shape=lambda op: [
    (op._attrs.get("shape_type", dtypes.int32), TS([_handle_shape(op.inputs[0]).ndims]))])
registry.register("TensorListGetItem", shape=lambda op: [
    (op._attrs["element_dtype"], _item_shape(op, 2))], grad=lambda op, g: _get_item_grad(op, g))
registry.register("TensorListSetItem", shape=lambda op: _VARIANT,
                  grad=lambda op, g: _set_item_grad(op, g))
registry.register("TensorListStack", shape=_stack_shape,
                  grad=lambda op, g: [tensor_list_from_tensor(g, g.shape[1:]), None])
registry.register("TensorListFromTensor", shape=lambda op: _VARIANT,
                  grad=lambda op, g: _from_tensor_grad(op, g))
registry.register("TensorListGather", shape=_gather_shape,
                  grad=lambda op, g: _gather_grad(op, g))
registry.register("TensorListScatterIntoExistingList", shape=lambda op: _VARIANT,
                  grad=lambda op, g: _scatter_grad(op, g))
registry.register("TensorListConcatV2", shape=_concat_shape,
                  grad=lambda op, g, _lengths: _concat_grad(op, g))
registry.register("TensorListSplit", shape=lambda op: _VARIANT,
                  grad=lambda op, g: _split_grad(op, g))
registry.register("TensorListPushBack", shape=lambda op: _VARIANT,
                  grad=lambda op, g: _push_back_grad(op, g))
registry.register("TensorListPopBack", grad=lambda op, dlist, ditem: _pop_back_grad(
    op, dlist, ditem), shape=lambda op: [(dtypes.variant, _SCALAR),
                                         (op._attrs["element_dtype"], _item_shape(op, 1))])
registry.register("TensorListResize", shape=lambda op: _VARIANT,
                  grad=lambda op, g: [tensor_list_resize(g, tensor_list_length(op.inputs[0])),
                                      None])


# --- wrappers (list_ops.py of TF) -----------------------------------------------------------
def _make(op_type, inputs, attrs, name, element_dtype, element_shape):
    t = registry.make_tensor(op_type, inputs, attrs, name=name or op_type)
    return _set_handle_data(t, element_dtype, element_shape)


def tensor_list_reserve(element_shape, num_elements, element_dtype, name=None):
    """A list of `num_elements` unwritten elements."""
    dt = dtypes.as_dtype(element_dtype).base_dtype
    n = convert(num_elements, dtype=dtypes.int32)
    return _make("TensorListReserve", [build_element_shape(element_shape), n],
                 {"element_dtype": dt, "shape_type": dtypes.int32}, name, dt,
                 _static_shape_or_unknown(element_shape))


def empty_tensor_list(element_shape, element_dtype, max_num_elements=None, name=None):
    """A list with no elements."""
    dt = dtypes.as_dtype(element_dtype).base_dtype
    m = convert(-1 if max_num_elements is None else max_num_elements, dtype=dtypes.int32)
    return _make("EmptyTensorList", [build_element_shape(element_shape), m],
                 {"element_dtype": dt, "shape_type": dtypes.int32}, name, dt,
                 _static_shape_or_unknown(element_shape))


def _static_shape_or_unknown(shape):
    if hasattr(shape, "op") and hasattr(shape, "dtype"):
        return _static_element_shape(shape)
    return tensor_shape.unknown_shape() if shape is None else tensor_shape.as_shape(shape)


def tensor_list_from_tensor(tensor, element_shape, name=None):
    """The rows of `tensor` (along axis 0) as a list."""
    tensor = convert(tensor)
    return _make("TensorListFromTensor", [tensor, build_element_shape(element_shape)],
                 {"element_dtype": tensor.dtype.base_dtype, "shape_type": dtypes.int32}, name,
                 tensor.dtype, tensor.shape[1:] if tensor.shape.ndims else
                 tensor_shape.unknown_shape())


def tensor_list_get_item(input_handle, index, element_dtype, element_shape=None, name=None):
    """Element `index` of the list (zeros if unwritten and its shape is known)."""
    return registry.make_tensor(
        "TensorListGetItem", [input_handle, convert(index, dtype=dtypes.int32),
                              build_element_shape(element_shape)],
        {"element_dtype": dtypes.as_dtype(element_dtype).base_dtype},
        name=name or "TensorListGetItem")


def tensor_list_set_item(input_handle, index, item, resize_if_index_out_of_bounds=False,
                         name=None):
    """A new list: `input_handle` with element `index` replaced by `item`."""
    item = convert(item)
    t = registry.make_tensor(
        "TensorListSetItem", [input_handle, convert(index, dtype=dtypes.int32), item],
        {"element_dtype": item.dtype.base_dtype,
         "resize_if_index_out_of_bounds": bool(resize_if_index_out_of_bounds)},
        name=name or "TensorListSetItem")
    return copy_handle_data(input_handle, t)


def tensor_list_stack(input_handle, element_dtype, num_elements=-1, element_shape=None,
                      name=None):
    """The elements stacked along a new axis 0."""
    return registry.make_tensor(
        "TensorListStack", [input_handle, build_element_shape(element_shape)],
        {"element_dtype": dtypes.as_dtype(element_dtype).base_dtype,
         "num_elements": -1 if num_elements is None else int(num_elements)},
        name=name or "TensorListStack")


def tensor_list_length(input_handle, name=None):
    return registry.make_tensor("TensorListLength", [input_handle], {},
                                name=name or "TensorListLength")


def tensor_list_element_shape(input_handle, shape_type=dtypes.int32, name=None):
    return registry.make_tensor("TensorListElementShape", [input_handle],
                                {"shape_type": dtypes.as_dtype(shape_type)},
                                name=name or "TensorListElementShape")


def tensor_list_gather(input_handle, indices, element_dtype, element_shape=None, name=None):
    """Elements `indices`, stacked."""
    return registry.make_tensor(
        "TensorListGather", [input_handle, convert(indices, dtype=dtypes.int32),
                             build_element_shape(element_shape)],
        {"element_dtype": dtypes.as_dtype(element_dtype).base_dtype},
        name=name or "TensorListGather")


def tensor_list_scatter(tensor, indices, input_handle, name=None):
    """A new list: `input_handle` with elements `indices` set to the rows of `tensor`."""
    tensor = convert(tensor)
    t = registry.make_tensor(
        "TensorListScatterIntoExistingList",
        [input_handle, tensor, convert(indices, dtype=dtypes.int32)],
        {"element_dtype": tensor.dtype.base_dtype},
        name=name or "TensorListScatterIntoExistingList")
    return copy_handle_data(input_handle, t)


def tensor_list_concat(input_handle, element_dtype, element_shape=None, name=None):
    """The elements concatenated along axis 0 (and their lengths)."""
    op = registry.make_op(
        "TensorListConcatV2", [input_handle, build_element_shape(element_shape),
                               constant_op.constant([], dtypes.int64)],
        {"element_dtype": dtypes.as_dtype(element_dtype).base_dtype,
         "shape_type": dtypes.int32}, name=name or "TensorListConcatV2")
    return op.outputs[0], op.outputs[1]


def tensor_list_split(tensor, element_shape, lengths, name=None):
    """`tensor` cut along axis 0 into pieces of `lengths` rows, as a list."""
    tensor = convert(tensor)
    return _make("TensorListSplit", [tensor, build_element_shape(element_shape),
                                     convert(lengths, dtype=dtypes.int64)],
                 {"element_dtype": tensor.dtype.base_dtype, "shape_type": dtypes.int32}, name,
                 tensor.dtype, _static_shape_or_unknown(element_shape))


def tensor_list_push_back(input_handle, tensor, name=None):
    """A new list: `input_handle` with `tensor` appended (TF 2's while-loop accumulators)."""
    tensor = convert(tensor)
    t = registry.make_tensor("TensorListPushBack", [input_handle, tensor],
                             {"element_dtype": tensor.dtype.base_dtype},
                             name=name or "TensorListPushBack")
    return copy_handle_data(input_handle, t)


def tensor_list_pop_back(input_handle, element_dtype, element_shape=-1, name=None):
    """(the list without its last element, that element)."""
    op = registry.make_op("TensorListPopBack", [input_handle, build_element_shape(
        None if isinstance(element_shape, int) and element_shape == -1 else element_shape)],
                          {"element_dtype": dtypes.as_dtype(element_dtype).base_dtype},
                          name=name or "TensorListPopBack")
    copy_handle_data(input_handle, op.outputs[0])
    return op.outputs[0], op.outputs[1]


def tensor_list_resize(input_handle, size, name=None):
    t = registry.make_tensor("TensorListResize",
                             [input_handle, convert(size, dtype=dtypes.int32)], {},
                             name=name or "TensorListResize")
    return copy_handle_data(input_handle, t)


# --- gradients (TF's list_ops.py) -----------------------------------------------------------
def _shape_of(t):
    """`t`'s shape: static when known (so reads of the gradient list keep it), else a tensor."""
    from tensorflux.ops import array_ops

    return t.shape if t.shape.is_fully_defined() else array_ops.shape(t)


def _row_shape_of(t):
    """The shape of `t`'s rows (all but axis 0), static when known."""
    from tensorflux.ops import array_ops, slicing_ops

    if t.shape.ndims is not None and t.shape[1:].is_fully_defined():
        return t.shape[1:]
    return slicing_ops.slice(array_ops.shape(t), [1], [-1])


def _get_item_grad(op, ditem):
    zeros = tensor_list_reserve(tensor_list_element_shape(op.inputs[0]),
                                tensor_list_length(op.inputs[0]), ditem.dtype)
    return [tensor_list_set_item(zeros, op.inputs[1], ditem), None, None]


def _set_item_grad(op, dlist):
    from tensorflux.ops import array_ops

    _, index, item = op.inputs
    list_grad = tensor_list_set_item(dlist, index, array_ops.zeros_like(item))
    item_grad = tensor_list_get_item(dlist, index, item.dtype, _shape_of(item))
    if op._attrs.get("resize_if_index_out_of_bounds"):
        list_grad = tensor_list_resize(list_grad, tensor_list_length(op.inputs[0]))
    return [list_grad, None, item_grad]


def _from_tensor_grad(op, dlist):

    t = op.inputs[0]
    n = t.shape[0].value if t.shape.ndims else None
    shape = _row_shape_of(t)
    return [tensor_list_stack(dlist, t.dtype, -1 if n is None else n, shape), None]


def _gather_grad(op, dtensor):
    zeros = tensor_list_reserve(tensor_list_element_shape(op.inputs[0]),
                                tensor_list_length(op.inputs[0]), dtensor.dtype)
    return [tensor_list_scatter(dtensor, op.inputs[1], zeros), None, None]


def _scatter_grad(op, dlist):
    from tensorflux.ops import array_ops

    _, tensor, indices = op.inputs
    shape = _row_shape_of(tensor)
    dtensor = tensor_list_gather(dlist, indices, tensor.dtype, shape)
    dlist = tensor_list_scatter(array_ops.zeros_like(tensor), indices, dlist)
    return [dlist, dtensor, None]


def _concat_grad(op, dtensor):
    dlist = tensor_list_split(dtensor, tensor_list_element_shape(op.inputs[0]), op.outputs[1])
    return [dlist, None, None]


def _push_back_grad(op, dlist):
    """TF's: pop the pushed element's gradient back off the gradient list."""
    from tensorflux.ops import array_ops

    item = op.inputs[1]
    rest, ditem = tensor_list_pop_back(dlist, item.dtype, array_ops.shape(item))
    return [rest, ditem]


def _pop_back_grad(op, dlist, ditem):
    from tensorflux.ops import array_ops

    if dlist is None:
        dlist = empty_tensor_list(tensor_list_element_shape(op.outputs[0]), ditem.dtype)
    if ditem is None:
        ditem = array_ops.zeros_like(op.outputs[1])
    return [tensor_list_push_back(dlist, ditem), None]


def _split_grad(op, dlist):
    from tensorflux.ops import array_ops, slicing_ops

    tensor, _, lengths = op.inputs
    shape = array_ops.concat([[-1], slicing_ops.slice(array_ops.shape(tensor), [1], [-1])], 0)
    out = registry.make_op("TensorListConcatV2", [dlist, shape, lengths],
                           {"element_dtype": tensor.dtype.base_dtype,
                            "shape_type": dtypes.int32}, name="TensorListConcatV2")
    return [out.outputs[0], None, None]


__all__ = ["build_element_shape", "copy_handle_data", "empty_tensor_list",
           "tensor_list_concat", "tensor_list_element_shape", "tensor_list_from_tensor",
           "tensor_list_gather", "tensor_list_get_item", "tensor_list_length",
           "tensor_list_pop_back", "tensor_list_push_back",
           "tensor_list_reserve", "tensor_list_resize", "tensor_list_scatter",
           "tensor_list_set_item", "tensor_list_split", "tensor_list_stack"]
