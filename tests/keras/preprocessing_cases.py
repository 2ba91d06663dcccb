"""Inputs shared by tools/fixtures/gen_keras_preprocessing.py and test_preprocessing.py."""

import os

import numpy as np

PAD_CASES = [
    ([[1, 2, 3], [4, 5], [6]], {}),
    ([[1, 2, 3], [4, 5], [6]], {"maxlen": 2}),
    ([[1, 2, 3], [4, 5], [6]], {"maxlen": 2, "truncating": "post"}),
    ([[1, 2, 3], [4, 5], [6]], {"maxlen": 4, "padding": "post", "value": -1}),
    ([[1, 2, 3], [], [6]], {"maxlen": 3, "dtype": "float32", "value": 0.5}),
    ([[[1, 2], [3, 4]], [[5, 6]]], {"maxlen": 3}),
    ([[1.5, 2.5], [3.5]], {"dtype": "float64", "padding": "post", "truncating": "post"}),
    ([["a", "b"], ["c"]], {"dtype": object, "value": "<pad>"}),
    ([[1, 2], [3]], {"padding": "middle"}),
    ([[1, 2], [3]], {"maxlen": 1, "truncating": "middle"}),
    ([[1, 2], [3]], {"value": "x"}),
]

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat and dog: the end"]

# ImageDataGenerator arguments for `random_transform(x, seed=5)`.
TRANSFORM_CONFIGS = [
    {},
    {"rotation_range": 30},
    {"width_shift_range": 0.2, "height_shift_range": 2, "fill_mode": "constant", "cval": 7.0},
    {"shear_range": 20, "zoom_range": 0.3, "fill_mode": "reflect"},
    {"zoom_range": [0.5, 0.9], "fill_mode": "wrap", "horizontal_flip": True,
     "vertical_flip": True},
    {"channel_shift_range": 40.0, "width_shift_range": [-1, 2]},
]

# (ImageDataGenerator arguments, flow arguments); three batches of each are recorded.
FLOW_CONFIGS = [
    ({"rescale": 1 / 255.0}, {"batch_size": 4, "shuffle": False}),
    ({"horizontal_flip": True, "rotation_range": 15}, {"batch_size": 3, "seed": 11}),
    # seeded: unseeded random flips would draw from numpy's global generator, which other
    # tests (and test order) change
    ({"vertical_flip": True, "validation_split": 0.3}, {"batch_size": 2, "shuffle": False,
                                                        "subset": "training", "seed": 4}),
    ({"validation_split": 0.3}, {"batch_size": 5, "shuffle": True, "seed": 2,
                                 "subset": "validation"}),
]


def sample_images():
    """Ten 8x6 RGB images with values 0..255 and labels 0..2 (every class in every split)."""
    rng = np.random.RandomState(3)
    x = rng.randint(0, 256, (10, 8, 6, 3)).astype("float32")
    y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    return x, y


def write_image_folder(root):
    """Class folders of small PNGs (one nested, one non-image file) under `root`."""
    from PIL import Image

    rng = np.random.RandomState(4)
    layout = {"cats": ["c0.png", "c1.png", "sub/c2.png"], "dogs": ["d1.png", "d0.png"],
              "birds": ["b0.png", "B1.PNG", "notes.txt"]}
    for cls, names in layout.items():
        for name in names:
            path = os.path.join(root, cls, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if name.endswith(".txt"):
                with open(path, "w") as f:
                    f.write("not an image")
                continue
            pixels = rng.randint(0, 256, (7, 9, 3)).astype("uint8")
            Image.fromarray(pixels, "RGB").save(path, format="PNG")
    os.makedirs(os.path.join(root, "empty"))
    with open(os.path.join(root, "top_level.png"), "wb") as f:
        f.write(b"")
