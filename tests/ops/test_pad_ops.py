"""tf.pad (CONSTANT/REFLECT/SYMMETRIC), space_to_depth and depth_to_space."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

RNG = np.random.RandomState(0)
X = np.arange(6, dtype=np.float32).reshape(2, 3)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_pad_constant():
    p = tf.pad(X, [[1, 1], [2, 0]])
    assert p.name == "Pad:0" and p.op.inputs[1].op.name == "Pad/paddings"
    assert p.shape.as_list() == [4, 5]
    np.testing.assert_array_equal(run(p), np.pad(X, [[1, 1], [2, 0]]))
    c = tf.pad(X, [[1, 1], [2, 0]], constant_values=3)
    assert c.op.type == "PadV2" and c.name == "PadV2:0"
    assert c.op.inputs[2].op.name == "PadV2/constant_values"
    np.testing.assert_array_equal(run(c), np.pad(X, [[1, 1], [2, 0]], constant_values=3))


@pytest.mark.parametrize("mode", ["REFLECT", "SYMMETRIC", "reflect", "Symmetric"])
def test_pad_mirror(mode):
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    p = tf.pad(x, [[2, 1], [1, 3]], mode=mode)
    assert p.op.type == "MirrorPad" and p.name == "MirrorPad:0"
    assert p.op.get_attr("mode") == mode.upper()
    assert p.shape.as_list() == [6, 8]
    np.testing.assert_array_equal(run(p), np.pad(x, [[2, 1], [1, 3]], mode=mode.lower()))


def test_pad_unknown_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.pad(x, [[1, 1], [0, 2]]).shape.as_list() == [None, 5]
    assert tf.pad(x, tf.placeholder(tf.int32, [2, 2])).shape.as_list() == [None, None]
    assert tf.pad(tf.placeholder(tf.float32), [[1, 1]]).shape.as_list() == [None]


def test_pad_errors():
    x = tf.placeholder(tf.float32, [2, 3])
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.pad(x, [[1, 1]])
    with pytest.raises(ValueError, match="Paddings must be non-negative"):
        tf.pad(x, [[1, 1], [-1, 0]])
    with pytest.raises(ValueError, match="expected to be one of"):
        tf.pad(x, [[1, 1], [1, 0]], mode="foo")
    m = tf.pad(x, [[2, 1], [1, 0]], mode="REFLECT")
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be less than the dimension"):
        run(m, {x: X})
    s = tf.pad(x, [[2, 1], [3, 0]], mode="SYMMETRIC")
    np.testing.assert_array_equal(run(s, {x: X}), np.pad(X, [[2, 1], [3, 0]], "symmetric"))


def test_pad_gradients():
    check_gradients(lambda x: tf.pad(x, [[1, 2], [0, 1]]), {"x": RNG.randn(2, 3)},
                    op_types=["Pad"])
    check_gradients(lambda x: tf.pad(x, [[1, 0], [2, 1]], constant_values=1.5),
                    {"x": RNG.randn(2, 3)}, op_types=["PadV2"])
    check_gradients(lambda x: tf.pad(x, [[2, 1], [1, 3]], mode="REFLECT"),
                    {"x": RNG.randn(3, 4)}, op_types=["MirrorPad"])
    check_gradients(lambda x: tf.pad(x, [[2, 3], [0, 4]], mode="SYMMETRIC"),
                    {"x": RNG.randn(3, 4)}, op_types=["MirrorPad"])


def test_mirror_pad_grad_is_differentiable():
    def build(x):
        g = tf.gradients(tf.reduce_sum(tf.pad(x, [[1, 1], [2, 1]], "REFLECT") ** 2), x)[0]
        return g * x
    check_gradients(build, {"x": RNG.randn(3, 4)}, op_types=["MirrorPadGrad"])


# --- space_to_depth / depth_to_space ---------------------------------------------------------
def _s2d_reference(x, bs):
    n, h, w, c = x.shape
    out = np.zeros((n, h // bs, w // bs, bs * bs * c), x.dtype)
    for i in range(h):
        for j in range(w):
            k = (i % bs) * bs + j % bs
            out[:, i // bs, j // bs, k * c:(k + 1) * c] = x[:, i, j, :]
    return out


def test_space_to_depth_values_and_shapes():
    x = RNG.randn(2, 4, 6, 3).astype(np.float32)
    y = tf.space_to_depth(x, 2)
    assert y.name == "SpaceToDepth:0" and y.shape.as_list() == [2, 2, 3, 12]
    np.testing.assert_array_equal(run(y), _s2d_reference(x, 2))
    back = tf.depth_to_space(y, 2)
    assert back.name == "DepthToSpace:0" and back.shape.as_list() == [2, 4, 6, 3]
    np.testing.assert_array_equal(run(back), x)
    nchw = tf.space_to_depth(np.transpose(x, (0, 3, 1, 2)), 2, data_format="NCHW")
    assert nchw.shape.as_list() == [2, 12, 2, 3]
    np.testing.assert_array_equal(run(nchw), np.transpose(_s2d_reference(x, 2), (0, 3, 1, 2)))
    p = tf.placeholder(tf.float32, [None, 4, None, 8])
    assert tf.depth_to_space(p, 2).shape.as_list() == [None, 8, None, 2]


def test_space_to_depth_errors():
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 2 but is 5"):
        tf.space_to_depth(tf.zeros([1, 5, 4, 3]), 2)
    with pytest.raises(ValueError, match="less than minimum 2"):
        tf.space_to_depth(tf.zeros([1, 4, 4, 3]), 1)
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 4 but is 3"):
        tf.depth_to_space(tf.zeros([1, 4, 4, 3]), 2)
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        tf.depth_to_space(tf.zeros([4, 4, 3]), 2)


def test_space_depth_gradients():
    check_gradients(lambda x: tf.space_to_depth(x, 2), {"x": RNG.randn(1, 4, 2, 2)},
                    op_types=["SpaceToDepth"])
    check_gradients(lambda x: tf.depth_to_space(x, 2, data_format="NCHW"),
                    {"x": RNG.randn(1, 8, 1, 2)}, op_types=["DepthToSpace"])
