"""numpy kernels for the TensorList ops (ops/list_ops.py): a list variant is a `TensorList`.

A `TensorList` is immutable: a write makes a new one that shares the other elements' arrays
(copying a tuple of references, not the data), so a list a while loop's gradient stashed for
an iteration keeps its elements. An unwritten element is None; it reads as zeros when its shape
is known (the element_shape the read is given, or the list's own), else the read fails as TF's.
Gradient lists add element-wise (`AddN`), None acting as zeros.
"""

import numpy as np

from tensorflux.ops.registry import kernel


class TensorList:
    """The value of a TensorList variant: `items` (arrays or None), their dtype and shape."""

    __slots__ = ("items", "dtype", "shape")

    def __init__(self, items, dtype, shape):
        self.items = tuple(items)
        self.dtype = np.dtype(dtype)
        self.shape = shape  # tuple with -1 for unknown dims, or None for an unknown rank

    def __add__(self, other):
        other = _unwrap(other)
        if len(self.items) != len(other.items):
            raise ValueError("Trying to add two lists of tensors with different lengths, one "
                             "is %d and the other is %d" % (len(self.items), len(other.items)))
        items = [b if a is None else a if b is None else a + b
                 for a, b in zip(self.items, other.items)]
        return TensorList(items, self.dtype, self.shape)

    __radd__ = __add__

    def __len__(self):
        return len(self.items)

    def __repr__(self):
        return "TensorList(%d x %s %s)" % (len(self.items), self.dtype, self.shape)


def _unwrap(v):
    if isinstance(v, np.ndarray) and v.dtype == object and v.ndim == 0:
        v = v.item()  # a constant-folded variant
    if not isinstance(v, TensorList):
        raise ValueError("Input is not a TensorList (got %s)" % type(v).__name__)
    return v


def _shape_arg(shape):
    """An element_shape input as a tuple (-1 for unknown dims), or None for an unknown rank."""
    shape = np.asarray(shape)
    if shape.ndim == 0:
        if int(shape) != -1:
            raise ValueError("The only valid scalar shape tensor is the fully unknown shape "
                             "specified as -1.")
        return None
    return tuple(int(d) for d in shape)


def _merge(a, b):
    """Two partial shapes merged (None: unknown rank); raises ValueError when they conflict."""
    if a is None:
        return b
    if b is None:
        return a
    if len(a) != len(b) or any(x != y and -1 not in (x, y) for x, y in zip(a, b)):
        raise ValueError("PartialTensorShape: Incompatible shapes during merge: [%s] vs. [%s]"
                         % (",".join(map(str, a)), ",".join(map(str, b))))
    return tuple(x if x != -1 else y for x, y in zip(a, b))


def _full(shape):
    return shape is not None and all(d >= 0 for d in shape)


def zeros_like(lst):
    """`ZerosLike` of a list: the same length, zeros where elements are set (None stays)."""
    lst = _unwrap(lst)
    return TensorList([None if x is None else np.zeros_like(x) for x in lst.items],
                      lst.dtype, lst.shape)


def is_list(v):
    """Whether `v` is a list value (possibly constant-folded into a 0-d object array)."""
    return isinstance(v, TensorList) or (isinstance(v, np.ndarray) and v.dtype == object and
                                         v.ndim == 0 and isinstance(v.item(), TensorList))


def zeros_like_value(v):
    """`np.zeros_like` that also takes list values (the control-flow gradient kernels')."""
    return zeros_like(v) if is_list(v) else np.zeros_like(v)


def _index(lst, index, what="access"):
    i = int(index)
    if not 0 <= i < len(lst.items):
        raise IndexError("Trying to %s element %d in a list with %d elements."
                         % (what, i, len(lst.items)))
    return i


def _read(lst, i, shape, dtype):
    x = lst.items[i]
    if x is not None:
        return x
    shape = _merge(lst.shape, shape)
    if not _full(shape):
        raise ValueError("Trying to read an uninitialized tensor but element_shape is not "
                         "fully defined: %s and no list element is set."
                         % ("<unknown>" if shape is None else list(shape)))
    return np.zeros(shape, dtype)


def _check_item(lst, item, dtype):
    if item.dtype != lst.dtype:
        raise ValueError("Invalid data types; list elements %s but tried to append %s"
                         % (lst.dtype.name, item.dtype.name))
    _merge(lst.shape, tuple(item.shape))


@kernel("TensorListReserve")
def _reserve(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype

    def run(shape, n):
        n = int(n)
        if n < 0:
            raise ValueError("The num_elements to reserve must be a non negative number, but "
                             "got %d" % n)
        return TensorList([None] * n, dtype, _shape_arg(shape))
    return run


@kernel("EmptyTensorList")
def _empty(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype
    return lambda shape, max_n: TensorList([], dtype, _shape_arg(shape))


@kernel("TensorListLength")
def _length(op):
    return lambda lst: np.int32(len(_unwrap(lst).items))


@kernel("TensorListElementShape")
def _element_shape(op):
    dtype = op._attrs.get("shape_type").as_numpy_dtype

    def run(lst):
        shape = _unwrap(lst).shape
        return np.asarray(-1 if shape is None else shape, dtype)
    return run


@kernel("TensorListGetItem")
def _get_item(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype

    def run(lst, index, shape):
        lst = _unwrap(lst)
        return _read(lst, _index(lst, index), _shape_arg(shape), dtype)
    return run


@kernel("TensorListSetItem")
def _set_item(op):
    resize = op._attrs.get("resize_if_index_out_of_bounds", False)

    def run(lst, index, item):
        lst = _unwrap(lst)
        item = np.asarray(item)
        _check_item(lst, item, lst.dtype)
        items = list(lst.items)
        i = int(index)
        if resize and i >= len(items):
            items.extend([None] * (i + 1 - len(items)))
        i = _index(TensorList(items, lst.dtype, lst.shape), i, "modify")
        items[i] = item
        return TensorList(items, lst.dtype, lst.shape)
    return run


def _stack_items(lst, idx, shape, dtype):
    shape = _merge(lst.shape, shape)
    for x in lst.items:
        if x is not None:
            shape = _merge(shape, x.shape)
    if not _full(shape):
        if not idx:
            raise ValueError("Tried to stack elements of an empty list with non-fully-defined "
                             "element_shape: %s" % ("<unknown>" if shape is None else list(shape)))
        raise ValueError("Tried to stack list which only contains uninitialized tensors and "
                         "has a non-fully-defined element_shape: %s"
                         % ("<unknown>" if shape is None else list(shape)))
    out = np.zeros((len(idx),) + tuple(shape), dtype)
    for k, i in enumerate(idx):
        if lst.items[i] is not None:
            out[k] = lst.items[i]
    return out


@kernel("TensorListStack")
def _stack(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype
    n = op._attrs.get("num_elements", -1)

    def run(lst, shape):
        lst = _unwrap(lst)
        if n is not None and n >= 0 and n != len(lst.items):
            raise ValueError("Operation expected a list with %d elements but got a list with %d "
                             "elements." % (n, len(lst.items)))
        return _stack_items(lst, range(len(lst.items)), _shape_arg(shape), dtype)
    return run


@kernel("TensorListFromTensor")
def _from_tensor(op):
    def run(tensor, shape):
        tensor = np.asarray(tensor)
        if tensor.ndim == 0:
            raise ValueError("Tensor must be at least a vector, but saw shape: []")
        shape = _merge(_shape_arg(shape), tuple(tensor.shape[1:]))
        return TensorList(list(tensor), tensor.dtype, shape)
    return run


@kernel("TensorListGather")
def _gather(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype

    def run(lst, indices, shape):
        lst = _unwrap(lst)
        idx = [_index(lst, i) for i in np.asarray(indices).ravel()]
        return _stack_items(lst, idx, _shape_arg(shape), dtype)
    return run


@kernel("TensorListScatterIntoExistingList")
def _scatter(op):
    def run(lst, tensor, indices):
        lst = _unwrap(lst)
        tensor = np.asarray(tensor)
        indices = np.asarray(indices).ravel()
        if tensor.ndim == 0 or len(indices) != tensor.shape[0]:
            raise ValueError("Invalid number of rows in input tensor. Expected: %d Actual: %s"
                             % (len(indices), tensor.shape[0] if tensor.ndim else "scalar"))
        items = list(lst.items)
        for k, i in enumerate(indices):
            i = int(i)
            if i < 0:
                raise IndexError("Trying to scatter at index %d in list with size %d"
                                 % (i, len(items)))
            if i >= len(items):
                items.extend([None] * (i + 1 - len(items)))
            _check_item(lst, tensor[k], lst.dtype)
            items[i] = tensor[k]
        return TensorList(items, lst.dtype, lst.shape)
    return run


@kernel("TensorListConcatV2")
def _concat(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype

    def run(lst, shape, leading_dims):
        lst = _unwrap(lst)
        shape = _merge(lst.shape, _shape_arg(shape))
        leading = np.asarray(leading_dims).ravel()
        parts = []
        for k, x in enumerate(lst.items):
            if x is None:
                rows = int(leading[k]) if len(leading) else -1
                rest = shape[1:] if shape is not None else None
                if rows < 0 or not _full(rest):
                    raise ValueError("All except the first dimension must be fully defined when "
                                     "concating an empty tensor list. element_shape: %s"
                                     % ("<unknown>" if shape is None else list(shape)))
                x = np.zeros((rows,) + tuple(rest), dtype)
            if x.ndim == 0:
                raise ValueError("Concat saw a scalar shape at index %d but requires at least "
                                 "vectors." % k)
            parts.append(x)
        if not parts:
            rest = shape[1:] if shape is not None else None
            if not _full(rest):
                raise ValueError("All except the first dimension must be fully defined when "
                                 "concating an empty tensor list.")
            return np.zeros((0,) + tuple(rest), dtype), np.zeros(0, np.int64)
        return (np.concatenate(parts, axis=0),
                np.asarray([p.shape[0] for p in parts], np.int64))
    return run


@kernel("TensorListSplit")
def _split(op):
    def run(tensor, shape, lengths):
        tensor = np.asarray(tensor)
        lengths = [int(n) for n in np.asarray(lengths).ravel()]
        if tensor.ndim == 0:
            raise ValueError("Tensor must be at least a vector, but saw shape: []")
        if any(n < 0 for n in lengths) or sum(lengths) != tensor.shape[0]:
            raise ValueError("Unused values in tensor. Length of tensor: %d Values used: %d"
                             % (tensor.shape[0], sum(lengths)))
        items, start = [], 0
        for n in lengths:
            items.append(tensor[start:start + n])
            start += n
        shape = _shape_arg(shape)
        if shape is not None and shape:
            shape = (-1,) + shape[1:]
        return TensorList(items, tensor.dtype, shape)
    return run


@kernel("TensorListPushBack")
def _push_back(op):
    def run(lst, tensor):
        lst = _unwrap(lst)
        tensor = np.asarray(tensor)
        _check_item(lst, tensor, lst.dtype)
        return TensorList(lst.items + (tensor,), lst.dtype, lst.shape)
    return run


@kernel("TensorListPopBack")
def _pop_back(op):
    dtype = op._attrs["element_dtype"].as_numpy_dtype

    def run(lst, shape):
        lst = _unwrap(lst)
        if not lst.items:
            raise ValueError("Trying to pop from an empty list.")
        item = _read(lst, len(lst.items) - 1, _shape_arg(shape), dtype)
        return [TensorList(lst.items[:-1], lst.dtype, lst.shape), item]
    return run


@kernel("TensorListResize")
def _resize(op):
    def run(lst, size):
        lst = _unwrap(lst)
        n = int(size)
        if n < 0:
            raise ValueError("TensorListSlice expects size to be non-negative. Got: %d" % n)
        items = list(lst.items[:n]) + [None] * max(0, n - len(lst.items))
        return TensorList(items, lst.dtype, lst.shape)
    return run
