"""Signal-processing composites of `tf.signal`: `frame`, the Hann and Hamming windows, `stft`.

They are built from other ops (gather, cos, rfft), so their gradients come for free. `frame`
gathers with a [num_frames, frame_length] index matrix instead of TF's reshape-of-subframes
trick: the same values and static shapes, other internal op names.
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    cond_ops,
    constant_op,
    fill_ops,
    manip_ops,
    math_ops,
    pad_ops,
    spectral_ops,
)
from tensorflux.ops._helpers import convert


def _static_int(t):
    value = constant_op.constant_value(t)
    return None if value is None else int(value)


def _scalar(value, name):
    t = convert(value, name=name)
    t.shape.with_rank(0)
    return t


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Expands `signal`'s `axis` dimension into overlapping frames of `frame_length` samples.

    Example:
        >>> audio = tf.placeholder(tf.float32, [3, 9152])
        >>> tf.signal.frame(audio, 512, 180).shape  # [3, 49, 512]
    """
    with graph_lib.name_scope(name, "frame", [signal, frame_length, frame_step, pad_value]):
        signal = convert(signal, name="signal")
        frame_length = _scalar(frame_length, "frame_length")
        frame_step = _scalar(frame_step, "frame_step")
        axis = _static_int(_scalar(axis, "axis"))
        if axis is None:
            raise NotImplementedError("tf.signal.frame needs a static `axis` in tensorflux")
        signal.shape.with_rank_at_least(1)
        if signal.shape.ndims is None:
            raise NotImplementedError("tf.signal.frame needs a signal of known rank")
        axis = range(signal.shape.ndims)[axis]
        fl, fs = _static_int(frame_length), _static_int(frame_step)
        known = signal.shape.as_list()[axis]
        length = known if known is not None else array_ops.shape(signal)[axis]
        fl = frame_length if fl is None else fl
        fs = frame_step if fs is None else fs
        static = all(isinstance(v, int) for v in (fl, fs, length))
        if pad_end:
            pad_value = _scalar(convert(pad_value, dtype=signal.dtype.base_dtype), "pad_value")
            if static:
                num_frames = -(-length // fs)
                pad = max(0, fl + fs * (num_frames - 1) - length)
            else:
                num_frames = -math_ops.floordiv(-length, fs)
                pad = math_ops.maximum(0, fl + fs * (num_frames - 1) - length)
            paddings = [[0, 0]] * axis + [[0, pad]] + [[0, 0]] * (signal.shape.ndims - axis - 1)
            signal = pad_ops.pad(signal, paddings, constant_values=pad_value)
        elif static:
            num_frames = max(0, 1 + (length - fl) // fs)
        else:
            num_frames = math_ops.maximum(0, 1 + math_ops.floordiv(length - fl, fs))
        if static:
            indices = (fs * np.arange(num_frames)[:, None] + np.arange(fl)[None, :]).astype(
                np.int32).reshape(num_frames, fl)
        else:
            indices = math_ops.add(
                manip_ops.expand_dims(fill_ops.range(num_frames) * fs, 1),
                manip_ops.expand_dims(fill_ops.range(fl), 0))
        out = array_ops.gather(signal, indices, axis=axis)
        dims = signal.shape.as_list()
        out.set_shape(dims[:axis] + [num_frames if static else _static_int(num_frames),
                                     fl if isinstance(fl, int) else None] + dims[axis + 1:])
        return out


def _raised_cosine_window(name, default_name, window_length, periodic, dtype, a, b):
    """TF's window helper: a - b * cos(2 pi n / N), N = length (periodic, even) or length - 1."""
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError("dtype must be a floating point type. Found %s" % dtype)
    with graph_lib.name_scope(name, default_name, [window_length, periodic]):
        window_length = convert(window_length, dtype=dtypes.int32, name="window_length")
        window_length.shape.with_rank(0)
        window_length_const = _static_int(window_length)
        if window_length_const == 1:
            return fill_ops.ones([1], dtype=dtype)
        periodic = math_ops.cast(convert(periodic, dtype=dtypes.bool, name="periodic"),
                                 dtypes.int32)
        even = 1 - math_ops.floormod(window_length, 2)
        n = math_ops.cast(window_length + periodic * even - 1, dtype=dtype)
        count = math_ops.cast(fill_ops.range(window_length), dtype)
        cos_arg = constant_op.constant(2 * np.pi, dtype=dtype) * count / n
        if window_length_const is not None:
            return math_ops.cast(a - b * math_ops.cos(cos_arg), dtype=dtype)
        return cond_ops.cond(math_ops.equal(window_length, 1),
                             lambda: fill_ops.ones([window_length], dtype=dtype),
                             lambda: math_ops.cast(a - b * math_ops.cos(cos_arg), dtype=dtype))


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """The Hann window, `0.5 - 0.5 cos(2 pi n / N)` (periodic by default, as for STFTs)."""
    return _raised_cosine_window(name, "hann_window", window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """The Hamming window, `0.54 - 0.46 cos(2 pi n / N)`."""
    return _raised_cosine_window(name, "hamming_window", window_length, periodic, dtype, 0.54,
                                 0.46)


def _enclosing_power_of_two(value):
    static = _static_int(value)
    if static is not None:
        return constant_op.constant(int(2 ** np.ceil(np.log(static) / np.log(2.0))),
                                    value.dtype)
    return math_ops.cast(math_ops.pow(
        2.0, math_ops.ceil(math_ops.log(math_ops.cast(value, dtypes.float32))
                           / math_ops.log(2.0))), value.dtype)


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window,
         pad_end=False, name=None):
    """Short-time Fourier transform: windowed frames of `signals`, each through an RFFT.

    Example:
        >>> spec = tf.signal.stft(audio, frame_length=256, frame_step=64)  # [..., frames, 129]
    """
    with graph_lib.name_scope(name, "stft", [signals, frame_length, frame_step]):
        signals = convert(signals, name="signals")
        signals.shape.with_rank_at_least(1)
        frame_length = _scalar(frame_length, "frame_length")
        frame_step = _scalar(frame_step, "frame_step")
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = convert(fft_length, name="fft_length")
        framed = frame(signals, frame_length, frame_step, pad_end=pad_end)
        if window_fn is not None:
            framed = framed * window_fn(frame_length, dtype=framed.dtype)
        static = _static_int(fft_length)
        return spectral_ops.rfft(framed, [static] if static is not None else
                                 manip_ops.expand_dims(fft_length, 0))
