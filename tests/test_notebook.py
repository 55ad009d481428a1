"""Tests of neural_network.ipynb, the lesson itself, run top to bottom on a fresh kernel.

It runs against a small SYNTHETIC stand-in for EMNIST (tests/synthetic_emnist.py),
through EMNIST_DATA, with ``QUICK = True`` injected after the cell tagged
`parameters`, the way papermill does (conftest.py's ``notebook_run``). The tests
check what the notebook prints against the run's own figures, read from the kernel:
a verdict that contradicts its numbers fails.
"""

import json
import re

import nbformat
import pytest
from conftest import NOTEBOOK, committed_notebook, notebook_parameters, notebook_settings, quick_settings, stdout

import nn_helpers as nn

PLANNED_FIGURES = [
    "figure-sigmoid", "figure-samples", "figure-why-layers", "figure-class-counts", "figure-learning-curves", "figure-per-letter",
    "figure-confusion", "figure-mistakes", "figure-predictions", "figure-cost-comparison",
    "figure-hidden-weights", "figure-learning-rates", "figure-handwriting", "figure-overfitting", "figure-shifts",
    "figure-distortions",
    "figure-cures", "figure-best-network", "figure-saliency", "figure-adversarial", "figure-robustness",
    "figure-saturation", "figure-hidden-map",
]  # fmt: skip


def pngs(cell):
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


@pytest.fixture(scope="module")
def run(notebook_run):
    return notebook_run


@pytest.fixture(scope="module")
def quick():
    """The settings as the run under test had them: each section's own, with QUICK = True."""
    return {name: values[0] for name, values in notebook_settings(quick=True).items()}


N_TRAIN = 26 * 300 * 9 // 10  # the stand-in's training images, less the validation tenth


def test_every_cell_runs_without_error(run):
    nb, *_ = run
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


ANIMATIONS = ["figure-learning-animation"]  # figures drawn as HTML and JavaScript, not as one PNG


def test_every_planned_figure_is_drawn(run):
    nb, *_ = run
    tagged = {tag: c for c in nb.cells for tag in c.metadata.get("tags", []) if tag.startswith("figure-")}
    assert sorted(tagged) == sorted(PLANNED_FIGURES + ANIMATIONS)
    assert {tag: pngs(c) for tag, c in tagged.items() if tag not in ANIMATIONS} == {tag: 1 for tag in PLANNED_FIGURES}


def test_the_learning_animation_has_at_least_10_frames_in_at_most_2_mb(run):
    nb, *_ = run
    (cell,) = [c for c in nb.cells if "figure-learning-animation" in c.metadata.get("tags", [])]
    (html,) = [o.data["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    frames = len(re.findall(r'frames\[\d+\] = "data:image/png;base64,', html))
    size = len(json.dumps(cell.outputs).encode())  # as the notebook saves it
    print(f"\nthe notebook's animation: {frames} frames, {size:,} bytes")
    assert frames >= 10 and size <= 2_000_000 and pngs(cell) == 0  # no still copy beside it


def test_the_playground_shows_a_widget_and_a_line_of_text_where_widgets_cannot_show(run):
    nb, *_ = run
    (cell,) = [c for c in nb.cells if "playground" in c.metadata.get("tags", [])]
    (output,) = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
    assert "application/vnd.jupyter.widget-view+json" in output.data
    assert "figure-learning-animation" in output.data["text/plain"]  # what nbconvert and a static page show


def test_gradient_check_in_the_notebook_passes(run):
    nb, *_ = run
    (text,) = [stdout(c) for c in nb.cells if "relative error between backprop" in stdout(c)]
    assert float(re.search(r"gradients: ([\d.e+-]+)", text).group(1)) < nn.GRADIENT_CHECK_TOLERANCE


def test_the_network_learned_the_synthetic_letters(run):
    nb, *_ = run
    (text,) = [stdout(c) for c in nb.cells if "Test accuracy" in stdout(c)]
    accuracy = float(re.search(r"Test accuracy: ([\d.]+)%", text).group(1)) / 100
    print(f"\nnotebook test accuracy on the small SYNTHETIC stand-in: {accuracy:.1%}")
    assert accuracy > 0.5  # chance is 1/26, about 4%


def test_the_last_cell_draws_a_new_sample_each_run_without_retraining(run):
    nb, (reruns, samples), before, after, _ = run
    drawn = [tuple(map(int, re.fullmatch(r"\[([\d, ]+)\]\n", text).group(1).split(", "))) for text in samples]
    assert len(set(drawn)) == 3 and all(len(set(s)) == 20 for s in drawn)  # three different samples of 20 images
    for cell in [nb.cells[-1], *reruns]:
        assert pngs(cell) == 1 and re.fullmatch(r"This sample: \d+% right\.\n", stdout(cell)), stdout(cell)
    assert before == after and len(before.strip()) == 64  # the same weights: nothing retrained


def test_the_last_cells_and_a_second_canvas_ask_the_best_network_by_the_name_model(run):
    nb, *_ = run
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    (choice,) = [i for i, source in enumerate(sources) if source.startswith("model = ")]
    assert sources[choice].startswith("model = best_net")
    assert sources[choice + 1] == "handwriting.draw_letter(model)" and choice + 2 == len(sources) - 1
    assert "model.feedforward(" in sources[-1] and "net." not in sources[-1].replace("model.", "")
    (canvas,) = [c for c in nb.cells if c.source == "handwriting.draw_letter(model)"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in canvas.outputs)


def test_going_further_sections_report_their_results(run):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    assert "Training stopped: The cost became nan" in text and "learning rate is most likely too high" in text
    assert "the loaded network's test outputs are identical: True" in text
    guesses = re.search(r"best guesses: (\w) (\d+)%, (\w) (\d+)%, (\w) (\d+)%", text)
    assert guesses and int(guesses.group(2)) >= int(guesses.group(4)) >= int(guesses.group(6))


def test_training_prints_a_one_line_summary(run, quick):
    nb, *_ = run
    (cell,) = [c for c in nb.cells if c.source.startswith("net = nn.Network(LAYER_SIZES")]
    summary = re.fullmatch(
        r"Trained (\d+) epochs in [\d.]+ s: training accuracy ([\d.]+)%, validation accuracy ([\d.]+)%\n", stdout(cell)
    )
    assert summary, stdout(cell)
    assert int(summary.group(1)) == round(quick["IMAGES_SEEN"] / N_TRAIN)  # the quick run's epochs
    assert float(summary.group(3)) > 50  # the validation accuracy the summary reports is the network's


def test_the_overfitting_section_reports_the_peak_and_the_gap_of_its_own_run(run, quick):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    best = re.search(r"validation accuracy was best at epoch (\d+) of (\d+): ([\d.]+)%", text)
    gaps = re.search(
        r"gap between training and validation accuracy: ([+-][\d.]+) points at epoch (\d+), ([+-][\d.]+) points at the end",
        text,
    )
    assert best and gaps, text
    history = figures["overfit_history"]
    train, val = history["train_accuracy"], history["val_accuracy"]
    assert int(best.group(2)) == quick["OVERFIT_EPOCHS"] == len(val)
    assert int(best.group(1)) == history["best_epoch"] == int(gaps.group(2))
    assert float(best.group(3)) == pytest.approx(100 * max(val), abs=0.051)
    assert float(gaps.group(3)) == pytest.approx(100 * (train[-1] - val[-1]), abs=0.051)


def test_the_cures_table_has_a_row_per_cure(run, quick):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    rows = dict(
        (name.strip(), (float(best), int(epoch), float(gap)))
        for name, best, epoch, gap in re.findall(
            r"^(no cure|L2, λ = \S+|momentum, μ = \S+|shift, s = \d+|distort|keep_best) +([\d.]+)% +(\d+) +([+-][\d.]+)$",
            text,
            re.M,
        )
    )
    assert len(rows) == 6 and {"no cure", "distort", "keep_best"} <= set(rows), text
    assert all(0 < best <= 100 and 1 <= epoch <= quick["OVERFIT_EPOCHS"] for best, epoch, _ in rows.values())
    # keep_best trains exactly as "no cure" (same start) and only keeps the best epoch: the same peak, that epoch's gap
    assert rows["keep_best"][:2] == rows["no cure"][:2]
    history = figures["overfit_history"]
    best = history["best_epoch"] - 1
    assert rows["keep_best"][2] == pytest.approx(
        100 * (history["train_accuracy"][best] - history["val_accuracy"][best]), abs=0.051
    )


def test_the_best_network_is_reported_beside_the_plain_one(run):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    line = re.search(
        r"best network: test accuracy ([\d.]+)%, beside ([\d.]+)% for the plain sigmoid \+ MSE network", text
    )
    plain = re.search(r"Test accuracy: ([\d.]+)%", text)
    assert line and plain, text
    assert line.group(2) == plain.group(1)  # the same plain network as section 6
    assert float(line.group(1)) > 50  # chance is 1/26, about 4%


def test_exercises_end_the_sections_and_hide_their_solutions():
    markdown = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown"]
    assert sum("**Exercise" in m for m in markdown) >= 8
    solutions = [m for m in markdown if "<details>" in m]
    assert solutions and all("</details>" in m and "<summary>" in m for m in solutions)


def test_the_committed_notebook_is_clean():
    nb = committed_notebook()  # what git holds: Jupyter's autosave may have written a learner's outputs into the file
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1


def test_markdown_comes_before_every_code_cell():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    assert cells[0].cell_type == "markdown"
    assert all(cells[i - 1].cell_type == "markdown" for i, c in enumerate(cells) if c.cell_type == "code")


def test_the_data_source_line_says_this_is_the_synthetic_stand_in(run):
    nb, *_ = run
    (cell,) = [c for c in nb.cells if "emnist_data.load_emnist_letters()" in c.source]
    line = stdout(cell).splitlines()[0]
    assert line.startswith("EMNIST letters from EMNIST_DATA=") and line.endswith(
        "the project's SYNTHETIC stand-in, NOT the official EMNIST files: results below are not EMNIST results"
    ), line


def test_the_drawing_canvas_shows_a_widget_and_a_text_fallback_without_blocking(run):
    nb, *_ = run
    (cell,) = [c for c in nb.cells if c.source.strip() == "handwriting.draw_letter(net)"]
    (output,) = [o for o in cell.outputs if o.output_type == "display_data"]
    assert "application/vnd.jupyter.widget-view+json" in output.data  # the canvas, where widgets display
    assert (
        "handwriting.predict_image" in output.data["text/plain"]
    )  # what a headless run or a static page shows instead


def test_the_look_inside_section_sits_between_section_10_and_the_last_section():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    headings = [
        line for c in cells if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("## ")
    ]
    look = headings.index("## 12. Look inside the network (optional)")
    assert headings[look - 1] == "## 11. Put it all together" and look == len(headings) - 2


def test_the_look_inside_section_reports_what_its_figures_show(run, quick):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    error = re.search(
        r"relative error between input_gradient and numerical gradients: ([\d.e+-]+)\ninput_gradient is right", text
    )
    assert error and float(error.group(1)) < nn.GRADIENT_CHECK_TOLERANCE, text
    shown = re.search(r"(\d+) random test images; shown: ((?:[a-z] ?){8})\n", text)
    assert shown and int(shown.group(1)) == min(quick["LOOK_EXAMPLES"], 26 * 40)  # or the whole small test set
    on_strokes = re.search(r"pixels on or next to the strokes: (\d+)% of each image", text)
    saliency = re.findall(r"(plain|best) network: (\d+)% of its saliency is on or next to the strokes", text)
    assert on_strokes and [name for name, _ in saliency] == ["plain", "best"]
    assert all(0 <= int(share) <= 100 for _, share in saliency)
    adversarial = dict(
        (name, (float(accuracy), float(halves)))
        for name, accuracy, halves in re.findall(
            r"(plain|best) network: accuracy ([\d.]+)% unnudged, halved at ε = ([\d.]+)", text
        )
    )
    assert set(adversarial) == {"plain", "best"} and all(0 < h <= 0.3 for _, h in adversarial.values()), text
    flipped = re.search(r"(\d+) of the 8 letters above, all read right before, are misread after the nudge", text)
    assert flipped and 0 <= int(flipped.group(1)) <= 8
    robust = dict(
        (name, [float(v) for v in values])
        for name, *values in re.findall(
            r"(plain|best) network: ([\d.]+)% as written, ([\d.]+)% rotated by 15°, ([\d.]+)% shifted by 2 pixels", text
        )
    )
    assert set(robust) == {"plain", "best"}
    for name, (written, rotated, shifted) in robust.items():
        assert written == adversarial[name][0]  # the same subset and network as the adversarial curve
        assert rotated < written and shifted < written
    saturation = dict(
        (name.strip(), [float(v) for v in values])
        for name, *values in re.findall(
            r"^ *(fresh|section 4|rate 5): hidden ([\d.]+)% < 0.01, ([\d.]+)% > 0.99; output ([\d.]+)% < 0.01, "
            r"([\d.]+)% > 0.99; the right letter's output < 0.01 for ([\d.]+)%; accuracy ([\d.]+)%$",
            text,
            re.M,
        )
    )
    assert set(saturation) == {"fresh", "section 4", "rate 5"}, text
    assert saturation["fresh"][:5] == [0] * 5  # weights of variance 1/n_in: nothing saturated at the start
    assert saturation["section 4"][5] == adversarial["plain"][0]  # the same network, the same subset
    spread = re.search(r"the two components hold (\d+)% of the spread \((\d+)% and (\d+)%\)", text)
    assert spread and int(spread.group(2)) >= int(spread.group(3))
    assert re.search(r"closest in the map: ([a-z]-[a-z](, )?){5}\n", text)
    assert re.search(r"most confused \(section 6\): ([a-z]-[a-z](, )?){1,5}\n", text)


def test_the_notebook_never_warns(run):
    nb, *_ = run
    stderr = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr")
    assert "Warning" not in stderr, stderr  # for example a 0/0 RuntimeWarning in the per-letter accuracy


def test_no_setting_is_set_twice_so_an_injected_one_stays():
    settings, parameters = notebook_settings(), notebook_parameters()
    assert {name: values for name, values in settings.items() if len(values) > 1} == {}
    assert set(parameters) == {"QUICK", "TRAIN_LIMIT", "SEED"}  # the settings of the whole run, papermill's to set
    assert parameters["QUICK"] is False and parameters["TRAIN_LIMIT"] is None
    later = set(settings) - set(parameters)
    assert {"LAYER_SIZES", "IMAGES_SEEN", "BEST_MOMENTUM", "OVERFIT_L2", "CROSS_ENTROPY_RATE"} <= later


def test_quick_shortens_every_run_and_changes_nothing_else():
    changed = quick_settings()
    sizes = {"IMAGES_SEEN", "NO_HIDDEN_IMAGES_SEEN", "COMPARE_EXAMPLES", "COMPARE_EPOCHS", "OVERFIT_EPOCHS"}
    sizes |= {"OVERFIT_VALIDATION", "BEST_IMAGES_SEEN", "LOOK_EXAMPLES"}
    assert set(changed) == sizes
    assert all(0 < quick < default for quick, default in changed.values()), changed
    # the quick run trains on at most 20,000 images (see the next test), the main network for several epochs
    assert changed["IMAGES_SEEN"][0] >= 5 * 20_000 and changed["NO_HIDDEN_IMAGES_SEEN"][0] >= 3 * 20_000


@pytest.mark.parametrize(
    "quick, limit, expected",
    [
        (False, None, (112_320, 12_480)),
        (True, None, (20_000, 2_000)),
        (False, 2_000, (2_000, 12_480)),
        (True, 50_000, (20_000, 2_000)),
        (True, 0, (0, 2_000)),  # nothing to train on: train says so
    ],
)
def test_the_split_takes_train_limit_and_quick_at_their_word(quick, limit, expected):
    """Section 1's split cell, run on 124,800 blank images whose labels number them: how many it keeps, and which."""
    import numpy as np

    import emnist_data

    (cell,) = [c for c in committed_notebook().cells if c.source.startswith("n_validation = ")]
    images, numbers = np.zeros((124_800, 28, 28), np.uint8), np.arange(124_800)
    run = dict(np=np, emnist_data=emnist_data, QUICK=quick, TRAIN_LIMIT=limit, print=lambda *_: None)
    run.update(train_images=images, train_labels=numbers, test_images=images[:10])
    exec(cell.source, run)
    assert (len(run["x_train"]), len(run["x_val"])) == (run["n_train"], len(run["y_val"])) == expected
    assert run["y_train"].tolist() == list(range(expected[0]))  # the first images ...
    assert run["y_val"].tolist() == list(range(124_800 - expected[1], 124_800))  # ... and the last ones, apart


def test_one_neuron_chain_rule_agrees_with_a_finite_difference(run):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    line = re.search(r"∂C/∂w by the chain rule: (-?[\d.]+), by a finite difference: (-?[\d.]+)", text)
    assert line, text
    assert float(line.group(1)) == pytest.approx(float(line.group(2)), abs=2e-6) and float(line.group(1)) < 0


def test_the_learning_curves_say_where_validation_levelled_off(run, quick):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    epochs = round(quick["IMAGES_SEEN"] / N_TRAIN)
    main = re.search(
        rf"validation accuracy was highest after epoch (\d+) of {epochs}, and first came within 1 point of that at epoch (\d+)",
        text,
    )
    overfit = re.search(
        r"it first came within 1 point of that at epoch (\d+); from there to the end, training accuracy went from ([\d.]+)% to ([\d.]+)%",
        text,
    )
    best = re.search(rf"validation accuracy was best at epoch (\d+) of {quick['OVERFIT_EPOCHS']}", text)
    assert main and overfit and best, text
    assert 1 <= int(main.group(2)) <= int(main.group(1)) == figures["history"]["best_epoch"]
    assert 1 <= int(overfit.group(1)) <= int(best.group(1))
    train = figures["overfit_history"]["train_accuracy"]
    assert float(overfit.group(3)) == pytest.approx(100 * train[-1], abs=0.051)
    assert re.search(r"validation cost was lowest at epoch \d+, and [\d.]+ times that at the end", text)


def test_the_cost_comparison_prints_the_first_and_last_epoch(run):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    lines = re.findall(
        r"validation accuracy after (the first epoch|the last): MSE ([\d.]+)%, cross-entropy ([\d.]+)%", text
    )
    assert [when for when, _, _ in lines] == ["the first epoch", "the last"], text


def test_each_cure_is_compared_with_no_cure_in_numbers_from_the_table(run):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    table = {
        name: (float(best), int(epoch), float(gap))
        for name, best, epoch, gap in re.findall(
            r"^(no cure|L2, λ = \S+|momentum, μ = \S+|shift, s = \d+|distort|keep_best) +([\d.]+)% +(\d+) +([+-][\d.]+)$",
            text,
            re.M,
        )
    }
    claims = re.findall(
        r"^(.+): (?:(added|lost) ([\d.]+) points of|matched no cure's) best validation accuracy, best at epoch (\d+) \(no cure: (\d+)\); "
        r"the final gap (shrank|grew) from (-?[\d.]+) to (-?[\d.]+) points$",
        text,
        re.M,
    )
    assert sorted(name for name, *_ in claims) == sorted(set(table) - {"no cure"}), text
    best0, epoch0, gap0 = table["no cure"]
    for name, verb, change, epoch, epoch_no_cure, width, before, after in claims:
        best, cure_epoch, gap = table[name]
        signed = {"added": 1, "lost": -1, "": 0}[verb] * float(change or 0)
        assert signed == pytest.approx(best - best0, abs=0.15)  # the table rounds to 0.1%
        assert (int(epoch), int(epoch_no_cure)) == (cure_epoch, epoch0)
        assert float(before) == pytest.approx(gap0, abs=0.15) and float(after) == pytest.approx(gap, abs=0.15)
        assert (width == "shrank") == (float(after) < float(before)) or float(after) == float(before)


def test_the_best_network_says_how_long_it_trained_and_whether_it_still_learned(run, quick):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    epochs = round(quick["BEST_IMAGES_SEEN"] / N_TRAIN)
    size = re.search(rf"best network: {epochs} epochs of ([\d,]+) training images, ([\d,]+) steps of (\d+)", text)
    end = re.search(rf"its validation accuracy was best at epoch (\d+) of {epochs}\nVerdict: ", text)
    assert size and end, text
    images, steps, batch = (int(g.replace(",", "")) for g in size.groups())
    assert images == N_TRAIN and steps == epochs * -(-images // batch)
    assert int(end.group(1)) == figures["best_history"]["best_epoch"]


def test_why_layers_compares_a_straight_boundary_with_a_hidden_layer(run, quick):
    nb, *_ = run
    (figure,) = [c for c in nb.cells if "figure-why-layers" in c.metadata.get("tags", [])]
    assert "nn.Network([2, 2]" in figure.source and "nn.Network([2, 8, 2]" in figure.source  # the lesson's own Network
    text = "".join(stdout(c) for c in nb.cells)
    line = re.search(
        r"test accuracy without a hidden layer: ([\d.]+)%, with (\d+) hidden neurons \(the plain network\): ([\d.]+)%",
        text,
    )
    plain = re.search(r"Test accuracy: ([\d.]+)%", text)
    assert line and plain, text
    assert line.group(3) == plain.group(1) and int(line.group(2)) == quick["LAYER_SIZES"][1]  # section 6's network
    assert 0 < float(line.group(1)) <= 100
    epochs = max(2, round(quick["NO_HIDDEN_IMAGES_SEEN"] / N_TRAIN))
    assert re.search(rf"no hidden layer: {epochs} epochs; its validation accuracy changed by [+-][\d.]+ points", text)


def test_the_best_network_gets_a_plain_verdict_against_the_plain_one(run):
    nb, *_ = run
    text = "".join(stdout(c) for c in nb.cells)
    line = re.search(r"best network: test accuracy ([\d.]+)%, beside ([\d.]+)%", text)
    verdict = re.search(r"Verdict: the (best|plain) network read ([\d.]+) points more of the test letters", text)
    assert line and verdict, text
    gain = float(line.group(1)) - float(line.group(2))
    assert (verdict.group(1) == "best") == (gain > 0) and float(verdict.group(2)) == pytest.approx(abs(gain), abs=0.11)


def test_the_markdown_quotes_no_benchmark_runs():
    markdown = "".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown")
    assert markdown.count("bench/") <= 2
    assert "Measured elsewhere" not in markdown and "On real handwriting" not in markdown


def test_the_your_turn_cells_left_as_they_are_say_not_written_yet_and_the_lesson_goes_on(run):
    nb, *_ = run
    checks = [
        c
        for c in nb.cells
        if c.source.startswith(("your_turn.check_forward(", "your_turn.check_backprop(", "your_turn.check_step("))
    ]
    assert [c.source.split("(")[0] for c in checks] == [
        "your_turn.check_forward",
        "your_turn.check_backprop",
        "your_turn.check_step",
    ]
    for cell in checks:
        assert "not written yet" in stdout(cell) and "nn_helpers" in stdout(cell), stdout(cell)


# -- every verdict the notebook prints holds for the run's own numbers --------------------------------


def verdicts(text):
    return re.findall(r"^Verdict: ([a-z ]+)\. ", text, re.M)


def assert_verdict_holds(verdict, history, validation_size):
    """The conditions each verdict of evaluation.read_curves stands for, recomputed from the raw figures."""
    train, val = history["train_accuracy"], history["val_accuracy"]
    best = max(range(len(val)), key=lambda i: (val[i], -i))  # the first best epoch, 0-based
    level = max(0.01, 2 * (val[best] * (1 - val[best]) / validation_size) ** 0.5)
    fall, k = val[best] - val[-1], min(3, len(val) - 1)
    gap_best, gap_end, change = train[best] - val[best], train[-1] - val[-1], val[-1] - val[-1 - k]
    holds = {
        "too short": len(val) == 1,
        "overfitting": fall >= level and gap_end > gap_best,
        "wide gap": gap_end >= 0.05 and not (fall >= level and gap_end > gap_best),
        "unsteady": fall >= level and gap_end <= gap_best and gap_end < 0.05,
        "still learning": change >= level and fall < level and gap_end < 0.05,
        "levelled off": change < level and fall < level and gap_end < 0.05,
    }
    assert holds[verdict], (verdict, {"fall": fall, "level": level, "gaps": (gap_best, gap_end), "change": change})


def test_the_verdicts_on_the_learning_curves_hold_for_the_run(run):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    plain, overfit, best = verdicts(text)[:3]
    assert_verdict_holds(plain, figures["history"], figures["validation_size"])
    assert_verdict_holds(overfit, figures["overfit_history"], figures["overfit_validation_size"])
    assert_verdict_holds(best, figures["best_history"], figures["validation_size"])
    assert f"section 5's verdict: {plain}\n" in text  # section 9 starts from what section 5 found


def test_the_counts_and_the_baselines_are_the_data_s_own(run):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    counts = [c for c in figures["train_counts"] if c]
    line = re.search(r"(\d+) letters, ([\d,]+) to ([\d,]+) training images each; .*, is right for ([\d.]+)%", text)
    assert line, text
    assert (int(line.group(1)), int(line.group(2).replace(",", "")), int(line.group(3).replace(",", ""))) == (
        len(counts), min(counts), max(counts)
    )  # fmt: skip
    assert float(line.group(4)) == pytest.approx(100 * max(counts) / sum(counts), abs=0.051)
    labels = figures["test_labels"]
    baseline = re.search(r"Test accuracy: [\d.]+% on ([\d,]+) test images \(baseline: ([\d.]+)%\)", text)
    assert baseline and int(baseline.group(1).replace(",", "")) == len(labels)
    assert float(baseline.group(2)) == pytest.approx(100 * max(map(labels.count, set(labels))) / len(labels), abs=0.051)


def test_the_straight_cut_is_read_against_always_giving_one_answer(run):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    majority, flat, hidden, crosses = figures["rings"]
    assert majority == 0.5  # the rings hold as many points inside as outside
    assert (
        f"always the same answer: {majority:.0%}; no hidden layer: {flat:.0%}; a hidden layer of 8: {hidden:.0%}"
        in text
    )
    if not crosses:
        assert "the straight cut misses the square" in text
    elif flat <= majority:
        assert "does no better than always the same answer" in text
    else:
        assert f"{100 * (flat - majority):.0f} points better than always the same answer" in text
    (figure,) = [c for c in nb.cells if "figure-why-layers" in c.metadata.get("tags", [])]
    assert "playground.straight_boundary(flat_net)" in figure.source and "where its outputs tie" in figure.source


def test_the_look_inside_lines_hold_for_the_run(run):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    at = figures["epsilons"].index(figures["fool_epsilon"])
    plain, best = (figures["adversarial"][name][at] for name in ("plain", "best"))
    assert f"nudged by ε = {figures['fool_epsilon']:g}: plain {plain:.1%}, best {best:.1%}" in text
    fast = next(name for name in figures["right_off"] if name.startswith("rate"))
    stuck = figures["right_off"][fast] > 0.9
    assert f"the {fast} network's output layer is {'stuck off' if stuck else 'not stuck off'}" in text


def test_the_map_names_distinct_confused_pairs_in_order(run):
    nb, *_, figures = run
    text = "".join(stdout(c) for c in nb.cells)
    confusion, letters = figures["confusion"], "abcdefghijklmnopqrstuvwxyz"
    ordered = sorted(
        ((-confusion[i][j], i, j) for i in range(26) for j in range(26) if i != j and confusion[i][j]),
    )  # most frequent first, as evaluation.most_confused lists them
    pairs = []
    for _, i, j in ordered:
        if {i, j} not in pairs:
            pairs.append({i, j})
    expected = ", ".join("-".join(sorted(letters[k] for k in pair)) for pair in pairs[:5])
    assert f"most confused (section 6): {expected}\n" in text


def test_section_10_shows_lines_that_are_in_the_code():
    """The cures' lines shown in section 10's markdown are the code's own lines, so they cannot drift from it."""
    import inspect

    import augmentation

    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    start = next(i for i, c in enumerate(cells) if c.source.startswith("## 10."))
    blocks = re.findall(r"```python\n(.*?)```", cells[start].source, re.S)
    source = {line.strip() for module in (nn, augmentation) for line in inspect.getsource(module).splitlines()}
    shown = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert len(blocks) >= 4 and len(shown) >= 10
    assert [line for line in shown if line not in source] == []


def test_the_core_path_uses_nothing_the_optional_sections_define():
    """Sections 8 and 12 are optional: no code cell of the core path reads a name that only they define."""
    import ast

    defined = {True: set(), False: set()}  # optional: names they assign
    read = set()  # names the core path reads
    optional = False
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "markdown":
            headings = [line for line in cell.source.splitlines() if re.match(r"## \d+\. ", line)]
            optional = "(optional)" in headings[-1] if headings else optional
            continue
        tree = ast.parse("\n".join(line for line in cell.source.splitlines() if not line.startswith("%")))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined[optional].add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom)):
                names = [node.name] if isinstance(node, ast.FunctionDef) else [a.asname or a.name for a in node.names]
                defined[optional].update(names)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and not optional:
                read.add(node.id)
    assert defined[True] and read
    assert (read & defined[True]) - defined[False] == set()
