"""numpy kernels for the box ops (ops/image_box_ops.py): drawing boxes and non-max suppression.

`draw_boxes` takes the array module `xp` (the XLA backend runs it with jax.numpy): each box
becomes a mask of its four edge lines, in TF's float32-then-truncate pixel arithmetic, and later
boxes paint over earlier ones. Non-max suppression selects a data-dependent number of boxes, so
it has no XLA kernel (like Unique or Where): plans that use it run on numpy.
"""

import heapq

import numpy as np

from tensorflux.ops import registry

F32 = np.float32

# TF's default colours (RGBA) for boxes 0, 1, 2, ... (cycled).
DEFAULT_COLORS = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1],
                           [0.5, 0, 0.5, 1], [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1],
                           [0, 1, 1, 1], [1, 0, 1, 1]], np.float32)


def check_draw_inputs(images, boxes, colors):
    if images.ndim != 4:
        raise ValueError("The rank of the images should be 4")
    if boxes.ndim != 3:
        raise ValueError("The rank of the boxes tensor should be 3")
    if images.shape[0] != boxes.shape[0]:
        raise ValueError("The batch sizes should be the same")
    depth = images.shape[3]
    if depth not in (1, 3, 4):
        raise ValueError("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    if boxes.shape[2] != 4:
        raise ValueError("The size of the third dimension of the box must be 4. Received: %d"
                         % boxes.shape[2])
    if colors is not None:
        if colors.ndim != 2:
            raise ValueError("colors must be a 2-D matrix%s" % list(colors.shape))
        if colors.shape[1] < depth:
            raise ValueError("colors must have equal or more channels than the image provided: "
                             "%s" % list(colors.shape))


def color_table(colors, depth):
    """The colours to cycle through: the given ones (first `depth` channels) or TF's defaults."""
    if colors is not None and colors.size:
        return colors[:, :depth]
    table = DEFAULT_COLORS[:, :depth].copy()
    if depth == 1:
        table[:, 0] = 1
    return table


def _edge(coord, size):
    """TF's `int64(float(coord) * (size - 1))`: float32 product, truncated toward zero."""
    return (coord.astype(F32) * F32(size - 1)).astype(np.int64)


def draw_boxes(images, boxes, table, xp):
    """Paints each box's outline (clipped to the image) onto the images, box by box."""
    _, height, width, _ = images.shape
    rows = xp.arange(height)[None, :, None]
    cols = xp.arange(width)[None, None, :]
    out = images
    for k in range(boxes.shape[1]):
        top, left, bottom, right = [_edge(boxes[:, k, i], (height, width)[i % 2])[:, None, None]
                                    for i in range(4)]
        drawn = ((top <= bottom) & (left <= right) & (top < height) & (bottom >= 0)
                 & (left < width) & (right >= 0))
        in_cols = (cols >= xp.maximum(left, 0)) & (cols <= xp.minimum(right, width - 1))
        in_rows = (rows >= xp.maximum(top, 0)) & (rows <= xp.minimum(bottom, height - 1))
        lines = (((rows == top) | (rows == bottom)) & in_cols) | (
            ((cols == left) | (cols == right)) & in_rows)
        color = table[k % table.shape[0]].astype(images.dtype)
        out = xp.where((drawn & lines)[..., None], color, out)
    return out


def _draw_kernel(op):
    def run(images, boxes, colors=None):
        check_draw_inputs(images, boxes, colors)
        table = color_table(colors, images.shape[3])
        return draw_boxes(images, boxes, table, np)
    return run


registry.kernel("DrawBoundingBoxes")(_draw_kernel)
registry.kernel("DrawBoundingBoxesV2")(_draw_kernel)


# --- non-max suppression ------------------------------------------------------------------------
def _iou_matrix(boxes):
    """Pairwise IOU in float32 as TF computes it (corners in either order; empty boxes: 0)."""
    b = boxes.astype(F32)
    ymin, ymax = np.minimum(b[:, 0], b[:, 2]), np.maximum(b[:, 0], b[:, 2])
    xmin, xmax = np.minimum(b[:, 1], b[:, 3]), np.maximum(b[:, 1], b[:, 3])
    area = (ymax - ymin) * (xmax - xmin)
    inter_h = np.maximum(np.minimum(ymax[:, None], ymax[None]) - np.maximum(ymin[:, None],
                                                                             ymin[None]), F32(0))
    inter_w = np.maximum(np.minimum(xmax[:, None], xmax[None]) - np.maximum(xmin[:, None],
                                                                             xmin[None]), F32(0))
    inter = inter_h * inter_w
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[:, None] + area[None] - inter)
    empty = (area[:, None] <= 0) | (area[None] <= 0)
    return np.where(empty, F32(0), iou).astype(F32)


def check_nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold):
    for value, what in ((max_output_size, "max_output_size"), (iou_threshold, "iou_threshold"),
                        (score_threshold, "score_threshold")):
        if np.ndim(value) != 0:
            raise ValueError("%s must be 0-D, got shape %s" % (what, list(np.shape(value))))
    if not 0 <= float(iou_threshold) <= 1:
        raise ValueError("iou_threshold must be in [0, 1]")
    if boxes.ndim != 2:
        raise ValueError("boxes must be 2-D%s" % list(boxes.shape))
    if boxes.shape[1] != 4:
        raise ValueError("boxes must have 4 columns%s" % list(boxes.shape))
    if scores.ndim != 1:
        raise ValueError("scores must be 1-D%s" % list(scores.shape))
    if scores.shape[0] != boxes.shape[0]:
        raise ValueError("scores has incompatible shape")
    if int(max_output_size) < 0:
        raise ValueError("max_output_size must be non-negative")


def hard_nms(boxes, scores, max_output_size, iou_threshold, score_threshold, iou=None):
    """Greedy NMS: best score first (lower index on ties); drop boxes with IOU > threshold.

    `iou` replaces the boxes' IOU matrix by a given similarity (NonMaxSuppressionWithOverlaps).
    """
    iou = _iou_matrix(boxes) if iou is None else iou.astype(F32)
    scores = scores.astype(F32)
    order = [i for i in np.lexsort((np.arange(len(scores)), -scores))
             if scores[i] > F32(score_threshold)]
    selected = []
    for i in order:
        if len(selected) >= max_output_size:
            break
        if not selected or not np.any(iou[i, selected] > F32(iou_threshold)):
            selected.append(i)
    return np.array(selected, np.int32), scores[selected]


def soft_nms(boxes, scores, max_output_size, iou_threshold, score_threshold, sigma):
    """TF's Soft-NMS: scores decay by exp(-0.5 IOU^2 / sigma); re-queued while above threshold."""
    iou = _iou_matrix(boxes)
    scale = F32(-0.5) / F32(sigma)
    threshold = F32(score_threshold)
    queue = [(-s, i, 0) for i, s in enumerate(scores.astype(F32)) if s > threshold]
    heapq.heapify(queue)
    selected, kept = [], []
    while len(selected) < max_output_size and queue:
        neg, i, begin = heapq.heappop(queue)
        score = original = F32(-neg)
        for j in range(len(selected) - 1, begin - 1, -1):
            sim = iou[i, selected[j]]
            score = F32(score * np.exp(scale * sim * sim, dtype=F32))
            if score <= threshold:
                break
        if score == original:
            selected.append(i)
            kept.append(score)
        elif score > threshold:
            heapq.heappush(queue, (-score, i, len(selected)))
    return np.array(selected, np.int32), np.array(kept, F32)


@registry.kernel("NonMaxSuppressionV3")
def _nms_v3(op):
    def run(boxes, scores, max_output_size, iou_threshold, score_threshold):
        check_nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
        return hard_nms(boxes, scores, int(max_output_size), iou_threshold, score_threshold)[0]
    return run


@registry.kernel("NonMaxSuppressionV5")
def _nms_v5(op):
    pad = op._attrs["pad_to_max_output_size"]

    def run(boxes, scores, max_output_size, iou_threshold, score_threshold, sigma):
        check_nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
        if float(sigma) < 0:
            raise ValueError("soft_nms_sigma must be non-negative")
        size = int(max_output_size)
        if float(sigma) > 0:
            idx, kept = soft_nms(boxes, scores, size, iou_threshold, score_threshold, sigma)
        else:
            idx, kept = hard_nms(boxes, scores, size, iou_threshold, score_threshold)
        valid = np.int32(len(idx))
        if pad:
            idx = np.pad(idx, (0, size - len(idx)))
            kept = np.pad(kept, (0, size - len(kept)))
        return idx, kept.astype(scores.dtype), valid
    return run


@registry.kernel("NonMaxSuppressionV4")
def _nms_v4(op):
    pad = op._attrs["pad_to_max_output_size"]

    def run(boxes, scores, max_output_size, iou_threshold, score_threshold):
        check_nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
        size = int(max_output_size)
        idx = hard_nms(boxes, scores, size, iou_threshold, score_threshold)[0]
        valid = np.int32(len(idx))
        return (np.pad(idx, (0, size - len(idx))) if pad else idx), valid
    return run


def check_overlaps_inputs(overlaps, scores, max_output_size, threshold, score_threshold):
    for value, what in ((max_output_size, "max_output_size"), (threshold, "overlap_threshold"),
                        (score_threshold, "score_threshold")):
        if np.ndim(value) != 0:
            raise ValueError("%s must be 0-D, got shape %s" % (what, list(np.shape(value))))
    if overlaps.ndim != 2:
        raise ValueError("overlaps must be 2-D%s" % list(overlaps.shape))
    if overlaps.shape[0] != overlaps.shape[1]:
        raise ValueError("overlaps must be square%s" % list(overlaps.shape))
    if scores.ndim != 1:
        raise ValueError("scores must be 1-D%s" % list(scores.shape))
    if scores.shape[0] != overlaps.shape[0]:
        raise ValueError("scores has incompatible shape")
    if int(max_output_size) < 0:
        raise ValueError("max_output_size must be non-negative")


@registry.kernel("NonMaxSuppressionWithOverlaps")
def _nms_overlaps(op):
    def run(overlaps, scores, max_output_size, threshold, score_threshold):
        check_overlaps_inputs(overlaps, scores, max_output_size, threshold, score_threshold)
        return hard_nms(None, scores, int(max_output_size), threshold, score_threshold,
                        iou=overlaps)[0]
    return run


def check_combined_inputs(boxes, scores, per_class, total):
    if boxes.ndim != 4:
        raise ValueError("boxes must be 4-D%s" % list(boxes.shape))
    if scores.ndim != 3:
        raise ValueError("scores must be 3-D%s" % list(scores.shape))
    if boxes.shape[3] != 4:
        raise ValueError("boxes must have 4 coordinates%s" % list(boxes.shape))
    if boxes.shape[2] not in (1, scores.shape[2]):
        raise ValueError("third dimension of boxes must be either 1 or equal to the third "
                         "dimension of scores")
    if boxes.shape[:2] != scores.shape[:2]:
        raise ValueError("boxes and scores must agree in batch size and number of boxes")
    if int(per_class) <= 0:
        raise ValueError("max_size_per_class should be > 0")
    if int(total) <= 0:
        raise ValueError("max_total_size should be > 0")


def combined_nms_image(boxes, scores, per_class, iou_threshold, score_threshold):
    """(score, class, box) of every detection of one image, best first: per-class greedy NMS,
    then one stable sort across classes."""
    found = []
    for c in range(scores.shape[1]):
        class_boxes = boxes[:, 0 if boxes.shape[1] == 1 else c]
        idx, kept = hard_nms(class_boxes, scores[:, c], per_class, iou_threshold,
                             score_threshold)
        found += [(float(k), c, class_boxes[i]) for i, k in zip(idx, kept)]
    order = sorted(range(len(found)), key=lambda n: -found[n][0])
    return [found[n] for n in order]


@registry.kernel("CombinedNonMaxSuppression")
def _combined_nms(op):
    pad_per_class, clip = op._attrs["pad_per_class"], op._attrs["clip_boxes"]

    def run(boxes, scores, per_class, total, iou_threshold, score_threshold):
        check_combined_inputs(boxes, scores, per_class, total)
        per_class, size = int(per_class), int(total)
        if pad_per_class:
            size = min(size, per_class * scores.shape[2])
        batch = boxes.shape[0]
        out_boxes = np.zeros((batch, size, 4), F32)
        out_scores = np.zeros((batch, size), F32)
        out_classes = np.zeros((batch, size), F32)
        valid = np.zeros(batch, np.int32)
        for b in range(batch):
            found = combined_nms_image(boxes[b], scores[b], per_class, iou_threshold,
                                       score_threshold)[:size]
            valid[b] = len(found)
            for n, (score, c, box) in enumerate(found):
                out_boxes[b, n] = np.clip(box, 0, 1) if clip else box
                out_scores[b, n], out_classes[b, n] = score, c
        return out_boxes, out_scores, out_classes, valid
    return run


# --- crop and resize ----------------------------------------------------------------------------
def check_crop_inputs(image, boxes, box_index, crop_size):
    if image.ndim != 4:
        raise ValueError("input image must be 4-D%s" % list(image.shape))
    if image.shape[1] <= 0 or image.shape[2] <= 0:
        raise ValueError("image dimensions must be positive")
    check_boxes(boxes, box_index)
    crop_size = np.asarray(crop_size).reshape(-1)
    if crop_size.shape != (2,):
        raise ValueError("crop_size must be a 1-D tensor of length 2")
    if crop_size[0] <= 0 or crop_size[1] <= 0:
        raise ValueError("crop dimensions must be positive")
    return int(crop_size[0]), int(crop_size[1])


def check_boxes(boxes, box_index):
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError("boxes must be 2-D [num_boxes, 4]: %s" % list(boxes.shape))
    if box_index.ndim != 1 or box_index.shape[0] != boxes.shape[0]:
        raise ValueError("box_index has incompatible shape")


def check_box_index(box_index, batch):
    """TF fails the whole op on a box index outside [0, batch)."""
    if np.any((box_index < 0) | (box_index >= batch)):
        raise ValueError("box_index has values outside [0, batch_size)")


def sample_positions(lo, hi, in_size, out_size):
    """TF's float32 sample positions `[num_boxes, out_size]` along one axis of each box."""
    lo, hi = lo[:, None].astype(F32), hi[:, None].astype(F32)
    steps = np.arange(out_size, dtype=F32)[None, :]
    if out_size > 1:
        scale = (hi - lo) * F32(in_size - 1) / F32(out_size - 1)
        return lo * F32(in_size - 1) + steps * scale
    # One sample: the box centre, computed in double by TF (0.5 is a double constant).
    centre = 0.5 * (lo + hi).astype(np.float64) * (in_size - 1)
    return (centre + 0 * steps).astype(F32)


def crop_geometry(boxes, in_h, in_w, crop_h, crop_w, xp):
    """Sample positions, their valid masks and the bilinear/nearest indices and weights."""
    geo = {}
    for axis, (lo, hi, size, n) in {"y": (0, 2, in_h, crop_h), "x": (1, 3, in_w, crop_w)}.items():
        pos = sample_positions(boxes[:, lo], boxes[:, hi], size, n)
        geo[axis + "_valid"] = (pos >= 0) & (pos <= F32(size - 1))
        low = xp.floor(pos)
        geo[axis + "_lerp"] = pos - low
        geo[axis + "_low"] = xp.clip(low.astype(np.int32), 0, size - 1)
        geo[axis + "_high"] = xp.clip(xp.ceil(pos).astype(np.int32), 0, size - 1)
        # roundf: halves away from zero (positions are >= 0 where valid)
        near = low + (pos - low >= F32(0.5)).astype(F32)
        geo[axis + "_near"] = xp.clip(near.astype(np.int32), 0, size - 1)
    return geo


def _pixels(image, box_index, ys, xs):
    """image[box_index[b], ys[b, i], xs[b, j], :] as float32, shape [boxes, len_y, len_x, C]."""
    return image[box_index[:, None, None], ys[:, :, None], xs[:, None, :]].astype(F32)


def crop_and_resize(image, boxes, box_index, crop_h, crop_w, method, extrapolation, xp):
    _, in_h, in_w, _ = image.shape
    geo = crop_geometry(boxes, in_h, in_w, crop_h, crop_w, xp)
    if method == "nearest":
        out = _pixels(image, box_index, geo["y_near"], geo["x_near"])
    else:
        top_left = _pixels(image, box_index, geo["y_low"], geo["x_low"])
        top_right = _pixels(image, box_index, geo["y_low"], geo["x_high"])
        bottom_left = _pixels(image, box_index, geo["y_high"], geo["x_low"])
        bottom_right = _pixels(image, box_index, geo["y_high"], geo["x_high"])
        x_lerp = geo["x_lerp"][:, None, :, None]
        y_lerp = geo["y_lerp"][:, :, None, None]
        top = top_left + (top_right - top_left) * x_lerp
        bottom = bottom_left + (bottom_right - bottom_left) * x_lerp
        out = top + (bottom - top) * y_lerp
    valid = geo["y_valid"][:, :, None, None] & geo["x_valid"][:, None, :, None]
    return xp.where(valid, out, F32(extrapolation))


def crop_and_resize_grad_image(grads, boxes, box_index, image_shape, method, scatter_add, xp):
    """The adjoint of `crop_and_resize` in the image: every sample's weights, scattered back."""
    _, in_h, in_w, depth = image_shape
    crop_h, crop_w = grads.shape[1:3]
    geo = crop_geometry(boxes, in_h, in_w, crop_h, crop_w, xp)
    valid = geo["y_valid"][:, :, None, None] & geo["x_valid"][:, None, :, None]
    g = xp.where(valid, grads.astype(F32), F32(0))
    shape = g.shape
    b = xp.broadcast_to(box_index[:, None, None], shape[:3])
    if method == "nearest":
        taps = [(geo["y_near"], geo["x_near"], g)]
    else:
        y_lerp = geo["y_lerp"][:, :, None, None]
        x_lerp = geo["x_lerp"][:, None, :, None]
        top, bottom = (F32(1) - y_lerp) * g, y_lerp * g
        taps = [(geo["y_low"], geo["x_low"], (F32(1) - x_lerp) * top),
                (geo["y_low"], geo["x_high"], x_lerp * top),
                (geo["y_high"], geo["x_low"], (F32(1) - x_lerp) * bottom),
                (geo["y_high"], geo["x_high"], x_lerp * bottom)]
    out = xp.zeros((image_shape[0], in_h, in_w, depth), F32)
    for ys, xs, values in taps:
        yy = xp.broadcast_to(ys[:, :, None], shape[:3])
        xx = xp.broadcast_to(xs[:, None, :], shape[:3])
        out = scatter_add(out, (b, yy, xx), values)
    return out


def crop_and_resize_grad_boxes(grads, image, boxes, box_index, xp):
    """d(crops)/d(boxes) of bilinear sampling, contracted with `grads`: [num_boxes, 4]."""
    _, in_h, in_w, _ = image.shape
    crop_h, crop_w = grads.shape[1:3]
    geo = crop_geometry(boxes, in_h, in_w, crop_h, crop_w, xp)
    top_left = _pixels(image, box_index, geo["y_low"], geo["x_low"])
    top_right = _pixels(image, box_index, geo["y_low"], geo["x_high"])
    bottom_left = _pixels(image, box_index, geo["y_high"], geo["x_low"])
    bottom_right = _pixels(image, box_index, geo["y_high"], geo["x_high"])
    x_lerp = geo["x_lerp"][:, None, :, None]
    y_lerp = geo["y_lerp"][:, :, None, None]
    along_y = (F32(1) - x_lerp) * (bottom_left - top_left) + x_lerp * (bottom_right - top_right)
    along_x = (F32(1) - y_lerp) * (top_right - top_left) + y_lerp * (bottom_right - bottom_left)
    valid = geo["y_valid"][:, :, None, None] & geo["x_valid"][:, None, :, None]
    g = xp.where(valid, grads.astype(F32), F32(0))
    dy = (g * along_y).sum(axis=(2, 3))  # [boxes, crop_h]
    dx = (g * along_x).sum(axis=(1, 3))  # [boxes, crop_w]

    def weights(n, size):
        """d(position_i)/d(lo), d(position_i)/d(hi) for each of the n samples."""
        if n > 1:
            i = np.arange(n, dtype=F32) * (F32(size - 1) / F32(n - 1))
            return F32(size - 1) - i, i
        half = np.full(1, 0.5 * (size - 1), F32)
        return half, half

    wy_lo, wy_hi = weights(crop_h, in_h)
    wx_lo, wx_hi = weights(crop_w, in_w)
    return xp.stack([(dy * wy_lo).sum(1), (dx * wx_lo).sum(1), (dy * wy_hi).sum(1),
                     (dx * wx_hi).sum(1)], axis=1)


def _np_scatter_add(target, index, values):
    np.add.at(target, index, values)
    return target


@registry.kernel("CropAndResize")
def _crop_and_resize(op):
    method, extrapolation = op._attrs["method"], op._attrs["extrapolation_value"]

    def run(image, boxes, box_index, crop_size):
        crop_h, crop_w = check_crop_inputs(image, boxes, box_index, crop_size)
        check_box_index(box_index, image.shape[0])
        return crop_and_resize(image, boxes, box_index, crop_h, crop_w, method, extrapolation,
                               np)
    return run


@registry.kernel("CropAndResizeGradImage")
def _crop_and_resize_grad_image(op):
    method = op._attrs["method"]
    out_dtype = op.outputs[0].dtype.as_numpy_dtype

    def run(grads, boxes, box_index, image_size):
        check_boxes(boxes, box_index)
        image_shape = [int(v) for v in np.asarray(image_size).reshape(-1)]
        check_box_index(box_index, image_shape[0])
        out = crop_and_resize_grad_image(grads, boxes, box_index, image_shape, method,
                                         _np_scatter_add, np)
        return out.astype(out_dtype)
    return run


@registry.kernel("CropAndResizeGradBoxes")
def _crop_and_resize_grad_boxes(op):
    def run(grads, image, boxes, box_index):
        check_boxes(boxes, box_index)
        check_box_index(box_index, image.shape[0])
        return crop_and_resize_grad_boxes(grads, image, boxes, box_index, np)
    return run


# --- sample_distorted_bounding_box --------------------------------------------------------------
def check_sample_inputs(image_size, boxes, min_object_covered):
    if np.ndim(image_size) != 1:
        raise ValueError("image_size must be 1-dimensional, got %s" % list(np.shape(image_size)))
    if np.shape(image_size)[0] != 3:
        raise ValueError("image_size must contain 3 elements, got %s"
                         % list(np.shape(image_size)))
    if boxes.ndim != 3:
        raise ValueError("input boxes must be 3-dimensional [batch, num_boxes, coords]: %s"
                         % list(boxes.shape))
    if boxes.shape[-1] != 4:
        raise ValueError("bounding boxes must have shape [4] or [*, 4], got %s"
                         % list(boxes.shape))
    if np.ndim(min_object_covered) != 0:
        raise ValueError("min_object_covered must be 0-D, got shape %s"
                         % list(np.shape(min_object_covered)))


def check_sample_values(image_size, boxes, min_object_covered, use_image):
    """The value checks of TF's kernel (the numpy backend; XLA reruns here when they fail)."""
    if image_size[0] <= 0 or image_size[1] <= 0:
        raise ValueError("image height and width must be positive, got %s" % list(image_size))
    if float(min_object_covered) < 0:
        raise ValueError("min_object_covered must be non-negative: %s" % min_object_covered)
    if np.any((boxes < 0) | (boxes > 1)):
        raise ValueError("All bounding box coordinates must be in [0.0, 1.0]")
    if boxes.size == 0 and not use_image:
        raise ValueError("No bounding boxes provided as input. One must enable "
                         "use_image_if_no_bounding_boxes if you wish to not provide any "
                         "bounding boxes.")


def _uniform_int(u, n, xp):
    """`Uniform(n)` of TF's Philox helper, from a uniform float in [0, 1): an int in [0, n)."""
    return xp.minimum(xp.floor(u * n.astype(F32)).astype(np.int32), xp.maximum(n - 1, 0))


def _random_crops(height, width, u, aspect_range, area_range, xp):
    """TF's GenerateRandomCrop for every attempt at once: (ok, y, x, crop_h, crop_w)."""
    f_h, f_w = height.astype(F32), width.astype(F32)
    ratio = u[:, 0] * F32(aspect_range[1] - aspect_range[0]) + F32(aspect_range[0])
    min_area = F32(area_range[0]) * f_w * f_h
    max_area = F32(area_range[1]) * f_w * f_h
    crop_h = xp.rint(xp.sqrt(min_area / ratio)).astype(np.int32)
    max_h = xp.rint(xp.sqrt(max_area / ratio)).astype(np.int32)
    # The largest max_h with round(max_h * ratio) <= width (TF computes this bound in double).
    too_wide = xp.rint(max_h.astype(F32) * ratio) > f_w
    bound = ((width.astype(np.float64) + 0.5 - 1e-7) / ratio.astype(np.float64)).astype(np.int32)
    bound = xp.where(xp.rint(bound.astype(F32) * ratio) > f_w, bound - 1, bound)
    max_h = xp.minimum(xp.where(too_wide, bound, max_h), height)
    crop_h = xp.minimum(crop_h, max_h)
    crop_h = crop_h + xp.where(crop_h < max_h, _uniform_int(u[:, 1], max_h - crop_h + 1, xp), 0)
    crop_w = xp.rint(crop_h.astype(F32) * ratio).astype(np.int32)
    # Nudge by one row when rounding put the area just outside the range.
    small = (crop_w * crop_h).astype(F32) < min_area
    crop_h = xp.where(small, crop_h + 1, crop_h)
    crop_w = xp.rint(crop_h.astype(F32) * ratio).astype(np.int32)
    large = (crop_w * crop_h).astype(F32) > max_area
    crop_h = xp.where(large, crop_h - 1, crop_h)
    crop_w = xp.rint(crop_h.astype(F32) * ratio).astype(np.int32)
    area = (crop_w * crop_h).astype(F32)
    ok = ((area >= min_area) & (area <= max_area) & (crop_w <= width) & (crop_h <= height)
          & (crop_w > 0) & (crop_h > 0) & (max_area > 0) & (ratio > 0) & (min_area <= max_area))
    y = xp.where(crop_h < height, _uniform_int(u[:, 2], height - crop_h, xp), 0)
    x = xp.where(crop_w < width, _uniform_int(u[:, 3], width - crop_w, xp), 0)
    return ok, y, x, crop_h, crop_w


def _covers(y, x, crop_h, crop_w, rects, min_covered, xp):
    """Whether each crop covers at least `min_covered` of some box (of area >= 1)."""
    y_min, x_min, y_max, x_max = [r[None, :] for r in rects]
    inter_h = xp.minimum((y + crop_h)[:, None], y_max) - xp.maximum(y[:, None], y_min)
    inter_w = xp.minimum((x + crop_w)[:, None], x_max) - xp.maximum(x[:, None], x_min)
    inter = xp.where((inter_h > 0) & (inter_w > 0), inter_h * inter_w, 0)
    box_area = (y_max - y_min) * (x_max - x_min)
    covered = inter.astype(F32) / xp.maximum(box_area, 1).astype(F32) >= min_covered
    return xp.any(covered & (box_area >= 1), axis=1) & (crop_h * crop_w >= 1)


def sample_distorted_box(image_size, boxes, min_covered, u, aspect_range, area_range, xp):
    """(begin, size, bboxes) of TF's SampleDistortedBoundingBoxV2, given the attempts' uniforms.

    `u` is [max_attempts, 4]: aspect ratio, height, y and x draws of each attempt. The first
    attempt that gives a valid crop covering enough of some box wins; else the whole image.
    """
    height, width = image_size[0].astype(np.int32), image_size[1].astype(np.int32)
    flat = boxes.reshape(-1, 4).astype(F32)
    if flat.shape[0]:
        rects = [(flat[:, i] * (height, width)[i % 2].astype(F32)).astype(np.int32)
                 for i in range(4)]
    else:
        rects = [xp.zeros(1, np.int32), xp.zeros(1, np.int32), xp.reshape(height, (1,)),
                 xp.reshape(width, (1,))]
    ok, y, x, crop_h, crop_w = _random_crops(height, width, u, aspect_range, area_range, xp)
    ok = ok & _covers(y, x, crop_h, crop_w, rects, min_covered, xp)
    first = xp.argmax(ok)
    found = ok[first]
    y, x = xp.where(found, y[first], 0), xp.where(found, x[first], 0)
    crop_h, crop_w = xp.where(found, crop_h[first], height), xp.where(found, crop_w[first], width)
    dtype = image_size.dtype
    begin = xp.stack([y, x, xp.zeros_like(y)]).astype(dtype)
    size = xp.stack([crop_h, crop_w, xp.full_like(y, -1)]).astype(dtype)
    f_h, f_w = height.astype(F32), width.astype(F32)
    bboxes = xp.stack([y.astype(F32) / f_h, x.astype(F32) / f_w, (y + crop_h).astype(F32) / f_h,
                       (x + crop_w).astype(F32) / f_w]).reshape(1, 1, 4)
    return begin, size, bboxes


@registry.kernel("SampleDistortedBoundingBoxV2")
def _sample_distorted_bounding_box(op):
    from tensorflux.backends.numpy.random_ops import _rng

    attrs = op._attrs

    def run(state, image_size, boxes, min_object_covered):
        check_sample_inputs(image_size, boxes, min_object_covered)
        check_sample_values(image_size, boxes, min_object_covered,
                            attrs["use_image_if_no_bounding_boxes"])
        u = _rng(state, op).random((attrs["max_attempts"], 4), dtype=F32)
        return sample_distorted_box(np.asarray(image_size), boxes, F32(min_object_covered), u,
                                    attrs["aspect_ratio_range"], attrs["area_range"], np)
    return run
