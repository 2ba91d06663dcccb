"""`tf.keras.preprocessing`: image augmentation and loading (`image`), sequence padding
(`sequence`) and tokenization (`text`).

Example:
    >>> gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255.)
    >>> x = tf.keras.preprocessing.sequence.pad_sequences([[1, 2], [3]], maxlen=4)
"""

from tensorflux.keras.preprocessing import image, sequence, text

__all__ = ["image", "sequence", "text"]
