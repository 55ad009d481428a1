"""The checks of the notebook's "your turn" cells: they run the learner's code and name the mistake.

Each check runs the learner's function on small networks (one and two hidden layers, float32 and float64,
batches of 1 and 6, non-zero biases) and compares its result with nn_helpers'. When they differ, it computes
each common mistake's signature (nn_helpers' version with that mistake made on purpose) and names the one
mistake whose signature the result has on every network; a result with none is "unrecognised", with where it
differs. ``MISTAKES`` holds what is printed for each mistake. A function that still raises
``NotImplementedError`` is "not-written": the check says so and the lesson goes on with nn_helpers' version.

The learner's function runs through ``learner_code``: what it prints is shown before the verdict, which comes
last; a function that runs too long is stopped, or gets a word on how to stop it; an error gets the hint for
its kind; and whatever it replaced in nn_helpers is put back. A right result is not enough: the function must
leave its arguments, the network it reads and nn_helpers as they were, and a step must leave a network that works.
"""

import copy
import itertools
import types

import numpy as np

import learner_code
import nn_helpers as nn

MISTAKES = {
    # Any check. The first line says what is wrong, the second where to look.
    "not-written": "Not written yet: the function still raises NotImplementedError.\nWhere to look: replace `raise NotImplementedError` with your code.",
    "not-a-function": "The check takes your function itself, not its result: check_forward(my_forward), no parentheses after my_forward.\nWhere to look: the check cell.",
    "raised": "Your function stopped with an error instead of returning.\nWhere to look: the line named above.",
    "returned-none": "Your function returned None: its `return` line is missing.\nWhere to look: the end of the function.",
    "wrong-type": "Your function gave something of another kind than the check expects.\nWhere to look: the return line, or what you put in net.weights and net.biases.",
    "changed-the-network": "Your function changed net.weights or net.biases; it should only read them.\nWhere to look: an in-place operation (-=, +=, *=) on a weight or a bias.",
    "changed-the-input": "Your function changed an array it was given; it should only read it. The caller's array changes too, and every later use of it sees other numbers.\nWhere to look: an in-place operation on it (x /= …, y -= …, x[…] = …), or a = x followed by a += … (a is then x itself, not a copy).",
    "replaced-nn-helpers": "Your function replaced a function that the rest of the lesson uses; the check put the original back. Replaced, it would stay so in the notebook and spoil every cell after it.\nWhere to look: a line like nn.sigmoid = …: give your own function its own name (def my_sigmoid(z): …) and call that.",
    "too-slow-or-loops": "Your function was still running after the check's time limit, on networks of a few neurons where it needs far less than a second: it may loop forever. The check stopped it.\nWhere to look: the line named above: a while loop whose condition never turns false, or a loop that grows the list it walks through.",
    "used-a-global": "Your function works on a variable of the notebook instead of its own argument: the check gives your function its own small network and batch, and so does the lesson.\nWhere to look: the names in your function: use its arguments.",
    # check_forward
    "missing-sigmoid": "aˡ = σ(zˡ) on every layer: on some layer your activations are z itself, without σ.\nWhere to look: after z = a @ W.T + b, a = nn.sigmoid(z), for every layer including the last.",
    "missing-bias": "zˡ = Wˡaˡ⁻¹ + bˡ, for a batch z = a @ W.T + b: the bias b is left out.\nWhere to look: the line that computes z.",
    "wrong-shape": "The output has shape (n, classes), one row per example and one column per output neuron, as nn.Network.feedforward's.\nWhere to look: the lines that make the output.",
    "bias-subtracted": "zˡ = Wˡaˡ⁻¹ + bˡ, for a batch z = a @ W.T + b: yours subtracts the bias.\nWhere to look: the sign in front of b.",
    "bias-after-sigmoid": "aˡ = σ(Wˡaˡ⁻¹ + bˡ): the bias goes inside σ; yours adds it after, σ(a @ W.T) + b.\nWhere to look: the brackets: nn.sigmoid(a @ W.T + b).",
    "sigmoid-before-product": "aˡ = σ(Wˡaˡ⁻¹ + bˡ): σ comes after the product and the bias; yours applies σ to the layer's input, σ(a) @ W.T + b.\nWhere to look: the order on the line that computes a: a = nn.sigmoid(a @ W.T + b).",
    "sigmoid-wrong": "σ(z) = 1 / (1 + e⁻ᶻ): your activations follow another function.\nWhere to look: your sigmoid, or use nn.sigmoid(z).",
    # check_backprop
    "missing-sigma-prime-output": "δᴸ = ∇ₐC ⊙ σ′(zᴸ) = (aᴸ − y)/n ⊙ aᴸ(1 − aᴸ): your output error lacks the factor σ′(zᴸ).\nWhere to look: the line that computes delta at the output.",
    "missing-sigma-prime-hidden": "δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ): your hidden-layer error lacks the factor σ′(zˡ) = aˡ(1 − aˡ).\nWhere to look: the line that carries delta back one layer.",
    "sigma-prime-of-activation": "σ′(zˡ) = aˡ(1 − aˡ): you applied σ′ to a instead of z, which gives σ(a)(1 − σ(a)).\nWhere to look: nn.sigmoid_prime takes z; from a, write a * (1 - a).",
    "not-averaged": "C = (1/n) Σₓ ½‖a − y‖², so ∇ₐC = (a − y)/n: your gradients are n times too large, the 1/n is missing.\nWhere to look: the output error, delta = (a - y) / n * σ′(z).",
    "sign-flipped": "∇ₐC = (a − y)/n: yours uses (y − a), so every gradient points uphill.\nWhere to look: the output error.",
    "weight-gradient-transposed": "∂C/∂Wˡ⁺¹ = δˡ⁺¹(aˡ)ᵀ has the shape of Wˡ⁺¹; yours has the shape of its transpose: aᵀδ instead of δᵀa.\nWhere to look: the line grad_W = delta.T @ activations[l].",
    "wrong-activation": "∂C/∂Wˡ⁺¹ = δˡ⁺¹(aˡ)ᵀ uses aˡ = activations[l], the layer's input; yours uses another layer's.\nWhere to look: the index of activations in the line that computes grad_W.",
    "z-instead-of-activation": "∂C/∂Wˡ⁺¹ = δˡ⁺¹(aˡ)ᵀ uses the activation aˡ = σ(zˡ); yours uses zˡ.\nWhere to look: the line that computes grad_W: activations, not zs.",
    "bias-gradient-not-summed": "∂C/∂bˡ⁺¹ = Σₓ δˡ⁺¹, summed over the batch: yours keeps one row per example.\nWhere to look: grad_b = delta.sum(axis=0).",
    "bias-gradient-averaged-twice": "∂C/∂bˡ⁺¹ = Σₓ δˡ⁺¹: δ already holds the cost's 1/n, so sum over the batch; your mean divides by n again.\nWhere to look: delta.sum(axis=0), not delta.mean(axis=0).",
    "swapped-pair": "Return (grad_weights, grad_biases), in that order; yours returns the biases first (as Nielsen's book does).\nWhere to look: the return line.",
    "reversed-order": "grad_weights[l] is the gradient of net.weights[l], input side first; your lists start at the output.\nWhere to look: fill grad_weights[l] by index, or reverse the lists before returning them.",
    "gradient-wrong-shape": "Each gradient has the shape of its parameter: grad_weights[l] that of net.weights[l], grad_biases[l] that of net.biases[l].\nWhere to look: the line that computes the array named above.",
    "missing-sigma-prime-everywhere": "δᴸ = ∇ₐC ⊙ σ′(zᴸ) and δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ): your errors lack the factor σ′ on every layer, the output's and the hidden ones'.\nWhere to look: every line that computes delta: … * a * (1 - a).",
    "weight-gradient-averaged-twice": "∂C/∂Wˡ⁺¹ = Σₓ δˡ⁺¹(aˡ)ᵀ: δ already holds the cost's 1/n; your weight gradients divide by n again.\nWhere to look: grad_W = delta.T @ activations[l], without / n (or np.mean).",
    "weight-gradient-not-averaged": "C = (1/n) Σₓ …, so every gradient carries 1/n: your weight gradients are n times too large (the bias gradients are right).\nWhere to look: where the 1/n comes in: once, in delta at the output, and then in every gradient.",
    "bias-gradient-not-averaged": "C = (1/n) Σₓ …, so every gradient carries 1/n: your bias gradients are n times too large (the weight gradients are right).\nWhere to look: where the 1/n comes in: once, in delta at the output, and then in every gradient.",
    "constant-factor": "Every gradient is the right one times the same number: the equations are right, a constant factor is off.\nWhere to look: the factor in the output error, δᴸ = (aᴸ − y)/n ⊙ σ′(zᴸ), with n = len(x), the number of examples.",
    "forward-pass-wrong": "Backpropagation starts from the forward pass, aˡ = σ(a @ W.T + b) on every layer; in yours the activations are computed another way.\nWhere to look: the forward pass at the start of your backprop: compare it with your forward pass that check_forward accepted.",
    "gradients-not-filled": "Every layer gets its gradients, grad_weights[l] and grad_biases[l] for l = L − 1 down to 0; in yours some are missing.\nWhere to look: the loop over the layers: it must run down to l = 0, as reversed(range(L)) and range(L - 1, -1, -1) do.",
    # check_step
    "ascends": "W ← W − η ∂C/∂W: your step adds the gradient (W + η∇), so the cost goes up.\nWhere to look: the sign in the update.",
    "rate-ignored": "W ← W − η ∂C/∂W: your step is the whole gradient, without the learning rate η.\nWhere to look: multiply the gradient by learning_rate.",
    "wrong-learning-rate": "W ← W − η ∂C/∂W: your step is the gradient times another number than η.\nWhere to look: the factor in front of the gradient: exactly learning_rate.",
    "biases-not-updated": "b ← b − η ∂C/∂b: only the weights move; the biases stay as they were.\nWhere to look: update net.biases too.",
    "weights-not-updated": "W ← W − η ∂C/∂W: only the biases move; the weights stay as they were.\nWhere to look: update net.weights too.",
    "some-layers-not-updated": "Every layer takes a step; in yours some layers stay as they were.\nWhere to look: the loop over the layers: its range, or a return inside it.",
    "not-in-place": "The network is unchanged after your step. W = W - … in a loop, for one, makes a new array and leaves net.weights as it was.\nWhere to look: change the arrays in place (W -= …) or store the result: net.weights[l] = ….",
    "step-wrong-shape": "A step keeps every array's shape; after yours, one has another shape.\nWhere to look: the update of the array named above.",
    "step-not-arrays": "After the step the network must still work: net.weights and net.biases hold numpy arrays, one per layer, as before.\nWhere to look: what you store in net.weights[l] and net.biases[l]: the array W - learning_rate * grad itself, not .tolist(), a number or None.",
    "step-wrong-dtype": "A step keeps the network's kind of numbers (its dtype, float32 or float64); after yours, an array holds another kind.\nWhere to look: an .astype(…) or a dtype= in the update.",
    "old-weights-dropped": "W ← W − η ∂C/∂W: the step starts from the old W; yours stores the gradient term alone, and the old weights are lost.\nWhere to look: net.weights[l] = net.weights[l] - learning_rate * grad_weights[l] (or W -= …), not net.weights[l] = -learning_rate * ….",
    "moved-twice": "W ← W − η ∂C/∂W, once per step: in yours some arrays moved by 2η × their gradient, as if the update ran twice.\nWhere to look: an update written twice (W -= … and then net.weights[l] = W - …), or a loop that visits each array twice.",
}

_UNRECOGNISED = {
    "check_forward": "each layer's z = a @ W.T + b and a = nn.sigmoid(z).",
    "check_backprop": "the array that differs nearest the output (highest l): a wrong δ spreads to the layers before it.",
    "check_step": "the update of the arrays named above: W ← W − η ∂C/∂W and b ← b − η ∂C/∂b.",
}

_ARGUMENTS = {
    "check_forward": ("net", "x"),
    "check_backprop": ("net", "x", "y"),
    "check_step": ("net", "grad_weights", "grad_biases", "learning_rate"),
}

_FROM_THE_CODE = {"not-written", "not-a-function", "raised", "too-slow-or-loops", "replaced-nn-helpers"}
_FROM_THE_CODE |= {"changed-the-input", "changed-the-network"}
"""Verdicts read from what the function did, not from its result: a global it reads does not explain them."""

TOLERANCES = types.MappingProxyType({np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-6})
"""The largest relative error ‖yours − expected‖ / ‖expected‖ accepted as right, by the network's dtype."""

CASES = (
    ((5, 3, 4), np.float64, 1),
    ((5, 3, 4), np.float32, 6),
    ((7, 5, 4, 3), np.float64, 6),
    ((7, 5, 4, 3), np.float32, 1),
)
"""The networks each check runs: (sizes, dtype, batch size). No two sizes of a network, nor n, are equal: no shape is ambiguous."""

STEP_RATES = (0.3, 0.07)
"""The learning rates check_step uses, in turn: not 1, so that a step without η shows."""


class CheckResult:
    """What a check found: ``passed``, and ``mistake``: None, a key of MISTAKES or "unrecognised"."""

    def __init__(self, check, passed, mistake, message):
        self.check, self.passed, self.mistake, self.message = check, passed, mistake, message

    def __repr__(self):
        return f"CheckResult({self.check}: {'passed' if self.passed else f'mistake {self.mistake!r}'})"


class _Found(Exception):
    """Raised inside a check when it has its verdict: a key of MISTAKES (or "unrecognised"), what was found, and
    where to look when that depends on what was found (else MISTAKES' own)."""

    def __init__(self, key, detail="", where=None):
        self.key, self.detail, self.where = key, detail, where


class _Case:
    """One small network with a batch (x, one-hot y): random weights and non-zero biases, the same at every run."""

    def __init__(self, sizes, dtype, n, seed):
        rng = np.random.default_rng(seed)
        net = nn.Network(sizes, seed=seed, dtype=dtype)
        sizes = list(sizes)
        self.sizes, self.dtype, self.n, self.tol = sizes, net.dtype, n, TOLERANCES[net.dtype]
        self.weights = [(W + rng.normal(0, 0.5, W.shape)).astype(dtype) for W in net.weights]  # z spreads over ±3
        self.biases = [rng.normal(0, 1, b.shape).astype(dtype) for b in net.biases]
        self.x = rng.random((n, sizes[0])).astype(dtype)
        self.y = nn.one_hot(rng.integers(0, sizes[-1], n), sizes[-1], dtype)

    def __str__(self):
        return f"network {self.sizes} ({self.dtype.name}, batch of {self.n})"

    def net(self, dtype=None):
        """A fresh Network holding copies of the weights and biases, in the case's dtype or in ``dtype``."""
        net = nn.Network(self.sizes, dtype=dtype or self.dtype)
        net.weights = [W.astype(net.dtype) for W in self.weights]
        net.biases = [b.astype(net.dtype) for b in self.biases]
        return net

    def forward(self, way=None):
        """The float64 zs [z¹ … zᴸ] and activations [a⁰ = x … aᴸ] of z = a Wᵀ + b, a = σ(z); or with the bias
        left out or subtracted (``way`` = "missing-bias" or "bias-subtracted")."""
        zs, activations = [], [self.x.astype(np.float64)]
        for W, b in zip(self.net(np.float64).weights, self.biases):
            zs.append(activations[-1] @ W.T + {"missing-bias": 0, "bias-subtracted": -b}.get(way, b))
            activations.append(nn.sigmoid(zs[-1]))
        return zs, activations


def _cases():
    return [_Case(sizes, dtype, n, seed) for seed, (sizes, dtype, n) in enumerate(CASES)]


def _networks():
    sizes = " and ".join(dict.fromkeys(str(list(sizes)) for sizes, _, _ in CASES))
    batches = " and ".join(dict.fromkeys(str(n) for _, _, n in CASES))
    return f"{len(CASES)} networks ({sizes}; float32 and float64; batches of {batches})"


# -- running the learner's function and printing the verdict ------------------------------------------


def _check(check, fn, diagnose, success):
    """Run ``diagnose(fn, notes)``, print what the function printed, then the verdict; return it as a CheckResult.

    Never raises, but for KeyboardInterrupt: the learner interrupted the kernel, so the cells after this one
    must not run. The check says so and lets it go on.
    """
    output, notes, verdict = learner_code.Output(), [], None
    try:
        with learner_code.watched(check, output):
            try:
                if not callable(fn):
                    raise _Found("not-a-function", f"it was given {learner_code.describe(fn)}.")
                diagnose(fn, notes)
            except _Found as found:
                verdict = found
            except Exception as err:  # something the check did not foresee in what the function returned
                verdict = _Found("unrecognised", f"the check could not read it: {type(err).__name__}: {err}.")
    except learner_code.TooSlow:  # the time limit passed after the function returned: what it returned is slow
        said = f"still running after {learner_code.TIME_LIMIT:g} s, while the check read what it returned."
        where = "what your function returns: an object that takes that long to turn into an array."
        verdict = _Found("too-slow-or-loops", said, where)
    except KeyboardInterrupt:
        _print_output(output)
        print(f"{check}: ✗ stopped: the kernel was interrupted while your function ran, and nothing was checked.")
        raise
    _print_output(output)
    suspects = learner_code.suspect_globals(fn) if verdict and verdict.key not in _FROM_THE_CODE else {}
    if suspects:
        names = learner_code.named(suspects)
        verdict = _Found("used-a-global", f"your function reads {names} from the notebook.", _use_arguments(fn, check))
    if verdict:
        return _report(check, fn, verdict)
    message = "\n  ".join([f"{check}: ✓ {success}"] + [f"Note: {note}" for note in dict.fromkeys(notes)])
    print(message)
    return CheckResult(check, True, None, message)


def _print_output(output):
    shown = output.shown()
    if shown:
        print("\n".join(shown) + "\n")


def _use_arguments(fn, check):
    return f"use the arguments: the check calls {learner_code.calls(fn, _ARGUMENTS[check])}, and so may the lesson."


def _report(check, fn, found):
    """Print the verdict: what is wrong (the equation), what was found, where to look. Return it as a CheckResult."""
    key = found.key
    if key == "not-written":
        name = getattr(fn, "__name__", "your function")
        lines = [
            f"{check}: not written yet — the lesson goes on with nn_helpers' version.",
            f"To try yours, fill in {name} and run both cells again.",
        ]
    else:
        head, text = f"mistake: {key}", MISTAKES.get(key, "")
        if key == "unrecognised":
            head, text = "a mistake the check does not recognise", "Your result differs from nn_helpers'.\n"
            text += f"Where to look: {_UNRECOGNISED[check]}"
        what, _, where = text.partition("\nWhere to look: ")
        detail = found.detail.split("\n") if found.detail else []
        detail[:1] = [f"Found: {line}" for line in detail[:1]]
        lines = [f"{check}: ✗ {head}", what, *detail, f"Where to look: {found.where or where}"]
    print("\n  ".join(lines))
    return CheckResult(check, False, key, "\n  ".join(lines))


def _call(fn, case, check, *args):
    """``fn(*args)`` through learner_code; what went wrong becomes a _Found, with the learner's line."""
    result, error, replaced = learner_code.call(fn, args)
    if replaced:
        said = f"your function replaced {', '.join(replaced)}; the check put the original back (on {case})."
        where = f"the line that sets {replaced[0]}: give your own version its own name (def my_sigmoid(z): …), call that, and leave the lesson's as they are."
        raise _Found("replaced-nn-helpers", said, where)
    if error is None:
        return result
    if isinstance(error, NotImplementedError):
        raise _Found("not-written")
    if isinstance(error, learner_code.TooSlow):
        stopped = f"still running after {learner_code.TIME_LIMIT:g} s{learner_code.where_in_their_code(error)}"
        raise _Found("too-slow-or-loops", f"{stopped} (on {case}).")
    found, values, where = learner_code.explain(error, fn, _ARGUMENTS[check])
    raise _Found("raised", f"{found} (on {case})." + (f"\nOn that line: {values}." if values else ""), where)


def _arrays(obj, name, count):
    """``obj`` as a list of ``count`` float64 arrays, one per layer; _Found("wrong-type") if it is not that."""
    if not isinstance(obj, (list, tuple, np.ndarray)) or len(obj) != count:
        it = learner_code.describe(obj)
        raise _Found("wrong-type", f"{name} should be a list of {count} arrays, one per layer; it is {it}.")
    try:
        return [np.asarray(a, dtype=np.float64) for a in obj]
    except (TypeError, ValueError):
        raise _Found("wrong-type", f"{name} holds something that is not an array of numbers.") from None


def _unchanged(net, case):
    """_Found("changed-the-network") if the learner's function changed the network it was given."""
    now, before = list(net.weights) + list(net.biases), case.weights + case.biases
    if len(now) != len(before) or not all(_same(p, q) for p, q in zip(now, before)):
        raise _Found("changed-the-network", f"on {case}.")


def _inputs_unchanged(case, given):
    """_Found("changed-the-input") if the function changed an array it was given: ``given`` maps name -> (now, before)."""
    changed = [name for name, (now, before) in given.items() if not _same(now, before)]
    if changed:
        arrays = " and ".join(changed)
        raise _Found(
            "changed-the-input",
            f"{arrays} {'is' if len(changed) == 1 else 'are'} no longer what the check gave your function, on {case}.",
        )


def _same(a, b):
    try:
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)
    except (TypeError, ValueError):
        return False


def _rel_error(a, expected):
    return float(np.linalg.norm(a - expected) / max(np.linalg.norm(expected), 1e-12))


def _matches(answer, expected, tol):
    """Whether two lists of arrays have the same shapes and agree within the relative error ``tol``."""
    with np.errstate(all="ignore"):
        return all(a.shape == e.shape and _rel_error(a, e) <= tol for a, e in zip(answer, expected))


# -- telling mistakes apart by their signatures ---------------------------------------------------------


def _layer_sets(where, L):
    """The sets of layers (the l of weights[l]) where a mistake can be made: where=None or "every", all of them at
    once; a tuple names the ways a mistake can be made instead (see _forward_with)."""
    if isinstance(where, tuple):
        return [{way} for way in where]
    layers = {"all": range(L), "hidden": range(L - 1), "output": [L - 1], "after-first": range(1, L)}.get(where)
    if layers is None:
        return [set(range(L))]
    return [set(c) for r in range(1, len(layers) + 1) for c in itertools.combinations(layers, r)]


def _which_mistake(cases, answers, expected, variant, signatures, names):
    """None if every answer is right; else a _Found for the one mistake whose signature every wrong answer has,
    or "unrecognised".

    ``signatures`` maps a key to (where, offset): the layers it can be made in (see _layer_sets), and the layer
    number less l. A mistake is named only if each wrong answer is what ``variant(case, key, layers)`` gives for
    some set of layers. A mistake made everywhere (where=None) must also show on every network where it can:
    not-averaged cannot show with n = 1. One made in some layers may be absent from some networks.
    """
    wrong = [not _matches(a, e, case.tol) for case, a, e in zip(cases, answers, expected)]
    if not any(wrong):
        return None
    named = []
    for key, (where, offset) in signatures.items():
        seen = []  # (case, layers) for each wrong answer, while the answers fit this signature
        for case, answer, is_wrong in zip(cases, answers, wrong):
            sets = _layer_sets(where, len(case.weights))
            fits = [s for s in sets if _matches(answer, variant(case, key, s), case.tol)]
            if not fits and (is_wrong or where is None):  # a mistake made everywhere shows wherever it can
                break
            seen += [(case, fits[0])] if is_wrong else []
        else:
            named.append((key, where, offset, seen))
    if len(named) == 1:
        key, where, offset, seen = named[0]
        (case, layers), s = seen[0], "s" if len(seen[0][1]) > 1 else ""
        if isinstance(where, tuple):
            place = f": {_WAYS[next(iter(layers))]}"
        elif where in (None, "every"):
            place = ""
        else:
            place = f", in layer{s} {', '.join(str(l + offset) for l in sorted(layers))} (the input is layer 0)"
        count = f"all {len(cases)}" if len(seen) == len(cases) else f"{len(seen)} of {len(cases)}"
        others = " (the others came out right)" if where else " (it cannot show on the others)"
        others = "" if len(seen) == len(cases) else others
        return _Found(key, f"on {count} networks{others}, e.g. {case}{place}.")
    case, answer, right = next((c, a, e) for c, a, e, w in zip(cases, answers, expected, wrong) if w)
    differ = [
        f"{n} (relative error {_rel_error(a, e):.2g})"
        if np.all(np.isfinite(a))
        else f"{n} (it holds nan or inf: 0/0, or an overflow)"
        for n, a, e in zip(names(case), answer, right)
    ]
    differ = [d for d, a, e in zip(differ, answer, right) if not _matches([a], [e], case.tol)]
    return _Found("unrecognised", f"on {case}, these differ from nn_helpers': {', '.join(differ)}.")


_WAYS = {
    "no-sigmoid-at-the-end": "σ(a) @ W.T + b on every layer, and the last layer's z returned as it is",
    "sigmoid-at-the-end": "σ(a) @ W.T + b on every layer, then σ of the last (which is σ applied to x as well)",
    "sigma-of-minus-z": "1 / (1 + e^z): the sign of z in the exponent is flipped",
    "one-plus-exp": "1 / 1 + e^-z, which Python reads as 1 + e⁻ᶻ: brackets around the denominator are missing",
    "tanh": "tanh(z), whose values run from −1 to 1, not σ(z)",
    "relu": "max(0, z), the ReLU, not σ(z)",
    "softmax-output": "softmax on the output layer, not σ",
    "sigmoid-prime": "σ′(z) = σ(z)(1 − σ(z)), the slope of σ, not σ itself",
    "missing-bias": "the bias is left out: z = a @ W.T",
    "bias-subtracted": "the bias is subtracted: z = a @ W.T − b",
}
"""The ways a mistake with a tuple as its ``where`` can be made, as the verdict names them."""


# -- check_forward ----------------------------------------------------------------------------------------------

_FORWARD_SIGNATURES = {
    "missing-sigmoid": ("all", 1),
    "missing-bias": ("all", 1),
    "bias-subtracted": ("all", 1),
    "bias-after-sigmoid": ("all", 1),
    "sigmoid-before-product": (("no-sigmoid-at-the-end", "sigmoid-at-the-end"), 0),
    "sigmoid-wrong": (("sigma-of-minus-z", "one-plus-exp", "tanh", "relu", "softmax-output", "sigmoid-prime"), 0),
}


def check_forward(fn):
    """Check ``fn(net, x)``, the forward pass: aˡ = σ(Wˡaˡ⁻¹ + bˡ), for a batch of rows a = σ(a @ W.T + b).

    It returns the output activations aᴸ, shape (n, classes). Prints the verdict and returns a CheckResult.
    """
    success = f"your forward pass matches nn_helpers' feedforward on {_networks()}."
    return _check("check_forward", fn, _diagnose_forward, success)


def _diagnose_forward(fn, notes):
    cases, answers = _cases(), []
    for case in cases:
        net, x = case.net(), case.x.copy()
        out = _call(fn, case, "check_forward", net, x)
        _unchanged(net, case)
        _inputs_unchanged(case, {"x": (x, case.x)})
        answers.append([_output(out, case)])
    expected = [_forward_with(case, None, set()) for case in cases]
    found = _which_mistake(cases, answers, expected, _forward_with, _FORWARD_SIGNATURES, lambda case: ["the output"])
    if found:
        raise found


def _forward_with(case, key, layers):
    """The float64 output, as a list of one array, with the mistake ``key`` made in ``layers`` (the l of
    weights[l]), or made in the way ``layers`` names (see _WAYS)."""
    a, L = case.x.astype(np.float64), len(case.weights)
    sigma = {"sigma-of-minus-z": lambda z: nn.sigmoid(-z), "one-plus-exp": lambda z: 1 + np.exp(-z)}
    sigma |= {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "sigmoid-prime": nn.sigmoid_prime}
    # 1 + e⁻ᶻ overflows on a deep layer: its signature is then inf, which no answer matches
    with np.errstate(all="ignore"):
        for l, (W, b) in enumerate(zip(case.net(np.float64).weights, case.biases)):
            here = l in layers
            if key == "sigmoid-before-product":
                a = nn.sigmoid(a) @ W.T + b
                if l == L - 1 and "sigmoid-at-the-end" in layers:
                    a = nn.sigmoid(a)
            elif key == "bias-after-sigmoid" and here:
                a = nn.sigmoid(a @ W.T) + b
            else:
                z = a @ W.T + {"missing-bias": 0, "bias-subtracted": -b}.get(key if here else None, b)
                if key == "missing-sigmoid" and here:
                    a = z
                elif key == "sigmoid-wrong" and "softmax-output" in layers:
                    a = np.exp(z - z.max(axis=1, keepdims=True)) if l == L - 1 else nn.sigmoid(z)
                    a = a / a.sum(axis=1, keepdims=True) if l == L - 1 else a
                elif key == "sigmoid-wrong":
                    a = sigma[next(iter(layers))](z)
                else:
                    a = nn.sigmoid(z)
    return [a]


def _output(out, case):
    """The learner's output as a float64 array of shape (n, classes), or _Found saying what is wrong with it."""
    if out is None:
        raise _Found("returned-none")
    L = len(case.weights)
    layers = isinstance(out, (list, tuple)) and len(out) in (L, L + 1) and all(isinstance(a, np.ndarray) for a in out)
    if layers and len({a.shape for a in out}) > 1:  # arrays of several shapes: every layer's activations
        it = learner_code.describe(out)
        raise _Found("wrong-type", f"it returned {it}, one per layer; return the output layer's alone, the last.")
    try:
        out = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        it = learner_code.describe(out)
        raise _Found("wrong-type", f"it returned {it}; return one array, the output layer's.") from None
    n, k = case.n, case.sizes[-1]
    if out.shape != (n, k):
        raise _Found(
            "wrong-shape", f"yours is {out.shape}; expected {(n, k)}, on {case}.", _shape_hint(out.shape, case)
        )
    return out


def _shape_hint(shape, case):
    """Where to look, from which dimension of the output is wrong."""
    n, k, sizes = case.n, case.sizes[-1], case.sizes
    if shape == (k, n):
        return "one example per column: the maths' W @ a works on columns; with rows, a @ W.T + b keeps one example per row, or return A.T."
    if len(shape) == 2 and shape[0] == n:  # the rows are right: the columns are another layer's
        if shape[1] == sizes[0]:
            return f"{shape[1]} columns, the size of the input: no layer was applied. Does the function return x, or a before the loop?"
        if shape[1] in sizes[1:-1]:
            return f"{shape[1]} columns, the size of hidden layer {sizes.index(shape[1])}: the loop stops one layer early (its range, or a return inside it)."
        return f"{shape[1]} columns; the output layer has {k} neurons, one column each."
    if len(shape) == 2 and shape[1] == k:  # the columns are right: the rows are not one per example
        return f"{shape[0]} rows for a batch of {n}: one row per example. A mean or a sum over the batch (axis=0), or only some of the examples, changes the rows."
    if shape == (n,):
        return "one number per example: an argmax (the predicted letter) or a sum over the output neurons. The check wants every output neuron's activation."
    if shape == (k,):
        return "one row for the whole batch: a mean or a sum over the examples (axis=0), or a[0]. The output keeps one row per example."
    if len(shape) == 0:
        return (
            "a single number: a mean or a sum over everything (a cost?). The output keeps every example's activations."
        )
    if len(shape) == 3 and 1 in shape:
        return "an axis of size 1 too many: column vectors stacked, one per example. np.array(outputs).reshape(n, -1) makes rows of them."
    return "a @ W.T + b keeps one example per row, and the output layer has one column per neuron."


# -- check_backprop ---------------------------------------------------------------------------------------------

_BACKPROP_SIGNATURES = {
    "missing-sigma-prime-output": ("output", 1),
    "missing-sigma-prime-hidden": ("hidden", 1),
    "missing-sigma-prime-everywhere": ("every", 1),
    "sigma-prime-of-activation": ("all", 1),
    "z-instead-of-activation": ("after-first", 0),
    "not-averaged": (None, 0),
    "sign-flipped": (None, 0),
    "bias-gradient-averaged-twice": (None, 0),
    "weight-gradient-averaged-twice": (None, 0),
    "weight-gradient-not-averaged": (None, 0),
    "bias-gradient-not-averaged": (None, 0),
    "forward-pass-wrong": (("missing-bias", "bias-subtracted"), 0),
}
_SHAPE_ORDER = ["weight-gradient-transposed", "wrong-activation", "bias-gradient-not-summed", "gradient-wrong-shape"]


def check_backprop(fn):
    """Check ``fn(net, x, y)``, backpropagation for the cost C = (1/n) Σₓ ½‖a − y‖² (y one-hot).

    It returns (grad_weights, grad_biases), shaped like net.weights and net.biases:
    δᴸ = (aᴸ − y)/n ⊙ σ′(zᴸ), δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ), ∂C/∂Wˡ⁺¹ = Σₓ δˡ⁺¹(aˡ)ᵀ, ∂C/∂bˡ⁺¹ = Σₓ δˡ⁺¹.
    Prints the verdict and returns a CheckResult.
    """
    success = f"your backprop matches nn_helpers' and the numerical gradients on {_networks()}."
    return _check("check_backprop", fn, _diagnose_backprop, success)


def _diagnose_backprop(fn, notes):
    cases, answers = _cases(), []
    for case in cases:
        net, x, y = case.net(), case.x.copy(), case.y.copy()
        grads = _call(fn, case, "check_backprop", net, x, y)
        _unchanged(net, case)
        _inputs_unchanged(case, {"x": (x, case.x), "y": (y, case.y)})
        answers.append(_gradients(grads, case))
    found = [f for case, (gw, gb) in zip(cases, answers) for f in _shape_findings(case, gw, gb)]
    if found:  # the shapes first: a transposed gradient would fail every comparison of values
        raise _Found(*min(found, key=lambda f: _SHAPE_ORDER.index(f[0])))
    answers = [gw + gb for gw, gb in answers]
    expected = [_backprop_with(case, None, set()) for case in cases]
    found = _which_mistake(cases, answers, expected, _backprop_with, _BACKPROP_SIGNATURES, _gradient_names)
    if found and found.key == "unrecognised":
        found = _unfilled(cases, answers, expected) or _constant_factor(cases, answers, expected) or found
    if found:
        raise found
    for case, answer in zip(cases, answers):  # right on every network: confirm with the numerical gradients
        numerical = _joined(nn.numerical_gradients(case.net(np.float64), case.x, case.y))
        if not _matches(answer, numerical, max(case.tol, 1e-6)):
            raise _Found("unrecognised", f"on {case}, yours matches nn_helpers' backprop but not numerical gradients.")


def _joined(grads):
    """(grad_weights, grad_biases) as one list: grad_weights + grad_biases."""
    return list(grads[0]) + list(grads[1])


def _gradient_names(case):
    return [f"grad_{p}[{l}]" for p in ("weights", "biases") for l in range(len(case.weights))]


def _gradients(grads, case):
    """The learner's (grad_weights, grad_biases) as two lists of float64 arrays, or _Found if they are not that."""
    if grads is None:
        raise _Found("returned-none")
    if not isinstance(grads, (tuple, list)) or len(grads) != 2:
        it = learner_code.describe(grads)
        raise _Found("wrong-type", f"return the pair grad_weights, grad_biases; yours is {it}.")
    L, grads = len(case.weights), [_listed(g) for g in grads]
    for name, given in zip(("grad_weights", "grad_biases"), grads):
        if isinstance(given, (list, tuple)) and any(g is None for g in given):
            nones = [f"{name}[{l}]" for l, g in enumerate(given) if g is None]
            raise _Found(
                "gradients-not-filled",
                f"{' and '.join(nones)} {'is' if len(nones) == 1 else 'are'} None, on {case}: never filled.",
            )
        if isinstance(given, (list, tuple)) and 0 < len(given) < L and all(isinstance(g, np.ndarray) for g in given):
            arrays = "array" if len(given) == 1 else "arrays"
            said = f"{name} holds {len(given)} {arrays} for {L} layers of weights, on {case}."
            raise _Found("gradients-not-filled", said)
    gw, gb = _arrays(grads[0], "grad_weights", L), _arrays(grads[1], "grad_biases", L)
    shapes = [[a.shape for a in arrays] for arrays in (gw, gb, case.weights, case.biases)]
    if shapes[0] == shapes[3] and shapes[1] == shapes[2]:
        raise _Found("swapped-pair")
    for got, right in [(shapes[0], shapes[2]), (shapes[1], shapes[3])]:
        if got != right and got[::-1] == right:
            raise _Found("reversed-order", f"on {case}, the shapes are {got}; expected {right}.")
    return gw, gb


def _listed(given):
    """A generator or map of arrays as a list: a lenient check reads any sequence of arrays."""
    if isinstance(given, (list, tuple, np.ndarray, str, bytes, dict)) or not hasattr(given, "__iter__"):
        return given
    return list(given)


def _shape_findings(case, grad_weights, grad_biases):
    """(key, what was found) for every gradient of the wrong shape, with the mistake its shape shows."""
    found = []
    for l, (g, W) in enumerate(zip(grad_weights, case.weights)):
        said = f"on {case}, grad_weights[{l}] has shape {g.shape}"
        if g.shape == W.T.shape:
            found.append(("weight-gradient-transposed", f"{said}, the shape of weights[{l}].T."))
        elif g.ndim == 2 and g.shape[0] == W.shape[0] and g.shape[1] in case.sizes and g.shape != W.shape:
            k = case.sizes.index(g.shape[1])
            found.append(("wrong-activation", f"{said}, that of δ times layer {k}'s activations, not layer {l}'s."))
        elif g.shape != W.shape:
            found.append(("gradient-wrong-shape", f"{said}; expected {W.shape}, the shape of net.weights[{l}]."))
    for l, (g, b) in enumerate(zip(grad_biases, case.biases)):
        said = f"on {case}, grad_biases[{l}] has shape {g.shape}"
        if case.n > 1 and g.shape == (case.n, b.size):
            found.append(("bias-gradient-not-summed", f"{said}: one row per example; net.biases[{l}] has {b.shape}."))
        elif g.shape != b.shape:
            hint = {(b.size, 1): ": a column; flatten it with .ravel()", (1, b.size): ": drop the axis of size 1"}
            hint[()] = ": one number; .sum(axis=0) adds up the examples alone, .sum() everything"
            hint[(case.n,)] = ": one number per example; .sum(axis=0) adds up the examples, axis=1 the neurons"
            found.append(("gradient-wrong-shape", f"{said}; expected {b.shape}{hint.get(g.shape, '')}."))
    return found


def _backprop_with(case, key, layers):
    """nn_helpers' backprop in float64, grad_weights + grad_biases, with the mistake ``key`` made in ``layers``.

    ``layers`` holds the l of weights[l]: a σ′ mistake is made for the layer weights[l] feeds,
    z-instead-of-activation in grad_weights[l]. The other mistakes are made everywhere.
    """
    zs, activations = case.forward(next(iter(layers)) if key == "forward-pass-wrong" else None)
    weights, L, n = case.net(np.float64).weights, len(case.weights), case.n
    no_sigma_prime = ("missing-sigma-prime-output", "missing-sigma-prime-hidden", "missing-sigma-prime-everywhere")

    def sigma_prime(l):  # σ′(z) of the layer that weights[l] feeds, or what the mistake puts there
        a = activations[l + 1]
        if l in layers and key in no_sigma_prime:
            return 1.0
        return nn.sigmoid_prime(a) if l in layers and key == "sigma-prime-of-activation" else a * (1 - a)

    error = case.y - activations[-1] if key == "sign-flipped" else activations[-1] - case.y
    delta = error / (1 if key == "not-averaged" else n) * sigma_prime(L - 1)
    w_factor = {"weight-gradient-averaged-twice": 1 / n, "weight-gradient-not-averaged": n}.get(key, 1)
    b_factor = {"bias-gradient-averaged-twice": 1 / n, "bias-gradient-not-averaged": n}.get(key, 1)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        a = zs[l - 1] if key == "z-instead-of-activation" and l in layers else activations[l]
        grad_weights[l] = delta.T @ a * w_factor
        grad_biases[l] = delta.sum(axis=0) * b_factor
        if l > 0:
            delta = (delta @ weights[l]) * sigma_prime(l - 1)
    return grad_weights + grad_biases


def _unfilled(cases, answers, expected):
    """gradients-not-filled if, on every network where yours is wrong, each array is right or all zeros."""
    zeros = []
    for case, answer, right in zip(cases, answers, expected):
        if _matches(answer, right, case.tol):
            continue
        empty = [not a.any() for a in answer]
        if not any(empty) or not all(e or _matches([a], [r], case.tol) for e, a, r in zip(empty, answer, right)):
            return None
        zeros.append((case, [name for name, e in zip(_gradient_names(case), empty) if e]))
    case, names = zeros[0]
    are = "is" if len(names) == 1 else "are"
    return _Found("gradients-not-filled", f"on {case}, {' and '.join(names)} {are} all zeros: never filled.")


_FACTORS = [
    (lambda case: 1 / case.n, "1/n: divided by n once too often; δ already holds the 1/n"),
    (
        lambda case: 1 / case.sizes[-1],
        "1/classes: divided by y.size = n × classes (or by the number of output neurons); the mean is over the n = len(x) examples alone",
    ),
    (
        lambda case: 1 / (case.n * case.sizes[-1]),
        "1/(n × classes): divided by n, and by y.size = n × classes as well",
    ),
    (lambda case: 2.0, "2: C has ½ in front, which cancels the 2 of the square's derivative: ∇ₐC = (a − y)/n"),
    (lambda case: 0.5, "½: ∇ₐC = (a − y)/n, without another ½"),
    (lambda case: -case.n, "−n: not divided by n, and (y − a) instead of (a − y)"),
    (lambda case: -1 / case.n, "−1/n: divided by n twice, and (y − a) instead of (a − y)"),
]
"""The constant factors a learner's gradients are often off by, as a function of the network, and what each means."""


def _constant_factor(cases, answers, expected):
    """constant-factor if, on every network, every gradient is the right one times one number c (c = 1 where right)."""
    factors = []
    for case, answer, right in zip(cases, answers, expected):
        a, r = np.concatenate([g.ravel() for g in answer]), np.concatenate([g.ravel() for g in right])
        c = float(np.vdot(a, r) / np.vdot(r, r))
        if c == 0 or not _matches([a], [c * r], case.tol):
            return None
        factors.append(c)
    wrong = [(case, c) for case, c in zip(cases, factors) if abs(c - 1) > case.tol]
    if not wrong:
        return None
    said = ", ".join(f"{c:.3g} on {case}" for case, c in wrong)
    count = f"all {len(cases)}" if len(wrong) == len(cases) else f"{len(wrong)} of {len(cases)}"
    for value, means in _FACTORS:
        if all(abs(c - value(case)) <= case.tol * max(1, abs(c)) for case, c in zip(cases, factors)):
            return _Found(
                "constant-factor",
                f"on {count} networks, every gradient is c × the right one: {said}. That is c = {means}.",
            )
    return _Found("constant-factor", f"on {count} networks, every gradient is c × the right one: {said}.")


# -- check_step -------------------------------------------------------------------------------------------------


def check_step(fn):
    """Check ``fn(net, grad_weights, grad_biases, learning_rate)``: W ← W − η ∂C/∂W and b ← b − η ∂C/∂b.

    The step may change the arrays in place or put new ones in net.weights and net.biases; the check reads
    them afterwards, and then trains the network one more step to see that it still works. Prints the verdict
    and returns a CheckResult.
    """
    rates = " and ".join(str(rate) for rate in STEP_RATES)
    success = f"your step moves every weight and bias by −η × its gradient on {_networks()}, with η = {rates}."
    return _check("check_step", fn, _diagnose_step, success)


def _diagnose_step(fn, notes):
    found = []  # (mistake, what was found, how each array moved) for each network where the step is wrong
    for i, case in enumerate(_cases()):
        rate, before, L = STEP_RATES[i % len(STEP_RATES)], case.weights + case.biases, len(case.weights)
        rng = np.random.default_rng(len(CASES) + i)  # not the case's seed: its weights came from that one
        grads = [rng.standard_normal(p.shape).astype(case.dtype) for p in before]
        net, given = case.net(), [g.copy() for g in grads]
        returned = _call(fn, case, "check_step", net, given[:L], given[L:], rate)
        names = [f"net.{p}[{l}]" for p in ("weights", "biases") for l in range(L)]
        after = _stepped_arrays(net, case, names, notes)
        if not all(_same(g, h) for g, h in zip(given, grads)):
            notes.append(
                "your step changed the gradients it was given (g *= …); harmless here, as nothing reads them after the step."
            )
        _still_works(net, case)
        multiples = [(name, _multiple_of(a, g, case.tol)) for name, a, g in zip(names, after, grads)]
        dropped = [f"{name} is now {_times(c)}" for name, c in multiples if c is not None]
        if dropped:
            raise _Found("old-weights-dropped", f"on {case}, with η = {rate}: {', '.join(dropped)}.")
        factors = [_step_factor(p - a, g.astype(np.float64), rate, case.tol) for p, a, g in zip(before, after, grads)]
        mistake = _step_mistake(factors, rate, L, case.tol)
        moved = [_moved(n, k) for n, k in zip(names, factors) if not _near([k], rate, rate, case.tol)]
        moved = f"on {case}, with η = {rate}: {', '.join(moved)}."
        detail = (
            moved
            if mistake in ("some-layers-not-updated", "moved-twice", "unrecognised")
            else f"on {case}, with η = {rate}."
        )
        if mistake == "wrong-learning-rate":
            detail = f"on {case}, with η = {rate}: every array moved by {factors[0]:.3g} × its gradient{_rate_is(factors[0], rate, L, fn)}."
        if mistake == "not-in-place" and returned is not None:
            detail = f"your function returned {learner_code.describe(returned)}, but the check reads net.weights and net.biases."
        if mistake:
            found.append((mistake, detail, moved))
    if found:  # the same mistake on every network where the step is wrong, or unrecognised
        mistake, detail, moved = found[0]
        if len({f[0] for f in found}) > 1:
            raise _Found("unrecognised", moved)
        raise _Found(mistake, detail)


def _stepped_arrays(net, case, names, notes):
    """net.weights + net.biases after the step, as float64 arrays; _Found if they are not numpy arrays of the
    network's shapes and kind of numbers. float64 arrays in a float32 network work, and get a note."""
    L, before = len(case.weights), case.weights + case.biases
    stored = list(_arrays_listed(net, "weights", L)) + list(_arrays_listed(net, "biases", L))
    for name, a, p in zip(names, stored, before):
        if not isinstance(a, np.ndarray):
            hint = ": .tolist() makes Python lists; keep the array" if isinstance(a, list) else ""
            raise _Found(
                "step-not-arrays", f"{name} is {learner_code.describe(a)}, not a numpy array{hint} (on {case})."
            )
        if a.shape != p.shape:
            hint = " (a column (s, 1) and a row (s,) add up to (s, s))" if a.shape == (p.size, p.size) else ""
            raise _Found("step-wrong-shape", f"{name} now has shape {a.shape}; before the step {p.shape}{hint}.")
        if not np.issubdtype(a.dtype, np.floating) or a.dtype.itemsize < p.dtype.itemsize:
            raise _Found(
                "step-wrong-dtype", f"{name} now holds {a.dtype}; the network's arrays are {p.dtype} (on {case})."
            )
        if a.dtype != p.dtype:
            notes.append(
                f"your step stores {a.dtype} arrays in a {p.dtype} network. It works, but computes in {a.dtype} from then on, more slowly: W -= … keeps the network's dtype."
            )
    return [a.astype(np.float64) for a in stored]


def _arrays_listed(net, attribute, count):
    stored = getattr(net, attribute, None)
    if not isinstance(stored, (list, tuple, np.ndarray)) or len(stored) != count:
        it = learner_code.describe(stored)
        raise _Found("wrong-type", f"net.{attribute} should be a list of {count} arrays, one per layer; it is {it}.")
    return stored


def _still_works(net, case):
    """step-not-arrays if the network cannot take a forward pass and a step of training after the learner's step."""
    try:
        twin = copy.deepcopy(net)
    except Exception:  # something the check cannot copy: the arrays have been checked already
        return
    try:
        nn.Network.feedforward(twin, case.x)
        nn.Network.update_mini_batch(twin, case.x, case.y, 0.1)
    except Exception as err:
        held = f"net.weights is {learner_code.describe(net.weights)} and net.biases {learner_code.describe(net.biases)}"
        said = f"{held}; the network then stops with {type(err).__name__}: {err} when it trains (on {case})."
        raise _Found("step-not-arrays", said) from None


def _moved(name, k):
    """How an array moved, in words, from its factor k (see _step_factor)."""
    if k is None:
        return f"{name} moved, but not along its gradient"
    return f"{name} did not move" if k == 0 else f"{name} moved by {k:.3g} × its gradient"


def _times(c):
    return "all zeros" if c == 0 else "its gradient" if c == 1 else f"{c:.3g} × its gradient"


def _multiple_of(after, grad, tol):
    """c if the array after the step is c × its gradient alone (the old values dropped), else None."""
    if not after.any():
        return 0.0
    c = float(np.vdot(after, grad) / np.vdot(grad, grad))
    return c if np.linalg.norm(after - c * grad) <= tol * np.linalg.norm(after) else None


def _step_factor(move, grad, rate, tol):
    """k when an array moved by −k × its gradient: 0 if it did not move, None if the move is not such a multiple."""
    if np.linalg.norm(move) <= tol * np.linalg.norm(rate * grad):
        return 0.0
    k = float(np.vdot(move, grad) / np.vdot(grad, grad))
    return k if np.linalg.norm(move - k * grad) <= tol * np.linalg.norm(move) else None


def _near(ks, target, rate, tol):
    return all(k is not None and abs(k - target) <= tol * max(abs(target), rate) for k in ks)


def _step_mistake(factors, rate, L, tol):
    """The step's mistake on one network from each array's factor k (W ← W − k ∂C/∂W); None if every k is η."""
    w, b = factors[:L], factors[L:]
    if _near(factors, rate, rate, tol):
        return None
    targets = {"not-in-place": (0, 0), "ascends": (-rate, -rate), "rate-ignored": (1, 1)}
    for mistake, (k_w, k_b) in {**targets, "biases-not-updated": (rate, 0), "weights-not-updated": (0, rate)}.items():
        if _near(w, k_w, rate, tol) and _near(b, k_b, rate, tol):
            return mistake
    if all(_near(layer, rate, rate, tol) or _near(layer, 0, rate, tol) for layer in zip(w, b)):
        return "some-layers-not-updated"
    if all(_near([k], rate, rate, tol) or _near([k], 2 * rate, rate, tol) for k in factors):
        return "moved-twice"
    return "wrong-learning-rate" if _near(factors, factors[0] or 0, rate, tol) else "unrecognised"


def _rate_is(k, rate, L, fn):
    """What a wrong factor k is, when it is something recognisable: η², η / L, or a number of the notebook."""
    if abs(k - rate**2) <= 1e-6:
        return ": η², η times η"
    if abs(k - rate / L) <= 1e-6:
        return f": η / {L}, η shared among the {L} layers; every layer takes the whole η"
    for name, value in learner_code.globals_read(fn).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(k - value) <= 1e-6 * max(1, abs(k)):
            return f": `{name}` = {value:g}, a variable of the notebook, not the argument learning_rate"
    return ""
