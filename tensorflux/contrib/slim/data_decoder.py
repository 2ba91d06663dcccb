"""`slim.data_decoder.DataDecoder`: the interface of TF-Slim's decoders (`TFExampleDecoder`),
which turn one serialized record into the tensors of the items a dataset provides.

Example:
    >>> class MyDecoder(slim.data_decoder.DataDecoder):
    ...     def decode(self, data, items): ...
    ...     def list_items(self): return ["image", "label"]
"""

import abc


class DataDecoder(abc.ABC):
    """Decodes a record into the tensors of the requested items."""

    @abc.abstractmethod
    def decode(self, data, items):
        """The tensors of `items` (a list of item names), one per item, decoded from `data`.

        Raises:
            ValueError: If an item cannot be decoded.
        """

    @abc.abstractmethod
    def list_items(self):
        """The names of the items this decoder can decode."""


__all__ = ["DataDecoder"]
