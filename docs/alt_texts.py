"""The alt text of each figure of neural_network.ipynb, for the web page docs/build.py makes.

A figure is a cell tagged ``figure-...``. Its alt text says what the figure shows to a reader who cannot
see it; where the figure depends on the run, the text is computed from the run. So each function below
takes the kernel's namespace, ``ns`` (the notebook's variables after its last cell), and returns the text.

The functions run inside the notebook's kernel, not in docs/build.py: ``kernel_code()`` gives the cell
that defines them in a fresh namespace, calls every one and prints ``{tag: alt text}`` as JSON. Only
numpy is imported here, which the kernel has.
"""

import json

import numpy as np

ALT_TEXTS = {}  # tag: function(ns) -> alt text


def figure(tag):
    """Registers the decorated function as the alt text of the cell tagged ``tag``."""

    def register(function):
        ALT_TEXTS[tag] = function
        return function

    return register


def letters(ns, labels):
    return " ".join(ns["emnist_data"].LETTERS[k] for k in labels)


def curves(history, name):
    """Where a history's validation accuracy started, ended and peaked, in words."""
    val = history["val_accuracy"]
    best = int(np.argmax(val))
    return (
        f"{name}: validation accuracy {val[0]:.1%} after epoch 1, {val[-1]:.1%} after epoch {len(val)}, "
        f"highest {val[best]:.1%} after epoch {best + 1}; training accuracy {history['train_accuracy'][-1]:.1%} at the end"
    )


@figure("figure-samples")
def samples(ns):
    return f"The first 40 training images, light strokes on a dark ground, each titled with its letter: {letters(ns, ns['train_labels'][:40])}."


@figure("figure-class-counts")
def class_counts(ns):
    counts = np.bincount(ns["train_labels"], minlength=26)
    present = np.flatnonzero(counts)
    fewest, most = present[np.argmin(counts[present])], present[np.argmax(counts[present])]
    names = ns["emnist_data"].LETTERS
    spread = (
        f"{counts[most]:,} images each"
        if counts[fewest] == counts[most]
        else f"from {counts[fewest]:,} images ({names[fewest]}) to {counts[most]:,} ({names[most]})"
    )
    return f"Bar chart of the training images per letter, a to z: {len(present)} letters, {spread}."


@figure("figure-sigmoid")
def sigmoid(ns):
    return (
        "Plot of the sigmoid σ(z) for z from −8 to 8, an S-shaped curve rising from 0 to 1 through 0.5 at z = 0, "
        "and of its slope σ′(z), a bump that peaks at 0.25 at z = 0; below z = −4 and above z = 4 the plot is "
        "shaded and marked saturated, where the slope is almost 0."
    )


@figure("figure-learning-curves")
def learning_curves(ns):
    return (
        "Learning curves of the plain network, per epoch: the cost (left) and the accuracy (right), on the "
        f"training images (solid) and the validation images (dashed). {curves(ns['history'], 'Here')}."
    )


@figure("figure-per-letter")
def per_letter(ns):
    accuracy = ns["evaluation"].per_letter_accuracy(ns["confusion"])
    present = np.flatnonzero(~np.isnan(accuracy))
    best, worst = present[np.argmax(accuracy[present])], present[np.argmin(accuracy[present])]
    names = ns["emnist_data"].LETTERS
    return (
        f"Bar chart of the test accuracy of each of {len(present)} letters, with a dashed line at "
        f"{ns['test_accuracy']:.1%} for all letters together: best {names[best]}, {accuracy[best]:.0%}; "
        f"worst {names[worst]}, {accuracy[worst]:.0%}."
    )


@figure("figure-confusion")
def confusion(ns):
    matrix = ns["confusion"]
    (true, said, count), *_ = ns["evaluation"].most_confused(matrix, k=1) or [("none", "none", 0)]
    return (
        f"Confusion matrix of the {int(matrix.sum()):,} test images: the true letter in rows, the network's answer "
        f"in columns. The diagonal holds the {int(np.trace(matrix)):,} read right; the most frequent mistake is "
        f"{true} read as {said}, {count} times."
    )


@figure("figure-mistakes")
def mistakes(ns):
    predictions, labels = ns["test_predictions"], ns["test_labels"]
    confidence = ns["evaluation"].confidence(ns["test_outputs"]).max(axis=1)
    wrong = np.flatnonzero(predictions != labels)
    wrong = wrong[np.argsort(confidence[wrong])[::-1][:30]]
    if not len(wrong):
        return "No mistakes to show: the network read every test image right."
    names = ns["emnist_data"].LETTERS
    first = wrong[0]
    return (
        f"The {len(wrong)} test images the network got wrong with the most confidence, each titled with the true "
        f"letter, the network's answer and its confidence; the first: true {names[labels[first]]}, said "
        f"{names[predictions[first]]}, confidence {confidence[first]:.2f}."
    )


@figure("figure-why-layers")
def why_layers(ns):
    x, y = ns["x_rings"], ns["y_rings"]
    return (
        "Two square panels of the rings problem: the points of an inner ring and an outer ring, coloured by class, "
        "over the region each network gives each class. Left, the network without a hidden layer, "
        f"{ns['flat_net'].accuracy(x, y):.0%} right, whose boundary is one straight line; right, the network with a "
        f"hidden layer of 8, {ns['hidden_net'].accuracy(x, y):.0%} right."
    )


@figure("figure-learning-animation")
def learning_animation(ns):
    return (
        "Animation, with play buttons below it: the rings network with a hidden layer of 8 during its 300 epochs "
        "of training, each frame showing the two rings' points over the region it gives each class at that epoch."
    )


@figure("figure-cost-comparison")
def cost_comparison(ns):
    mse, cross_entropy = (h["val_accuracy"][-1] for h in ns["cost_histories"])
    return (
        f"Accuracy per epoch of two networks trained on {ns['COMPARE_EXAMPLES']:,} images for "
        f"{ns['COMPARE_EPOCHS']} epochs, one with the MSE cost and one with cross-entropy, on the training images "
        f"(solid) and the validation images (dashed): validation accuracy after the last epoch {mse:.1%} with MSE, "
        f"{cross_entropy:.1%} with cross-entropy."
    )


@figure("figure-hidden-weights")
def hidden_weights(ns):
    weights = ns["net"].weights[0]
    return (
        f"The weights into the first {len(weights[:16])} of the plain network's {len(weights)} hidden neurons, "
        "each drawn as a 28×28 image: red where a pixel's weight is positive, blue where it is negative, on one "
        f"colour scale up to ±{np.abs(weights[:16]).max():.2f}."
    )


@figure("figure-learning-rates")
def learning_rates(ns):
    finals = ", ".join(f"{h['val_accuracy'][-1]:.1%} at rate {r:g}" for r, h in zip(ns["rates"], ns["rate_histories"]))
    return (
        "Learning curves for three learning rates, the cost (left) and the accuracy (right) per epoch, training "
        f"solid and validation dashed; validation accuracy after the last epoch: {finals}."
    )


@figure("figure-handwriting")
def handwriting(ns):
    guesses = ", ".join(f"{letter} {p:.0%}" for letter, p in ns["top3"])
    return (
        "Left, the picture given to predict_image (in the lesson, a typeset italic g); right, the same picture cut "
        f"down to 28×28 pixels as the network sees it. The network's three best guesses: {guesses}."
    )


@figure("figure-overfitting")
def overfitting(ns):
    return (
        f"Learning curves of the large network trained on {ns['OVERFIT_EXAMPLES']:,} images: the cost (left) and "
        "the accuracy (right) per epoch, training solid and validation dashed. "
        f"{curves(ns['overfit_history'], 'Here')}."
    )


@figure("figure-shifts")
def shifts(ns):
    return (
        f"Eight training images, {letters(ns, ns['y_train'][:8])}, in the top row, and below them three rows of "
        f"the same images, each moved at random by up to {ns['OVERFIT_SHIFT']} pixels."
    )


@figure("figure-distortions")
def distortions(ns):
    return (
        f"Two rows. Top: one training image, the letter {letters(ns, ns['y_train'][:1])} as written, and beside "
        "it ten random distortions of it, each turned, scaled, slanted and moved a little. Bottom: the same "
        "image again, and ten elastic distortions of it, each bent by a smooth random wobble."
    )


@figure("figure-cures")
def cures(ns):
    histories = ns["cure_histories"]
    bests = "; ".join(f"{name}: {max(h['val_accuracy']):.1%}" for name, h in histories.items())
    return (
        f"{len(histories)} panels in a row, one per cure, each showing validation accuracy per epoch with the cure "
        f"and, in gray, without. Highest validation accuracy without a cure {max(ns['overfit_history']['val_accuracy']):.1%}; "
        f"with each cure, {bests}."
    )


@figure("figure-best-network")
def best_network(ns):
    return (
        "Accuracy per epoch of the plain network and of the best network, training solid and validation dashed. "
        f"{curves(ns['history'], 'Plain')}. {curves(ns['best_history'], 'Best')}."
    )


@figure("figure-saliency")
def saliency(ns):
    shown = ns["shown"]
    return (
        f"Three rows of {len(shown)} test letters: the letters themselves ({letters(ns, ns['test_labels'][shown])}), "
        "then the saliency map of the plain network and of the best network, bright where changing a pixel "
        "would change the cost most, each titled with that network's answer."
    )


@figure("figure-adversarial")
def adversarial(ns):
    shown, best, fooled = ns["shown"], ns["best_net"], ns["fooled"]  # the nudged letters the figure shows
    accuracies = "; ".join(
        f"{name} {a[0]:.0%} at ε = {ns['EPSILONS'][0]:g}, {a[-1]:.0%} at ε = {ns['EPSILONS'][-1]:g}"
        for name, a in ns["adversarial"].items()
    )
    return (
        f"Left, three rows: {len(shown)} test letters the best network reads right, the nudge of "
        f"±{ns['FOOL_EPSILON']:g} per pixel added to each, and the nudged letters, which it reads as "
        f"{letters(ns, best.predict(fooled))}. Right, accuracy against the nudge ε for both networks: {accuracies}."
    )


@figure("figure-robustness")
def robustness(ns):
    panels = "; ".join(
        f"{title.split(' (')[0]}: plain {plain.min():.0%} to {plain.max():.0%}, best {best.min():.0%} to {best.max():.0%}"
        for title, (plain, best) in ((t, np.asarray(c)) for t, c in ns["robustness"].items())
    )
    return (
        "Four panels of accuracy, for the plain and the best network, against how much the test letters are "
        f"rotated, made noisy, shifted, and made thinner or thicker. The range of each curve: {panels}."
    )


@figure("figure-saturation")
def saturation(ns):
    shares = []
    for name, (hidden, _) in ns["layers"].items():
        low, high = ns["looking_inside"].saturation_shares(hidden)
        shares.append(f"{name} {low:.0%} below 0.01 and {high:.0%} above 0.99")
    return (
        f"Histograms of the activations of {len(ns['layers'])} networks ({', '.join(ns['layers'])}), their hidden "
        f"layer on top and their output layer below. In the hidden layer: {'; '.join(shares)}."
    )


@figure("figure-hidden-map")
def hidden_map(ns):
    chosen = ns["chosen"]
    return (
        f"Scatter plot of {len(ns['y_look'])} test letters at the first two principal components of the plain "
        "network's hidden layer, each letter's centre marked by the letter itself; the letters of the three most "
        f"frequent confusions are coloured and drawn large: {letters(ns, chosen)}."
    )


@figure("figure-predictions")
def predictions(ns):
    right = int(np.sum(ns["predicted"] == ns["true"]))
    return (
        f"{len(ns['true'])} random test letters, each titled with the network's answer, the true letter and the "
        f"confidence, right answers in green and wrong ones in red: {right} of {len(ns['true'])} right."
    )


def compute(ns):
    """Every figure's alt text, ``{tag: text}``; a function that fails gives ``{"error": ...}`` for its tag."""
    texts = {}
    for tag, function in ALT_TEXTS.items():
        try:
            texts[tag] = function(ns)
        except Exception as error:  # reported by docs/build.py with the figure's tag
            texts[tag] = {"error": f"{type(error).__name__}: {error}"}
    return texts


def kernel_code():
    """A cell that runs this file in a fresh namespace inside the kernel and prints every alt text as JSON."""
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    return (
        f"_alt_texts = {{}}\nexec({source!r}, _alt_texts)\n"
        "print(_alt_texts['json'].dumps(_alt_texts['compute'](globals())))\ndel _alt_texts"
    )


def read_output(text):
    """The ``{tag: text}`` that ``kernel_code()`` printed; a ValueError names every figure whose text failed."""
    texts = json.loads(text)
    failed = {tag: value["error"] for tag, value in texts.items() if isinstance(value, dict)}
    if failed:
        raise ValueError(
            "the alt text of these figures could not be computed (docs/alt_texts.py): "
            + "; ".join(f"{tag}: {error}" for tag, error in failed.items())
        )
    return texts
