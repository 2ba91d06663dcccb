"""Keras shape layers for 1-D, 2-D and 3-D data: `Cropping1D/2D/3D`, `UpSampling1D/3D` and
`ZeroPadding1D/3D` (`ZeroPadding2D` and `UpSampling2D` live in `convolutional.py`), and the
image layers `Resizing` and `CenterCrop` (channels-last images of known size).

Each works on the spatial axes: 1..rank for `channels_last`, 2..rank+1 for `channels_first`;
1-D layers are always channels-last (`[batch, steps, features]`), as in tf_keras.
"""

from tensorflux.keras import backend
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.layers import utils as conv_utils
from tensorflux.ops import array_extras, image_ops, math_ops, pad_ops


def normalize_pairs(value, rank, name):
    """`n`, `(a, b, …)` or `((a0, a1), (b0, b1), …)` as `rank` `(before, after)` int pairs.

    Example:
        >>> normalize_pairs(1, 2, "padding")
        ((1, 1), (1, 1))
    """
    if isinstance(value, int):
        return ((value, value),) * rank
    value = tuple(value)
    if len(value) != rank:
        raise ValueError("`%s` should have %d elements. Received: %s." % (name, rank, value))
    pairs = []
    for item in value:
        pair = (item, item) if isinstance(item, int) else tuple(item)
        if len(pair) != 2 or any(int(v) < 0 for v in pair):
            raise ValueError("`%s` should hold non-negative ints or pairs of them. Received: %s."
                             % (name, value))
        pairs.append((int(pair[0]), int(pair[1])))
    return tuple(pairs)


def _spatial_start(data_format):
    return 2 if data_format == "channels_first" else 1


class _Cropping(Layer):
    """Removes `cropping[i] = (before, after)` entries from each spatial axis `i`."""

    _rank = 2

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = conv_utils.normalize_data_format(
            data_format or backend.image_data_format())
        self.cropping = normalize_pairs(cropping, self._rank, "cropping")

    def get_config(self):
        config = super().get_config()
        config.update(cropping=self.cropping, data_format=self.data_format)
        return config

    def call(self, inputs):
        start = _spatial_start(self.data_format)
        index = [slice(None)] * inputs.shape.ndims
        for i, (before, after) in enumerate(self.cropping):
            dim = inputs.shape.as_list()[start + i]
            if dim is not None and before + after >= dim:
                raise ValueError("Cropping %s removes all of axis %d (length %d) in %s."
                                 % (self.cropping, start + i, dim, self.name))
            index[start + i] = slice(before, -after if after else None)
        return inputs[tuple(index)]


class Cropping1D(_Cropping):
    """Crops steps: `cropping` = int or `(start, end)`, on `[batch, steps, features]`.

    Example:
        >>> tf.keras.layers.Cropping1D((1, 2))(x)     # [N, T-3, C]
    """

    _rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__((cropping,), data_format="channels_last", **kwargs)

    def get_config(self):
        config = Layer.get_config(self)
        config["cropping"] = self.cropping[0]
        return config


class Cropping2D(_Cropping):
    """Crops rows and columns: int, `(rows, cols)` or `((top, bottom), (left, right))`.

    Example:
        >>> tf.keras.layers.Cropping2D(((2, 2), (4, 4)))(images)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops the three spatial axes: int, 3 ints or 3 `(before, after)` pairs."""

    _rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)


class ZeroPadding1D(Layer):
    """Pads steps with zeros: `padding` = int or `(start, end)`.

    Example:
        >>> tf.keras.layers.ZeroPadding1D(2)(x)       # [N, T+4, C]
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_pairs((padding,), 1, "padding")[0]

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        return config

    def call(self, inputs):
        return pad_ops.pad(inputs, [[0, 0], list(self.padding), [0, 0]])


class ZeroPadding3D(Layer):
    """Pads the three spatial axes with zeros: int, 3 ints or 3 `(before, after)` pairs.

    Example:
        >>> tf.keras.layers.ZeroPadding3D(1)(volumes)     # [N, D+2, H+2, W+2, C]
    """

    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = conv_utils.normalize_data_format(
            data_format or backend.image_data_format())
        self.padding = normalize_pairs(padding, 3, "padding")

    def get_config(self):
        config = super().get_config()
        config.update(padding=self.padding, data_format=self.data_format)
        return config

    def call(self, inputs):
        spatial = [list(p) for p in self.padding]
        if self.data_format == "channels_first":
            return pad_ops.pad(inputs, [[0, 0], [0, 0]] + spatial)
        return pad_ops.pad(inputs, [[0, 0]] + spatial + [[0, 0]])


def _repeat_axes(inputs, sizes, start):
    """Repeats each entry `sizes[i]` times along axis `start + i` (nearest upsampling)."""
    out = inputs
    for i, size in enumerate(sizes):
        if size != 1:
            out = array_extras.repeat(out, size, axis=start + i)
    return out


class UpSampling1D(Layer):
    """Repeats each step `size` times.

    Example:
        >>> tf.keras.layers.UpSampling1D(2)(x)     # [N, 2T, C]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size
        return config

    def call(self, inputs):
        return _repeat_axes(inputs, (self.size,), 1)


class UpSampling3D(Layer):
    """Repeats depth, rows and columns `size` times each (nearest neighbour).

    Example:
        >>> tf.keras.layers.UpSampling3D()(volumes)     # [N, 2D, 2H, 2W, C]
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = conv_utils.normalize_data_format(
            data_format or backend.image_data_format())
        self.size = conv_utils.normalize_tuple(size, 3, "size")

    def get_config(self):
        config = super().get_config()
        config.update(size=self.size, data_format=self.data_format)
        return config

    def call(self, inputs):
        return _repeat_axes(inputs, self.size, _spatial_start(self.data_format))


def _resize(images, size, interpolation):
    """tf.image.resize (v2) of `[batch, H, W, C]`: half-pixel centres, float32 for bilinear."""
    if interpolation == "bilinear":
        return image_ops.resize_bilinear(math_ops.cast(images, "float32"), size,
                                         half_pixel_centers=True)
    if interpolation == "nearest":
        return image_ops.resize_nearest_neighbor(images, size, half_pixel_centers=True)
    raise NotImplementedError("Resizing with interpolation=%r is not supported by tensorflux "
                              "(use 'bilinear' or 'nearest')." % (interpolation,))


def _image_hw(inputs, layer):
    shape = inputs.shape.as_list()
    if len(shape) != 4 or shape[1] is None or shape[2] is None:
        raise ValueError("%s needs images [batch, height, width, channels] of known height and "
                         "width; got shape %s." % (type(layer).__name__, shape))
    return shape[1], shape[2]


def _smart_resize(inputs, height, width, interpolation, layer):
    """tf_keras' `smart_resize`: the largest centred crop of the target's aspect ratio, then
    a resize to `(height, width)`."""
    h, w = _image_hw(inputs, layer)
    crop_h = min(h, int(float(w * height) / width))
    crop_w = min(w, int(float(h * width) / height))
    top, left = int((h - crop_h) / 2), int((w - crop_w) / 2)
    return _resize(inputs[:, top:top + crop_h, left:left + crop_w], [height, width],
                   interpolation)


class Resizing(Layer):
    """Resizes images `[batch, H, W, C]` to `(height, width)` (`tf.image.resize`;
    `crop_to_aspect_ratio` first takes the largest centred crop of the target's aspect ratio).

    Example:
        >>> x = tf.keras.layers.Resizing(224, 224)(images)
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = int(height), int(width)
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio

    def call(self, inputs):
        if self.crop_to_aspect_ratio:
            out = _smart_resize(inputs, self.height, self.width, self.interpolation, self)
        else:
            _image_hw(inputs, self)
            out = _resize(inputs, [self.height, self.width], self.interpolation)
        return math_ops.cast(out, self._dtype or backend.floatx())

    def get_config(self):
        config = super().get_config()
        config.update(height=self.height, width=self.width, interpolation=self.interpolation,
                      crop_to_aspect_ratio=self.crop_to_aspect_ratio)
        return config


class CenterCrop(Layer):
    """Crops the centre `(height, width)` of images `[batch, H, W, C]`; images smaller than
    that are cropped to the target's aspect ratio and resized up (tf_keras' `smart_resize`).

    Example:
        >>> x = tf.keras.layers.CenterCrop(224, 224)(images)
    """

    def __init__(self, height, width, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = int(height), int(width)

    def call(self, inputs):
        h, w = _image_hw(inputs, self)
        dtype = self._dtype or backend.floatx()
        if h >= self.height and w >= self.width:
            top, left = int((h - self.height) / 2), int((w - self.width) / 2)
            return math_ops.cast(inputs[:, top:top + self.height, left:left + self.width],
                                 dtype)
        return math_ops.cast(_smart_resize(inputs, self.height, self.width, "bilinear", self),
                             dtype)

    def get_config(self):
        config = super().get_config()
        config.update(height=self.height, width=self.width)
        return config
