"""The box operations of a Faster R-CNN head as TF 1.x detection code wrote them (the
endernewton/tf-faster-rcnn and tensorflow/models object_detection layouts): anchors on a feature
map grid from `tf.meshgrid`, box decoding from regression deltas, proposals by `tf.nn.top_k` and
`tf.image.non_max_suppression` in a `tf.while_loop` over the images of a batch, ROI pooling with
`tf.image.crop_and_resize`, a numpy IoU matcher through `tf.py_func`, and
`tf.image.draw_bounding_boxes`. Every result is checked against numpy.
"""

import numpy as np
import tensorflow as tf

IMAGE_SIZE = 64
STRIDE = 16
SCALES = (16.0, 32.0)
RATIOS = (0.5, 1.0, 2.0)
PRE_NMS, POST_NMS = 24, 12


# --- numpy references -------------------------------------------------------------------------
def np_base_anchors():
    anchors = []
    for scale in SCALES:
        for ratio in RATIOS:
            h, w = scale * np.sqrt(ratio), scale / np.sqrt(ratio)
            anchors.append([-h / 2, -w / 2, h / 2, w / 2])
    return np.array(anchors, np.float32)


def np_anchors(height, width):
    out = []
    for y in range(height):
        for x in range(width):
            cy, cx = (y + 0.5) * STRIDE, (x + 0.5) * STRIDE
            out.append(np_base_anchors() + [cy, cx, cy, cx])
    return np.concatenate(out).astype(np.float32)


def np_iou(boxes_a, boxes_b):
    """IoU of every pair of [y1, x1, y2, x2] boxes (the matcher's numpy core)."""
    ya1, xa1, ya2, xa2 = np.split(boxes_a, 4, axis=1)
    yb1, xb1, yb2, xb2 = np.split(boxes_b, 4, axis=1)
    ih = np.maximum(np.minimum(ya2, yb2.T) - np.maximum(ya1, yb1.T), 0)
    iw = np.maximum(np.minimum(xa2, xb2.T) - np.maximum(xa1, xb1.T), 0)
    inter = ih * iw
    area_a = (ya2 - ya1) * (xa2 - xa1)
    area_b = (yb2 - yb1) * (xb2 - xb1)
    return (inter / np.maximum(area_a + area_b.T - inter, 1e-8)).astype(np.float32)


def np_nms(boxes, scores, max_output, threshold):
    order = list(np.argsort(-scores, kind="stable"))
    keep = []
    while order and len(keep) < max_output:
        i = order.pop(0)
        keep.append(i)
        order = [j for j in order if np_iou(boxes[i:i + 1], boxes[j:j + 1])[0, 0] <= threshold]
    return np.array(keep, np.int32)


def np_crop_and_resize(image, boxes, box_ind, crop_size):
    """Bilinear crops as tf.image.crop_and_resize samples them (zero outside the image)."""
    _, height, width, _ = image.shape
    ch, cw = crop_size
    out = np.zeros((len(boxes), ch, cw, image.shape[3]), np.float32)
    for n, (y1, x1, y2, x2) in enumerate(boxes):
        img = image[box_ind[n]]
        for i in range(ch):
            y = y1 * (height - 1) + i * (y2 - y1) * (height - 1) / (ch - 1)
            if y < 0 or y > height - 1:
                continue
            for j in range(cw):
                x = x1 * (width - 1) + j * (x2 - x1) * (width - 1) / (cw - 1)
                if x < 0 or x > width - 1:
                    continue
                y0, x0 = int(np.floor(y)), int(np.floor(x))
                yb, xb = min(y0 + 1, height - 1), min(x0 + 1, width - 1)
                dy, dx = y - y0, x - x0
                top = img[y0, x0] * (1 - dx) + img[y0, xb] * dx
                bottom = img[yb, x0] * (1 - dx) + img[yb, xb] * dx
                out[n, i, j] = top * (1 - dy) + bottom * dy
    return out


# --- the graph ----------------------------------------------------------------------------------
def generate_anchors(feat_height, feat_width):
    shift_x = tf.range(feat_width, dtype=tf.float32) * STRIDE + STRIDE / 2.0
    shift_y = tf.range(feat_height, dtype=tf.float32) * STRIDE + STRIDE / 2.0
    shift_x, shift_y = tf.meshgrid(shift_x, shift_y)
    shifts = tf.stack([tf.reshape(shift_y, [-1]), tf.reshape(shift_x, [-1]),
                       tf.reshape(shift_y, [-1]), tf.reshape(shift_x, [-1])], axis=1)
    base = tf.constant(np_base_anchors())
    anchors = tf.expand_dims(shifts, 1) + tf.expand_dims(base, 0)
    return tf.reshape(anchors, [-1, 4])


def decode_boxes(anchors, deltas):
    """Applies (dy, dx, dh, dw) regression deltas to [y1, x1, y2, x2] anchors."""
    heights = anchors[:, 2] - anchors[:, 0]
    widths = anchors[:, 3] - anchors[:, 1]
    ctr_y = anchors[:, 0] + 0.5 * heights
    ctr_x = anchors[:, 1] + 0.5 * widths
    dy, dx, dh, dw = tf.unstack(deltas, axis=1)
    pred_ctr_y = dy * heights + ctr_y
    pred_ctr_x = dx * widths + ctr_x
    pred_h = tf.exp(dh) * heights
    pred_w = tf.exp(dw) * widths
    boxes = tf.stack([pred_ctr_y - 0.5 * pred_h, pred_ctr_x - 0.5 * pred_w,
                      pred_ctr_y + 0.5 * pred_h, pred_ctr_x + 0.5 * pred_w], axis=1)
    return tf.clip_by_value(boxes, 0.0, IMAGE_SIZE - 1.0)


def proposals(boxes, scores, pre_nms_top_n=PRE_NMS, post_nms_top_n=POST_NMS, threshold=0.3):
    top = tf.nn.top_k(scores, k=pre_nms_top_n)
    top_scores, top_idx = top.values, top.indices
    top_boxes = tf.gather(boxes, top_idx)
    keep = tf.image.non_max_suppression(top_boxes, top_scores, post_nms_top_n,
                                        iou_threshold=threshold)
    # pad to a fixed count so the loop can write one row per image
    kept = tf.gather(top_boxes, keep)
    pad = post_nms_top_n - tf.shape(kept)[0]
    return tf.pad(kept, [[0, pad], [0, 0]]), tf.shape(keep)[0]


def main():
    rng = np.random.RandomState(0)
    batch, feat_h, feat_w = 2, IMAGE_SIZE // STRIDE, IMAGE_SIZE // STRIDE
    num_anchors = feat_h * feat_w * len(SCALES) * len(RATIOS)
    images_np = rng.uniform(0, 1, (batch, IMAGE_SIZE, IMAGE_SIZE, 3)).astype(np.float32)
    deltas_np = rng.normal(0, 0.1, (batch, num_anchors, 4)).astype(np.float32)
    scores_np = rng.uniform(0, 1, (batch, num_anchors)).astype(np.float32)
    gt_np = np.array([[4, 4, 30, 24], [20, 30, 60, 62], [40, 2, 63, 20]], np.float32)

    images = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, 3], name="images")
    deltas = tf.placeholder(tf.float32, [None, num_anchors, 4], name="rpn_bbox_pred")
    scores = tf.placeholder(tf.float32, [None, num_anchors], name="rpn_cls_prob")
    gt_boxes = tf.placeholder(tf.float32, [None, 4], name="gt_boxes")

    anchors = generate_anchors(feat_h, feat_w)
    print("anchors %s" % anchors.get_shape())

    def body(i, ta, counts):
        boxes = decode_boxes(anchors, deltas[i])
        rois, count = proposals(boxes, scores[i])
        return i + 1, ta.write(i, rois), counts.write(i, count)

    num_images = tf.shape(images)[0]
    _, rois_ta, counts_ta = tf.while_loop(
        lambda i, *_: i < num_images, body,
        [tf.constant(0), tf.TensorArray(tf.float32, size=num_images),
         tf.TensorArray(tf.int32, size=num_images)])
    rois = rois_ta.stack()                          # (batch, POST_NMS, 4) pixels
    counts = counts_ta.stack()

    # ROI pooling: crop_and_resize on normalized boxes, then 2x2 max pooling
    flat_rois = tf.reshape(rois, [-1, 4])
    box_ind = tf.reshape(tf.tile(tf.expand_dims(tf.range(num_images), 1), [1, POST_NMS]), [-1])
    norm_rois = flat_rois / (IMAGE_SIZE - 1.0)
    crops = tf.image.crop_and_resize(images, tf.stop_gradient(norm_rois), box_ind, [14, 14],
                                     name="crops")
    pooled = tf.nn.max_pool(crops, [1, 2, 2, 1], [1, 2, 2, 1], padding="SAME")
    print("pooled rois %s" % pooled.get_shape())

    # the IoU matcher in numpy, as the repos' anchor_target_layer does
    overlaps = tf.py_func(np_iou, [flat_rois, gt_boxes], tf.float32, name="bbox_overlaps")
    overlaps.set_shape([None, None])
    max_overlaps = tf.reduce_max(overlaps, axis=1)
    labels = tf.where(max_overlaps >= 0.3, tf.argmax(overlaps, axis=1) + 1,
                      tf.zeros_like(tf.argmax(overlaps, axis=1)))

    drawn = tf.image.draw_bounding_boxes(images, rois / (IMAGE_SIZE - 1.0))
    grad = tf.gradients(tf.reduce_sum(pooled), images)[0]

    feed = {images: images_np, deltas: deltas_np, scores: scores_np, gt_boxes: gt_np}
    with tf.Session() as sess:
        (anchors_v, rois_v, counts_v, crops_v, pooled_v, overlaps_v, labels_v, drawn_v,
         grad_v) = sess.run([anchors, rois, counts, crops, pooled, overlaps, labels, drawn,
                             grad], feed)

    print("anchors match numpy %s" % np.allclose(anchors_v, np_anchors(feat_h, feat_w)))
    ok = True
    for b in range(batch):
        a = np_anchors(feat_h, feat_w)
        h, w = a[:, 2] - a[:, 0], a[:, 3] - a[:, 1]
        cy, cx = a[:, 0] + h / 2, a[:, 1] + w / 2
        dy, dx, dh, dw = deltas_np[b].T
        py, px, ph, pw = dy * h + cy, dx * w + cx, np.exp(dh) * h, np.exp(dw) * w
        boxes = np.clip(np.stack([py - ph / 2, px - pw / 2, py + ph / 2, px + pw / 2], 1), 0,
                        IMAGE_SIZE - 1)
        top = np.argsort(-scores_np[b], kind="stable")[:PRE_NMS]
        keep = np_nms(boxes[top], scores_np[b][top], POST_NMS, 0.3)
        ok &= counts_v[b] == len(keep)
        ok &= np.allclose(rois_v[b, :len(keep)], boxes[top][keep], atol=1e-4)
        ok &= not rois_v[b, len(keep):].any()  # the padding
    print("proposals per image %s match numpy %s" % (counts_v.tolist(), bool(ok)))
    ref_crops = np_crop_and_resize(images_np, rois_v.reshape(-1, 4) / (IMAGE_SIZE - 1.0),
                                   np.repeat(np.arange(batch), POST_NMS), (14, 14))
    print("crops %s match numpy %s" % (list(crops_v.shape),
                                       np.allclose(crops_v, ref_crops, atol=1e-4)))
    ref_pooled = ref_crops.reshape(-1, 7, 2, 7, 2, 3).max(axis=(2, 4))
    print("pooled match numpy %s" % np.allclose(pooled_v, ref_pooled, atol=1e-4))
    ref_overlaps = np_iou(rois_v.reshape(-1, 4), gt_np)
    print("overlaps %s match numpy %s" % (list(overlaps_v.shape),
                                          np.allclose(overlaps_v, ref_overlaps)))
    print("labels %s" % " ".join(map(str, labels_v)))
    changed = np.any(drawn_v != images_np, axis=-1)
    print("drawn pixels changed %d, gradient finite %s, nonzero %s" % (
        changed.sum(), bool(np.all(np.isfinite(grad_v))), bool(np.abs(grad_v).sum() > 0)))


if __name__ == "__main__":
    main()
