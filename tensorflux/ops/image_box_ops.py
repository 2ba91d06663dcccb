"""Bounding-box ops of `tf.image`: drawing boxes and non-max suppression.

Box coordinates are `[y_min, x_min, y_max, x_max]`, normalised to [0, 1] for drawing and in any
consistent unit for non-max suppression. None of these ops is differentiable in TF 1.x; they are
marked so. Kernels: backends/*/image_box_ops.py.
"""

import collections

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _rank_check(shape, rank, at_least=False):
    if shape.ndims is None:
        return
    if at_least and shape.ndims < rank:
        raise ShapeError("Shape must be at least rank %d but is rank %d" % (rank, shape.ndims))
    if not at_least and shape.ndims != rank:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))


def _draw_shape(op):
    images, boxes = op.inputs[0], op.inputs[1]
    _rank_check(images.shape, 3, at_least=True)
    _rank_check(boxes.shape, 3)
    if len(op.inputs) == 3:
        _rank_check(op.inputs[2].shape, 2)
    return [(images.dtype.base_dtype, images.shape)]


def _nms_shape(op):
    boxes, scores = op.inputs[0], op.inputs[1]
    _rank_check(boxes.shape, 2)
    _rank_check(scores.shape, 1)
    for t in op.inputs[2:]:
        _rank_check(t.shape, 0)
    if op.type in ("NonMaxSuppressionV3", "NonMaxSuppressionWithOverlaps"):
        return [(dtypes.int32, TS([None]))]
    size = _scalar_value(op.inputs[2]) if op._attrs["pad_to_max_output_size"] else None
    if op.type == "NonMaxSuppressionV4":
        return [(dtypes.int32, TS([size])), (dtypes.int32, TS([]))]
    return [(dtypes.int32, TS([size])), (scores.dtype.base_dtype, TS([size])),
            (dtypes.int32, TS([]))]


def _scalar_value(t):
    """The int value of a scalar tensor known at graph-building time, else None."""
    from tensorflux.ops import constant_op

    value = constant_op.constant_value(t)
    return None if value is None else int(value)


def _overlaps_shape(op):
    overlaps = op.inputs[0].shape
    _rank_check(overlaps, 2)
    if overlaps.ndims == 2:
        rows, cols = overlaps.as_list()
        if rows is not None and cols is not None and rows != cols:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (rows, cols))
    return _nms_shape(op)


def _combined_shape(op):
    """[batch, size, 4], [batch, size] x 2, [batch]: `size` is max_total_size, capped with
    `pad_per_class` at max_output_size_per_class * num_classes."""
    boxes, scores = op.inputs[0].shape, op.inputs[1].shape
    _rank_check(boxes, 4)
    _rank_check(scores, 3)
    for t in op.inputs[2:]:
        _rank_check(t.shape, 0)
    b = boxes.as_list() if boxes.ndims else [None] * 4
    s = scores.as_list() if scores.ndims else [None] * 3
    if b[3] is not None and b[3] != 4:
        raise ShapeError("Dimension must be 4 but is %d" % b[3])
    if b[2] is not None and s[2] is not None and b[2] not in (1, s[2]):
        raise ShapeError("third dimension of boxes must be either 1 or equal to the third "
                         "dimension of scores")
    batch = b[0] if b[0] is not None else s[0]
    size = _scalar_value(op.inputs[3])
    if size is not None and size <= 0:
        raise ShapeError("max_total_size should be > 0 ")
    per_class = _scalar_value(op.inputs[2])
    if op._attrs["pad_per_class"] and size is not None:
        size = None if per_class is None or s[2] is None else min(size, per_class * s[2])
    return [(dtypes.float32, TS([batch, size, 4])), (dtypes.float32, TS([batch, size])),
            (dtypes.float32, TS([batch, size])), (dtypes.int32, TS([batch]))]


registry.register("DrawBoundingBoxes", shape=_draw_shape, grad=ND)
registry.register("DrawBoundingBoxesV2", shape=_draw_shape, grad=ND)
registry.register("NonMaxSuppressionV3", shape=_nms_shape, grad=ND)
registry.register("NonMaxSuppressionV4", shape=_nms_shape, grad=ND)
registry.register("NonMaxSuppressionV5", shape=_nms_shape, grad=ND)
registry.register("NonMaxSuppressionWithOverlaps", shape=_overlaps_shape, grad=ND)
registry.register("CombinedNonMaxSuppression", shape=_combined_shape, grad=ND)


def _float_images(images, what="images"):
    dtype = images.dtype.base_dtype
    if dtype not in (dtypes.float16, dtypes.float32):
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: float16, float32" % (what, dtype.name))
    return dtype


def draw_bounding_boxes(images, boxes, name=None, colors=None):
    """Draws box outlines on a [batch, H, W, 1|3|4] float batch; `boxes` is [batch, N, 4].

    Box k takes colour `colors[k % len(colors)]` (RGBA rows), or TF's default palette.

    Example:
        >>> boxed = tf.image.draw_bounding_boxes(images, [[[0.1, 0.2, 0.8, 0.9]]])
    """
    op_type = "DrawBoundingBoxes" if colors is None else "DrawBoundingBoxesV2"
    g = graph_lib._graph_from_values([images, boxes])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        images = convert(images, name="images")
        dtype = _float_images(images)
        inputs = [images, convert(boxes, dtype=dtypes.float32, name="boxes")]
        if colors is not None:
            inputs.append(convert(colors, dtype=dtypes.float32, name="colors"))
        return registry.make_tensor(op_type, inputs, {"T": dtype}, name=scope)


def _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold):
    boxes = convert(boxes, name="boxes")
    _float_images(boxes, "boxes")
    scores = convert(scores, dtype=boxes.dtype.base_dtype, name="scores")
    return [boxes, scores, convert(max_output_size, dtype=dtypes.int32, name="max_output_size"),
            convert(iou_threshold, dtype=dtypes.float32, name="iou_threshold"),
            convert(score_threshold, dtype=dtypes.float32, name="score_threshold")]


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):
    """Indices (int32) of at most `max_output_size` boxes, greedily by score, dropping any box
    whose IOU with an already selected one exceeds `iou_threshold`.

    Example:
        >>> keep = tf.image.non_max_suppression(boxes, scores, 10, iou_threshold=0.5)
        >>> kept_boxes = tf.gather(boxes, keep)
    """
    with graph_lib.name_scope(name, "non_max_suppression"):
        inputs = _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
        return registry.make_tensor("NonMaxSuppressionV3", inputs,
                                    {"T": inputs[0].dtype.base_dtype},
                                    name="NonMaxSuppressionV3")


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0,
                                    name=None):
    """`(selected_indices, selected_scores)`; with `soft_nms_sigma > 0`, Soft-NMS (Bodla et al.):
    overlapping boxes are down-weighted by exp(-IOU^2 / (2 sigma)) instead of dropped.

    Example:
        >>> keep, kept_scores = tf.image.non_max_suppression_with_scores(
        ...     boxes, scores, 10, soft_nms_sigma=0.5)
    """
    with graph_lib.name_scope(name, "non_max_suppression_with_scores"):
        inputs = _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
        inputs.append(convert(soft_nms_sigma, dtype=dtypes.float32, name="soft_nms_sigma"))
        op = registry.make_op("NonMaxSuppressionV5", inputs,
                              {"T": inputs[0].dtype.base_dtype, "pad_to_max_output_size": False},
                              name="NonMaxSuppressionV5")
        return op.outputs[0], op.outputs[1]


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5,
                               score_threshold=float("-inf"), pad_to_max_output_size=False,
                               name=None):
    """`(selected_indices, valid_outputs)` of greedy NMS (TF 1.15's op NonMaxSuppressionV4).

    With `pad_to_max_output_size`, `selected_indices` has `max_output_size` entries: the
    `valid_outputs` selected ones first, then zeros (a static shape, for TPUs and batching).

    Example:
        >>> idx, n = tf.image.non_max_suppression_padded(boxes, scores, 10,
        ...                                              pad_to_max_output_size=True)
        >>> kept = tf.gather(boxes, idx[:n])
    """
    with graph_lib.name_scope(name, "non_max_suppression_padded"):
        rank = getattr(getattr(boxes, "shape", None), "ndims", np.ndim(boxes))
        if not pad_to_max_output_size and rank is not None and rank > 2:
            raise ValueError("'pad_to_max_output_size' (value False) must be True for batched "
                             "input")
        inputs = _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
        op = registry.make_op("NonMaxSuppressionV4", inputs,
                              {"T": inputs[0].dtype.base_dtype,
                               "pad_to_max_output_size": bool(pad_to_max_output_size)},
                              name="NonMaxSuppressionV4")
        return op.outputs[0], op.outputs[1]


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """Greedy NMS on a precomputed `[N, N]` overlap matrix instead of boxes: a candidate `i` is
    dropped when `overlaps[i, j] > overlap_threshold` for an already selected `j`.

    Example:
        >>> keep = tf.image.non_max_suppression_overlaps(iou_matrix, scores, 10)
    """
    with graph_lib.name_scope(name, "non_max_suppression_overlaps"):
        inputs = [convert(overlaps, dtype=dtypes.float32, name="overlaps"),
                  convert(scores, dtype=dtypes.float32, name="scores"),
                  convert(max_output_size, dtype=dtypes.int32, name="max_output_size"),
                  convert(overlap_threshold, dtype=dtypes.float32, name="overlap_threshold"),
                  convert(score_threshold, dtype=dtypes.float32, name="score_threshold")]
        return registry.make_tensor("NonMaxSuppressionWithOverlaps", inputs, {},
                                    name="NonMaxSuppressionWithOverlaps")


CombinedNonMaxSuppression = collections.namedtuple(
    "CombinedNonMaxSuppression", ["nmsed_boxes", "nmsed_scores", "nmsed_classes",
                                  "valid_detections"])


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size,
                                 iou_threshold=0.5, score_threshold=float("-inf"),
                                 pad_per_class=False, clip_boxes=True, name=None):
    """Per-class greedy NMS over a batch, then the best `max_total_size` detections of each
    image across classes (zero-padded; `valid_detections` counts the real ones).

    `boxes` is `[batch, num_boxes, q, 4]` (q = 1 shares boxes between classes, else one box per
    class) and `scores` `[batch, num_boxes, num_classes]`; `clip_boxes` clips to [0, 1].

    Example:
        >>> boxes, scores, classes, n = tf.image.combined_non_max_suppression(
        ...     boxes, scores, max_output_size_per_class=10, max_total_size=20)
    """
    with graph_lib.name_scope(name, "combined_non_max_suppression"):
        iou = convert(iou_threshold, dtype=dtypes.float32, name="iou_threshold")
        score = convert(score_threshold, dtype=dtypes.float32, name="score_threshold")
        total = convert(max_total_size)
        g = graph_lib._graph_from_values([boxes, scores])
        with g.as_default(), g.name_scope("CombinedNonMaxSuppression") as scope:
            inputs = [convert(boxes, dtype=dtypes.float32, name="boxes"),
                      convert(scores, dtype=dtypes.float32, name="scores"),
                      convert(max_output_size_per_class, dtype=dtypes.int32,
                              name="max_output_size_per_class"),
                      total, iou, score]
            if total.dtype.base_dtype != dtypes.int32:
                raise TypeError("Input 'max_total_size' of 'CombinedNonMaxSuppression' Op has "
                                "type %s that does not match expected type of int32."
                                % total.dtype.base_dtype.name)
            op = registry.make_op("CombinedNonMaxSuppression", inputs,
                                  {"pad_per_class": bool(pad_per_class),
                                   "clip_boxes": bool(clip_boxes)}, name=scope)
        return CombinedNonMaxSuppression(*op.outputs)


# --- crop and resize ----------------------------------------------------------------------------
def _crop_shape(op):
    image, boxes, box_index, crop_size = op.inputs
    _rank_check(image.shape, 4)
    _rank_check(boxes.shape, 2)
    _rank_check(box_index.shape, 1)
    _rank_check(crop_size.shape, 1)
    from tensorflux.ops import constant_op

    hw = constant_op.constant_value_as_shape(crop_size)
    hw = hw.as_list() if hw.ndims == 2 else [None, None]
    n = boxes.shape.as_list()[0] if boxes.shape.ndims == 2 else None
    depth = image.shape.as_list()[3] if image.shape.ndims == 4 else None
    return [(dtypes.float32, TS([n, hw[0], hw[1], depth]))]


def _crop_grad_image_shape(op):
    from tensorflux.ops import constant_op

    size = constant_op.constant_value_as_shape(op.inputs[3])
    return [(op._attrs["T"], size if size.ndims == 4 else TS([None] * 4))]


def _crop_grad_boxes_shape(op):
    return [(dtypes.float32, op.inputs[2].shape)]


def _crop_and_resize_grad(op, grad):
    """Image gradient for float images (bilinear or nearest); box gradient from bilinear
    sampling in both cases (TF's approximation for nearest); none for indices and size."""
    from tensorflux.ops import array_ops

    image, boxes, box_index, _ = op.inputs
    image_size = (image.shape.as_list() if image.shape.is_fully_defined()
                  else array_ops.shape(image))
    grad_image = None
    if image.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
        grad_image = registry.make_tensor(
            "CropAndResizeGradImage",
            [grad, boxes, box_index, convert(image_size, dtype=dtypes.int32)],
            {"T": image.dtype.base_dtype, "method": op._attrs["method"]},
            name="CropAndResizeGradImage")
    grad_boxes = registry.make_tensor("CropAndResizeGradBoxes", [grad, image, boxes, box_index],
                                      {"T": image.dtype.base_dtype, "method": "bilinear"},
                                      name="CropAndResizeGradBoxes")
    return [grad_image, grad_boxes, None, None]


registry.register("CropAndResize", shape=_crop_shape, grad=_crop_and_resize_grad)
# TF registers no gradient for the two gradient ops; they are not differentiated again here.
registry.register("CropAndResizeGradImage", shape=_crop_grad_image_shape, grad=ND)
registry.register("CropAndResizeGradBoxes", shape=_crop_grad_boxes_shape, grad=ND)


def crop_and_resize(image, boxes, box_ind, crop_size, method="bilinear", extrapolation_value=0,
                    name=None):
    """Crops box `i` of image `box_ind[i]` and resizes it to `crop_size` (float32 output).

    `boxes` rows are normalised `[y1, x1, y2, x2]` (y2 < y1 flips the crop); samples outside the
    image take `extrapolation_value`.

    Example:
        >>> crops = tf.image.crop_and_resize(images, [[0.1, 0.1, 0.6, 0.9]], [0], [14, 14])
    """
    if method not in ("bilinear", "nearest"):
        raise ValueError("method must be 'bilinear' or 'nearest', got %r" % (method,))
    g = graph_lib._graph_from_values([image, boxes])
    with g.as_default(), g.name_scope(name or "CropAndResize") as scope:
        image = convert(image, name="image")
        inputs = [image, convert(boxes, dtype=dtypes.float32, name="boxes"),
                  convert(box_ind, dtype=dtypes.int32, name="box_ind"),
                  convert(crop_size, dtype=dtypes.int32, name="crop_size")]
        return registry.make_tensor("CropAndResize", inputs, {
            "T": image.dtype.base_dtype, "method": method,
            "extrapolation_value": float(extrapolation_value)}, name=scope)


# --- sample_distorted_bounding_box --------------------------------------------------------------
def _sample_shape(op):
    image_size, boxes, min_covered = op.inputs
    _rank_check(image_size.shape, 1)
    _rank_check(boxes.shape, 3)
    _rank_check(min_covered.shape, 0)
    dtype = image_size.dtype.base_dtype
    return [(dtype, TS([3])), (dtype, TS([3])), (dtypes.float32, TS([1, 1, 4]))]


registry.register("SampleDistortedBoundingBoxV2", shape=_sample_shape, grad=ND, stateful=True)


def _check_range(values, field):
    values = [float(v) for v in values]
    if len(values) != 2:
        raise ValueError("%s field must specify 2 dimensions" % field)
    return values


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=None, seed2=None,
                                  min_object_covered=0.1, aspect_ratio_range=None,
                                  area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name=None):
    """A random crop `(begin, size, bboxes)` for `tf.slice`, covering part of some box.

    Each of `max_attempts` tries draws an aspect ratio and an area (fractions of the image);
    the first crop that covers at least `min_object_covered` of one of `bounding_boxes`
    ([batch, N, 4] normalised `[y_min, x_min, y_max, x_max]`) wins, else the whole image.
    The random draws are not TensorFlow's (same distribution, different generator).

    Example:
        >>> begin, size, box = tf.image.sample_distorted_bounding_box(
        ...     tf.shape(image), boxes, min_object_covered=0.1)
        >>> crop = tf.slice(image, begin, size)
    """
    from tensorflux.ops import random_ops

    aspect = _check_range(aspect_ratio_range or [0.75, 1.33], "Aspect ratio range")
    area = _check_range(area_range or [0.05, 1.0], "Area range")
    if aspect[0] <= 0 or aspect[1] <= 0:
        raise ValueError("Aspect ratio range must be non-negative: [%g, %g]" % tuple(aspect))
    if area[0] > 1 or area[1] > 1:
        raise ValueError("Area range must be less then or equal to 1.0: [%g, %g]" % tuple(area))
    attempts = 100 if max_attempts is None else int(max_attempts)
    if attempts <= 0:
        raise ValueError("Max attempts must be non-negative: %d" % attempts)
    attrs = random_ops._seed_attrs(seed)
    if seed2 is not None:
        attrs = {"seed": int(seed or 0), "seed2": int(seed2)}
    attrs.update(aspect_ratio_range=aspect, area_range=area, max_attempts=attempts,
                 use_image_if_no_bounding_boxes=bool(use_image_if_no_bounding_boxes))
    with graph_lib.name_scope(name, "sample_distorted_bounding_box"):
        image_size = convert(image_size, name="image_size")
        if not image_size.dtype.base_dtype.is_integer:
            raise TypeError("Value passed to parameter 'image_size' has DataType %s not in list "
                            "of allowed values: uint8, int8, int16, int32, int64"
                            % image_size.dtype.base_dtype.name)
        attrs["T"] = image_size.dtype.base_dtype
        inputs = [image_size, convert(bounding_boxes, dtype=dtypes.float32, name="bounding_boxes"),
                  convert(min_object_covered, dtype=dtypes.float32, name="min_object_covered")]
        op = registry.make_op("SampleDistortedBoundingBoxV2", inputs, attrs,
                              name="SampleDistortedBoundingBoxV2")
        return tuple(op.outputs)
