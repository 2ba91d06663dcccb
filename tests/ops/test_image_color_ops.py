"""tf.image colour ops (HSV, hue, saturation, gamma, YIQ/YUV) and image measures (total
variation, image/Sobel gradients, PSNR, SSIM, resize_image_with_pad) against real TensorFlow's
outputs (tests/fixtures/image, tools/fixtures/gen_image.py); finite-difference gradient checks;
argument and shape errors; the random variants' ranges."""

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


def _flip(x):
    return tf.reverse(x, [-2])


BUILDERS = {
    "rgb_to_hsv": tf.image.rgb_to_hsv,
    "rgb_to_hsv_f64": tf.image.rgb_to_hsv,
    "rgb_to_hsv_ties": tf.image.rgb_to_hsv,
    "hsv_to_rgb": tf.image.hsv_to_rgb,
    "hsv_to_rgb_ties": tf.image.hsv_to_rgb,
    "hsv_round_trip": lambda x: tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x)),
    "adjust_hue": lambda x: tf.image.adjust_hue(x, 0.3),
    "adjust_hue_neg": lambda x: tf.image.adjust_hue(x, -0.45),
    "adjust_hue_big": lambda x: tf.image.adjust_hue(x, 0.9),
    "adjust_hue_ties": lambda x: tf.image.adjust_hue(x, 0.2),
    "adjust_hue_u8": lambda x: tf.image.adjust_hue(x, 0.1),
    "adjust_saturation": lambda x: tf.image.adjust_saturation(x, 0.4),
    "adjust_saturation_up": lambda x: tf.image.adjust_saturation(x, 1.7),
    "adjust_saturation_ties": lambda x: tf.image.adjust_saturation(x, 2.5),
    "adjust_saturation_u8": lambda x: tf.image.adjust_saturation(x, 1.3),
    "adjust_gamma": lambda x: tf.image.adjust_gamma(x, 0.5, 1.3),
    "adjust_gamma_u8": lambda x: tf.image.adjust_gamma(x, 2.2),
    "rgb_to_yiq": tf.image.rgb_to_yiq,
    "yiq_to_rgb": tf.image.yiq_to_rgb,
    "rgb_to_yuv": tf.image.rgb_to_yuv,
    "yuv_to_rgb": tf.image.yuv_to_rgb,
    "total_variation": tf.image.total_variation,
    "total_variation_3d": tf.image.total_variation,
    "image_gradients_dy": lambda x: tf.image.image_gradients(x)[0],
    "image_gradients_dx": lambda x: tf.image.image_gradients(x)[1],
    "sobel_edges": tf.image.sobel_edges,
    "psnr": lambda x: tf.image.psnr(x, _flip(x), max_val=1.0),
    "psnr_u8": lambda x: tf.image.psnr(x, _flip(x), max_val=255),
    "ssim": lambda x: tf.image.ssim(x, _flip(x), max_val=1.0),
    "ssim_u8": lambda x: tf.image.ssim(x, _flip(x), max_val=255),
    "ssim_options": lambda x: tf.image.ssim(x, x * 0.7 + 0.1, max_val=2.0, filter_size=5,
                                            filter_sigma=0.8, k1=0.02, k2=0.05),
    "resize_image_with_pad": lambda x: tf.image.resize_image_with_pad(x, 10, 12),
    "resize_image_with_pad_batch": lambda x: tf.image.resize_image_with_pad(x, 5, 5, method=1),
    "resize_image_with_pad_tall": lambda x: tf.image.resize_image_with_pad(x, 12, 6, method=2),
}
FIXTURE_CASES = sorted(k for k, v in CASES.items() if v.get("group") in ("color", "quality"))


def test_every_fixture_case_has_a_builder():
    assert sorted(BUILDERS) == FIXTURE_CASES


def _run(name, build, image, with_grad):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.as_dtype(image.dtype), image.shape, name="x")
        y = build(x)
        fetch = {"out": y}
        if with_grad:
            grad_ys = tf.constant(ARRAYS[name + "/grad_in"])
            fetch["grad"] = tf.gradients(y, x, grad_ys=grad_ys)[0]
        with tf.Session() as sess:
            return y, sess.run(fetch, {x: image})


@pytest.mark.parametrize("name", FIXTURE_CASES)
def test_matches_tf(name):
    case = CASES[name]
    image = ARRAYS[name + "/in"]
    with_grad = name + "/grad" in ARRAYS
    y, res = _run(name, BUILDERS[name], image, with_grad)
    assert y.dtype.name == case["dtype"]
    assert y.shape.as_list() == case["shape"], (y.shape, case["shape"])
    want = ARRAYS[name + "/out"]
    out = res["out"]
    assert out.dtype == want.dtype and out.shape == want.shape
    if want.dtype.kind in "iu":
        # float -> uint8 conversion may land one step apart at exact .5 boundaries
        assert np.abs(out.astype(np.int64) - want.astype(np.int64)).max() <= 1
        assert np.mean(out != want) < 0.01
    else:
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    if with_grad:
        # Gradients are sums of products written differently from TF's: float32 rounding.
        np.testing.assert_allclose(res["grad"], ARRAYS[name + "/grad"], rtol=1e-4, atol=1e-5)


def test_names_and_static_shapes():
    x = tf.placeholder(tf.float32, [None, 8, 6, 3])
    assert tf.image.rgb_to_hsv(x).name == "RGBToHSV:0"
    assert tf.image.hsv_to_rgb(x, name="back").name == "back:0"
    hue = tf.image.adjust_hue(x, 0.1)
    assert hue.op.inputs[0].op.type == "AdjustHue" or hue.op.type == "AdjustHue"
    assert hue.shape.as_list() == [None, 8, 6, 3]
    assert tf.image.sobel_edges(x).shape.as_list() == [None, 8, 6, 3, 2]
    assert tf.image.total_variation(x).shape.as_list() == [None]
    assert tf.image.psnr(x, x, 1.0).shape.as_list() == [None]
    u8 = tf.placeholder(tf.uint8, [4, 4, 3])
    assert tf.image.adjust_saturation(u8, 2.0).dtype == tf.uint8
    assert tf.image.resize_image_with_pad(u8, 4, 4).dtype == tf.float32


def test_errors():
    with pytest.raises(ValueError, match="Dimension must be 3 but is 4"):
        tf.image.rgb_to_hsv(tf.zeros([2, 4]))
    with pytest.raises(TypeError, match="DataType uint8 not in list"):
        tf.image.rgb_to_hsv(tf.zeros([2, 3], tf.uint8))
    with pytest.raises(ValueError, match="must be at least rank 3"):
        tf.image.adjust_hue(tf.zeros([4, 3]), 0.1)
    with pytest.raises(ValueError, match="max_delta must be <= 0.5"):
        tf.image.random_hue(tf.zeros([2, 2, 3]), 0.6)
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        tf.image.random_hue(tf.zeros([2, 2, 3]), -0.1)
    with pytest.raises(ValueError, match="upper must be > lower"):
        tf.image.random_saturation(tf.zeros([2, 2, 3]), 1.0, 0.5)
    with pytest.raises(ValueError, match="lower must be non-negative"):
        tf.image.random_saturation(tf.zeros([2, 2, 3]), -1.0, 0.5)
    with pytest.raises(ValueError, match="Gamma should be a non-negative"):
        tf.image.adjust_gamma(tf.zeros([2, 2, 3]), -1.0)
    with pytest.raises(ValueError, match="either 3 or 4-dimensional"):
        tf.image.total_variation(tf.zeros([2, 3]))
    with pytest.raises(ValueError, match="expects a 4D tensor"):
        tf.image.image_gradients(tf.zeros([2, 3, 3]))
    with pytest.raises(ValueError, match="smaller than the filter size"):
        tf.image.ssim(tf.zeros([5, 5, 3]), tf.zeros([5, 5, 3]), 1.0)
    with pytest.raises(ValueError, match="target_width must be > 0"):
        tf.image.resize_image_with_pad(tf.zeros([5, 5, 3]), 4, 0)
    x = tf.placeholder(tf.float32, [None, None, None])
    y = tf.image.adjust_hue(x, 0.1)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have 3 channels"):
            sess.run(y, {x: np.zeros((2, 2, 4), np.float32)})


def test_random_hue_and_saturation():
    img = np.random.RandomState(0).uniform(0, 1, (4, 5, 3)).astype(np.float32)
    x = tf.constant(img)
    hue = tf.image.random_hue(x, 0.2, seed=3)
    sat = tf.image.random_saturation(x, 0.5, 1.5, seed=4)
    hsv_in = tf.image.rgb_to_hsv(x)
    with tf.Session() as sess:
        base = sess.run(hsv_in)
        seen = set()
        for _ in range(5):
            h, s = sess.run([tf.image.rgb_to_hsv(hue), tf.image.rgb_to_hsv(sat)])
            shift = (h[..., 0] - base[..., 0]) % 1.0
            shift = np.where(shift > 0.5, shift - 1.0, shift)
            assert np.ptp(shift) < 1e-4 and abs(shift[0, 0]) <= 0.2 + 1e-6
            np.testing.assert_allclose(h[..., 2], base[..., 2], atol=1e-6)  # value is kept
            ratio = s[..., 1] / base[..., 1]
            assert np.all((ratio > 0.5 - 1e-4) & (ratio < 1.5 + 1e-4))
            seen.add(float(shift[0, 0]))
    assert len(seen) == 5


# --- gradients ------------------------------------------------------------------------------
def _generic_rgb(shape, seed=0):
    """RGB values with well separated channels (away from the max/min switches)."""
    rng = np.random.RandomState(seed)
    base = rng.uniform(0.1, 0.9, shape[:-1] + (1,))
    offsets = np.stack([rng.permutation([0.0, 0.3, 0.6]) for _ in range(int(np.prod(shape[:-1])))])
    return (base * 0.3 + offsets.reshape(shape)) / 1.2 + 0.05


def test_rgb_to_hsv_gradient():
    check_gradients(tf.image.rgb_to_hsv, {"x": _generic_rgb((2, 3, 3))}, op_types=["RGBToHSV"],
                    tol=1e-6)


def test_hsv_to_rgb_gradient():
    # Hues away from the ramps' kinks at multiples of 1/6.
    rng = np.random.RandomState(1)
    h = (rng.randint(0, 6, (3, 4)) + rng.uniform(0.1, 0.9, (3, 4))) / 6.0
    hsv = np.stack([h, rng.uniform(0.1, 0.9, (3, 4)), rng.uniform(0.1, 0.9, (3, 4))], -1)
    check_gradients(tf.image.hsv_to_rgb, {"x": hsv}, op_types=["HSVToRGB"], tol=1e-6)


def test_adjust_hue_and_saturation_are_not_differentiable():
    x = tf.placeholder(tf.float32, [2, 2, 3])
    assert tf.gradients(tf.image.adjust_hue(x, 0.1), x) == [None]
    assert tf.gradients(tf.image.adjust_saturation(x, 1.1), x) == [None]


@pytest.mark.parametrize("fn", [
    lambda x: tf.image.adjust_gamma(x, 0.7, 1.2),
    tf.image.rgb_to_yiq, tf.image.yiq_to_rgb, tf.image.rgb_to_yuv, tf.image.yuv_to_rgb,
    tf.image.total_variation,
    lambda x: tf.image.image_gradients(x)[0] * tf.image.image_gradients(x)[1],
    tf.image.sobel_edges,
])
def test_composite_gradients(fn):
    # These run in float64 except adjust_gamma (TF computes it in float32): larger step there.
    # Distinct levels 1/60 apart: no two neighbours closer than the step (|.| has kinks).
    x = np.random.RandomState(2).permutation(60).reshape(1, 4, 5, 3) / 60.0 + 0.1
    check_gradients(fn, {"x": x}, eps=1e-3, tol=1e-3)


def test_psnr_and_ssim_gradients():
    a = _generic_rgb((1, 6, 6, 3), seed=3)
    b = _generic_rgb((1, 6, 6, 3), seed=4)
    # Both convert to float32 like TF, hence the large step and tolerance.
    check_gradients(lambda x, y: tf.image.psnr(x, y, 1.0), {"x": a, "y": b}, eps=1e-3, tol=1e-2)
    check_gradients(lambda x, y: tf.image.ssim(x, y, 1.0, filter_size=3), {"x": a, "y": b},
                    eps=1e-3, tol=1e-2)


def test_unknown_shapes_give_the_same_results():
    """The in-graph paths (sizes known only at run time) against TF's fixtures."""
    cases = [("resize_image_with_pad", lambda x: tf.image.resize_image_with_pad(x, 10, 12),
              [None, None, 3]),
             ("ssim", lambda x: tf.image.ssim(x, tf.reverse(x, [-2]), max_val=1.0),
              [None, None, None, 3]),
             ("total_variation", tf.image.total_variation, [None, None, None, 3])]
    for name, build, shape in cases:
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, shape)
            y = build(x)
            with tf.Session() as sess:
                out = sess.run(y, {x: ARRAYS[name + "/in"]})
        np.testing.assert_allclose(out, ARRAYS[name + "/out"], rtol=1e-5, atol=1e-6)
    x = tf.placeholder(tf.float32, [None, None, 3])
    assert tf.image.resize_image_with_pad(x, 10, 12).shape.as_list() == [10, 12, 3]
