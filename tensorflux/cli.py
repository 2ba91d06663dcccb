"""The `tensorflux` command (`python -m tensorflux`): train the deck's CNN, inspect checkpoints,
classify photos with a pretrained network."""

import argparse
import sys


def _train(args):
    from tensorflux.apps import train_cnn
    from tensorflux.datasets.idx import DatasetNotFoundError

    try:
        hist = train_cnn.train(epochs=args.epochs, batch_size=args.batch_size,
                               learning_rate=args.learning_rate, data_dir=args.data_dir,
                               checkpoint_dir=args.checkpoint_dir, resume=args.resume,
                               train_subset=args.train_subset, test_subset=args.test_subset,
                               seed=args.seed)
    except DatasetNotFoundError as e:
        print(str(e), file=sys.stderr)
        return 2
    if hist["test_accuracy"]:
        print("final test accuracy: %.4f after %d epochs (%.0f s of training)"
              % (hist["test_accuracy"][-1], hist["epochs"][-1], sum(hist["epoch_seconds"])))
    return 0


def _inspect(args):
    from tensorflux.apps import inspect_checkpoint

    return inspect_checkpoint.main(args.path, args.tensor_name, args.all_tensors)


def _classify(args):
    from tensorflux.apps import classify

    return classify.main(args.images, top=args.top)


def main(argv=None):
    p = argparse.ArgumentParser(prog="tensorflux", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the deck's CNN on Fashion-MNIST")
    t.add_argument("--epochs", type=int, default=6)
    t.add_argument("--batch-size", type=int, default=100)
    t.add_argument("--learning-rate", type=float, default=1e-3)
    t.add_argument("--data-dir", default=None,
                   help="folder with the four Fashion-MNIST IDX files")
    t.add_argument("--checkpoint-dir", default="checkpoints/fashion_cnn")
    t.add_argument("--resume", action="store_true", help="continue from the latest checkpoint")
    t.add_argument("--train-subset", type=int, default=None)
    t.add_argument("--test-subset", type=int, default=None)
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(fn=_train)
    i = sub.add_parser("inspect-checkpoint", help="list a checkpoint's variables")
    i.add_argument("path")
    i.add_argument("--tensor-name", default=None)
    i.add_argument("--all-tensors", action="store_true")
    i.set_defaults(fn=_inspect)
    c = sub.add_parser("classify", help="label PNG photos with pretrained EfficientNet-Lite0")
    c.add_argument("images", nargs="+", help="PNG files")
    c.add_argument("--top", type=int, default=5, help="how many classes to print per image")
    c.set_defaults(fn=_classify)
    args = p.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
