"""The tiny models of the Keras HDF5 fixtures, written once for any Keras (tf_keras or
tensorflux's): tools/fixtures/gen_keras_h5.py saves them with tf_keras, test_keras_h5.py builds
them with tensorflux and compares. Each builder returns (model, input shapes).
"""


def build_cnn(keras):
    """A Sequential CNN: Conv2D, BatchNormalization, MaxPooling2D, Flatten, Dropout, Dense."""
    layers = keras.layers
    model = keras.Sequential([
        layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(3, activation="softmax"),
    ])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model, [(4, 6, 6, 1)]


def build_merge(keras):
    """A two-input functional model with Add, Concatenate and a regularized Dense."""
    layers = keras.layers
    a, b = keras.Input((4,)), keras.Input((4,))
    ha = layers.Dense(3, activation="relu", kernel_regularizer=keras.regularizers.l2(0.01))(a)
    hb = layers.Dense(3)(b)
    h = layers.Concatenate()([layers.Add()([ha, hb]), a])
    out = layers.Dense(2, activation="softmax")(layers.Activation("tanh")(h))
    model = keras.Model([a, b], out)
    model.compile(keras.optimizers.SGD(0.1, momentum=0.9), "categorical_crossentropy")
    return model, [(3, 4), (3, 4)]


def build_embedding(keras):
    """An uncompiled Sequential model: Embedding, Flatten, Dense (no training_config)."""
    layers = keras.layers
    model = keras.Sequential([layers.Embedding(10, 3, input_length=4), layers.Flatten(),
                              layers.Dense(1, activation="sigmoid")])
    return model, [(2, 4)]


MODELS = {"sequential_cnn": build_cnn, "functional_merge": build_merge,
          "sequential_embedding": build_embedding}
