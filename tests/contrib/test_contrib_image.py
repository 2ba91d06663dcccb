"""tf.contrib.image (transform, rotate, translate, transform builders, dense_image_warp,
interpolate_bilinear, connected_components) and the ImageProjectiveTransformV2/V3 ops.

The op outputs and image gradients are compared with what real TensorFlow 2.21 computes
(tests/fixtures/contrib_image, tools/fixtures/gen_contrib_image.py). dense_image_warp and
connected_components have no op in TF 2.x: their fixtures follow contrib's documented algorithms
(bilinear interpolation of `grid - flow` with border clamping, written with TF ops and
differentiated by TF; scipy.ndimage.label, named by contrib's docstring as the equivalent).
"""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops.image_transform_ops import image_projective_transform

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "contrib_image")
with open(os.path.join(FIX, "cases.json")) as _f:
    META = json.load(_f)
ARRAYS = np.load(os.path.join(FIX, "arrays.npz"))
CASES = META["transform"]


def _run(fetches, feeds=None):
    with tf.Session() as sess:
        return sess.run(fetches, feeds)


@pytest.mark.parametrize("name", sorted(CASES))
def test_projective_transform_matches_tf(name):
    case = CASES[name]
    image = ARRAYS["img/" + case["image"]]
    fill_value = case["fill_value"] if case["op"] == "V3" else None
    with tf.Graph().as_default():
        x = tf.placeholder(tf.as_dtype(image.dtype), image.shape)
        y = image_projective_transform(x, case["transforms"], case["output_shape"],
                                       case["interpolation"], case["fill_mode"], fill_value)
        assert y.op.type == "ImageProjectiveTransform" + case["op"]
        assert y.shape.as_list() == list(ARRAYS[name + "/out"].shape)
        fetch = {"out": y}
        if name + "/grad" in ARRAYS:
            grad_ys = tf.constant(ARRAYS[name + "/grad_in"])
            fetch["grad"] = tf.gradients(y, x, grad_ys=grad_ys)[0]
        res = _run(fetch, {x: image})
    want = ARRAYS[name + "/out"]
    assert res["out"].dtype == want.dtype
    # Same float32 operations in the same order as TF's kernel: bit-exact.
    np.testing.assert_array_equal(res["out"], want)
    if "grad" in res:
        # TF inverts the 3x3 matrices by LU, tensorflux by cofactors: an ulp apart.
        np.testing.assert_allclose(res["grad"], ARRAYS[name + "/grad"], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("interpolation", ["NEAREST", "BILINEAR"])
@pytest.mark.parametrize("transform", [[1, 0, -2, 0, 1, 1, 0, 0], [1, 0, 1, 0, 1, -3, 0, 0]])
def test_transform_gradient_integer_shift(transform, interpolation):
    # TF's image gradient transforms back with the inverse matrix; that is the exact adjoint
    # when the transform permutes pixels (an integer shift), so central differences agree.
    # (For a general rotation it is TF's approximation: compared with TF's fixtures above.)
    image = np.random.RandomState(1).randn(2, 5, 6, 2)
    check_gradients(lambda x: tf.contrib.image.transform(x, transform, interpolation),
                    {"x": image}, op_types=["ImageProjectiveTransformV2"], eps=0.5, tol=1e-5)


def test_v3_gradient_quarter_turn():
    image = np.random.RandomState(2).randn(1, 5, 5, 1)
    turn = [0, 1, 0, -1, 0, 4, 0, 0]  # out(x, y) = in(y, 4 - x): a permutation of pixels
    check_gradients(lambda x: image_projective_transform(x, [turn], [5, 5], "NEAREST",
                                                         "REFLECT", 0.5),
                    {"x": image}, op_types=["ImageProjectiveTransformV3"], eps=0.5, tol=1e-5)


@pytest.mark.parametrize("shape", [(6, 6), (6, 6, 3), (2, 5, 5, 1)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.int64])
def test_rotate_quarter_turn_is_rot90(shape, dtype):
    image = np.random.RandomState(3).randint(0, 200, shape).astype(dtype)
    with tf.Graph().as_default():
        rotated = tf.contrib.image.rotate(image, np.pi / 2, interpolation="NEAREST")
        half = tf.contrib.image.rotate(image, [np.pi] * shape[0] if len(shape) == 4 else np.pi)
        assert rotated.dtype == tf.as_dtype(dtype) and rotated.shape.as_list() == list(shape)
        want = tf.image.rot90(image if len(shape) > 2 else image[..., None])
        want2 = tf.image.rot90(image if len(shape) > 2 else image[..., None], k=2)
        got, got2, w, w2 = _run([rotated, half, want, want2])
    np.testing.assert_array_equal(got, w.reshape(shape))
    np.testing.assert_array_equal(got2, w2.reshape(shape))


def test_translate_and_builders():
    image = np.arange(20, dtype=np.float32).reshape(4, 5)
    with tf.Graph().as_default():
        moved = tf.contrib.image.translate(image, [2.0, 1.0])
        per_image = tf.contrib.image.translate(np.stack([image] * 2)[..., None],
                                               [[1.0, 0.0], [0.0, -1.0]], "BILINEAR")
        t = tf.contrib.image.translations_to_projective_transforms([[3.0, -2.0]])
        rot = tf.contrib.image.angles_to_projective_transforms([0.0, 0.5], 5.0, 7.0)
        composed = tf.contrib.image.compose_transforms(t, t)
        m = tf.contrib.image.flat_transforms_to_matrices(t)
        back = tf.contrib.image.matrices_to_flat_transforms(m * 2.0)
        res = _run([moved, per_image, t, rot, composed, m, back])
    moved, per_image, t, rot, composed, m, back = res
    want = np.zeros((4, 5), np.float32)
    want[1:, 2:] = image[:3, :3]
    np.testing.assert_array_equal(moved, want)
    np.testing.assert_array_equal(per_image[0, :, 1:, 0], image[:, :4])
    np.testing.assert_array_equal(per_image[1, :3, :, 0], image[1:])
    np.testing.assert_array_equal(t, [[1, 0, -3, 0, 1, 2, 0, 0]])
    c, s = np.cos(np.float32(0.5)), np.sin(np.float32(0.5))
    np.testing.assert_allclose(rot[1], [c, -s, (6 - (c * 6 - s * 4)) / 2, s, c,
                                        (4 - (s * 6 + c * 4)) / 2, 0, 0], rtol=1e-6)
    np.testing.assert_array_equal(rot[0], [1, 0, 0, 0, 1, 0, 0, 0])
    np.testing.assert_array_equal(composed, [[1, 0, -6, 0, 1, 4, 0, 0]])
    assert m.shape == (1, 3, 3) and m[0, 2, 2] == 1
    np.testing.assert_array_equal(back, t)


def test_transform_output_shape_names_and_static_shapes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 7, 9, 3])
        y = tf.contrib.image.transform(x, [1., 0, 0, 0, 1, 0, 0, 0], output_shape=[4, 12])
        assert y.name == "transform/ImageProjectiveTransformV2:0"
        assert y.shape.as_list() == [None, 4, 12, 3]
        r = tf.contrib.image.rotate(x, tf.placeholder(tf.float32, [None]), name="aug")
        assert r.name.startswith("aug/") and r.shape.as_list() == [None, 7, 9, 3]
        hw = tf.contrib.image.rotate(tf.zeros([7, 9]), 1.0)
        assert hw.shape.as_list() == [7, 9]
        grad = tf.gradients(tf.reduce_sum(y), x)[0]
        assert grad.op.type == "ImageProjectiveTransformV2"
        assert tf.gradients(tf.reduce_sum(y), y.op.inputs[1]) == [None]


def test_errors_match_tf():
    errors = META["errors"]
    with pytest.raises(ValueError, match=errors["static_images_rank3"]):
        image_projective_transform(tf.zeros([4, 4, 1]), [[1.0] * 8], [4, 4], "NEAREST")
    with pytest.raises(ValueError, match=errors["static_output_shape_3"]):
        image_projective_transform(tf.zeros([1, 4, 4, 1]), [[1.0] * 8], [4, 4, 3], "NEAREST")
    bad_runs = {
        "images_rank3": (np.zeros((4, 4, 1)), np.zeros((1, 8)), [4, 4]),
        "transforms_width7": (np.zeros((1, 4, 4, 1)), np.zeros((1, 7)), [4, 4]),
        "transforms_batch": (np.zeros((2, 4, 4, 1)), np.zeros((3, 8)), [4, 4]),
        "output_shape_3": (np.zeros((1, 4, 4, 1)), np.zeros((1, 8)), [4, 4, 1]),
        "output_shape_zero": (np.zeros((1, 4, 4, 1)), np.zeros((1, 8)), [0, 4]),
    }
    with tf.Graph().as_default():
        phs = [tf.placeholder(tf.float32), tf.placeholder(tf.float32), tf.placeholder(tf.int32)]
        y = image_projective_transform(*phs, "NEAREST")
        with tf.Session() as sess:
            for name, values in bad_runs.items():
                with pytest.raises(tf.errors.InvalidArgumentError) as info:
                    sess.run(y, dict(zip(phs, values)))
                assert errors[name] in str(info.value), name


def test_contrib_argument_errors():
    with pytest.raises(TypeError, match="Invalid dtype"):
        tf.contrib.image.rotate(tf.zeros([4, 4], tf.bool), 0.5)
    with pytest.raises(TypeError, match="rank between 2 and 4"):
        tf.contrib.image.transform(tf.zeros([1, 2, 4, 4, 1]), [1.0] * 8)
    with pytest.raises(TypeError, match="rank must be statically known"):
        tf.contrib.image.rotate(tf.placeholder(tf.float32), 0.5)
    with pytest.raises(TypeError, match="Transforms should have rank 1 or 2"):
        tf.contrib.image.transform(tf.zeros([4, 4]), tf.zeros([1, 1, 8]))
    with pytest.raises(TypeError, match="Angles should have rank 0 or 1"):
        tf.contrib.image.rotate(tf.zeros([4, 4]), [[0.5]])
    with pytest.raises(ValueError, match="output_shape must be a 1-D Tensor of 2"):
        tf.contrib.image.transform(tf.zeros([4, 4]), [1.0] * 8, output_shape=[1, 2, 3])
    with pytest.raises(ValueError, match="interpolation"):
        image_projective_transform(tf.zeros([1, 4, 4, 1]), [[1.0] * 8], [4, 4], "BICUBIC")


# --- dense_image_warp / interpolate_bilinear --------------------------------------------------
def test_dense_image_warp_matches_contrib_algorithm():
    image, flow = ARRAYS["warp/image"], ARRAYS["warp/flow"]
    with tf.Graph().as_default():
        x, f = tf.placeholder(tf.float32, image.shape), tf.placeholder(tf.float32, flow.shape)
        y = tf.contrib.image.dense_image_warp(x, f)
        assert y.name.startswith("dense_image_warp/") and y.dtype == tf.float32
        grads = tf.gradients(y, [x, f], grad_ys=tf.constant(ARRAYS["warp/grad_in"]))
        out, g_img, g_flow = _run([y] + grads, {x: image, f: flow})
    np.testing.assert_allclose(out, ARRAYS["warp/out"], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(g_img, ARRAYS["warp/grad_image"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(g_flow, ARRAYS["warp/grad_flow"], rtol=1e-5, atol=1e-5)


def test_dense_image_warp_gradients():
    rng = np.random.RandomState(7)
    image = rng.randn(2, 4, 5, 2)
    flow = rng.uniform(-1.7, 1.7, (2, 4, 5, 2)) + 0.05  # no query on a pixel boundary
    check_gradients(tf.contrib.image.dense_image_warp, {"image": image, "flow": flow},
                    op_types=["GatherV2"], tol=1e-5)


def test_dense_image_warp_constant_flow_is_interior_translation():
    image = np.random.RandomState(8).rand(1, 6, 7, 2).astype(np.float32)
    flow = np.broadcast_to(np.float32([0.25, -0.5]), (1, 6, 7, 2))
    with tf.Graph().as_default():
        warped = tf.contrib.image.dense_image_warp(image, flow)
        shifted = tf.contrib.image.translate(image, [-0.5, 0.25], "BILINEAR")
        a, b = _run([warped, shifted])
    np.testing.assert_allclose(a[:, 1:, :-1], b[:, 1:, :-1], rtol=1e-6, atol=1e-6)


def test_interpolate_bilinear_indexing_and_errors():
    grid = np.arange(12, dtype=np.float32).reshape(1, 3, 4, 1)
    with tf.Graph().as_default():
        ij = tf.contrib.image.interpolate_bilinear(grid, [[[0.5, 1.25], [5.0, -1.0]]])
        xy = tf.contrib.image.interpolate_bilinear(grid, [[[1.25, 0.5]]], indexing="xy")
        a, b = _run([ij, xy])
    np.testing.assert_allclose(a[0, :, 0], [3.25, 8.0])
    np.testing.assert_allclose(b[0, :, 0], [3.25])
    with pytest.raises(ValueError, match="Indexing mode must be 'ij' or 'xy'"):
        tf.contrib.image.interpolate_bilinear(grid, [[[0.0, 0.0]]], indexing="yx")
    with pytest.raises(ValueError, match="Grid must be 4 dimensional"):
        tf.contrib.image.interpolate_bilinear(grid[0], [[[0.0, 0.0]]])
    with tf.Graph().as_default():
        bad = tf.contrib.image.interpolate_bilinear(np.zeros((1, 1, 4, 1)), [[[0.0, 0.0]]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="height must be at least 2"):
            _run(bad)


# --- connected_components -------------------------------------------------------------------
def test_connected_components_matches_scipy_label():
    images = ARRAYS["cc/images"]
    with tf.Graph().as_default():
        batch = tf.contrib.image.connected_components(images)
        single = tf.contrib.image.connected_components(images[0])
        assert batch.dtype == tf.int64 and batch.shape.as_list() == list(images.shape)
        assert tf.gradients(batch, batch.op.inputs[0]) == [None]
        got, got_single = _run([batch, single])
    np.testing.assert_array_equal(got, ARRAYS["cc/labels"])
    np.testing.assert_array_equal(got_single, ARRAYS["cc/labels"][0])


def test_connected_components_values_and_snake():
    values = np.array([[[1, 1, 2, 2], [0, 1, 0, 2], [3, 3, 3, 0]]])
    snake = np.ones((1, 9, 9), bool)
    snake[0, 1::4, :-1] = False
    snake[0, 3::4, 1:] = False
    with tf.Graph().as_default():
        a, b = _run([tf.contrib.image.connected_components(values),
                     tf.contrib.image.connected_components(snake)])
    np.testing.assert_array_equal(a, [[[1, 1, 2, 2], [0, 1, 0, 2], [3, 3, 3, 0]]])
    np.testing.assert_array_equal(b, snake.astype(np.int64))
    with pytest.raises(TypeError, match=r"rank 2 \(HW\) or 3 \(NHW\)"):
        tf.contrib.image.connected_components(np.zeros(4))


# --- the tf.image ops augmentation code uses beside contrib.image -----------------------------
def test_rot90_tensor_k_transpose_and_random_crop():
    image = np.arange(24.0).reshape(2, 4, 3)
    batch = np.arange(48.0).reshape(2, 2, 4, 3)
    with tf.Graph().as_default():
        k = tf.placeholder(tf.int32, [])
        turned = tf.image.rot90(image, k)
        turned_batch = tf.image.rot90(batch, k)
        assert turned.shape.as_list() == [None, None, 3]
        crop = tf.random_crop(batch, [2, 1, 3, 3], seed=1)
        assert tf.image.random_crop is tf.random_crop
        with tf.Session() as sess:
            for kk in range(-1, 6):
                a, b = sess.run([turned, turned_batch], {k: kk})
                np.testing.assert_array_equal(a, np.rot90(image, kk))
                np.testing.assert_array_equal(b, np.rot90(batch, kk, axes=(1, 2)))
            c = sess.run(crop)
            t = sess.run(tf.image.transpose_image(batch))
    np.testing.assert_array_equal(t, batch.transpose(0, 2, 1, 3))
    windows = [batch[:, i:i + 1, j:j + 3] for i in range(2) for j in range(2)]
    assert c.shape == (2, 1, 3, 3) and any(np.array_equal(c, w) for w in windows)
    with pytest.raises(ValueError, match="must have either 3 or 4 dimensions"):
        tf.image.rot90(np.zeros((4, 4)))
