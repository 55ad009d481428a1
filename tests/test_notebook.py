"""Tests of neural_network.ipynb, the lesson itself, run top to bottom on a fresh kernel.

It runs against a small SYNTHETIC stand-in for EMNIST (tests/synthetic_emnist.py),
through EMNIST_DATA, with a fast configuration injected after the cell tagged
`parameters`, the way papermill does.
"""

import re

import nbformat
import pytest
from conftest import FAST, NOTEBOOK, committed_notebook, notebook_parameters, notebook_settings, stdout

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


def test_every_cell_runs_without_error(run):
    nb, _, _, _ = run
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def test_every_planned_figure_is_drawn(run):
    nb, _, _, _ = run
    tagged = {tag: c for c in nb.cells for tag in c.metadata.get("tags", []) if tag.startswith("figure-")}
    assert sorted(tagged) == sorted(PLANNED_FIGURES)
    assert {tag: pngs(c) for tag, c in tagged.items()} == {tag: 1 for tag in PLANNED_FIGURES}


def test_gradient_check_in_the_notebook_passes(run):
    nb, _, _, _ = run
    (text,) = [stdout(c) for c in nb.cells if "relative error between backprop" in stdout(c)]
    assert float(re.search(r"gradients: ([\d.e+-]+)", text).group(1)) < nn.GRADIENT_CHECK_TOLERANCE


def test_the_network_learned_the_synthetic_letters(run):
    nb, _, _, _ = run
    (text,) = [stdout(c) for c in nb.cells if "Test accuracy" in stdout(c)]
    accuracy = float(re.search(r"Test accuracy: ([\d.]+)%", text).group(1)) / 100
    print(f"\nnotebook test accuracy on the small SYNTHETIC stand-in: {accuracy:.1%}")
    assert accuracy > 0.5  # chance is 1/26, about 4%


def test_the_last_cell_draws_a_new_sample_each_run_without_retraining(run):
    nb, (reruns, samples), before, after = run
    drawn = [tuple(map(int, re.fullmatch(r"\[([\d, ]+)\]\n", text).group(1).split(", "))) for text in samples]
    assert len(set(drawn)) == 3 and all(len(set(s)) == 20 for s in drawn)  # three different samples of 20 images
    for cell in [nb.cells[-1], *reruns]:
        assert pngs(cell) == 1 and re.fullmatch(r"This sample: \d+% right\.\n", stdout(cell)), stdout(cell)
    assert before == after and len(before.strip()) == 64  # the same weights: nothing retrained


def test_the_last_cells_and_a_second_canvas_ask_the_best_network_by_the_name_model(run):
    nb, _, _, _ = run
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    (choice,) = [i for i, source in enumerate(sources) if source.startswith("model = ")]
    assert sources[choice].startswith("model = best_net")
    assert sources[choice + 1] == "handwriting.draw_letter(model)" and choice + 2 == len(sources) - 1
    assert "model.feedforward(" in sources[-1] and "net." not in sources[-1].replace("model.", "")
    (canvas,) = [c for c in nb.cells if c.source == "handwriting.draw_letter(model)"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in canvas.outputs)


def test_going_further_sections_report_their_results(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    assert "Training stopped: The cost became nan" in text and "learning rate is most likely too high" in text
    assert "the loaded network's test outputs are identical: True" in text
    guesses = re.search(r"best guesses: (\w) (\d+)%, (\w) (\d+)%, (\w) (\d+)%", text)
    assert guesses and int(guesses.group(2)) >= int(guesses.group(4)) >= int(guesses.group(6))


def test_training_prints_a_one_line_summary(run):
    nb, _, _, _ = run
    (cell,) = [c for c in nb.cells if c.source.startswith("net = nn.Network(LAYER_SIZES")]
    summary = re.fullmatch(
        r"Trained (\d+) epochs in [\d.]+ s: training accuracy ([\d.]+)%, validation accuracy ([\d.]+)%\n", stdout(cell)
    )
    assert summary, stdout(cell)
    assert int(summary.group(1)) == 12  # the injected EPOCHS
    assert float(summary.group(3)) > 50  # the validation accuracy the summary reports is the network's


def test_the_overfitting_section_reports_the_peak_and_the_growing_gap(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    best = re.search(r"validation accuracy was best at epoch (\d+) of (\d+): ([\d.]+)%", text)
    gaps = re.search(
        r"gap between training and validation accuracy: ([+-][\d.]+) points at epoch (\d+), ([+-][\d.]+) points at the end",
        text,
    )
    assert best and gaps, text
    assert int(best.group(2)) == 30 and 1 <= int(best.group(1)) <= 30  # the injected OVERFIT_EPOCHS
    assert best.group(1) == gaps.group(2)
    assert float(gaps.group(3)) >= max(10.0, float(gaps.group(1)))  # on 300 images it overfits: a wide gap, not closing


def test_the_cures_table_has_a_row_per_cure(run):
    nb, _, _, _ = run
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
    assert all(0 < best <= 100 and 1 <= epoch <= 30 for best, epoch, _ in rows.values())
    # keep_best trains exactly as "no cure" (same start) and only keeps the best epoch: the same peak, a smaller gap
    assert rows["keep_best"][:2] == rows["no cure"][:2]
    assert rows["keep_best"][2] <= rows["no cure"][2]


def test_the_best_network_is_reported_beside_the_plain_one(run):
    nb, _, _, _ = run
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
    nb, _, _, _ = run
    (cell,) = [c for c in nb.cells if "emnist_data.load_emnist_letters()" in c.source]
    line = stdout(cell).splitlines()[0]
    assert line.startswith("EMNIST letters from EMNIST_DATA=") and line.endswith(
        "the project's SYNTHETIC stand-in, NOT the official EMNIST files: results below are not EMNIST results"
    ), line


def test_the_drawing_canvas_shows_a_widget_and_a_text_fallback_without_blocking(run):
    nb, _, _, _ = run
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


def test_the_look_inside_section_reports_what_its_figures_show(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    error = re.search(
        r"relative error between input_gradient and numerical gradients: ([\d.e+-]+)\ninput_gradient is right", text
    )
    assert error and float(error.group(1)) < nn.GRADIENT_CHECK_TOLERANCE, text
    shown = re.search(r"(\d+) random test images; shown: ((?:[a-z] ?){8})\n", text)
    assert shown and int(shown.group(1)) == min(1000, 26 * 40)  # LOOK_EXAMPLES, or the whole small test set
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
    nb, _, _, _ = run
    stderr = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr")
    assert "Warning" not in stderr, stderr  # for example a 0/0 RuntimeWarning in the per-letter accuracy


def test_no_setting_is_set_twice_so_an_injected_one_stays():
    settings, parameters = notebook_settings(), notebook_parameters()
    assert {name: values for name, values in settings.items() if len(values) > 1} == {}
    injected = {line.split(" = ")[0] for line in FAST.splitlines()}
    assert injected <= set(parameters)  # every setting the fast run injects lives in the parameters cell
    later = set(settings) - set(parameters)
    assert {"BEST_MOMENTUM", "OVERFIT_L2", "CROSS_ENTROPY_RATE"} <= later  # set where their sections start


def test_one_neuron_chain_rule_agrees_with_a_finite_difference(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    line = re.search(r"∂C/∂w by the chain rule: (-?[\d.]+), by a finite difference: (-?[\d.]+)", text)
    assert line, text
    assert float(line.group(1)) == pytest.approx(float(line.group(2)), abs=2e-6) and float(line.group(1)) < 0


def test_the_learning_curves_say_where_validation_levelled_off(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    main = re.search(
        r"validation accuracy was highest after epoch (\d+) of 12, and first came within 1 point of that at epoch (\d+)",
        text,
    )
    overfit = re.search(
        r"it first came within 1 point of that at epoch (\d+); from there to the end, training accuracy went from ([\d.]+)% to ([\d.]+)%",
        text,
    )
    best = re.search(r"validation accuracy was best at epoch (\d+) of 30", text)
    assert main and overfit and best, text
    assert 1 <= int(main.group(2)) <= int(main.group(1)) <= 12
    assert 1 <= int(overfit.group(1)) <= int(best.group(1))
    assert float(overfit.group(3)) >= float(overfit.group(2))  # on 300 images training keeps climbing
    assert re.search(r"validation cost was lowest at epoch \d+, and [\d.]+ times that at the end", text)


def test_the_cost_comparison_prints_the_first_and_last_epoch(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    lines = re.findall(
        r"validation accuracy after (the first epoch|the last): MSE ([\d.]+)%, cross-entropy ([\d.]+)%", text
    )
    assert [when for when, _, _ in lines] == ["the first epoch", "the last"], text


def test_each_cure_is_compared_with_no_cure_in_numbers_from_the_table(run):
    nb, _, _, _ = run
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


def test_the_best_network_says_how_long_it_trained_and_whether_it_still_learned(run):
    nb, _, _, _ = run
    text = "".join(stdout(c) for c in nb.cells)
    size = re.search(r"best network: 4 epochs of ([\d,]+) training images, ([\d,]+) steps of (\d+)", text)
    end = re.search(
        r"its validation accuracy was best at epoch (\d+) of 4, and changed by [+-][\d.]+ points over the last 3 epochs",
        text,
    )
    assert size and end, text
    images, steps, batch = (int(g.replace(",", "")) for g in size.groups())
    assert images == 26 * 300 * 9 // 10 and steps == 4 * -(-images // batch)  # the stand-in's training images


def test_why_layers_compares_a_straight_boundary_with_a_hidden_layer(run):
    nb, _, _, _ = run
    (figure,) = [c for c in nb.cells if "figure-why-layers" in c.metadata.get("tags", [])]
    assert "nn.Network([2, 2]" in figure.source and "nn.Network([2, 8, 2]" in figure.source  # the lesson's own Network
    text = "".join(stdout(c) for c in nb.cells)
    line = re.search(
        r"test accuracy without a hidden layer: ([\d.]+)%, with (\d+) hidden neurons \(the plain network\): ([\d.]+)%",
        text,
    )
    plain = re.search(r"Test accuracy: ([\d.]+)%", text)
    assert line and plain, text
    assert line.group(3) == plain.group(1) and int(line.group(2)) == 64  # section 6's network, the injected size
    assert 0 < float(line.group(1)) <= 100
    assert re.search(r"no hidden layer: 2 epochs; its validation accuracy changed by [+-][\d.]+ points", text)


def test_the_best_network_gets_a_plain_verdict_against_the_plain_one(run):
    nb, _, _, _ = run
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
    nb, _, _, _ = run
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
