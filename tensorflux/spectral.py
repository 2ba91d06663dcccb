"""`tf.spectral`: TF 1.x's FFT namespace (the same functions as in `tf.signal`).

    >>> import tensorflux as tf
    >>> tf.spectral.irfft2d(tf.spectral.rfft2d(image))  # back to `image`
"""

from tensorflux.ops.spectral_ops import (
    fft,
    fft2d,
    fft3d,
    ifft,
    ifft2d,
    ifft3d,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)

__all__ = ["fft", "fft2d", "fft3d", "ifft", "ifft2d", "ifft3d", "irfft", "irfft2d", "irfft3d",
           "rfft", "rfft2d", "rfft3d"]
