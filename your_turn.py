"""The checks of the notebook's "your turn" cells: they run the learner's code and name the mistake.

Each check runs the learner's function on small networks (one and two hidden layers, float32 and float64,
batches of 1 and 6, non-zero biases) and compares its result with nn_helpers'. When they differ, it computes
each common mistake's signature (nn_helpers' version with that mistake made on purpose) and names the one
mistake whose signature the result has on every network; a result with none is "unrecognised", with where it
differs. ``MISTAKES`` holds what is printed for each mistake. A function that still raises
``NotImplementedError`` is "not-written": the check says so and the lesson goes on with nn_helpers' version.
"""

import itertools
import traceback

import numpy as np

import nn_helpers as nn

MISTAKES = {
    # Any check. The first line says what is wrong, the second where to look.
    "not-written": "Not written yet: the function still raises NotImplementedError.\nWhere to look: replace `raise NotImplementedError` with your code.",
    "not-a-function": "The check takes your function itself, not its result: check_forward(my_forward), no parentheses after my_forward.\nWhere to look: the check cell.",
    "raised": "Your function stopped with an error instead of returning.\nWhere to look: the line named above. A shape mismatch in @ often means a matrix needs transposing: a batch holds one example per row.",
    "returned-none": "Your function returned None: its `return` line is missing.\nWhere to look: the end of the function.",
    "wrong-type": "Your function gave something of another kind than the check expects.\nWhere to look: the return line, or what you put in net.weights and net.biases.",
    "changed-the-network": "Your function changed net.weights or net.biases; it should only read them.\nWhere to look: an in-place operation (-=, +=, *=) on a weight or a bias.",
    # check_forward
    "missing-sigmoid": "aˡ = σ(zˡ) on every layer: on some layer your activations are z itself, without σ.\nWhere to look: after z = a @ W.T + b, a = nn.sigmoid(z), for every layer including the last.",
    "missing-bias": "zˡ = Wˡaˡ⁻¹ + bˡ, for a batch z = a @ W.T + b: the bias b is left out.\nWhere to look: the line that computes z.",
    "wrong-shape": "The output has shape (n, classes), one example per row, as nn.Network.feedforward's.\nWhere to look: the products: a @ W.T + b keeps one example per row; W @ a works on columns.",
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
    # check_step
    "ascends": "W ← W − η ∂C/∂W: your step adds the gradient (W + η∇), so the cost goes up.\nWhere to look: the sign in the update.",
    "rate-ignored": "W ← W − η ∂C/∂W: your step is the whole gradient, without the learning rate η.\nWhere to look: multiply the gradient by learning_rate.",
    "wrong-learning-rate": "W ← W − η ∂C/∂W: your step is the gradient times another number than η.\nWhere to look: the factor in front of the gradient: exactly learning_rate.",
    "biases-not-updated": "b ← b − η ∂C/∂b: only the weights move; the biases stay as they were.\nWhere to look: update net.biases too.",
    "weights-not-updated": "W ← W − η ∂C/∂W: only the biases move; the weights stay as they were.\nWhere to look: update net.weights too.",
    "some-layers-not-updated": "Every layer takes a step; in yours some layers stay as they were.\nWhere to look: the loop over the layers: its range, or a return inside it.",
    "not-in-place": "The network is unchanged after your step. W = W - … in a loop, for one, makes a new array and leaves net.weights as it was.\nWhere to look: change the arrays in place (W -= …) or store the result: net.weights[l] = ….",
    "step-wrong-shape": "A step keeps every array's shape; after yours, one has another shape.\nWhere to look: the update of the array named above.",
}

_UNRECOGNISED = {
    "check_forward": "each layer's z = a @ W.T + b and a = nn.sigmoid(z).",
    "check_backprop": "the array that differs nearest the output (highest l): a wrong δ spreads to the layers before it.",
    "check_step": "the update of the arrays named above: W ← W − η ∂C/∂W and b ← b − η ∂C/∂b.",
}

TOLERANCES = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-6}
"""The largest relative error ‖yours − expected‖ / ‖expected‖ accepted as right, by the network's dtype."""

CASES = [
    ([5, 3, 4], np.float64, 1),
    ([5, 3, 4], np.float32, 6),
    ([7, 5, 4, 3], np.float64, 6),
    ([7, 5, 4, 3], np.float32, 1),
]
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
    """Raised inside a check when it has its verdict: a key of MISTAKES (or "unrecognised") and what was found."""

    def __init__(self, key, detail=""):
        self.key, self.detail = key, detail


class _Case:
    """One small network with a batch (x, one-hot y): random weights and non-zero biases, the same at every run."""

    def __init__(self, sizes, dtype, n, seed):
        rng = np.random.default_rng(seed)
        net = nn.Network(sizes, seed=seed, dtype=dtype)
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

    def forward(self, key=None, layers=()):
        """The float64 zs [z¹ … zᴸ] and activations [a⁰ = x … aᴸ] of z = a Wᵀ + b, a = σ(z), or with the mistake
        ``key`` (missing-bias or missing-sigmoid) made in ``layers``, the l of weights[l]."""
        zs, activations = [], [self.x.astype(np.float64)]
        for l, (W, b) in enumerate(zip(self.net(np.float64).weights, self.biases)):
            zs.append(activations[-1] @ W.T + (0 if key == "missing-bias" and l in layers else b))
            activations.append(zs[-1] if key == "missing-sigmoid" and l in layers else nn.sigmoid(zs[-1]))
        return zs, activations


def _cases():
    return [_Case(sizes, dtype, n, seed) for seed, (sizes, dtype, n) in enumerate(CASES)]


def _networks():
    sizes, batches = (" and ".join(dict.fromkeys(str(c[i]) for c in CASES)) for i in (0, 2))
    return f"{len(CASES)} networks ({sizes}; float32 and float64; batches of {batches})"


# -- running the learner's function and printing the verdict ------------------------------------------


def _check(check, fn, diagnose, success):
    """Run ``diagnose(fn)``, print the verdict and return it as a CheckResult. Never raises."""
    try:
        if not callable(fn):
            raise _Found("not-a-function", f"it was given {_describe(fn)}.")
        diagnose(fn)
    except _Found as found:
        return _report(check, fn, found.key, found.detail)
    except Exception as err:  # something the check did not foresee in what the function returned
        return _report(check, fn, "unrecognised", f"the check could not read it: {type(err).__name__}: {err}.")
    print(f"{check}: ✓ {success}")
    return CheckResult(check, True, None, f"{check}: ✓ {success}")


def _report(check, fn, key, detail):
    """Print the verdict: what is wrong (the equation), what was found, where to look. Return it as a CheckResult."""
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
        lines = [f"{check}: ✗ {head}", what] + ([f"Found: {detail}"] if detail else []) + [f"Where to look: {where}"]
    print("\n  ".join(lines))
    return CheckResult(check, False, key, "\n  ".join(lines))


def _call(fn, case, *args):
    """``fn(*args)``; an exception becomes _Found("not-written") or _Found("raised"), naming it and the line."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise _Found("not-written") from None
    except Exception as err:
        raise _Found("raised", f"{type(err).__name__}: {err}{_line(err, fn)} (on {case}).") from None


def _line(err, fn):
    """', in my_backprop, line 7: delta = …', the last line of the learner's code that the error went through."""
    code = getattr(fn, "__code__", None)
    frames = [f for f in traceback.extract_tb(err.__traceback__) if code and f.filename == code.co_filename]
    return f", in {frames[-1].name}, line {frames[-1].lineno}: {frames[-1].line}" if frames else ""


def _describe(obj):
    if isinstance(obj, np.ndarray):
        return f"an array of shape {obj.shape}"
    if isinstance(obj, (list, tuple)):
        return f"a {type(obj).__name__} of {len(obj)} items"
    name = type(obj).__name__
    return "None" if obj is None else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _arrays(obj, name, count):
    """``obj`` as a list of ``count`` float64 arrays, one per layer; _Found("wrong-type") if it is not that."""
    if not isinstance(obj, (list, tuple, np.ndarray)) or len(obj) != count:
        raise _Found("wrong-type", f"{name} should be a list of {count} arrays, one per layer; it is {_describe(obj)}.")
    try:
        return [np.asarray(a, dtype=np.float64) for a in obj]
    except (TypeError, ValueError):
        raise _Found("wrong-type", f"{name} holds something that is not an array of numbers.") from None


def _unchanged(net, case):
    """_Found("changed-the-network") if the learner's function changed the network it was given."""
    now, before = list(net.weights) + list(net.biases), case.weights + case.biases
    if len(now) != len(before) or not all(np.array_equal(p, q) for p, q in zip(now, before)):
        raise _Found("changed-the-network", f"on {case}.")


def _rel_error(a, expected):
    return float(np.linalg.norm(a - expected) / max(np.linalg.norm(expected), 1e-12))


def _matches(answer, expected, tol):
    """Whether two lists of arrays have the same shapes and agree within the relative error ``tol``."""
    return all(a.shape == e.shape and _rel_error(a, e) <= tol for a, e in zip(answer, expected))


# -- telling mistakes apart by their signatures ---------------------------------------------------------


def _layer_sets(where, L):
    """The non-empty sets of layers (the l of weights[l]) where a mistake can be made; where=None: everywhere."""
    layers = {"all": range(L), "hidden": range(L - 1), "output": [L - 1], "after-first": range(1, L)}.get(where)
    if layers is None:
        return [set(range(L))]
    return [set(c) for r in range(1, len(layers) + 1) for c in itertools.combinations(layers, r)]


def _which_mistake(cases, answers, expected, variant, signatures, names):
    """Return if every answer is right; else raise _Found for the one mistake whose signature every wrong answer has.

    ``signatures`` maps a key to (where, offset): the layers it can be made in (see _layer_sets), and the layer
    number less l. A mistake is named only if each wrong answer is what ``variant(case, key, layers)`` gives for
    some set of layers. A mistake made everywhere (where=None) must also show on every network where it can:
    not-averaged cannot show with n = 1. One made in some layers may be absent from some networks.
    """
    wrong = [not _matches(a, e, case.tol) for case, a, e in zip(cases, answers, expected)]
    if not any(wrong):
        return
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
        place = f", in layer{s} {', '.join(str(l + offset) for l in sorted(layers))} (the input is layer 0)"
        count = f"all {len(cases)}" if len(seen) == len(cases) else f"{len(seen)} of {len(cases)}"
        others = " (the others came out right)" if where else " (it cannot show on the others)"
        others = "" if len(seen) == len(cases) else others
        raise _Found(key, f"on {count} networks{others}, e.g. {case}{place if where else ''}.")
    case, answer, right = next((c, a, e) for c, a, e, w in zip(cases, answers, expected, wrong) if w)
    differ = [f"{n} (relative error {_rel_error(a, e):.2g})" for n, a, e in zip(names(case), answer, right)]
    differ = [d for d, a, e in zip(differ, answer, right) if not _matches([a], [e], case.tol)]
    raise _Found("unrecognised", f"on {case}, these differ from nn_helpers': {', '.join(differ)}.")


# -- check_forward ----------------------------------------------------------------------------------------------

_FORWARD_SIGNATURES = {"missing-sigmoid": ("all", 1), "missing-bias": ("all", 1)}


def check_forward(fn):
    """Check ``fn(net, x)``, the forward pass: aˡ = σ(Wˡaˡ⁻¹ + bˡ), for a batch of rows a = σ(a @ W.T + b).

    It returns the output activations aᴸ, shape (n, classes). Prints the verdict and returns a CheckResult.
    """
    success = f"your forward pass matches nn_helpers' feedforward on {_networks()}."
    return _check("check_forward", fn, _diagnose_forward, success)


def _diagnose_forward(fn):
    cases, answers = _cases(), []
    for case in cases:
        net = case.net()
        out = _call(fn, case, net, case.x.copy())
        _unchanged(net, case)
        answers.append([_output(out, case)])
    expected = [[case.net(np.float64).feedforward(case.x)] for case in cases]
    _which_mistake(cases, answers, expected, _forward_with, _FORWARD_SIGNATURES, lambda case: ["the output"])


def _forward_with(case, key, layers):
    """The float64 output, as a list of one array, with the mistake ``key`` made in ``layers``."""
    return [case.forward(key, layers)[1][-1]]


def _output(out, case):
    """The learner's output as a float64 array of shape (n, classes), or _Found saying what is wrong with it."""
    if out is None:
        raise _Found("returned-none")
    try:
        out = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Found("wrong-type", f"it returned {_describe(out)}; return one array, the output layer's.") from None
    expected = (case.n, case.sizes[-1])
    if out.shape == expected[::-1]:
        raise _Found("wrong-shape", f"yours is {out.shape}, one example per column; expected {expected}, on {case}.")
    if out.ndim == 2 and out.shape[0] == case.n and out.shape[1] in case.sizes[1:-1]:
        layer = case.sizes.index(out.shape[1])
        raise _Found("wrong-shape", f"yours is {out.shape}, the size of layer {layer}: does the loop return too early?")
    if out.shape != expected:
        raise _Found("wrong-shape", f"yours is {out.shape}; expected {expected}, on {case}.")
    return out


# -- check_backprop ---------------------------------------------------------------------------------------------

_BACKPROP_SIGNATURES = {
    "missing-sigma-prime-output": ("output", 1),
    "missing-sigma-prime-hidden": ("hidden", 1),
    "sigma-prime-of-activation": ("all", 1),
    "z-instead-of-activation": ("after-first", 0),
    "not-averaged": (None, 0),
    "sign-flipped": (None, 0),
    "bias-gradient-averaged-twice": (None, 0),
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


def _diagnose_backprop(fn):
    cases, answers = _cases(), []
    for case in cases:
        net = case.net()
        grads = _call(fn, case, net, case.x.copy(), case.y.copy())
        _unchanged(net, case)
        answers.append(_gradients(grads, case))
    found = [f for case, (gw, gb) in zip(cases, answers) for f in _shape_findings(case, gw, gb)]
    if found:  # the shapes first: a transposed gradient would fail every comparison of values
        raise _Found(*min(found, key=lambda f: _SHAPE_ORDER.index(f[0])))
    answers = [gw + gb for gw, gb in answers]
    expected = [_joined(case.net(np.float64).backprop(case.x, case.y)) for case in cases]
    _which_mistake(cases, answers, expected, _backprop_with, _BACKPROP_SIGNATURES, _gradient_names)
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
        raise _Found("wrong-type", f"return the pair grad_weights, grad_biases; yours is {_describe(grads)}.")
    L = len(case.weights)
    gw, gb = _arrays(grads[0], "grad_weights", L), _arrays(grads[1], "grad_biases", L)
    shapes = [[a.shape for a in arrays] for arrays in (gw, gb, case.weights, case.biases)]
    if shapes[0] == shapes[3] and shapes[1] == shapes[2]:
        raise _Found("swapped-pair")
    for got, right in [(shapes[0], shapes[2]), (shapes[1], shapes[3])]:
        if got != right and got[::-1] == right:
            raise _Found("reversed-order", f"on {case}, the shapes are {got}; expected {right}.")
    return gw, gb


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
            found.append(("gradient-wrong-shape", f"{said}; expected {b.shape}{hint.get(g.shape, '')}."))
    return found


def _backprop_with(case, key, layers):
    """nn_helpers' backprop in float64, grad_weights + grad_biases, with the mistake ``key`` made in ``layers``.

    ``layers`` holds the l of weights[l]: a σ′ mistake is made for the layer weights[l] feeds,
    z-instead-of-activation in grad_weights[l]. The other mistakes are made everywhere.
    """
    zs, activations = case.forward()
    weights, L = case.net(np.float64).weights, len(case.weights)

    def sigma_prime(l):  # σ′(z) of the layer that weights[l] feeds, or what the mistake puts there
        a = activations[l + 1]
        if l in layers and key in ("missing-sigma-prime-output", "missing-sigma-prime-hidden"):
            return 1.0
        return nn.sigmoid_prime(a) if l in layers and key == "sigma-prime-of-activation" else a * (1 - a)

    error = case.y - activations[-1] if key == "sign-flipped" else activations[-1] - case.y
    delta = error / (1 if key == "not-averaged" else case.n) * sigma_prime(L - 1)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ (zs[l - 1] if key == "z-instead-of-activation" and l in layers else activations[l])
        grad_biases[l] = delta.mean(axis=0) if key == "bias-gradient-averaged-twice" else delta.sum(axis=0)
        if l > 0:
            delta = (delta @ weights[l]) * sigma_prime(l - 1)
    return grad_weights + grad_biases


# -- check_step -------------------------------------------------------------------------------------------------


def check_step(fn):
    """Check ``fn(net, grad_weights, grad_biases, learning_rate)``: W ← W − η ∂C/∂W and b ← b − η ∂C/∂b.

    The step may change the arrays in place or put new ones in net.weights and net.biases; the check reads
    them afterwards. Prints the verdict and returns a CheckResult.
    """
    rates = " and ".join(str(rate) for rate in STEP_RATES)
    success = f"your step moves every weight and bias by −η × its gradient on {_networks()}, with η = {rates}."
    return _check("check_step", fn, _diagnose_step, success)


def _diagnose_step(fn):
    found = []  # (mistake, what was found, how each array moved) for each network where the step is wrong
    for i, case in enumerate(_cases()):
        rate, before, L = STEP_RATES[i % len(STEP_RATES)], case.weights + case.biases, len(case.weights)
        rng = np.random.default_rng(i)
        grads = [rng.standard_normal(p.shape).astype(case.dtype) for p in before]
        net = case.net()
        returned = _call(fn, case, net, [g.copy() for g in grads[:L]], [g.copy() for g in grads[L:]], rate)
        after = _arrays(net.weights, "net.weights", L) + _arrays(net.biases, "net.biases", L)
        names = [f"net.{p}[{l}]" for p in ("weights", "biases") for l in range(L)]
        for name, a, p in zip(names, after, before):
            if a.shape != p.shape:
                hint = " (a column (s, 1) and a row (s,) add up to (s, s))" if a.shape == (p.size, p.size) else ""
                raise _Found("step-wrong-shape", f"{name} now has shape {a.shape}; before the step {p.shape}{hint}.")
        factors = [_step_factor(p - a, g.astype(np.float64), rate, case.tol) for p, a, g in zip(before, after, grads)]
        mistake = _step_mistake(factors, rate, L, case.tol)
        moved = [_moved(n, k) for n, k in zip(names, factors) if not _near([k], rate, rate, case.tol)]
        moved = f"on {case}, with η = {rate}: {', '.join(moved)}."
        detail = moved if mistake in ("some-layers-not-updated", "unrecognised") else f"on {case}, with η = {rate}."
        if mistake == "wrong-learning-rate":
            detail = f"on {case}, with η = {rate}: every array moved by {factors[0]:.3g} × its gradient."
        if mistake == "not-in-place" and returned is not None:
            detail = f"your function returned {_describe(returned)}, but the check reads net.weights and net.biases."
        if mistake:
            found.append((mistake, detail, moved))
    if found:  # the same mistake on every network where the step is wrong, or unrecognised
        mistake, detail, moved = found[0]
        if len({f[0] for f in found}) > 1:
            raise _Found("unrecognised", moved)
        raise _Found(mistake, detail)


def _moved(name, k):
    """How an array moved, in words, from its factor k (see _step_factor)."""
    if k is None:
        return f"{name} moved, but not along its gradient"
    return f"{name} did not move" if k == 0 else f"{name} moved by {k:.3g} × its gradient"


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
    return "wrong-learning-rate" if _near(factors, factors[0] or 0, rate, tol) else "unrecognised"
