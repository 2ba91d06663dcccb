"""tf.image against real TensorFlow's outputs (tests/fixtures/image, tools/fixtures/gen_image.py),
finite-difference checks of the resize gradients, static shapes, errors, PNG round trips."""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "image")
with open(os.path.join(FIX, "cases.json")) as _f:
    CASES = json.load(_f)
ARRAYS = np.load(os.path.join(FIX, "arrays.npz"))

rng = np.random.RandomState(1234)
IMG_F = rng.uniform(0, 1, (2, 7, 9, 3)).astype(np.float32)
IMG_U8 = rng.randint(0, 256, (2, 7, 9, 3)).astype(np.uint8)

RESIZE = {"resize_bilinear": tf.image.resize_bilinear,
          "resize_nearest": tf.image.resize_nearest_neighbor,
          "resize_bicubic": tf.image.resize_bicubic}
RESIZE_CASES = sorted(k for k, v in CASES.items() if "align_corners" in v)
# Cases with a "group" are tested in test_image_color_ops.py and test_image_box_ops.py.
COMPOSITE_CASES = sorted(k for k, v in CASES.items()
                         if "align_corners" not in v and "group" not in v)


def test_fixture_inputs_are_reproduced():
    np.testing.assert_array_equal(ARRAYS["flip_up_down/in"], IMG_F)
    np.testing.assert_array_equal(ARRAYS["rgb_to_grayscale_u8/in"], IMG_U8)


@pytest.mark.parametrize("name", RESIZE_CASES)
def test_resize_kernels_match_tf(name):
    case = CASES[name]
    image = IMG_F if case["input"] == "f32" else IMG_U8
    with tf.Graph().as_default():
        x = tf.constant(image)
        if case["fn"] == "resize_area":
            y = tf.image.resize_area(x, case["size"], align_corners=case["align_corners"])
        else:
            y = RESIZE[case["fn"]](x, case["size"], align_corners=case["align_corners"],
                                   half_pixel_centers=case["half_pixel_centers"])
        assert y.shape.as_list() == case["shape"] and y.dtype.name == case["dtype"]
        fetch = {"out": y}
        if name + "/grad" in ARRAYS:
            fetch["grad"] = tf.gradients(y, x, grad_ys=tf.constant(ARRAYS[name + "/grad_in"]))[0]
        with tf.Session() as sess:
            res = sess.run(fetch)
    want = ARRAYS[name + "/out"]
    assert res["out"].dtype == want.dtype
    atol = 2e-5 * (255 if case["input"] == "u8" else 1)
    if case["fn"] == "resize_nearest":
        np.testing.assert_array_equal(res["out"], want)
    else:
        np.testing.assert_allclose(res["out"], want, rtol=1e-5, atol=atol)
    if "grad" in res:
        np.testing.assert_allclose(res["grad"], ARRAYS[name + "/grad"], rtol=1e-5, atol=1e-4)


COMPOSITES = {
    "resize_images_bilinear": lambda x: tf.image.resize_images(x, [4, 5]),
    "resize_images_nearest_u8":
        lambda x: tf.image.resize_images(x, [10, 4], method=1, align_corners=True),
    "resize_images_bicubic": lambda x: tf.image.resize_images(x, [5, 12], method=2),
    "resize_images_area": lambda x: tf.image.resize_images(x, [3, 3], method=3),
    "resize_images_same": lambda x: tf.image.resize_images(x, [7, 9]),
    "resize_images_aspect":
        lambda x: tf.image.resize_images(x, [14, 14], preserve_aspect_ratio=True),
    "crop_or_pad_grow": lambda x: tf.image.resize_image_with_crop_or_pad(x, 10, 12),
    "crop_or_pad_shrink": lambda x: tf.image.resize_image_with_crop_or_pad(x, 4, 5),
    "crop_or_pad_mixed": lambda x: tf.image.resize_image_with_crop_or_pad(x, 10, 4),
    "central_crop": lambda x: tf.image.central_crop(x, 0.5),
    "central_crop_batch": lambda x: tf.image.central_crop(x, 0.7),
    "crop_to_bounding_box": lambda x: tf.image.crop_to_bounding_box(x, 1, 2, 4, 5),
    "pad_to_bounding_box": lambda x: tf.image.pad_to_bounding_box(x, 1, 2, 10, 12),
    "flip_left_right": lambda x: tf.image.flip_left_right(x),
    "flip_up_down": lambda x: tf.image.flip_up_down(x),
    "rgb_to_grayscale": lambda x: tf.image.rgb_to_grayscale(x),
    "rgb_to_grayscale_u8": lambda x: tf.image.rgb_to_grayscale(x),
    "grayscale_to_rgb": lambda x: tf.image.grayscale_to_rgb(x),
    "convert_u8_f32": lambda x: tf.image.convert_image_dtype(x, tf.float32),
    "convert_f32_u8": lambda x: tf.image.convert_image_dtype(x, tf.uint8),
    "convert_f32_u8_sat":
        lambda x: tf.image.convert_image_dtype(x * 1.5 - 0.2, tf.uint8, saturate=True),
    "convert_u8_i32": lambda x: tf.image.convert_image_dtype(x, tf.int32),
    "per_image_standardization": lambda x: tf.image.per_image_standardization(x),
    "per_image_standardization_u8": lambda x: tf.image.per_image_standardization(x),
    "adjust_brightness": lambda x: tf.image.adjust_brightness(x, 0.25),
    "adjust_brightness_u8": lambda x: tf.image.adjust_brightness(x, 0.25),
    "adjust_contrast": lambda x: tf.image.adjust_contrast(x, 1.7),
    "adjust_contrast_u8": lambda x: tf.image.adjust_contrast(x, 0.6),
    "rot90": lambda x: tf.image.rot90(x, 1),
    "rot90_k3": lambda x: tf.image.rot90(x, 3),
    "transpose_image": lambda x: tf.image.transpose_image(x),
}


# TF's rot90 takes k as a tensor and loses the static shape; a Python k keeps it here.
MORE_STATIC = {"rot90", "rot90_k3"}


def test_every_composite_fixture_has_a_builder():
    assert sorted(COMPOSITES) == COMPOSITE_CASES


@pytest.mark.parametrize("name", COMPOSITE_CASES)
def test_composites_match_tf(name):
    case = CASES[name]
    image = ARRAYS[name + "/in"]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.as_dtype(image.dtype), image.shape, name="x")
        y = COMPOSITES[name](x)
        if name in MORE_STATIC:
            assert y.shape.is_fully_defined() and y.shape.is_compatible_with(case["shape"])
        else:
            assert y.shape.as_list() == case["shape"], name
        assert y.dtype.name == case["dtype"]
        with tf.Session() as sess:
            out = sess.run(y, {x: image})
    want = ARRAYS[name + "/out"]
    assert out.dtype == want.dtype and out.shape == want.shape
    if want.dtype.kind in "iu":
        # float -> int conversions may round differently by one step at exact .5 boundaries
        assert np.abs(out.astype(np.int64) - want.astype(np.int64)).max() <= 1
        assert np.mean(out != want) < 0.01
    else:
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


def test_resize_images_names_and_dtypes():
    x = tf.placeholder(tf.uint8, [None, 8, 6, 3])
    y = tf.image.resize_images(x, [4, 5])
    assert y.name == "resize/ResizeBilinear:0" and y.dtype == tf.float32
    assert y.shape.as_list() == [None, 4, 5, 3]
    assert y.op.inputs[1].name == "resize/size:0"
    n = tf.image.resize_images(x, [4, 5], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    assert n.name == "resize_1/ResizeNearestNeighbor:0" and n.dtype == tf.uint8
    assert tf.image.resize_images(x, [8, 6]) is x
    x3 = tf.placeholder(tf.float32, [8, 6, 3])
    y3 = tf.image.resize_images(x3, [4, 5])
    assert y3.name == "resize_3/Squeeze:0" and y3.shape.as_list() == [4, 5, 3]
    assert tf.image.resize_bilinear(x, [4, 5]).name == "ResizeBilinear:0"
    dyn = tf.image.resize_images(x, tf.placeholder(tf.int32, [2]))
    assert dyn.shape.as_list() == [None, None, None, 3]


def test_resize_errors():
    with pytest.raises(ValueError, match="must have either 3 or 4 dimensions"):
        tf.image.resize_images(tf.zeros([4, 4]), [2, 2])
    with pytest.raises(ValueError, match="1-D Tensor of 2 elements"):
        tf.image.resize_images(tf.zeros([4, 4, 1]), [2, 2, 2])
    with pytest.raises(ValueError, match="half_pixel_centers is True, align_corners must be"):
        tf.image.resize_bilinear(tf.zeros([1, 4, 4, 1]), [2, 2], align_corners=True,
                                 half_pixel_centers=True)
    size = tf.placeholder(tf.int32, [2])
    y = tf.image.resize_bilinear(tf.zeros([1, 4, 4, 1]), size)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="output dimensions must be"):
            sess.run(y, {size: [0, 3]})


def test_crop_and_pad_errors():
    img = tf.zeros([5, 6, 3])
    with pytest.raises(ValueError, match="width must be >= target \\+ offset"):
        tf.image.crop_to_bounding_box(img, 0, 2, 3, 5)
    with pytest.raises(ValueError, match="height must be <= target - offset"):
        tf.image.pad_to_bounding_box(img, 2, 0, 6, 8)
    with pytest.raises(ValueError, match="central_fraction must be within"):
        tf.image.central_crop(img, 1.5)
    assert tf.image.central_crop(img, 1.0) is not None


def test_dynamic_crop_runs():
    x = tf.placeholder(tf.float32, [None, None, 3])
    y = tf.image.resize_image_with_crop_or_pad(x, 4, 6)
    assert y.shape.as_list() == [4, 6, 3]
    z = tf.image.central_crop(x, 0.5)
    img = np.arange(7 * 9 * 3, dtype=np.float32).reshape(7, 9, 3)
    with tf.Session() as sess:
        a, b = sess.run([y, z], {x: img})
    np.testing.assert_array_equal(a[:, :, 0], np.pad(img, ((0, 0), (0, 0), (0, 0)))[
        1:5, 1:7, 0])
    np.testing.assert_array_equal(b, img[1:6, 2:7])


def test_random_flips():
    img = np.arange(2 * 3 * 1, dtype=np.float32).reshape(2, 3, 1)
    x = tf.constant(img)
    tf.set_random_seed(3)
    y = tf.image.random_flip_left_right(x)
    batch = tf.image.random_flip_up_down(tf.constant(np.stack([img] * 16)), seed=1)
    assert y.shape.as_list() == [2, 3, 1]
    seen = set()
    with tf.Session() as sess:
        for _ in range(30):
            out = sess.run(y)
            assert np.array_equal(out, img) or np.array_equal(out, img[:, ::-1])
            seen.add(out.tobytes())
        b = sess.run(batch)
    assert len(seen) == 2
    flipped = [np.array_equal(im, img[::-1]) for im in b]
    assert all(f or np.array_equal(im, img) for f, im in zip(flipped, b))
    assert 0 < sum(flipped) < 16


def test_random_brightness_and_contrast_ranges():
    x = tf.constant(np.full((4, 4, 3), 0.5, np.float32))
    b = tf.image.random_brightness(x, 0.2)
    c = tf.image.random_contrast(tf.constant(IMG_F[0]), 0.5, 1.5)
    with tf.Session() as sess:
        for _ in range(5):
            v = sess.run(b)
            assert 0.3 <= v[0, 0, 0] <= 0.7 and np.ptp(v) < 1e-6
            sess.run(c)
    with pytest.raises(ValueError):
        tf.image.random_contrast(x, 1.0, 0.5)


def test_png_round_trip():
    img = rng.randint(0, 256, (5, 7, 3)).astype(np.uint8)
    with tf.Graph().as_default():
        enc = tf.image.encode_png(tf.constant(img))
        assert enc.dtype == tf.string and enc.shape.as_list() == []
        dec = tf.image.decode_png(enc)
        gray = tf.image.decode_png(enc, channels=1)
        rgba = tf.image.decode_png(enc, channels=4)
        assert dec.shape.as_list() == [None, None, None]
        assert gray.shape.as_list() == [None, None, 1]
        with tf.Session() as sess:
            data, d, g, a = sess.run([enc, dec, gray, rgba])
    assert data.startswith(b"\x89PNG")
    np.testing.assert_array_equal(d, img)
    assert g.shape == (5, 7, 1) and a.shape == (5, 7, 4) and (a[..., 3] == 255).all()
    expected_gray = np.rint(img.astype(np.float64) @ [0.299, 0.587, 0.114])
    assert np.abs(g[..., 0] - expected_gray).max() <= 1
    with tf.Graph().as_default():
        bad = tf.image.decode_png(tf.constant(b"not a png"))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(bad)


# --- gradients ------------------------------------------------------------------------------
# The resize ops output float32 (as TF's do), so their finite differences use a large step:
# they are linear in the image, so any step is exact up to float32 rounding.
_GRAD_KW = dict(eps=0.5, tol=2e-4)


@pytest.mark.parametrize("align,half", [(False, False), (True, False), (False, True)])
@pytest.mark.parametrize("size", [[3, 5], [9, 4]])
def test_resize_bilinear_gradient(align, half, size):
    check_gradients(lambda x: tf.image.resize_bilinear(x, size, align_corners=align,
                                                       half_pixel_centers=half),
                    {"x": rng.randn(1, 5, 6, 2)}, op_types=["ResizeBilinear"], **_GRAD_KW)


@pytest.mark.parametrize("align,half", [(False, False), (True, False), (False, True)])
def test_resize_nearest_gradient(align, half):
    check_gradients(lambda x: tf.image.resize_nearest_neighbor(x, [7, 3], align_corners=align,
                                                               half_pixel_centers=half),
                    {"x": rng.randn(2, 5, 6, 1)}, op_types=["ResizeNearestNeighbor"])


@pytest.mark.parametrize("align,half", [(False, False), (True, False), (False, True)])
def test_resize_bicubic_gradient(align, half):
    check_gradients(lambda x: tf.image.resize_bicubic(x, [8, 4], align_corners=align,
                                                      half_pixel_centers=half),
                    {"x": rng.randn(1, 5, 6, 2)}, op_types=["ResizeBicubic"], **_GRAD_KW)


@pytest.mark.parametrize("op_type", ["ResizeBilinearGrad", "ResizeBicubicGrad",
                                     "ResizeNearestNeighborGrad"])
def test_resize_grad_op_gradients(op_type):
    """The *Grad ops are linear too; their gradient is the forward resize."""
    fn = {"ResizeBilinearGrad": tf.image.resize_bilinear,
          "ResizeBicubicGrad": tf.image.resize_bicubic,
          "ResizeNearestNeighborGrad": tf.image.resize_nearest_neighbor}[op_type]
    image = rng.randn(1, 5, 6, 2)

    def build(g):
        base = tf.constant(image)
        y = fn(base, [4, 7])
        return tf.gradients(y, base, grad_ys=tf.cast(g, y.dtype))[0]

    check_gradients(build, {"g": rng.randn(1, 4, 7, 2)}, op_types=[op_type],
                    **(_GRAD_KW if op_type != "ResizeNearestNeighborGrad" else {}))


def test_resize_area_has_no_gradient():
    x = tf.placeholder(tf.float32, [1, 4, 4, 1])
    with pytest.raises(LookupError, match="ResizeArea"):
        tf.gradients(tf.image.resize_area(x, [2, 2]), x)


def test_composite_gradients():
    check_gradients(lambda x: tf.image.central_crop(tf.image.flip_left_right(
        tf.image.resize_image_with_crop_or_pad(x, 4, 7)), 0.5) * tf.image.flip_up_down(
        tf.image.pad_to_bounding_box(x, 0, 1, 5, 8))[1:3, 1:6],
        {"x": rng.randn(5, 6, 3)}, op_types=["ReverseV2", "Pad", "Slice"])
    # adjust_contrast computes in float32 (as TF converts float64 images), hence the large step
    check_gradients(lambda x: tf.image.adjust_contrast(x, 1.5), {"x": rng.randn(5, 6, 3)},
                    eps=1e-2, tol=1e-3)


def test_jpeg_decode_close_to_tf_and_round_trip():
    fix = np.load(os.path.join(FIX, "jpeg.npz"))
    data = fix["data"].tobytes()
    with tf.Graph().as_default():
        contents = tf.constant(data)
        rgb = tf.image.decode_jpeg(contents)
        gray = tf.image.decode_jpeg(contents, channels=1)
        auto = tf.image.decode_image(contents)
        as_float = tf.image.decode_image(tf.image.encode_png(tf.constant(fix["rgb"])),
                                         dtype=tf.float32)
        enc = tf.image.encode_jpeg(rgb, quality=95)
        assert rgb.shape.as_list() == [None, None, None]
        assert gray.shape.as_list() == [None, None, 1] and enc.dtype == tf.string
        with tf.Session() as sess:
            r, g, a, f, e = sess.run([rgb, gray, auto, as_float, enc])
            back = sess.run(tf.image.decode_jpeg(e))
            with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file"):
                sess.run(tf.image.decode_image(tf.constant(b"GIF89a....")))
    assert r.shape == fix["rgb"].shape and g.shape == fix["gray"].shape
    # Pillow's libjpeg and TF's libjpeg-turbo upsample chroma differently: a few levels apart.
    assert np.abs(r.astype(int) - fix["rgb"]).max() <= 6
    assert np.abs(g.astype(int) - fix["gray"]).max() <= 3
    np.testing.assert_array_equal(a, r)
    np.testing.assert_allclose(f, fix["rgb"] / 255.0, atol=1e-6)
    assert e.startswith(b"\xff\xd8\xff") and np.abs(back.astype(int) - r).mean() < 3
