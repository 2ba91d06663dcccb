"""XLA kernels for the box ops (ops/image_box_ops.py): drawing boxes, crop and resize.

The numpy backend's `draw_boxes` and crop-and-resize functions run with jax.numpy: the number
of boxes is static, their coordinates are traced. XLA may fuse a multiply-add or divide by a
reciprocal, so a crop's sample position can be an ulp away from TF's; at a position exactly on
a pixel boundary the box gradient can then take the other one-sided derivative. Non-max
suppression selects a data-dependent number of boxes and has no kernel here (plans that use it
run on numpy).
"""

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy import image_box_ops as np_box
from tensorflux.backends.xla.kernel import fail_if, kernel

F32 = np.float32


def _draw(op):
    def run(images, boxes, colors=None):
        np_box.check_draw_inputs(images, boxes, colors)
        table = np_box.color_table(colors, images.shape[3])
        return np_box.draw_boxes(images, boxes, table, jnp)
    return run


kernel("DrawBoundingBoxes")(_draw)
kernel("DrawBoundingBoxesV2")(_draw)


def _jax_scatter_add(target, index, values):
    return target.at[index].add(values)


def _check_box_index(box_index, batch):
    """The numpy backend raises TF's error for a box index outside [0, batch)."""
    fail_if(jnp.any((box_index < 0) | (box_index >= batch)))


@kernel("CropAndResize", static=(3,), checks=True)
def _crop_and_resize(op):
    method, extrapolation = op._attrs["method"], op._attrs["extrapolation_value"]

    def run(image, boxes, box_index, crop_size):
        crop_h, crop_w = np_box.check_crop_inputs(image, boxes, box_index, crop_size)
        _check_box_index(box_index, image.shape[0])
        return np_box.crop_and_resize(image, boxes, box_index, crop_h, crop_w, method,
                                      extrapolation, jnp)
    return run


@kernel("CropAndResizeGradImage", static=(3,), checks=True)
def _crop_and_resize_grad_image(op):
    method = op._attrs["method"]
    out_dtype = op.outputs[0].dtype.as_numpy_dtype

    def run(grads, boxes, box_index, image_size):
        np_box.check_boxes(boxes, box_index)
        image_shape = [int(v) for v in np.asarray(image_size).reshape(-1)]
        _check_box_index(box_index, image_shape[0])
        out = np_box.crop_and_resize_grad_image(grads, boxes, box_index, image_shape, method,
                                                _jax_scatter_add, jnp)
        return out.astype(out_dtype)
    return run


@kernel("CropAndResizeGradBoxes", checks=True)
def _crop_and_resize_grad_boxes(op):
    def run(grads, image, boxes, box_index):
        np_box.check_boxes(boxes, box_index)
        _check_box_index(box_index, image.shape[0])
        return np_box.crop_and_resize_grad_boxes(grads, image, boxes, box_index, jnp)
    return run


@kernel("SampleDistortedBoundingBoxV2", rng=True, checks=True)
def _sample_distorted_bounding_box(op):
    attrs = op._attrs

    def run(state, image_size, boxes, min_object_covered):
        np_box.check_sample_inputs(image_size, boxes, min_object_covered)
        if boxes.size == 0 and not attrs["use_image_if_no_bounding_boxes"]:
            raise ValueError("No bounding boxes provided as input.")
        fail_if(jnp.any(image_size[:2] <= 0) | (min_object_covered < 0)
                | jnp.any((boxes < 0) | (boxes > 1)))
        u = jax.random.uniform(state.rng_key(op), (attrs["max_attempts"], 4), jnp.float32)
        return np_box.sample_distorted_box(image_size, boxes, min_object_covered.astype(F32),
                                           u, attrs["aspect_ratio_range"], attrs["area_range"],
                                           jnp)
    return run
