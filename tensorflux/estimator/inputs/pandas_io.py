"""`tf.estimator.inputs.pandas_input_fn`: numpy_input_fn over a DataFrame's columns.

pandas is not a dependency of tensorflux: it is imported only when this is called.
"""

from tensorflux.estimator.inputs.numpy_io import numpy_input_fn


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000,
                    num_threads=1, target_column="target"):
    """Returns an input_fn yielding `({column: batch}, y batch)` from a pandas DataFrame.

    Args:
        x: A pandas DataFrame; each column becomes a feature.
        y: A pandas Series (or DataFrame) of labels with the same index as `x`, or None.
        batch_size, num_epochs, shuffle, queue_capacity, num_threads: As numpy_input_fn.
        target_column: The key `y` would take among the columns; it must not be one of them.

    Example:
        >>> input_fn = tf.estimator.inputs.pandas_input_fn(df, df.pop("label"), shuffle=False)
    """
    try:
        import pandas as pd
    except ImportError as e:
        raise TypeError("pandas_input_fn should not be called without pandas installed") from e
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided and explicitly set as boolean (it is "
                         "recommended to set it as True for training); got {}".format(shuffle))
    if not isinstance(x, pd.DataFrame):
        raise TypeError("x must be a pandas DataFrame; got {}".format(type(x).__name__))
    if y is not None:
        if target_column in x:
            raise ValueError("Cannot use name %s for target column: DataFrame already has a "
                             "column with that name: %s" % (target_column, list(x.columns)))
        if not x.index.equals(y.index):
            raise ValueError("Index for x and y are mismatched.\nIndex for x: %s\nIndex for y: "
                             "%s\n" % (x.index, y.index))
        if isinstance(y, pd.DataFrame):
            y = {str(k): v.to_numpy() for k, v in y.items()}
        else:
            y = y.to_numpy()
    features = {str(k): v.to_numpy() for k, v in x.items()}
    return numpy_input_fn(features, y, batch_size=batch_size, num_epochs=num_epochs,
                          shuffle=shuffle, queue_capacity=queue_capacity,
                          num_threads=num_threads)
