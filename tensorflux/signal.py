"""`tf.signal`: FFTs of 1-3 dimensions, real FFTs, `fftshift`, framing, windows and the STFT,
as in TF 1.15.

    >>> import tensorflux as tf
    >>> spectrum = tf.signal.fftshift(tf.abs(tf.signal.fft2d(tf.complex(image, 0.0 * image))))

Provided are the FFTs, `frame`, `hann_window`, `hamming_window` and `stft`; the DCT, MDCT,
inverse STFT and mel-spectrogram helpers are not.
"""

from tensorflux.ops.signal_ops import frame, hamming_window, hann_window, stft
from tensorflux.ops.spectral_ops import (
    fft,
    fft2d,
    fft3d,
    fftshift,
    ifft,
    ifft2d,
    ifft3d,
    ifftshift,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)

__all__ = ["fft", "fft2d", "fft3d", "fftshift", "frame", "hamming_window", "hann_window", "ifft",
           "ifft2d", "ifft3d", "ifftshift", "irfft", "irfft2d", "irfft3d", "rfft", "rfft2d",
           "rfft3d", "stft"]
