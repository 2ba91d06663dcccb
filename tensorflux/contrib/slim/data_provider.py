"""`slim.data_provider.DataProvider`: maps item names ("image", "label", ...) to the tensors a
data source provides; `DatasetDataProvider` is the queue-based one.

Example:
    >>> image, label = provider.get(["image", "label"])
"""

import abc


class DataProvider(abc.ABC):  # noqa: B024 - abstract by intent, as TF-Slim's (no abstract method)
    """Holds `items_to_tensors` and the number of samples of the data source.

    Args:
        items_to_tensors: A dict from item names to tensors.
        num_samples: The number of samples in the data source.
    """

    def __init__(self, items_to_tensors, num_samples):
        self._items_to_tensors = items_to_tensors
        self._num_samples = num_samples

    def get(self, items):
        """The tensors of `items` (a list or tuple of item names), in that order.

        Raises:
            ValueError: If `items` is not a list or tuple, or names an unknown item.
        """
        self._validate_items(items)
        return [self._items_to_tensors[item] for item in items]

    def list_items(self):
        """The item names `get` accepts."""
        return self._items_to_tensors.keys()

    def num_samples(self):
        """The number of samples in the data source."""
        return self._num_samples

    def _validate_items(self, items):
        if not isinstance(items, (list, tuple)):
            raise ValueError("items must be a list or tuple")
        valid_items = self.list_items()
        for item in items:
            if item not in valid_items:
                raise ValueError("Item [%s] is invalid. Valid entries include: %s"
                                 % (item, valid_items))


__all__ = ["DataProvider"]
