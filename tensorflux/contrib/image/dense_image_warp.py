"""`tf.contrib.image.dense_image_warp` and `interpolate_bilinear`: per-pixel flow warping.

Both are compositions of ordinary ops (floor, clip, gather, arithmetic), as in contrib, so
`tf.gradients` reaches the image and the flow (through the bilinear weights) for free.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, control_flow_ops, debug_ops, fill_ops, manip_ops, math_ops
from tensorflux.ops._helpers import convert


def _floor_and_alpha(queries, size, grid_dtype):
    """The clamped corner index (so that index + 1 is on the grid) and the [0, 1] weight."""
    max_floor = math_ops.cast(size - 2, queries.dtype.base_dtype)
    floor = math_ops.minimum(math_ops.maximum(0.0, math_ops.floor(queries)), max_floor)
    alpha = math_ops.cast(queries - floor, grid_dtype)
    alpha = math_ops.minimum(math_ops.maximum(0.0, alpha), 1.0)
    return math_ops.cast(floor, dtypes.int32), manip_ops.expand_dims(alpha, 2)


def interpolate_bilinear(grid, query_points, name="interpolate_bilinear", indexing="ij"):
    """Bilinear samples of `grid` [batch, H, W, C] at `query_points` [batch, N, 2].

    Points are (row, col) for indexing "ij", (x, y) for "xy"; points off the grid take the
    border values (the weights clamp to [0, 1]). H and W must be at least 2.

    Example:
        >>> values = tf.contrib.image.interpolate_bilinear(grid, [[[0.5, 1.25]]])
    """
    if indexing not in ("ij", "xy"):
        raise ValueError("Indexing mode must be 'ij' or 'xy'")
    with graph_lib.name_scope(name):
        grid = convert(grid, name="grid")
        query_points = convert(query_points, name="query_points")
        if grid.shape.ndims != 4:
            raise ValueError("Grid must be 4 dimensional. Received size: %s" % grid.shape)
        if query_points.shape.ndims not in (None, 3):
            raise ValueError("Query points must be 3 dimensional.")
        shape = array_ops.shape(grid)
        batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
        checks = [
            debug_ops.Assert(math_ops.equal(array_ops.shape(query_points)[2], 2),
                             ["Query points must be size 2 in dim 2."]),
            debug_ops.Assert(math_ops.greater_equal(height, 2),
                             ["Grid height must be at least 2."]),
            debug_ops.Assert(math_ops.greater_equal(width, 2),
                             ["Grid width must be at least 2."]),
        ]
        query_points = control_flow_ops.with_dependencies(checks, query_points)
        num_queries = array_ops.shape(query_points)[1]
        queries = array_ops.unstack(query_points, num=2, axis=2)
        if indexing == "xy":
            queries = queries[::-1]
        (y0, alpha_y), (x0, alpha_x) = [
            _floor_and_alpha(q, size, grid.dtype.base_dtype)
            for q, size in zip(queries, (height, width))]
        flat = array_ops.reshape(grid, array_ops.stack([batch * height * width, channels]))
        offsets = array_ops.reshape(fill_ops.range(batch) * height * width, [-1, 1])

        def gather(y, x):
            values = array_ops.gather(flat, offsets + y * width + x)
            return array_ops.reshape(values, array_ops.stack([batch, num_queries, channels]))

        top_left, top_right = gather(y0, x0), gather(y0, x0 + 1)
        bottom_left, bottom_right = gather(y0 + 1, x0), gather(y0 + 1, x0 + 1)
        top = alpha_x * (top_right - top_left) + top_left
        bottom = alpha_x * (bottom_right - bottom_left) + bottom_left
        return alpha_y * (bottom - top) + top


def dense_image_warp(image, flow, name="dense_image_warp"):
    """Warps `image` [batch, H, W, C] by a per-pixel `flow` [batch, H, W, 2].

    `output[b, j, i, c]` is `image[b, j - flow[b, j, i, 0], i - flow[b, j, i, 1], c]`, sampled
    bilinearly; points off the image take the nearest border values.

    Example:
        >>> warped = tf.contrib.image.dense_image_warp(images, flow)
    """
    with graph_lib.name_scope(name):
        image = convert(image, name="image")
        flow = convert(flow, name="flow")
        shape = array_ops.shape(image)
        batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
        grid_x, grid_y = fill_ops.meshgrid(fill_ops.range(width), fill_ops.range(height))
        grid = math_ops.cast(array_ops.stack([grid_y, grid_x], axis=2), flow.dtype.base_dtype)
        query = manip_ops.expand_dims(grid, 0) - flow
        query = array_ops.reshape(query, array_ops.stack([batch, height * width, 2]))
        warped = interpolate_bilinear(image, query)
        return array_ops.reshape(warped, array_ops.stack([batch, height, width, channels]))
