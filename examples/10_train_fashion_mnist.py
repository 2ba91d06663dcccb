"""The deck's CNN trained on Fashion-MNIST — the program behind `tensorflux train`.

Run: python examples/10_train_fashion_mnist.py [--epochs N] [--train-subset N]
"""
import sys

from tensorflux import cli

if __name__ == "__main__":
    sys.exit(cli.main(["train"] + sys.argv[1:]))
