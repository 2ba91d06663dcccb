"""numpy kernel for ExtractImagePatches (ops/image_patch_ops.py): one gather of a zero-padded
batch with the patches' row and column indices (`xp` is numpy here, jax.numpy in XLA)."""

import numpy as np

from tensorflux.ops import conv_ops, registry


def patch_geometry(op, in_h, in_w):
    """(row indices [out_h, k_rows], column indices [out_w, k_cols], paddings) of the patches,
    in the zero-padded image."""
    k, s, r = (op._attrs[a][1:3] for a in ("ksizes", "strides", "rates"))
    (out_h, out_w), pads = conv_ops.window_geometry([in_h, in_w], k, s, r,
                                                    op._attrs["padding"])
    rows = np.arange(out_h)[:, None] * s[0] + np.arange(k[0])[None, :] * r[0]
    cols = np.arange(out_w)[:, None] * s[1] + np.arange(k[1])[None, :] * r[1]
    return rows, cols, pads


def extract_patches(images, rows, cols, pads, xp):
    batch, depth = images.shape[0], images.shape[3]
    padded = xp.pad(images, [(0, 0), pads[0], pads[1], (0, 0)])
    patches = padded[:, rows[:, :, None, None], cols[None, None, :, :], :]
    # [batch, out_h, k_rows, out_w, k_cols, depth] -> [batch, out_h, out_w, k_rows*k_cols*depth]
    patches = xp.transpose(patches, (0, 1, 3, 2, 4, 5))
    return patches.reshape(batch, rows.shape[0], cols.shape[0], -1 if depth else 0)


def check_images(images):
    if images.ndim != 4:
        raise ValueError("input must be 4-dimensional%s" % list(images.shape))


@registry.kernel("ExtractImagePatches")
def _extract_image_patches(op):
    def run(images):
        check_images(images)
        rows, cols, pads = patch_geometry(op, images.shape[1], images.shape[2])
        return extract_patches(images, rows, cols, pads, np)
    return run
