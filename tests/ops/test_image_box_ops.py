"""tf.image box and patch ops (draw_bounding_boxes, non_max_suppression(_with_scores),
crop_and_resize, sample_distorted_bounding_box, extract_patches) against real TensorFlow's outputs
(tests/fixtures/image, tools/fixtures/gen_image.py); finite-difference gradient checks; errors;
the not-differentiable marks; the random crops' properties and distribution."""

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
EXTRA = ("boxes", "box_ind", "colors", "grad_ys", "scores")


def _draw(x, boxes):
    return tf.image.draw_bounding_boxes(x, boxes)


def _draw_colors(x, boxes, colors):
    return tf.image.draw_bounding_boxes(x, boxes, colors=colors)


def _crop(x, boxes, box_ind):
    return tf.image.crop_and_resize(x, boxes, box_ind, [4, 6])


def _crop_box_grad(x, boxes, box_ind, grad_ys):
    crops = tf.image.crop_and_resize(x, boxes, box_ind, [4, 6])
    return tf.gradients(tf.reduce_sum(crops * grad_ys), boxes)[0]


def _patches(ksizes, strides, rates, padding):
    return lambda x: tf.image.extract_patches(x, ksizes, strides, rates, padding)


BUILDERS = {
    "extract_patches_valid": _patches([1, 2, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
    "extract_patches_same": _patches([1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1], "SAME"),
    "extract_patches_dilated": _patches([1, 2, 2, 1], [1, 1, 2, 1], [1, 2, 3, 1], "SAME"),
    "extract_image_patches_u8": lambda x: tf.extract_image_patches(
        x, [1, 3, 3, 1], [1, 3, 3, 1], [1, 1, 1, 1], "VALID"),
    "crop_and_resize": _crop,
    "crop_and_resize_one": lambda x, boxes, box_ind: tf.image.crop_and_resize(
        x, boxes, box_ind, [1, 3], extrapolation_value=-1.0),
    "crop_and_resize_nearest": lambda x, boxes, box_ind: tf.image.crop_and_resize(
        x, boxes, box_ind, [5, 4], method="nearest"),
    "crop_and_resize_u8": _crop,
    "crop_and_resize_box_grad": _crop_box_grad,
    "draw_bounding_boxes": _draw,
    "draw_bounding_boxes_gray": _draw,
    "draw_bounding_boxes_colors": _draw_colors,
    "draw_bounding_boxes_rgba": _draw_colors,
    "non_max_suppression": lambda x, scores: tf.image.non_max_suppression(x, scores, 12),
    "non_max_suppression_thresholds": lambda x, scores: tf.image.non_max_suppression(
        x, scores, 30, iou_threshold=0.2, score_threshold=0.3),
    "nms_with_scores_idx":
        lambda x, scores: tf.image.non_max_suppression_with_scores(x, scores, 10)[0],
    "soft_nms_idx": lambda x, scores: tf.image.non_max_suppression_with_scores(
        x, scores, 25, score_threshold=0.1, soft_nms_sigma=0.5)[0],
    "soft_nms_scores": lambda x, scores: tf.image.non_max_suppression_with_scores(
        x, scores, 25, score_threshold=0.1, soft_nms_sigma=0.5)[1],
}
FIXTURE_CASES = sorted(k for k, v in CASES.items() if v.get("group") in ("box", "patch"))


def test_every_fixture_case_has_a_builder():
    assert sorted(BUILDERS) == FIXTURE_CASES


@pytest.mark.parametrize("name", FIXTURE_CASES)
def test_matches_tf(name):
    case = CASES[name]
    image = ARRAYS[name + "/in"]
    with tf.Graph().as_default():
        extra = {k: tf.constant(ARRAYS[name + "/" + k]) for k in EXTRA
                 if name + "/" + k in ARRAYS}
        x = tf.placeholder(tf.as_dtype(image.dtype), image.shape, name="x")
        y = BUILDERS[name](x, **extra)
        assert y.dtype.name == case["dtype"] and y.shape.as_list() == case["shape"]
        fetch = {"out": y}
        if name + "/grad" in ARRAYS:
            grad_ys = tf.constant(ARRAYS[name + "/grad_in"])
            fetch["grad"] = tf.gradients(y, x, grad_ys=grad_ys)[0]
        with tf.Session() as sess:
            res = sess.run(fetch, {x: image})
    want, out = ARRAYS[name + "/out"], res["out"]
    assert out.dtype == want.dtype and out.shape == want.shape
    if name == "soft_nms_scores":
        # exp() of numpy and of TF's Eigen may differ in the last bit
        np.testing.assert_allclose(out, want, rtol=1e-6)
    elif name == "crop_and_resize_box_grad":
        # sums over the crop pixels, accumulated in another order than TF's loops
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
    elif name.startswith("crop_and_resize"):
        np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)
    elif name.startswith("extract"):
        np.testing.assert_array_equal(out, want)
    else:
        np.testing.assert_array_equal(out, want)
    if "grad" in res:
        # scatter-adds of the sampling weights, in another order than TF's loops
        np.testing.assert_allclose(res["grad"], ARRAYS[name + "/grad"], rtol=1e-5, atol=1e-6)


def test_nms_names_and_errors():
    boxes = tf.placeholder(tf.float32, [None, 4])
    scores = tf.placeholder(tf.float32, [None])
    keep = tf.image.non_max_suppression(boxes, scores, 5)
    assert keep.name == "non_max_suppression/NonMaxSuppressionV3:0"
    assert keep.dtype == tf.int32 and keep.shape.as_list() == [None]
    with pytest.raises(ValueError, match="must be rank 2"):
        tf.image.non_max_suppression(tf.zeros([4]), tf.zeros([4]), 3)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="iou_threshold must be in"):
            sess.run(tf.image.non_max_suppression(boxes, scores, 3, iou_threshold=1.5),
                     {boxes: np.zeros((2, 4)), scores: np.zeros(2)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="scores has incompatible"):
            sess.run(keep, {boxes: np.zeros((2, 4)), scores: np.zeros(3)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="soft_nms_sigma must be"):
            sess.run(tf.image.non_max_suppression_with_scores(boxes, scores, 3,
                                                              soft_nms_sigma=-1.0)[0],
                     {boxes: np.zeros((2, 4)), scores: np.zeros(2)})
    assert tf.gradients(tf.image.non_max_suppression_with_scores(
        boxes, scores, 3)[1], scores) == [None]


def test_draw_errors_and_gradient():
    with pytest.raises(TypeError, match="DataType uint8 not in list"):
        tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 3], tf.uint8), tf.zeros([1, 1, 4]))
    with pytest.raises(ValueError, match="must be rank 3"):
        tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 3]), tf.zeros([1, 4]))
    x = tf.placeholder(tf.float32, [1, 4, 4, 2])
    y = tf.image.draw_bounding_boxes(x, tf.zeros([1, 1, 4]))
    assert tf.gradients(y, x) == [None]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Channel depth should be"):
            sess.run(y, {x: np.zeros((1, 4, 4, 2))})


def test_crop_and_resize_errors():
    image = tf.zeros([2, 5, 5, 3])
    with pytest.raises(ValueError, match="method must be 'bilinear' or 'nearest'"):
        tf.image.crop_and_resize(image, [[0, 0, 1, 1]], [0], [2, 2], method="bicubic")
    with pytest.raises(ValueError, match="must be rank 4"):
        tf.image.crop_and_resize(tf.zeros([5, 5, 3]), [[0, 0, 1, 1]], [0], [2, 2])
    crops = tf.image.crop_and_resize(image, [[0, 0, 1, 1]], tf.placeholder(tf.int32, [1]), [2, 3])
    assert crops.shape.as_list() == [1, 2, 3, 3] and crops.dtype == tf.float32
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="box_index has values outside"):
            sess.run(crops, {crops.op.inputs[2]: [2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="crop dimensions must be"):
            sess.run(tf.image.crop_and_resize(image, [[0, 0, 1, 1]], [0], [0, 3]))


# Boxes whose samples stay away from pixel boundaries (where bilinear sampling has kinks).
_GRAD_BOXES = np.array([[0.11, 0.13, 0.83, 0.71], [0.92, 0.77, 0.21, 0.08],
                        [0.37, 0.12, 0.37, 0.91]])


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
def test_crop_and_resize_image_gradient(method):
    # Linear in the image with float32 output (as TF's): any step is exact up to rounding.
    image = np.random.RandomState(5).randn(2, 6, 7, 2)
    check_gradients(lambda x: tf.image.crop_and_resize(x, _GRAD_BOXES, [0, 1, 1], [4, 3],
                                                       method=method),
                    {"x": image}, op_types=["CropAndResize"], eps=0.5, tol=2e-4)


def test_crop_and_resize_box_gradient():
    image = np.random.RandomState(6).randn(2, 6, 7, 2).astype(np.float32)
    # Boxes and crops are float32 (as in TF): a large step, a loose tolerance.
    check_gradients(lambda b: tf.image.crop_and_resize(image, tf.cast(b, tf.float32), [0, 1, 1],
                                                       [4, 3]),
                    {"b": _GRAD_BOXES}, op_types=["CropAndResize"], eps=1e-3, tol=2e-3)


# --- sample_distorted_bounding_box: TF's random numbers cannot be matched, so properties -------
def _sampled(n, config=None, **kwargs):
    with tf.Graph().as_default():
        tf.set_random_seed(11)
        begin, size, bbox = tf.image.sample_distorted_bounding_box(
            [60, 90, 3], [[[0.2, 0.1, 0.7, 0.5]]], **kwargs)
        assert begin.shape.as_list() == [3] and size.dtype == tf.int32
        assert bbox.shape.as_list() == [1, 1, 4] and bbox.dtype == tf.float32
        with tf.Session(config=config) as sess:
            draws = [sess.run([begin, size, bbox]) for _ in range(n)]
    return [np.array([d[i] for d in draws]) for i in range(3)]


KW = dict(min_object_covered=0.25, aspect_ratio_range=[0.5, 2.0], area_range=[0.1, 0.8])


def test_sample_distorted_bounding_box_properties():
    begin, size, bbox = _sampled(300, **KW)
    assert (begin[:, 2] == 0).all() and (size[:, 2] == -1).all()
    assert (begin[:, :2] >= 0).all()
    assert (begin[:, 0] + size[:, 0] <= 60).all() and (begin[:, 1] + size[:, 1] <= 90).all()
    whole = (size[:, 0] == 60) & (size[:, 1] == 90)  # no attempt succeeded: the whole image
    area = size[:, 0] * size[:, 1] / 5400.0
    assert ((area >= 0.1 - 1e-6) & (area <= 0.8 + 1e-6) | whole).all()
    ratio = size[:, 1] / size[:, 0]
    assert ((ratio > 0.5 * 0.9) & (ratio < 2.0 * 1.1) | whole).all()  # up to rounding
    # the crop covers at least 25% of the box (rows 12..42, columns 9..45)
    inter_h = np.minimum(begin[:, 0] + size[:, 0], 42) - np.maximum(begin[:, 0], 12)
    inter_w = np.minimum(begin[:, 1] + size[:, 1], 45) - np.maximum(begin[:, 1], 9)
    covered = np.maximum(inter_h, 0) * np.maximum(inter_w, 0) / (30.0 * 36.0)
    assert (covered >= 0.25).all()
    expected = np.stack([begin[:, 0] / 60, begin[:, 1] / 90, (begin[:, 0] + size[:, 0]) / 60,
                         (begin[:, 1] + size[:, 1]) / 90], 1)
    np.testing.assert_allclose(bbox.reshape(-1, 4), expected, rtol=1e-6)
    # The same distribution as TF's 300 draws (fixture): mean area and aspect ratio.
    tf_size = ARRAYS["sample_distorted_bounding_box/size"]
    assert abs(area.mean() - (tf_size[:, 0] * tf_size[:, 1] / 5400.0).mean()) < 0.04
    assert abs(ratio.mean() - (tf_size[:, 1] / tf_size[:, 0]).mean()) < 0.12
    assert len({tuple(s) for s in size}) > 100


def test_sample_distorted_bounding_box_on_xla(monkeypatch):
    pytest.importorskip("jax")
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    begin, size, _ = _sampled(50, config=config, **KW)
    assert (begin[:, 0] + size[:, 0] <= 60).all() and (begin[:, 1] + size[:, 1] <= 90).all()
    area = size[:, 0] * size[:, 1] / 5400.0
    assert ((area >= 0.1 - 1e-6) & (area <= 0.8 + 1e-6)).all() and len(set(area)) > 10


def test_sample_distorted_bounding_box_errors():
    boxes = [[[0.2, 0.1, 0.7, 0.5]]]
    with pytest.raises(ValueError, match="Area range must be less then or equal to 1.0"):
        tf.image.sample_distorted_bounding_box([6, 9, 3], boxes, area_range=[0.1, 1.5])
    with pytest.raises(ValueError, match="Aspect ratio range field must specify 2"):
        tf.image.sample_distorted_bounding_box([6, 9, 3], boxes, aspect_ratio_range=[1.0])
    with pytest.raises(TypeError, match="DataType float32 not in list"):
        tf.image.sample_distorted_bounding_box([6.0, 9.0, 3.0], boxes)
    with tf.Session() as sess:
        no_boxes = tf.image.sample_distorted_bounding_box([6, 9, 3], tf.zeros([1, 0, 4]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="No bounding boxes provided"):
            sess.run(no_boxes)
        whole = tf.image.sample_distorted_bounding_box([6, 9, 3], tf.zeros([1, 0, 4]),
                                                       use_image_if_no_bounding_boxes=True)
        assert sess.run(whole)[1][2] == -1
        outside = tf.image.sample_distorted_bounding_box([6, 9, 3], [[[0.2, 0.1, 1.7, 0.5]]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be in \\[0.0, 1.0\\]"):
            sess.run(outside)


# --- extract_image_patches ----------------------------------------------------------------------
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_extract_patches_gradient(padding):
    check_gradients(lambda x: tf.image.extract_patches(x, [1, 3, 2, 1], [1, 2, 1, 1],
                                                       [1, 1, 2, 1], padding),
                    {"x": np.random.RandomState(8).randn(2, 5, 6, 2)},
                    op_types=["ExtractImagePatches"])


def test_extract_patches_errors():
    x = tf.zeros([1, 4, 4, 1])
    with pytest.raises(ValueError, match="to contain 4 values"):
        tf.image.extract_patches(x, [2, 2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="Only support ksizes across space"):
        tf.image.extract_patches(x, [2, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="padding must be"):
        tf.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "FULL")
    with pytest.raises(ValueError, match="Negative dimension size"):
        tf.image.extract_patches(x, [1, 5, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    y = tf.extract_image_patches(tf.placeholder(tf.float32, [None, 7, 9, 3]), ksizes=[1, 2, 2, 1],
                                 strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="SAME")
    assert y.shape.as_list() == [None, 4, 5, 12]
