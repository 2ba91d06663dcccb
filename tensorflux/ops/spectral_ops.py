"""Complex numbers and FFTs: Complex/Real/Imag/Conj/Angle/ComplexAbs and the FFT op family."""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    _helpers,
    array_extras,
    array_ops,
    constant_op,
    fill_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    pad_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _is_numeric(dtype):
    return dtype.is_floating or dtype.is_integer or dtype.is_complex


# --- Complex and its parts -------------------------------------------------------------------
def _complex_shape(op):
    x, y = op.inputs
    return [(op._attrs["Tout"], _helpers.broadcast_shapes(x.shape, y.shape))]


def _complex_grad(op, g):
    """TF's _ComplexGrad: the real and imaginary parts of `g`, summed to each input's shape."""
    x, y = op.inputs
    return [math_ops._sum_to(real(g), x), math_ops._sum_to(imag(g), y)]


def _part_shape(op):
    x = op.inputs[0]
    return [(x.dtype.real_dtype, x.shape)]


def _real_grad(op, g):
    return [complex(g, constant_op.constant(0, dtype=g.dtype))]


def _imag_grad(op, g):
    return [complex(constant_op.constant(0, dtype=g.dtype), g)]


def _angle_grad(op, g):
    """TF's _AngleGrad: -grad / (Im(x) + i Re(x))."""
    x = op.inputs[0]
    with graph_lib.get_default_graph().control_dependencies([g]):
        z = math_ops.reciprocal(complex(imag(x), real(x)))
        complex_grad = complex(g, constant_op.constant(0, dtype=g.dtype))
        return [math_ops.multiply(math_ops.negative(complex_grad), z)]


def _complex_abs_grad(op, g):
    """TF's _ComplexAbsGrad: grad * x / |x| (0 where |x| = 0)."""
    y = op.outputs[0]
    return [math_ops.div_no_nan(
        math_ops.multiply(complex(g, fill_ops.zeros_like(g)), op.inputs[0]),
        complex(y, fill_ops.zeros_like(y)))]


registry.register("Complex", shape=_complex_shape, grad=_complex_grad)
registry.register("Real", shape=_part_shape, grad=_real_grad)
registry.register("Imag", shape=_part_shape, grad=_imag_grad)
registry.register("Angle", shape=_part_shape, grad=_angle_grad)
registry.register("ComplexAbs", shape=_part_shape, grad=_complex_abs_grad)
registry.register("Conj", shape=lambda op: [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)],
                  grad=lambda op, g: [conj(g)])


def complex(real, imag, name=None):  # noqa: A001 - TF's public name
    """Builds `real + i * imag` from two float32 (complex64) or float64 (complex128) tensors.

    Example:
        >>> tf.complex([1.0, 2.0], [3.0, 4.0])  # [1+3j, 2+4j], complex64
    """
    real = convert(real, name="real")
    imag = convert(imag, name="imag")
    with graph_lib.name_scope(name, "Complex", [real, imag]) as scope:
        rd, idt = real.dtype.base_dtype, imag.dtype.base_dtype
        if rd != idt or rd not in _COMPLEX_OF:
            raise TypeError("The `real` and `imag` components have incorrect types: %s %s. They "
                            "must be consistent, and one of [tf.float32, tf.float64]"
                            % (rd.name, idt.name))
        return registry.make_tensor("Complex", [real, imag], {"T": rd, "Tout": _COMPLEX_OF[rd]},
                                    name=scope)


def _part(op_type, x, scope):
    return registry.make_tensor(op_type, [x], {"T": x.dtype.base_dtype,
                                               "Tout": x.dtype.real_dtype}, name=scope)


def real(input, name=None):  # noqa: A002 - TF's keyword
    """The real part of a complex tensor (a real tensor is returned as it is)."""
    with graph_lib.name_scope(name, "Real", [input]) as scope:
        x = convert(input, name="input")
        if x.dtype.is_complex:
            return _part("Real", x, scope)
        if _is_numeric(x.dtype):
            return x
        raise TypeError("input must be a numeric tensor, but got tensor with dtype %s" % x.dtype)


def imag(input, name=None):  # noqa: A002 - TF's keyword
    """The imaginary part of a complex tensor (zeros for a real tensor)."""
    with graph_lib.name_scope(name, "Imag", [input]) as scope:
        x = convert(input, name="input")
        if x.dtype.is_complex:
            return _part("Imag", x, scope)
        return fill_ops.zeros_like(x)


def angle(input, name=None):  # noqa: A002 - TF's keyword
    """The argument of a complex tensor; for a real tensor, pi where it is negative, else 0."""
    with graph_lib.name_scope(name, "Angle", [input]) as scope:
        x = convert(input, name="input")
        if x.dtype.is_complex:
            return _part("Angle", x, scope)
        return array_ops.where(math_ops.less(x, 0), np.pi * fill_ops.ones_like(x),
                               fill_ops.zeros_like(x))


def complex_abs(x, name=None):
    """|x| of a complex tensor as a real tensor (op ComplexAbs; `tf.abs` picks it)."""
    with graph_lib.name_scope(name, "ComplexAbs", [x]) as scope:
        x = convert(x, name="x")
        return _part("ComplexAbs", x, scope)


def conj(x, name=None):
    """The complex conjugate (a real tensor is returned as it is)."""
    if isinstance(x, Tensor) and (x.dtype.is_floating or x.dtype.is_integer):
        return x
    with graph_lib.name_scope(name, "Conj", [x]) as scope:
        x = convert(x, name="x")
        if x.dtype.is_complex or x.dtype.base_dtype == dtypes.variant:
            return registry.make_tensor("Conj", [x], {"T": x.dtype.base_dtype}, name=scope)
        if x.dtype.is_floating or x.dtype.is_integer:
            return x
        raise TypeError("Expected numeric or variant tensor, got dtype %r" % x.dtype)


# --- FFT, IFFT (1-3 D) -----------------------------------------------------------------------
_FFT_RANK = {"FFT": 1, "IFFT": 1, "FFT2D": 2, "IFFT2D": 2, "FFT3D": 3, "IFFT3D": 3}
_INVERSE = {"FFT": "IFFT", "IFFT": "FFT", "FFT2D": "IFFT2D", "IFFT2D": "FFT2D",
            "FFT3D": "IFFT3D", "IFFT3D": "FFT3D"}


def _check_rank(shape, rank):
    if shape.ndims is not None and shape.ndims < rank:
        raise ShapeError("Shape must be at least rank %d but is rank %d" % (rank, shape.ndims))


def _fft_shape(op):
    x = op.inputs[0]
    _check_rank(x.shape, _FFT_RANK[op.type])
    return [(x.dtype.base_dtype, x.shape)]


def _fft_size_for_grad(t, rank):
    return reduction_ops.reduce_prod(array_ops.shape(t)[-rank:])


def _fft_grad(op, g):
    """TF: FFT's gradient is IFFT(g) * n; IFFT's is FFT(g) / n (n = transformed size)."""
    rank = _FFT_RANK[op.type]
    size = _fft_size_for_grad(g, rank)
    if op.type.startswith("I"):
        scale = math_ops.cast(1.0 / math_ops.cast(size, g.dtype.real_dtype), g.dtype)
    else:
        scale = math_ops.cast(size, g.dtype)
    return [math_ops.multiply(_fft_fn(_INVERSE[op.type])(g), scale)]


for _name in _FFT_RANK:
    registry.register(_name, shape=_fft_shape, grad=_fft_grad)


def _fft_fn(op_type):
    def fn(input, name=None):  # noqa: A002 - TF's keyword
        with graph_lib.name_scope(name or op_type) as scope:
            x = convert(input, dtype=None if isinstance(input, Tensor) else dtypes.complex64,
                        name="input")
            if not x.dtype.is_complex:
                raise TypeError("Value passed to parameter 'input' has DataType %s not in list of "
                                "allowed values: complex64, complex128" % x.dtype.name)
            return registry.make_tensor(op_type, [x], {"Tcomplex": x.dtype.base_dtype},
                                        name=scope)
    fn.__name__ = fn.__qualname__ = op_type.lower()
    fn.__doc__ = ("The %s over the inner-most %d dimension(s) of a complex tensor."
                  % (op_type, _FFT_RANK[op_type]))
    return fn


fft = _fft_fn("FFT")
ifft = _fft_fn("IFFT")
fft2d = _fft_fn("FFT2D")
ifft2d = _fft_fn("IFFT2D")
fft3d = _fft_fn("FFT3D")
ifft3d = _fft_fn("IFFT3D")


# --- RFFT, IRFFT (1-3 D) ---------------------------------------------------------------------
_RFFT_RANK = {"RFFT": 1, "RFFT2D": 2, "RFFT3D": 3, "IRFFT": 1, "IRFFT2D": 2, "IRFFT3D": 3}


def _rfft_shape(op):
    x, fft_length = op.inputs
    rank = _RFFT_RANK[op.type]
    inverse = op.type.startswith("I")
    _check_rank(x.shape, rank)
    if fft_length.shape.ndims is not None and fft_length.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % fft_length.shape.ndims)
    if fft_length.shape.ndims == 1 and fft_length.shape[0] not in (None, rank):
        raise ShapeError("Dimension must be %d but is %d" % (rank, fft_length.shape[0]))
    dtype = op._attrs["Treal" if inverse else "Tcomplex"]
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    value = constant_op.constant_value(fft_length)
    if value is None:
        inner = [None] * rank
    else:
        inner = [int(v) for v in np.asarray(value).ravel()]
        if not inverse:
            inner[-1] = inner[-1] // 2 + 1
    return [(dtype, tensor_shape.TensorShape(x.shape.as_list()[:-rank] + inner))]


def _dim(t, i):
    """Dimension `i` of `t`: a Python int when statically known (TF's shape inference folds
    these), else a scalar tensor."""
    if t.shape.ndims is not None and t.shape.as_list()[i] is not None:
        return t.shape.as_list()[i]
    return array_ops.shape(t)[i]


def _rfft_grad(op, grad):
    """TF's _rfft_grad_helper: IRFFT(grad) * n plus the terms Hermitian symmetry dropped."""
    rank = _RFFT_RANK[op.type]
    fft_length = op.inputs[1]
    complex_dtype = grad.dtype.base_dtype
    real_dtype = complex_dtype.real_dtype
    input_shape = [_dim(op.inputs[0], -2), _dim(op.inputs[0], -1)] if rank == 2 else \
        [_dim(op.inputs[0], -1)]
    is_even = math_ops.cast(1 - (fft_length[-1] % 2), complex_dtype)

    def tile_for_broadcasting(matrix, t):
        expanded = array_ops.reshape(matrix, array_ops.concat([
            fill_ops.ones([array_ops.rank(t) - 2], dtypes.int32), array_ops.shape(matrix)], 0))
        return manip_ops.tile(expanded, array_ops.concat([array_ops.shape(t)[:-2], [1, 1]], 0))

    def mask_matrix(length):
        """t_n = exp(sqrt(-1) * pi * n^2 / line_len)."""
        a = manip_ops.tile(manip_ops.expand_dims(fill_ops.range(length), 0), (length, 1))
        b = array_ops.transpose(a, [1, 0])
        return math_ops.exp(-2j * np.pi * math_ops.cast(a * b, complex_dtype)
                            / math_ops.cast(length, complex_dtype))

    def ymask(length):
        return math_ops.cast(1 - 2 * (fill_ops.range(length) % 2), complex_dtype)

    y0 = grad[..., 0:1]
    if rank == 1:
        ym = grad[..., -1:]
        extra_terms = y0 + is_even * ym * ymask(input_shape[-1])
    else:
        tiled_mask = tile_for_broadcasting(mask_matrix(input_shape[-2]), y0)
        extra_terms = linalg_ops.matmul(tiled_mask, conj(y0))
        ym_term = linalg_ops.matmul(tiled_mask, conj(grad[..., -1:]))
        inner_dim = input_shape[-1]
        ym_term = manip_ops.tile(ym_term, array_ops.concat([
            fill_ops.ones([array_ops.rank(grad) - 1], dtypes.int32), [inner_dim]], 0)
        ) * ymask(inner_dim)
        extra_terms += is_even * ym_term
    input_size = math_ops.cast(_fft_size_for_grad(op.inputs[0], rank), real_dtype)
    the_irfft = _IRFFT_FN[rank](grad, fft_length)
    return [0.5 * (the_irfft * input_size + real(extra_terms)), None]


def _irfft_grad(op, grad):
    """TF's _irfft_grad_helper: RFFT(grad) / n, Hermitian-duplicated bins counted twice."""
    rank = _RFFT_RANK[op.type]
    fft_length = op.inputs[1]
    static = constant_op.constant_value(fft_length)
    if static is not None:
        fft_length = static
    real_dtype = grad.dtype.base_dtype
    complex_dtype = _COMPLEX_OF[real_dtype]
    if static is not None:
        is_odd = int(np.asarray(static).ravel()[-1]) % 2
    else:
        is_odd = math_ops.floormod(fft_length[-1], 2)
    input_last_dimension = _dim(op.inputs[0], -1)
    mask = array_ops.concat([
        convert([1.0], dtype=real_dtype),
        2.0 * fill_ops.ones([input_last_dimension - 2 + is_odd], real_dtype),
        fill_ops.ones([1 - is_odd], real_dtype)], 0)
    rsize = math_ops.reciprocal(math_ops.cast(_fft_size_for_grad(grad, rank), real_dtype))
    the_rfft = _RFFT_FN[rank](grad, fft_length)
    return [the_rfft * math_ops.cast(rsize * mask, complex_dtype), None]


for _name, _rank in _RFFT_RANK.items():
    _inverse = _name.startswith("I")
    # TF registers no gradient for RFFT3D and IRFFT3D.
    _g = None if _rank == 3 else (_irfft_grad if _inverse else _rfft_grad)
    registry.register(_name, shape=_rfft_shape, grad=_g)


def _maybe_pad_for_rfft(x, rank, fft_length, is_reverse=False):
    """TF's _maybe_pad_for_rfft: zero-pads the inner `rank` dims of `x` up to `fft_length`."""
    if x.shape.ndims is not None and any(d == 0 for d in x.shape.as_list()):
        return x
    if rank == 0:
        return x
    value = constant_op.constant_value(fft_length)
    if value is not None and x.shape.ndims is not None:
        fft_shape = [int(v) for v in np.asarray(value).ravel()]
        inner = x.shape.as_list()[-len(fft_shape):]
        if None not in inner:
            if is_reverse:
                fft_shape[-1] = fft_shape[-1] // 2 + 1
            paddings = [[0, max(f - d, 0)] for f, d in zip(fft_shape, inner)]
            if any(p > 0 for _, p in paddings):
                outer = [[0, 0]] * max(x.shape.ndims - len(fft_shape), 0)
                return pad_ops.pad(x, outer + paddings)
            return x
    input_rank = array_ops.rank(x)
    input_fft_shape = array_ops.shape(x)[-rank:]
    outer_dims = math_ops.maximum(0, input_rank - rank)
    outer_paddings = fill_ops.zeros([outer_dims], fft_length.dtype)
    if is_reverse:
        fft_length = array_ops.concat([fft_length[:-1], fft_length[-1:] // 2 + 1], 0)
    fft_paddings = math_ops.maximum(0, fft_length - input_fft_shape)
    paddings = array_ops.concat([outer_paddings, fft_paddings], 0)
    paddings = array_ops.stack([fill_ops.zeros_like(paddings), paddings], axis=1)
    return pad_ops.pad(x, paddings)


def _static_fft_length(x, rank, inverse):
    """TF's _infer_fft_length_for_rfft / _for_irfft."""
    inner = x.shape[-rank:] if x.shape.ndims is not None else tensor_shape.unknown_shape(rank)
    if inner.is_fully_defined():
        length = inner.as_list()
        if inverse and length:
            length[-1] = max(0, 2 * (length[-1] - 1))
        return convert(length, dtype=dtypes.int32)
    if not inverse:
        return array_ops.shape(x)[-rank:]
    dims = array_ops.unstack(array_ops.shape(x)[-rank:])
    dims[-1] = math_ops.maximum(0, 2 * (dims[-1] - 1))
    return array_ops.stack(dims)


def _check_nonnegative(fft_length):
    value = constant_op.constant_value(fft_length)
    if value is None:
        return None
    for v in np.asarray(value).flat:
        if int(v) < 0:
            raise ValueError("`fft_length` must be non-negative, got %d." % int(v))
    return value


def _rfft_fn(op_type, default_name):
    rank = _RFFT_RANK[op_type]
    inverse = op_type.startswith("I")

    def fn(input_tensor, fft_length=None, name=None):
        with graph_lib.name_scope(name, default_name, [input_tensor, fft_length]) as scope:
            x = convert(input_tensor,
                        preferred_dtype=dtypes.complex64 if inverse else dtypes.float32)
            if inverse:
                x.shape.with_rank_at_least(rank)
                if not x.dtype.is_complex:
                    raise ValueError("IRFFT requires tf.complex64 or tf.complex128 inputs, got: "
                                     "%s" % x)
            else:
                if x.dtype.base_dtype not in _COMPLEX_OF:
                    raise ValueError("RFFT requires tf.float32 or tf.float64 inputs, got: %s" % x)
                x.shape.with_rank_at_least(rank)
            if fft_length is None:
                fft_length = _static_fft_length(x, rank, inverse)
            else:
                fft_length = convert(fft_length, dtype=dtypes.int32)
            if inverse:
                static = constant_op.constant_value(fft_length)
                if static is not None and x.shape.num_elements() != 0:
                    _check_irfft_length(static, rank)
            else:
                static = _check_nonnegative(fft_length)
            x = _maybe_pad_for_rfft(x, rank, fft_length, is_reverse=inverse)
            if static is not None:
                fft_length = convert(np.asarray(static, np.int32), name="fft_length")
            if inverse:
                attrs = {"Treal": x.dtype.real_dtype, "Tcomplex": x.dtype.base_dtype}
            else:
                attrs = {"Treal": x.dtype.base_dtype, "Tcomplex": _COMPLEX_OF[x.dtype.base_dtype]}
            return registry.make_tensor(op_type, [x, fft_length], attrs, name=scope)

    fn.__name__ = fn.__qualname__ = default_name
    fn.__doc__ = ("The %s over the inner-most %d dimension(s); `fft_length` defaults to %s."
                  % (op_type, rank, "2 * (n - 1) of the last dimension" if inverse
                     else "the input's inner dimensions"))
    return fn


def _check_irfft_length(value, rank):
    value = np.asarray(value)
    if value.ndim != 1:
        raise ValueError("Shape %s must have rank 1" % (value.shape,))
    if value.size != rank:
        raise ValueError("Dimension must be %d but is %d" % (rank, value.size))
    if value.size and value[-1] <= 0:
        raise ValueError("fft_length[-1] must be > 0, got %d" % value[-1])


rfft = _rfft_fn("RFFT", "rfft")
irfft = _rfft_fn("IRFFT", "irfft")
rfft2d = _rfft_fn("RFFT2D", "rfft2d")
irfft2d = _rfft_fn("IRFFT2D", "irfft2d")
rfft3d = _rfft_fn("RFFT3D", "rfft3d")
irfft3d = _rfft_fn("IRFFT3D", "irfft3d")
_RFFT_FN = {1: rfft, 2: rfft2d, 3: rfft3d}
_IRFFT_FN = {1: irfft, 2: irfft2d, 3: irfft3d}


# --- fftshift --------------------------------------------------------------------------------
def _shift(x, axes, name, default_name, sign):
    with graph_lib.name_scope(name, default_name) as scope:
        x = convert(x)
        if axes is None:
            axes = tuple(range(x.shape.ndims))
            shift = array_ops.shape(x) // 2
        elif isinstance(axes, int):
            shift = array_ops.shape(x)[axes] // 2
        else:
            rank = array_ops.rank(x)
            axes = array_ops.where(math_ops.less(axes, 0), axes + rank, axes)
            shift = array_ops.gather(array_ops.shape(x), axes) // 2
        if sign < 0:
            shift = -shift
        return array_extras.roll(x, shift, axes, scope)


def fftshift(x, axes=None, name=None):
    """Moves the zero-frequency component to the centre (numpy.fft.fftshift).

    Example:
        >>> tf.signal.fftshift([0., 1., 2., 3., 4., -5., -4., -3., -2., -1.])
        # [-5., -4., -3., -2., -1., 0., 1., 2., 3., 4.]
    """
    return _shift(x, axes, name, "fftshift", 1)


def ifftshift(x, axes=None, name=None):
    """The inverse of `fftshift` (they differ by one sample for odd lengths)."""
    return _shift(x, axes, name, "ifftshift", -1)
