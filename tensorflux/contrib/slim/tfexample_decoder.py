"""`slim.tfexample_decoder`: decodes serialized `tf.train.Example` protos into the items of a
data set (an image, a label, boxes, ...).

Decoding has two stages: `tf.parse_single_example` parses the features named in
`keys_to_features`; then each item's `ItemHandler` turns the parsed tensors of its keys into
the item's tensor (`Image` decodes the encoded bytes, `Tensor` reshapes or densifies, ...).

Example:
    >>> keys_to_features = {
    ...     "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
    ...     "image/format": tf.FixedLenFeature((), tf.string, default_value="png"),
    ...     "image/class/label": tf.FixedLenFeature([], tf.int64, default_value=0),
    ... }
    >>> items_to_handlers = {"image": slim.tfexample_decoder.Image(),
    ...                      "label": slim.tfexample_decoder.Tensor("image/class/label")}
    >>> decoder = slim.tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)
    >>> image, label = decoder.decode(serialized, ["image", "label"])
"""

import abc

from tensorflux.contrib.slim import data_decoder
from tensorflux.graph import dtypes
from tensorflux.ops import (
    array_ops,
    codec_ops,
    cond_ops,
    control_flow_ops,
    image_ops,
    manip_ops,
    math_ops,
    parsing_config,
    parsing_ops,
    reduction_ops,
    slicing_ops,
    sparse_ops,
    sparse_structure_ops,
)
from tensorflux.ops import sparse_tensor as sparse_tensor_lib


class ItemHandler(abc.ABC):
    """Names the Example features an item needs (`keys`) and turns their parsed tensors into
    the item (`tensors_to_item`)."""

    def __init__(self, keys):
        if not isinstance(keys, (tuple, list)):
            keys = [keys]
        self._keys = keys

    @property
    def keys(self):
        return self._keys

    @abc.abstractmethod
    def tensors_to_item(self, keys_to_tensors):
        """The item's tensor, from a dict of the parsed tensors of `keys`."""


class ItemHandlerCallback(ItemHandler):
    """An item computed by `func(keys_to_tensors)`.

    Example:
        >>> handler = slim.tfexample_decoder.ItemHandlerCallback(
        ...     ["height", "width"], lambda d: tf.stack([d["height"], d["width"]]))
    """

    def __init__(self, keys, func):
        super().__init__(keys)
        self._func = func

    def tensors_to_item(self, keys_to_tensors):
        return self._func(keys_to_tensors)


class BoundingBox(ItemHandler):
    """Boxes `[num_boxes, 4]` (ymin, xmin, ymax, xmax) from four features (usually
    `VarLenFeature(tf.float32)`), named `prefix + key` for the keys
    `["ymin", "xmin", "ymax", "xmax"]` by default.

    Raises:
        ValueError: If `keys` is given and is not 4 names.
    """

    def __init__(self, keys=None, prefix=""):
        if keys is None:
            keys = ["ymin", "xmin", "ymax", "xmax"]
        elif len(keys) != 4:
            raise ValueError("BoundingBox expects 4 keys but got {}".format(len(keys)))
        self._prefix = prefix
        self._full_keys = [prefix + k for k in keys]
        super().__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors):
        sides = []
        for key in self._full_keys:
            side = keys_to_tensors[key]
            if isinstance(side, sparse_tensor_lib.SparseTensor):
                side = side.values
            sides.append(manip_ops.expand_dims(side, 0))
        return array_ops.transpose(array_ops.concat(sides, 0))


class Tensor(ItemHandler):
    """A parsed feature, densified if sparse, and reshaped to `shape` or to the values of the
    features `shape_keys` (one per dimension, or one holding the whole shape).

    Args:
        tensor_key: The feature to read.
        shape_keys: Name(s) of the features holding the shape.
        shape: A fixed output shape.
        default_value: The value for the missing entries of a sparse feature.

    Raises:
        ValueError: If both `shape_keys` and `shape` are given.
    """

    def __init__(self, tensor_key, shape_keys=None, shape=None, default_value=0):
        if shape_keys and shape is not None:
            raise ValueError("Cannot specify both shape_keys and shape parameters.")
        if shape_keys and not isinstance(shape_keys, list):
            shape_keys = [shape_keys]
        self._tensor_key = tensor_key
        self._shape_keys = shape_keys
        self._shape = shape
        self._default_value = default_value
        keys = [tensor_key]
        if shape_keys:
            keys.extend(shape_keys)
        super().__init__(keys)

    def tensors_to_item(self, keys_to_tensors):
        tensor = keys_to_tensors[self._tensor_key]
        shape = self._shape
        if self._shape_keys:
            shape_dims = []
            for k in self._shape_keys:
                shape_dim = keys_to_tensors[k]
                if isinstance(shape_dim, sparse_tensor_lib.SparseTensor):
                    shape_dim = sparse_ops.sparse_tensor_to_dense(shape_dim)
                shape_dims.append(shape_dim)
            shape = array_ops.reshape(array_ops.stack(shape_dims), [-1])
        if isinstance(tensor, sparse_tensor_lib.SparseTensor):
            if shape is not None:
                tensor = sparse_structure_ops.sparse_reshape(tensor, shape)
            tensor = sparse_ops.sparse_tensor_to_dense(tensor, self._default_value)
        elif shape is not None:
            tensor = array_ops.reshape(tensor, shape)
        return tensor


class LookupTensor(Tensor):
    """A `Tensor` item mapped through `table.lookup` (e.g. label names to ids)."""

    def __init__(self, tensor_key, table, shape_keys=None, shape=None, default_value=""):
        self._table = table
        super().__init__(tensor_key, shape_keys, shape, default_value)

    def tensors_to_item(self, keys_to_tensors):
        return self._table.lookup(super().tensors_to_item(keys_to_tensors))


class BackupHandler(ItemHandler):
    """The item of `handler`, or of `backup` when that item has no elements.

    Raises:
        ValueError: If either argument is not an `ItemHandler`.
    """

    def __init__(self, handler, backup):
        if not isinstance(handler, ItemHandler):
            raise ValueError("Primary handler is of type %s instead of ItemHandler"
                             % type(handler))
        if not isinstance(backup, ItemHandler):
            raise ValueError("Backup handler is of type %s instead of ItemHandler"
                             % type(backup))
        self._handler = handler
        self._backup = backup
        super().__init__(list(handler.keys) + list(backup.keys))

    def tensors_to_item(self, keys_to_tensors):
        item = self._handler.tensors_to_item(keys_to_tensors)
        return cond_ops.cond(
            pred=math_ops.equal(reduction_ops.reduce_prod(array_ops.shape(item)), 0),
            true_fn=lambda: self._backup.tensors_to_item(keys_to_tensors),
            false_fn=lambda: item)


class SparseTensor(ItemHandler):
    """A `tf.SparseTensor` whose last index column comes from the values of the
    `indices_key` feature and whose values from the `values_key` feature (both
    `VarLenFeature`s), densified if `densify`.

    Args:
        indices_key: Default "indices".
        values_key: Default "values".
        shape_key: A feature holding the dense shape.
        shape: The dense shape, when there is no `shape_key`.
        densify: Return a dense tensor.
        default_value: The fill value when densifying.
    """

    def __init__(self, indices_key=None, values_key=None, shape_key=None, shape=None,
                 densify=False, default_value=0):
        indices_key = indices_key or "indices"
        values_key = values_key or "values"
        self._indices_key = indices_key
        self._values_key = values_key
        self._shape_key = shape_key
        self._shape = shape
        self._densify = densify
        self._default_value = default_value
        keys = [indices_key, values_key]
        if shape_key:
            keys.append(shape_key)
        super().__init__(keys)

    def tensors_to_item(self, keys_to_tensors):
        indices = keys_to_tensors[self._indices_key]
        values = keys_to_tensors[self._values_key]
        if self._shape_key:
            shape = keys_to_tensors[self._shape_key]
            if isinstance(shape, sparse_tensor_lib.SparseTensor):
                shape = sparse_ops.sparse_tensor_to_dense(shape)
        elif self._shape:
            shape = self._shape
        else:
            shape = indices.dense_shape
        rank = array_ops.shape(indices.indices)[1]
        ids = math_ops.cast(indices.values, dtypes.int64)
        indices_columns_to_preserve = slicing_ops.slice(
            indices.indices, [0, 0], array_ops.stack([-1, rank - 1]))
        new_indices = array_ops.concat(
            [indices_columns_to_preserve, array_ops.reshape(ids, [-1, 1])], 1)
        tensor = sparse_tensor_lib.SparseTensor(new_indices, values.values, shape)
        if self._densify:
            tensor = sparse_ops.sparse_tensor_to_dense(tensor, self._default_value)
        return tensor


class Image(ItemHandler):
    """Decodes an encoded image: raw bytes when the format feature is "raw" or "RAW"
    (`tf.decode_raw` to `dtype`), otherwise JPEG (`tf.image.decode_jpeg`) or PNG/GIF/BMP
    (`tf.image.decode_image`), chosen by the content's header.

    Args:
        image_key: The feature of the encoded image; default "image/encoded".
        format_key: The feature of its format; default "image/format".
        shape: Reshape the image to this shape (required for raw images).
        channels: The number of color channels decoded.
        dtype: The image's dtype (`tf.uint8`, or `tf.uint16` for 16-bit PNGs).
        repeated: Decode a 1-D string tensor of images (`tf.map_fn`).
        dct_method: The JPEG decoder's DCT method hint.
    """

    def __init__(self, image_key=None, format_key=None, shape=None, channels=3,
                 dtype=dtypes.uint8, repeated=False, dct_method=""):
        if not image_key:
            image_key = "image/encoded"
        if not format_key:
            format_key = "image/format"
        super().__init__([image_key, format_key])
        self._image_key = image_key
        self._format_key = format_key
        self._shape = shape
        self._channels = channels
        self._dtype = dtypes.as_dtype(dtype)
        self._repeated = repeated
        self._dct_method = dct_method

    def tensors_to_item(self, keys_to_tensors):
        image_buffer = keys_to_tensors[self._image_key]
        image_format = keys_to_tensors[self._format_key]
        if self._repeated:
            return control_flow_ops.map_fn(lambda x: self._decode(x, image_format),
                                           image_buffer, dtype=self._dtype)
        return self._decode(image_buffer, image_format)

    def _decode(self, image_buffer, image_format):
        def decode_image():
            return math_ops.cast(
                image_ops.decode_image(image_buffer, channels=self._channels), self._dtype)

        def decode_jpeg():
            return math_ops.cast(
                image_ops.decode_jpeg(image_buffer, channels=self._channels,
                                      dct_method=self._dct_method), self._dtype)

        def check_jpeg():
            # JPEG goes through decode_jpeg rather than decode_image to honour dct_method.
            return cond_ops.cond(codec_ops.is_jpeg(image_buffer), decode_jpeg, decode_image,
                                 name="cond_jpeg")

        def decode_raw():
            return parsing_ops.decode_raw(image_buffer, out_type=self._dtype)

        pred_fn_pairs = [(math_ops.logical_or(math_ops.equal(image_format, "raw"),
                                              math_ops.equal(image_format, "RAW")), decode_raw)]
        image = cond_ops.case(pred_fn_pairs, default=check_jpeg, exclusive=True)
        image.set_shape([None, None, self._channels])
        if self._shape is not None:
            image = array_ops.reshape(image, self._shape)
        return image


class TFExampleDecoder(data_decoder.DataDecoder):
    """Decodes serialized `tf.train.Example`s: `tf.parse_single_example` with
    `keys_to_features`, then each item's handler.

    Args:
        keys_to_features: A dict from feature keys to `tf.FixedLenFeature` /
            `tf.VarLenFeature`.
        items_to_handlers: A dict from item names to `ItemHandler`s.
    """

    def __init__(self, keys_to_features, items_to_handlers):
        self._keys_to_features = keys_to_features
        self._items_to_handlers = items_to_handlers

    def list_items(self):
        return list(self._items_to_handlers.keys())

    def decode(self, serialized_example, items=None):
        """The tensors of `items` (default: all items) of the serialized Example."""
        example = parsing_ops.parse_single_example(serialized_example, self._keys_to_features)
        # Fixed-length features are reshaped once, in a deterministic order.
        for k in sorted(self._keys_to_features):
            v = self._keys_to_features[k]
            if isinstance(v, parsing_config.FixedLenFeature):
                example[k] = array_ops.reshape(example[k], v.shape)
        if not items:
            items = self._items_to_handlers.keys()
        outputs = []
        for item in items:
            handler = self._items_to_handlers[item]
            keys_to_tensors = {key: example[key] for key in handler.keys}
            outputs.append(handler.tensors_to_item(keys_to_tensors))
        return outputs


__all__ = ["ItemHandler", "ItemHandlerCallback", "BoundingBox", "Tensor", "LookupTensor",
           "BackupHandler", "SparseTensor", "Image", "TFExampleDecoder"]
