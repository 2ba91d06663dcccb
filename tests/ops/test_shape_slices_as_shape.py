"""`constant_value_as_shape` of a slice of `tf.shape(x)` keeps the known dims (TF's
StridedSlice branch), so reshape/fill/resize_images get static shapes."""

import tensorflux as tf
from tensorflux.ops import constant_op


def test_slice_of_a_partial_shape():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 24, 32, 1])
        s = tf.shape(x)
        assert constant_op.constant_value_as_shape(s[1:3]).as_list() == [24, 32]
        assert constant_op.constant_value_as_shape(s[:2]).as_list() == [None, 24]
        assert constant_op.constant_value_as_shape(s[::2]).as_list() == [None, 32]
        assert constant_op.constant_value_as_shape(s[1:]).as_list() == [24, 32, 1]
        # an index (shrink mask) is not a slice: a 0-d tensor, no shape from it
        assert tf.reshape(tf.zeros([768]), s[1:3]).shape.as_list() == [24, 32]
        assert tf.zeros(s[1:3]).shape.as_list() == [24, 32]
        unknown = tf.placeholder(tf.float32)
        assert tf.zeros(tf.shape(unknown)[1:3]).shape.ndims is None


def test_resize_images_shapes_follow_tf():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 24, 24, 1])
        y = tf.placeholder(tf.float32, [None, 12, 12, 3])
        z = tf.placeholder(tf.float32, [None, None, 24, 1])
        size = tf.shape(x)[1:3]
        # tf.image.resize_images sets the shape from constant_value_as_shape(size)
        assert tf.image.resize_images(y, size).shape.as_list() == [None, 24, 24, 3]
        assert tf.image.resize_images(y, tf.shape(z)[1:3]).shape.as_list() == [None, None, 24, 3]
        assert tf.image.resize_images(y, tf.shape(x)[:2]).shape.as_list() == [
            None, None, 24, 3]
