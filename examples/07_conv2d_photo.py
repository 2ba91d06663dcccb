"""Slides "tf.nn.conv2d() Example" to "Fully Connected Layer": convolve a real photo.

Builds the slide's graph (a [1, 224, 224, 3] placeholder, a random 5x5x3x64 filter, stride 2,
SAME padding), runs it on a CC0 photo, prints the output shape (1, 112, 112, 64) and writes the
photo and the first 16 feature maps as a PNG grid.

Run: python examples/07_conv2d_photo.py [--image examples/data/chelsea.png] [--out maps.png]
"""
import argparse
import os

import numpy as np

import tensorflux as tf
from tensorflux.utils import png

HERE = os.path.dirname(os.path.abspath(__file__))


def load_rgb_224(path):
    img = png.read_png(path)
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    img = img[..., :3]
    h, w = img.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    img = img[top:top + s, left:left + s]
    idx = (np.arange(224) * s / 224).astype(int)  # nearest-neighbour resize to 224x224
    return img[idx][:, idx]


def feature_grid(photo, maps, n=16):
    """The photo (224x224) beside a 4x4 grid of feature maps (each 112x112, min-max scaled)."""
    tiles = []
    for k in range(n):
        m = maps[:, :, k]
        m = (m - m.min()) / (np.ptp(m) + 1e-8) * 255
        tiles.append(np.pad(m, 2, constant_values=255))
    rows = [np.concatenate(tiles[r * 4:(r + 1) * 4], axis=1) for r in range(4)]
    grid = np.concatenate(rows, axis=0)
    gray_photo = photo.mean(axis=-1)
    canvas = np.full((grid.shape[0], 224 + 8 + grid.shape[1]), 255.0)
    canvas[:224, :224] = gray_photo
    canvas[:, 232:] = grid
    return canvas.astype(np.uint8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--image", default=os.path.join(HERE, "data", "chelsea.png"))
    ap.add_argument("--out", default="conv2d_feature_maps.png")
    args = ap.parse_args()

    batch_size, img_height, img_width, img_channel = 1, 224, 224, 3
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [batch_size, img_height, img_width, img_channel])
    w = tf.Variable(tf.random_normal([5, 5, 3, 64], stddev=0.35))
    b = tf.Variable(tf.random_normal([64], stddev=0.35))
    output = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME") + b
    pooled = tf.nn.max_pool(tf.nn.relu(output), [1, 2, 2, 1], strides=[1, 2, 2, 1],
                            padding="SAME")

    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        img = load_rgb_224(args.image)
        _out, _pool = sess.run([output, pooled],
                               {x: img.reshape([1, img_height, img_width, img_channel])})
    print(_out.shape)  # (1, 112, 112, 64)
    print(_pool.shape)  # (1, 56, 56, 64)
    png.write_png(args.out, feature_grid(img, _out[0]))
    print("wrote", args.out)


if __name__ == "__main__":
    main()
