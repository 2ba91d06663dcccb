"""`tensorflux classify IMAGE...`: label photos with the pretrained EfficientNet-Lite0.

Each PNG is read with `tensorflux.utils.png`, center-cropped and resized to 224x224 with numpy,
and run through the network built from tensorflux ops (`models/efficientnet_lite.py`), whose
weights are restored with `tf.train.Saver` from the checkpoint `convert_efficientnet` caches.

PNG decoding uses Pillow when it is installed (same pixels, faster), else the numpy reader.
Preprocessing is the reference EfficientNet evaluation crop: the central square covering
224/256 of the shorter side (the same as "resize the shorter side to 256, crop 224"), resampled
to 224x224 with an antialiased bilinear filter, then `(pixel - 127) / 128` in the graph.
Resizing uses no imaging library, so results are the same on every machine.
"""

import os
import sys

import numpy as np

from tensorflux.models import convert_efficientnet, efficientnet_lite
from tensorflux.utils import png

IMAGE_SIZE = efficientnet_lite.IMAGE_SIZE
CROP_FRACTION = 224.0 / 256.0
LABELS_PATH = os.path.join(os.path.dirname(efficientnet_lite.__file__), "imagenet_labels.txt")


def load_labels(path=LABELS_PATH):
    """The 1000 ImageNet class names, index = class id."""
    with open(path, encoding="utf-8") as f:
        labels = [line.rstrip("\n") for line in f]
    if len(labels) != 1000:
        raise ValueError("%s has %d labels, expected 1000" % (path, len(labels)))
    return labels


def _decode_png(path, use_pillow):
    """Pixels of a PNG: Pillow's decoder when installed (faster), else `png.read_png`.

    PNG is lossless, so both give the same array; Pillow is used only for the plain 8-bit
    modes that `read_png` returns unchanged.
    """
    if use_pillow:
        try:
            from PIL import Image
        except ImportError:
            Image = None  # noqa: N806 - the module's own name
        if Image is not None:
            try:
                with Image.open(path) as im:
                    if im.format == "PNG" and im.mode in ("L", "LA", "RGB", "RGBA"):
                        return np.asarray(im)
            except OSError:
                pass  # let read_png report what is wrong with the file
    return png.read_png(path)


def load_image(path, use_pillow=True):
    """Reads a PNG as float32 RGB `[H, W, 3]` in [0, 255] (gray is replicated, alpha dropped)."""
    img = _decode_png(path, use_pillow)
    if img.dtype == np.uint16:
        img = img.astype(np.float32) / 257.0
    img = img.astype(np.float32)
    if img.ndim == 2:
        img = img[:, :, None]
    if img.shape[2] in (2, 4):  # gray+alpha or RGBA: ignore the alpha channel
        img = img[:, :, :-1]
    if img.shape[2] == 1:
        img = np.repeat(img, 3, axis=2)
    return img


def _resample_matrix(in_size, out_size, start, length):
    """`[out_size, in_size]` weights mapping source span [start, start+length) to out_size.

    A triangle (bilinear) filter on pixel centers; when shrinking, its radius grows with the
    scale factor so every source pixel contributes (antialiasing, as PIL's BILINEAR resize).
    Rows are normalized, which handles the image borders.
    """
    scale = length / out_size
    radius = max(scale, 1.0)
    centers = start + (np.arange(out_size) + 0.5) * scale
    src = np.arange(in_size) + 0.5
    w = np.maximum(0.0, 1.0 - np.abs(src[None, :] - centers[:, None]) / radius)
    return w / w.sum(axis=1, keepdims=True)


def resize_bilinear(image, height, width, box=None):
    """Resamples `image` `[H, W, C]` (or the `box` (top, left, h, w) of it) to `[height, width, C]`.

    Example:
        >>> resize_bilinear(np.ones((300, 451, 3)), 224, 224).shape
        (224, 224, 3)
    """
    h, w = image.shape[:2]
    top, left, bh, bw = box if box is not None else (0.0, 0.0, float(h), float(w))
    wy = _resample_matrix(h, height, top, bh)
    wx = _resample_matrix(w, width, left, bw)
    x = image.astype(np.float64)
    out = np.tensordot(wy, x, axes=(1, 0))  # [height, W, C]
    out = np.tensordot(out, wx, axes=(1, 1))  # [height, C, width]
    return np.ascontiguousarray(out.transpose(0, 2, 1)).astype(np.float32)


def center_crop_resize(image, size=IMAGE_SIZE, crop_fraction=CROP_FRACTION):
    """The central square of side `crop_fraction * min(H, W)`, resized to `size x size`."""
    h, w = image.shape[:2]
    side = crop_fraction * min(h, w)
    box = ((h - side) / 2.0, (w - side) / 2.0, side, side)
    return resize_bilinear(image, size, size, box)


class Classifier:
    """EfficientNet-Lite0 in its own graph and session, weights restored from the cache.

    Example:
        >>> clf = Classifier()
        >>> probs = clf.predict(center_crop_resize(load_image("chelsea.png"))[None])
    """

    def __init__(self, checkpoint=None, log=None):
        import tensorflux as tf

        checkpoint = checkpoint or convert_efficientnet.ensure_checkpoint(log=log)
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.images = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, 3],
                                         name="images")
            self.logits, end_points = efficientnet_lite.efficientnet_lite0(
                efficientnet_lite.preprocess(self.images))
            self.probabilities = end_points["Predictions"]
            saver = tf.train.Saver()
            self.session = tf.Session(graph=self.graph)
            saver.restore(self.session, checkpoint)

    def predict(self, images, with_logits=False):
        """Class probabilities `[N, 1000]` for `[N, 224, 224, 3]` pixels in [0, 255]."""
        probs, logits = self.session.run([self.probabilities, self.logits],
                                         {self.images: images})
        return (probs, logits) if with_logits else probs

    def close(self):
        self.session.close()


def top_k(probs, labels, k=5):
    """`[(class id, label, probability), ...]` for the `k` most likely classes."""
    order = np.argsort(-probs, kind="stable")[:k]
    return [(int(i), labels[i], float(probs[i])) for i in order]


def main(images, top=5, out=None):
    """Prints the `top` classes per image; returns a process exit code."""
    out = out or sys.stdout
    labels = load_labels()
    batch, names, status = [], [], 0
    for path in images:
        try:
            batch.append(center_crop_resize(load_image(path)))
            names.append(path)
        except (OSError, ValueError) as e:
            print("%s: cannot read image: %s" % (path, e), file=sys.stderr)
            status = 1
    if not batch:
        return status or 1
    try:
        clf = Classifier(log=lambda msg: print(msg, file=sys.stderr))
    except convert_efficientnet.WeightsNotFoundError as e:
        print(str(e), file=sys.stderr)
        return 2
    try:
        probs = clf.predict(np.stack(batch))
    finally:
        clf.close()
    for path, p in zip(names, probs):
        print(path, file=out)
        for index, label, prob in top_k(p, labels, top):
            print("  %3d %s %.4f" % (index, label, prob), file=out)
    return status
