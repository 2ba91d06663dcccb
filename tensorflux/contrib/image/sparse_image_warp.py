"""`tf.contrib.image.sparse_image_warp`: warp images by moving a few control points.

The displacements `dest - source` of the control points are interpolated into a dense flow
field with a polyharmonic spline (`interpolate_spline`), then the image is resampled with
`dense_image_warp`. Optional zero-flow points on the image border pin the edges.

Example:
    >>> warped, flow = tf.contrib.image.sparse_image_warp(images, src_points, dst_points)
"""

import numpy as np

import tensorflux as tf
from tensorflux.contrib.image.dense_image_warp import dense_image_warp
from tensorflux.contrib.image.interpolate_spline import interpolate_spline
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape


def _get_grid_locations(image_height, image_width):
    """`[height, width, 2]` (y, x) coordinates of every pixel."""
    y_range = np.linspace(0, image_height - 1, image_height)
    x_range = np.linspace(0, image_width - 1, image_width)
    y_grid, x_grid = np.meshgrid(y_range, x_range, indexing="ij")
    return np.stack((y_grid, x_grid), -1)


def _expand_to_minibatch(np_array, batch_size):
    """`np_array` tiled along a new leading batch dimension."""
    tiles = [batch_size] + [1] * np_array.ndim
    return np.tile(np.expand_dims(np_array, 0), tiles)


def _get_boundary_locations(image_height, image_width, num_points_per_edge):
    """Evenly spaced (y, x) points on the image border (corners included)."""
    y_range = np.linspace(0, image_height - 1, num_points_per_edge + 2)
    x_range = np.linspace(0, image_width - 1, num_points_per_edge + 2)
    ys, xs = np.meshgrid(y_range, x_range, indexing="ij")
    is_boundary = np.logical_or(np.logical_or(xs == 0, xs == image_width - 1),
                                np.logical_or(ys == 0, ys == image_height - 1))
    return np.stack([ys[is_boundary], xs[is_boundary]], axis=-1)


def _add_zero_flow_controls_at_boundary(control_point_locations, control_point_flows,
                                        image_height, image_width, boundary_points_per_edge):
    """The control points plus `4 + 4 * boundary_points_per_edge` zero-flow border points."""
    batch_size = tensor_shape.dimension_value(control_point_locations.get_shape()[0])
    boundary_point_locations = _get_boundary_locations(image_height, image_width,
                                                       boundary_points_per_edge)
    boundary_point_flows = np.zeros([boundary_point_locations.shape[0], 2])
    type_to_use = control_point_locations.dtype
    boundary_point_locations = tf.constant(
        _expand_to_minibatch(boundary_point_locations, batch_size), dtype=type_to_use)
    boundary_point_flows = tf.constant(
        _expand_to_minibatch(boundary_point_flows, batch_size), dtype=type_to_use)
    merged_locations = tf.concat([control_point_locations, boundary_point_locations], 1)
    merged_flows = tf.concat([control_point_flows, boundary_point_flows], 1)
    return merged_locations, merged_flows


def sparse_image_warp(image, source_control_point_locations, dest_control_point_locations,
                      interpolation_order=2, regularization_weight=0.0, num_boundary_points=0,
                      name="sparse_image_warp"):
    """Warps `image` so that the pixel at each source control point moves to its destination.

    Args:
        image: `[batch, height, width, channels]` float tensor (static shape known).
        source_control_point_locations: `[batch, num_control_points, 2]` (y, x) points.
        dest_control_point_locations: `[batch, num_control_points, 2]` (y, x) points.
        interpolation_order: order of the spline (2: thin-plate).
        regularization_weight: smoothness weight of the spline.
        num_boundary_points: 0: no border points; 1: the 4 corners; n: the corners and n - 1
            points along each edge, all with zero flow.
        name: name scope of the ops.

    Returns:
        `(warped_image, flow_field)`: `[batch, height, width, channels]` and the dense
        `[batch, height, width, 2]` flow.

    Example:
        >>> warped, flow = sparse_image_warp(img, [[[2., 2.]]], [[[3., 2.]]])
    """
    image = tf.convert_to_tensor(image)
    source_control_point_locations = tf.convert_to_tensor(source_control_point_locations)
    dest_control_point_locations = tf.convert_to_tensor(dest_control_point_locations)
    control_point_flows = dest_control_point_locations - source_control_point_locations
    clamp_boundaries = num_boundary_points > 0
    boundary_points_per_edge = num_boundary_points - 1
    with graph_lib.name_scope(name):
        batch_size, image_height, image_width, _ = image.get_shape().as_list()
        grid_locations = _get_grid_locations(image_height, image_width)
        flattened_grid_locations = np.reshape(grid_locations, [image_height * image_width, 2])
        flattened_grid_locations = tf.constant(
            _expand_to_minibatch(flattened_grid_locations, batch_size), image.dtype)
        if clamp_boundaries:
            dest_control_point_locations, control_point_flows = (
                _add_zero_flow_controls_at_boundary(
                    dest_control_point_locations, control_point_flows, image_height,
                    image_width, boundary_points_per_edge))
        flattened_flows = interpolate_spline(dest_control_point_locations, control_point_flows,
                                             flattened_grid_locations, interpolation_order,
                                             regularization_weight)
        dense_flows = tf.reshape(flattened_flows, [batch_size, image_height, image_width, 2])
        warped_image = dense_image_warp(image, dense_flows)
        return warped_image, dense_flows
