"""Tests of nn_helpers.py and the notebook: one index mapping, ``weights[l]`` is Wˡ⁺¹ and ``activations[l]`` is aˡ.

With activations[0] = x = a⁰. It is stated once, in ``Network.backprop``'s docstring. Every equation in that
docstring, in ``_backward``'s comments and in the notebook's explanation of
backpropagation must follow it: with l the list index, weights and biases are
always layer l + 1, a gradient of them is δˡ⁺¹ times aˡ, and no equation may
fall back to the other mapping, ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ, with its layer l − 1.
"""

import inspect
import re

import nbformat
import pytest
from conftest import NOTEBOOK, ROOT

import nn_helpers as nn

MAPPING = ("``weights[l]`` is Wˡ⁺¹", "``biases[l]`` is bˡ⁺¹", "``activations[l]`` is aˡ", "``activations[0]`` = x = a⁰")
# A symbol with its layer as a superscript: (∂C/∂)W, b, a, z or δ, then ˡ, ˡ⁺¹, ˡ⁻¹ or ᴸ.
UNICODE = re.compile(r"(∂C/∂W|∂C/∂b|W|b|a|z|δ)(ˡ⁺¹|ˡ⁻¹|ˡ|ᴸ)")
LATEX = re.compile(r"(\\partial C/\\partial W|\\partial C/\\partial b|W|b|a|z|\\delta)\^(?:\{(l\+1|l-1|l|L)\}|(l|L))")
LAYER = {"ˡ⁺¹": "l+1", "ˡ⁻¹": "l-1", "ˡ": "l", "ᴸ": "L"}


def layers(text):
    """[(symbol, layer)] for each symbol with a layer in ``text``, as ("W", "l+1"), in Unicode or LaTeX."""
    found = [(s, LAYER[layer]) for s, layer in UNICODE.findall(text)]
    found += [
        (s.replace("\\partial C/\\partial ", "∂C/∂").replace("\\delta", "δ"), a or b) for s, a, b in LATEX.findall(text)
    ]
    return found


def problems(text):
    """What in ``text`` breaks the mapping, as readable strings; empty if nothing does."""
    found = layers(text)
    wrong = [f"{symbol} of layer l-1: the input of weights[l] is aˡ" for symbol, layer in found if layer == "l-1"]
    wrong += [
        f"{symbol} of layer {layer}: weights[l] and biases[l] are layer l+1"
        for symbol, layer in found
        if symbol in ("W", "b", "∂C/∂W", "∂C/∂b") and layer != "l+1"
    ]
    if any(symbol.startswith("∂C/∂") for symbol, _ in found):  # a gradient of weights[l]: δˡ⁺¹ times aˡ
        deltas = {layer for symbol, layer in found if symbol == "δ"}
        inputs = {layer for symbol, layer in found if symbol == "a"}
        if deltas != {"l+1"} or not inputs <= {"l"}:
            wrong.append(f"a gradient of layer l+1 with δ of layers {sorted(deltas)} and a of {sorted(inputs)}")
    return wrong


def test_the_mapping_is_stated_once_in_backprops_docstring():
    source = (ROOT / "nn_helpers.py").read_text(encoding="utf-8")
    doc = inspect.getdoc(nn.Network.backprop)
    for statement in MAPPING:
        assert source.count(statement) == 1, statement
        assert statement.replace("``", "") in doc.replace("``", "").replace("\n        ", " ").replace("\n", " "), (
            statement
        )


def equation_lines(text):
    return [line for line in text.splitlines() if layers(line)]


def test_backprops_equations_follow_the_mapping():
    lines = equation_lines(inspect.getdoc(nn.Network.backprop))
    assert len(lines) >= 4
    assert {line: problems(line) for line in lines if problems(line)} == {}


def test_backwards_comments_follow_the_mapping_and_match_their_code():
    code_lines = [line for line in inspect.getsource(nn.Network._backward).splitlines() if "#" in line]
    commented = {code.strip(): comment for code, comment in (line.split("#", 1) for line in code_lines)}
    assert {comment: problems(comment) for comment in commented.values() if problems(comment)} == {}
    for code, comment in commented.items():  # each list entry the code reads has its symbol in the comment
        if "grad_weights[l]" in code:
            assert "∂C/∂Wˡ⁺¹" in comment and "(aˡ)ᵀ" in comment, comment
        if "grad_biases[l]" in code:
            assert "∂C/∂bˡ⁺¹" in comment, comment
        if "self.weights[l]" in code:
            assert "Wˡ⁺¹" in comment and "σ'(zˡ)" in comment, comment
        if code.startswith("a = activations[l]"):
            assert "aˡ" in comment, comment
    assert sum(("grad_weights[l]" in c) + ("self.weights[l]" in c) for c in commented) == 2  # both were checked


def backprop_markdown():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return [
        c.source
        for c in cells
        if c.cell_type == "markdown" and ("\\delta^" in c.source or "activations[l]" in c.source)
    ]


def test_the_notebooks_backprop_explanation_follows_the_mapping():
    cells = backprop_markdown()
    assert any("`weights[l]` is $W^{l+1}$" in c and "`activations[l]` is $a^l$" in c for c in cells)
    lines = [line for cell in cells for line in cell.splitlines() if layers(line)]
    assert len(lines) >= 6
    assert {line[:80]: problems(line) for line in lines if problems(line)} == {}


@pytest.mark.parametrize(
    "wrong",
    [
        "grad_weights[l] = delta.T @ activations[l]  # ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ",
        "delta = (delta @ self.weights[l]) * (a * (1 - a))  # δˡ = ((Wˡ)ᵀδˡ⁺¹) ⊙ σ'(zˡ)",
        "grad_biases[l] = delta.sum(axis=0)  # ∂C/∂bˡ⁺¹ = δˡ",
        r"- `grad_weights[l] = delta.T @ activations[l]` is $\partial C/\partial W^l = \delta^l (a^{l-1})^T$",
    ],
)
def test_a_comment_with_the_other_mapping_is_caught(wrong):
    assert problems(wrong)


def test_the_right_comments_pass():
    assert problems("grad_weights[l] = delta.T @ activations[l]  # ∂C/∂Wˡ⁺¹ = δˡ⁺¹ (aˡ)ᵀ") == []
    assert problems(r"$\partial C/\partial W^{l+1} = \delta^{l+1} (a^l)^T$") == []
