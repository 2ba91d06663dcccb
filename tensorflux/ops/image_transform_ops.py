"""Projective image transforms and connected-component labelling (the ops of tf.contrib.image).

`ImageProjectiveTransformV2` maps each *output* pixel (x, y) through a flat transform
`[a0, a1, a2, b0, b1, b2, c0, c1]` to the input point `((a0 x + a1 y + a2) / k,
(b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`, and samples it (NEAREST or BILINEAR); points
outside the image are mapped back in by `fill_mode` (REFLECT, WRAP, NEAREST) or take the fill
value (CONSTANT). V3 adds a `fill_value` input (V2 fills with 0). The image gradient is TF's:
the upstream gradient transformed by the inverted matrices, which is the exact adjoint only for
permutations of pixels (integer translations, quarter turns); TF uses the same approximation.
`ImageConnectedComponents` lives here because contrib's image_ops.cc defines it beside them;
it returns the final consecutive ids directly (contrib's raw op returned union-find ids that its
Python wrapper renumbered with Unique and Gather).
Kernels: backends/*/image_transform_ops.py.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape
INTERPOLATIONS = ("NEAREST", "BILINEAR")
FILL_MODES = ("CONSTANT", "REFLECT", "WRAP", "NEAREST")
IMAGE_DTYPES = (dtypes.uint8, dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32,
                dtypes.float64)


# --- flat transforms <-> 3x3 matrices ---------------------------------------------------------
def flat_transforms_to_matrices(transforms):
    """`(N, 3, 3)` matrices (output to input coordinates) from flat `(8,)` or `(N, 8)` transforms.

    Example:
        >>> m = tf.contrib.image.flat_transforms_to_matrices([1., 0, -2, 0, 1, 3, 0, 0])
    """
    from tensorflux.ops import array_ops, fill_ops

    with graph_lib.name_scope(None, "flat_transforms_to_matrices"):
        transforms = convert(transforms, name="transforms")
        if transforms.shape.ndims not in (1, 2):
            raise ValueError("Transforms should be 1D or 2D, got: %s" % transforms)
        transforms = array_ops.reshape(transforms, [-1, 8])
        ones = fill_ops.ones(array_ops.stack([array_ops.shape(transforms)[0], 1]),
                             transforms.dtype.base_dtype)
        return array_ops.reshape(array_ops.concat([transforms, ones], axis=1), [-1, 3, 3])


def matrices_to_flat_transforms(transform_matrices):
    """Flat `(N, 8)` transforms from `(3, 3)` or `(N, 3, 3)` matrices (each divided by [2, 2]).

    Example:
        >>> flat = tf.contrib.image.matrices_to_flat_transforms(tf.eye(3))
    """
    from tensorflux.ops import array_ops

    with graph_lib.name_scope(None, "matrices_to_flat_transforms"):
        transform_matrices = convert(transform_matrices, name="transform_matrices")
        if transform_matrices.shape.ndims not in (2, 3):
            raise ValueError("Matrices should be 2D or 3D, got: %s" % transform_matrices)
        transforms = array_ops.reshape(transform_matrices, [-1, 9])
        transforms = transforms / transforms[:, 8:9]
        return transforms[:, :8]


def invert_matrices(m):
    """Inverse of a batch of 3x3 matrices by the adjugate (cofactors over the determinant)."""
    from tensorflux.ops import array_ops

    e = [[m[:, i, j] for j in range(3)] for i in range(3)]

    def cofactor(i, j):
        r = [k for k in range(3) if k != i]
        c = [k for k in range(3) if k != j]
        minor = e[r[0]][c[0]] * e[r[1]][c[1]] - e[r[0]][c[1]] * e[r[1]][c[0]]
        return minor if (i + j) % 2 == 0 else -minor

    cof = [[cofactor(i, j) for j in range(3)] for i in range(3)]
    det = e[0][0] * cof[0][0] + e[0][1] * cof[0][1] + e[0][2] * cof[0][2]
    # adjugate = transposed cofactor matrix
    rows = [array_ops.stack([cof[0][i], cof[1][i], cof[2][i]], axis=1) for i in range(3)]
    return array_ops.stack(rows, axis=1) / array_ops.reshape(det, [-1, 1, 1])


# --- ImageProjectiveTransformV2 / V3 ----------------------------------------------------------
def _rank_check(shape, rank):
    if shape.ndims is not None and shape.ndims != rank:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))


def _transform_shape(op):
    images, transforms, output_shape = op.inputs[:3]
    _rank_check(images.shape, 4)
    _rank_check(output_shape.shape, 1)
    if output_shape.shape.ndims == 1 and output_shape.shape.as_list()[0] not in (None, 2):
        raise ShapeError("Dimension must be 2 but is %d" % output_shape.shape.as_list()[0])
    if len(op.inputs) == 4:
        _rank_check(op.inputs[3].shape, 0)
    from tensorflux.ops import constant_op

    hw = constant_op.constant_value_as_shape(output_shape)
    hw = hw.as_list() if hw.ndims == 2 else [None, None]
    dims = images.shape.as_list() if images.shape.ndims == 4 else [None] * 4
    return [(images.dtype.base_dtype, TS([dims[0], hw[0], hw[1], dims[3]]))]


def _transform_grad(op, grad):
    """TF's rule: transform the gradient back with the inverted matrices (no transform grad)."""
    from tensorflux.ops import array_ops

    images, transforms = op.inputs[0], op.inputs[1]
    if images.dtype.base_dtype not in IMAGE_DTYPES:
        raise TypeError("Invalid dtype %s." % images.dtype.name)
    if transforms.shape.ndims == 1:
        transforms = transforms[None]
    inverse = matrices_to_flat_transforms(invert_matrices(flat_transforms_to_matrices(transforms)))
    shape = array_ops.shape(images)[1:3]
    fill_value = 0.0 if op.type == "ImageProjectiveTransformV3" else None
    out = _transform_op(grad, inverse, shape, op._attrs["interpolation"],
                        op._attrs["fill_mode"], fill_value)
    return [out] + [None] * (len(op.inputs) - 1)


registry.register("ImageProjectiveTransformV2", shape=_transform_shape, grad=_transform_grad)
registry.register("ImageProjectiveTransformV3", shape=_transform_shape, grad=_transform_grad)


def _transform_op(images, transforms, output_shape, interpolation, fill_mode, fill_value,
                  name=None):
    inputs = [images, convert(transforms, dtype=dtypes.float32, name="transforms"),
              convert(output_shape, dtype=dtypes.int32, name="output_shape")]
    op_type = "ImageProjectiveTransformV2"
    if fill_value is not None:
        op_type = "ImageProjectiveTransformV3"
        inputs.append(convert(fill_value, dtype=dtypes.float32, name="fill_value"))
    attrs = {"dtype": images.dtype.base_dtype, "interpolation": interpolation,
             "fill_mode": fill_mode}
    return registry.make_tensor(op_type, inputs, attrs, name=name or op_type)


def image_projective_transform(images, transforms, output_shape, interpolation,
                               fill_mode="CONSTANT", fill_value=None, name=None):
    """The raw `ImageProjectiveTransformV2` op (`V3` when `fill_value` is given).

    `images` is [batch, H, W, C]; `transforms` is float32 [batch or 1, 8]; `output_shape` is
    int32 [new_height, new_width].

    Example:
        >>> shifted = image_projective_transform(images, [[1., 0, -2, 0, 1, 0, 0, 0]], [28, 28],
        ...                                      "BILINEAR")
    """
    interpolation, fill_mode = str(interpolation).upper(), str(fill_mode).upper()
    if interpolation not in INTERPOLATIONS:
        raise ValueError("Value for attr 'interpolation' of \"%s\" is not in the list of allowed "
                         "values: \"NEAREST\", \"BILINEAR\"" % interpolation)
    if fill_mode not in FILL_MODES:
        raise ValueError("Value for attr 'fill_mode' of \"%s\" is not in the list of allowed "
                         "values: \"CONSTANT\", \"REFLECT\", \"WRAP\", \"NEAREST\"" % fill_mode)
    g = graph_lib._graph_from_values([images, transforms])
    with g.as_default():
        images = convert(images, name="images")
        if images.dtype.base_dtype not in IMAGE_DTYPES + (dtypes.bfloat16,):
            raise TypeError("Value passed to parameter 'images' has DataType %s not in list of "
                            "allowed values: uint8, int32, int64, float16, bfloat16, float32, "
                            "float64" % images.dtype.base_dtype.name)
        return _transform_op(images, transforms, output_shape, interpolation, fill_mode,
                             fill_value, name)


# --- ImageConnectedComponents -----------------------------------------------------------------
def _components_shape(op):
    _rank_check(op.inputs[0].shape, 3)
    return [(dtypes.int64, op.inputs[0].shape)]


registry.register("ImageConnectedComponents", shape=_components_shape,
                  grad=registry.NOT_DIFFERENTIABLE)


def image_connected_components(images, name=None):
    """The raw op on [batch, H, W] images: int64 ids 1..n across the batch, 0 for zero pixels.

    Example:
        >>> ids = image_connected_components(tf.constant([[[1, 0, 1]]]))  # [[[1, 0, 2]]]
    """
    g = graph_lib._graph_from_values([images])
    with g.as_default():
        images = convert(images, name="images")
        return registry.make_tensor("ImageConnectedComponents", [images],
                                    {"dtype": images.dtype.base_dtype},
                                    name=name or "ImageConnectedComponents")
