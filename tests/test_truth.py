"""Issue 25, "Truth, third pass": a check for each fix, so that no wrong statement comes back.

Each test is named after what it guards and fails with the file, the line, what is wrong, what to
write instead and the source that says so. They read the Markdown sources and data files (fast),
except the last, which reads the built lesson (slow). Sources, by the names the pages use:
"R1 v1" is DeepSeek-R1, arXiv 2501.12948v1; "R1 Nature" its 2025 version in Nature; DeepSeekMath
is arXiv 2402.03300v3; Dr. GRPO is arXiv 2503.20783v1; Yue et al. is arXiv 2504.13837v4.
"""

from __future__ import annotations

import dataclasses
import html.parser
import re
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from support.content import (
    DATA,
    DOCS,
    figures,
    hook,
    page_source,
    pages,
    relative,
    section,
)
from support.harness import ROOT

LESSON = DOCS / "lesson.md"
FLASHCARDS = DATA / "flashcards.yml"
QUIZZES = DATA / "quizzes.yml"
FIGURES = DATA / "figures.yml"
NOTEBOOK_SOURCES = sorted((ROOT / "notebooks").glob("*.md"))

FENCE_START = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w-]*)")
FOOTNOTE_REF = re.compile(r"\[\^([\w-]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^([\w-]+)\]:\s*(.*)$")
PLACEHOLDER = re.compile(r"(?<!\\)\{\{\s*([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\s*\}\}")

# Where in a source a statement is: a section, table, figure, equation, algorithm or abstract of a
# paper; a file, section or commit of a repository or dataset card.
LOCATOR = re.compile(
    r"§\s?\d|\bSection\s+\d|\bTables?\s+\d|\bFig(ure|s?\.)\s?\d|\beq\.\s?\d|\bAlgorithm\s+\d"
    r"|\babstract\b|\bREADME(\.md)?\b|\bcommit\s+[0-9a-f]{7}|\brevision\s+[0-9a-f]{7}"
    r"|\b[\w./-]+\.(py|ya?ml|json|md)\b|\bsection\s+\"",
    re.I,
)
# A paper's version: an arXiv version, or the R1 paper's Nature version.
VERSION = re.compile(
    r"\bv\d\b|arXiv\s+\d{4}\.\d{4,5}v\d|\bNature\b|\bfirst version\b", re.I
)
ARXIV = re.compile(r"\b\d{4}\.\d{4,5}(v\d+)?\b")
CITES_R1 = re.compile(r"DeepSeek-R1,|\bR1 (v1|Nature)\b|2501\.12948|\bR1 paper")

# Figure groups that state a paper's (or a project's) result; each use on a page needs its source.
PAPER_GROUPS = {
    "r1_zero",
    "r1_zero_nature",
    "r1",
    "r1_repo",
    "r1_eval",
    "distill",
    "dsm",
    "cot",
    "s1",
    "open_r1",
    "open_r1_math",
}
# Groups whose figures the R1 paper's two versions report differently: name the version in the text.
R1_VERSIONED_GROUPS = {"r1_zero"}


# --- reading the sources ------------------------------------------------------------------------


def markdown_sources() -> list[Path]:
    return [*pages(), *NOTEBOOK_SOURCES]


def text_sources() -> list[Path]:
    return [*markdown_sources(), FLASHCARDS, QUIZZES, DATA / "glossary.yml", FIGURES]


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, line) of a page outside code fences; a Mermaid diagram is prose a reader sees.

    A data file is prose throughout.
    """
    if path.suffix != ".md":
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))
    lines, fence = [], None
    for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), start=1
    ):
        match = FENCE_START.match(line)
        if fence is None and match:
            fence = (match[1], match[2])
            if fence[1] == "mermaid":
                lines.append((number, line))
            continue
        if fence is not None:
            if (
                line.strip().startswith(fence[0])
                and not line.strip()[len(fence[0]) :].strip()
            ):
                fence = None
            elif fence[1] == "mermaid":
                lines.append((number, line))
            continue
        lines.append((number, line))
    return lines


def blocks(path: Path) -> list[tuple[int, str]]:
    """A page's blocks (a paragraph, a list, an admonition), each with its first line.

    Blocks are separated by blank lines; a code block or diagram belongs to the block before it,
    the paragraph that introduces it.
    """
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start, fence = 0, None
    for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), start=1
    ):
        if fence is not None:
            current.append(line)
            if line.strip() == fence:
                fence = None
            continue
        match = FENCE_START.match(line)
        if match:
            fence = match[1]
            if not current and found:
                start, previous = found.pop()
                current = [previous, ""]
            elif not current:
                start = number
            current.append(line)
        elif not line.strip():
            if current:
                found.append((start, "\n".join(current)))
            current, start = [], 0
        else:
            if not current:
                start = number
            current.append(line)
    if current:
        found.append((start, "\n".join(current)))
    return found


def footnote_definitions(path: Path) -> dict[str, tuple[int, str]]:
    """A page's footnotes: label -> (line, text, continuation lines included)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {}
    for index, line in enumerate(lines):
        match = FOOTNOTE_DEF.match(line)
        if match:
            text = [match[2]]
            for more in lines[index + 1 :]:
                if not more.startswith("    ") or not more.strip():
                    break
                text.append(more.strip())
            found[match[1]] = (index + 1, " ".join(text))
    return found


def data_texts(path: Path) -> list[tuple[int, str, str]]:
    """(line, where, text) of every question, answer, option and explanation of a data file."""
    loaded = hook("course_figures").load_yaml(path, relative(path))
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                label = f"{where} {node['id']!r}" if "id" in node else where
                if isinstance(value, str) and key in (
                    "question",
                    "answer",
                    "text",
                    "explanation",
                    "definition",
                ):
                    found.append((node.line_of(key), f"{label}, {key}", value))
                else:
                    walk(value, label)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(loaded, relative(path))
    return found


def unlinked(text: str) -> str:
    """Text with its link targets removed: a link to a page is not a locator."""
    return re.sub(r"\]\([^)]*\)", "]", text)


def wrong(path: Path, number: int, message: str) -> str:
    return f"{relative(path)}:{number}: {message}"


def passages(path: Path) -> list[tuple[int, str]]:
    """What a reader reads, as (line, text) with lines joined: a page's blocks; a data file's
    questions, answers, options, explanations and definitions; figures.yml's lines."""
    if path.suffix == ".md":
        return [(line, " ".join(text.split())) for line, text in blocks(path)]
    if path == FIGURES:
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))
    return [(line, " ".join(text.split())) for line, _, text in data_texts(path)]


def scan(pattern: str, message: str, sources=None, flags=re.I) -> list[str]:
    """Every passage of the sources that matches ``pattern``, as a message naming file and line."""
    found = []
    for path in sources or text_sources():
        for number, text in passages(path):
            match = re.search(pattern, text, flags)
            if match:
                context = text[max(0, match.start() - 60) : match.end() + 60]
                found.append(wrong(path, number, f"{message}: ...{context}..."))
    return found


def assert_nowhere(pattern: str, message: str) -> None:
    """No page, card or figure says what ``pattern`` matches; each passage that does is named."""
    found = scan(pattern, message)
    assert not found, "\n".join(found)


def quiz_question(quiz: str, question_id: str) -> dict:
    data = yaml.safe_load(QUIZZES.read_text(encoding="utf-8"))
    questions = data["quizzes"][quiz]["questions"]
    return next(q for q in questions if q["id"] == question_id)


def line_of(path: Path, text: str) -> int:
    source = path.read_text(encoding="utf-8")
    return source[: source.index(text)].count("\n") + 1 if text in source else 1


# --- 1. the inference-time scaling quiz agrees with its page ------------------------------------


def test_the_cot_quiz_does_not_credit_the_scale_finding():
    question = quiz_question("inference-time-scaling", "cot-prompt-backfires")
    right = next(o for o in question["options"] if o.get("correct"))
    assert not re.search(r"scale|sufficiently large|model size", right["text"], re.I), (
        wrong(
            QUIZZES,
            line_of(QUIZZES, "id: cot-prompt-backfires"),
            "question 'cot-prompt-backfires' marks the chain-of-thought paper's scale finding as the"
            " lesson, but its page (docs/examples/inference-time-scaling.md, 'Chain-of-thought"
            " prompting') says the tiny model fails because it never saw the prompt's format; mark"
            " that right and the scale reading wrong",
        )
    )


# --- 2. what was observed of thinking length, not "harder problems" ----------------------------


def test_no_page_says_reasoning_models_are_trained_to_think_longer_on_harder_problems():
    assert_nowhere(
        r"\b(on|for) harder problems|where problems are hard|when problems are harder"
        r"|think(ing)? longer (on|when|where)",
        "R1-Zero's rewards were accuracy and format only, and R1 v1 (§2.2.4, Fig. 3) shows"
        " response length growing over training, not by difficulty; Dr. GRPO (§3.1) traces part"
        " of it to GRPO's length normalisation. Say what was observed",
    )


# --- 3. Open R1's status, as its README states it ------------------------------------------------


def test_open_r1_is_not_said_to_have_rebuilt_r1():
    assert_nowhere(
        r"\brebuilt (the (recipe|pipeline)|it|R1)\b|what Open R1 did for R1",
        "Open R1's README (commit 1416fa0) marks step 1, distillation, complete and the"
        " repository a work in progress; steps 2 and 3 are not reported done. Say that",
    )
    open_r1 = section(page_source("lesson.md"), "open-r1")
    assert "work in progress" in open_r1 and "step 1" in open_r1, wrong(
        LESSON,
        line_of(LESSON, "### Open R1"),
        "the Open R1 section must say that step 1 is reported complete and the repository is a"
        " work in progress (README at commit 1416fa0)",
    )
    assert "1416fa0" in figures().values["open_r1.source"], (
        "docs/data/figures.yml: group open_r1 must cite the README commit read (1416fa0)"
    )


# --- 4. "you cannot train by RL" holds for rule-based rewards only -----------------------------


def test_checking_answers_is_required_only_for_rl_with_rule_based_rewards():
    assert_nowhere(
        r"train (it|one) by RL(?! with rule-based)",
        "a learned reward model trains by RL without a checker (the lesson's own reward models,"
        " R1 v1 §2.3.4): write 'by RL with rule-based rewards'",
    )


# --- 5. the "ceiling" finding is Yue et al.'s, with its caveats --------------------------------


def test_the_base_model_ceiling_is_not_credited_to_deepseekmath():
    assert_nowhere(
        r"sets the ceiling|base model'?s? (quality )?(still )?(sets|is) the (ceiling|upper bound)",
        "DeepSeekMath §5.2.2 only reports Maj@K up and Pass@K flat, hedged; the ceiling finding is"
        " Yue et al. 2025 (arXiv 2504.13837v4), a finding with caveats: cite it as such",
    )
    lesson = page_source("lesson.md")
    notes = footnote_definitions(LESSON)
    cited = section(lesson, "rl-versus-imitation")
    labels = FOOTNOTE_REF.findall(cited)
    assert "Yue et al." in cited and any("2504.13837" in notes[n][1] for n in labels), (
        wrong(
            LESSON,
            line_of(LESSON, "## Learning by reward"),
            "the section on what RL adds must cite Yue et al. 2025 (arXiv 2504.13837v4) for base"
            " models overtaking RL-trained ones at pass@k for large k",
        )
    )


# --- 6. when a shared vocabulary holds for logit distillation ----------------------------------


def test_logit_distillation_says_when_teacher_and_student_share_a_vocabulary():
    assert_nowhere(
        r"as Qwen2\.5's sizes do|Qwen2\.5 sizes share (one|a) (tokenizer|vocabulary)\.",
        "Qwen2.5's sizes share a tokenizer but not a vocab_size (151,936 for 0.5B and 1.5B,"
        " 152,064 for 7B), and TRL's DistillationTrainer raises on a mismatch: say when the"
        " pairing works",
    )
    page = DOCS / "examples" / "distillation.md"
    text = page.read_text(encoding="utf-8")
    assert "vocab_size" in text and "GOLD" in text and "qwen2_5.vocab_7b" in text, (
        wrong(
            page,
            line_of(page, "One vocabulary"),
            "the logit-distillation notes must name vocab_size, the 7B's larger one and GOLD",
        )
    )
    # The figures are the configs' values the repository records, and TRL still refuses a mismatch.
    memory = (ROOT / "snippets" / "scaling-up" / "memory.py").read_text(
        encoding="utf-8"
    )
    known = figures().values
    for name in ("qwen2_5.vocab_small", "qwen2_5.vocab_7b"):
        assert f"vocab_size={known[name].replace(',', '')}" in memory, (
            f"docs/data/figures.yml: {name} = {known[name]} is not the vocab_size that"
            " snippets/scaling-up/memory.py records from the model's config.json"
        )
    import inspect

    from trl import DistillationTrainer

    source = inspect.getsource(DistillationTrainer)
    assert "vocab_size" in source and "GOLD" in source, (
        "the installed TRL's DistillationTrainer no longer checks vocab_size or points to GOLD:"
        " reread docs/examples/distillation.md's note on vocabularies"
    )


# --- 7. Open R1's recipe under another TRL -------------------------------------------------------


def test_open_r1s_recipe_is_not_said_to_run_value_for_value():
    assert_nowhere(
        r"value for value",
        "Open R1 pins TRL 0.18.0 (setup.py at 1416fa0), whose defaults were beta=0.04 and"
        " loss_type='bnpo'; under the installed TRL the same recipe gets other defaults: say both",
    )
    page = DOCS / "examples" / "grpo-training.md"
    text = page.read_text(encoding="utf-8")
    for placeholder in ("open_r1.trl_pin", "trl_018.beta", "trl_018.loss_type"):
        assert f"{{{{ {placeholder} }}}}" in text, wrong(
            page,
            line_of(page, "Open R1's demo recipe"),
            f"the real recipe's note must state Open R1's TRL pin and its defaults ({placeholder})",
        )
    known = figures().values
    assert (known["trl.beta"], known["trl.loss_type"]) != (
        known["trl_018.beta"],
        known["trl_018.loss_type"],
    ), (
        "the installed TRL's defaults are TRL 0.18's again: the note on Open R1's pin is moot"
    )


# --- 8. vLLM is not Hugging Face's, and TGI is introduced -----------------------------------------


def test_the_ecosystem_section_says_vllm_is_independent_and_introduces_tgi():
    ecosystem = section(page_source("lesson.md"), "ecosystem")
    assert "**vLLM**" not in ecosystem or re.search(
        r"vLLM, is an independent", ecosystem
    ), wrong(
        LESSON,
        line_of(LESSON, "## Where the Hugging Face ecosystem"),
        "vLLM is in the ecosystem table but not said to be an independent project (begun at UC"
        " Berkeley, its README) that TRL integrates",
    )
    first = re.search(r"\bTGI\b", ecosystem)
    assert (
        first is None
        or "Text Generation Inference (TGI)" in ecosystem[: first.end() + 1]
    ), wrong(
        LESSON,
        line_of(LESSON, "TGI"),
        "TGI is named before it is introduced: write 'Text Generation Inference (TGI)'",
    )


# --- 9. what a closed model does not let you do -------------------------------------------------


def test_closed_models_are_not_said_to_be_untrainable():
    assert_nowhere(
        r"prompt (them|it) but not train|cannot be (fine-)?tuned",
        "vendors sell fine-tuning of closed models, reinforcement fine-tuning included (e.g. Azure"
        " OpenAI's RFT guide): say what a closed model withholds, its weights",
    )


# --- 10. the pipeline diagram: reasoning RL before preference tuning ---------------------------


def mermaid_graphs(
    path: Path,
) -> list[tuple[int, dict[str, str], set[tuple[str, str]]]]:
    """(first line, node labels, edges) of each Mermaid flowchart on a page."""
    node = r"(\w+)(?:\[\"([^\"]*)\"\]|\[([^\]]*)\])?"
    edge = re.compile(rf"{node}\s*(?:-\.->|-->|==>)(?:\|[^|]*\|)?\s*{node}")
    graphs, inside, start = [], False, 0
    labels: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), start=1
    ):
        if line.strip() == "```mermaid":
            inside, start, labels, edges = True, number, {}, set()
            continue
        if inside and line.strip() == "```":
            graphs.append((start, labels, edges))
            inside = False
            continue
        if inside:
            for match in edge.finditer(line):
                a, b = match[1], match[4]
                for name, label in (
                    (a, match[2] or match[3]),
                    (b, match[5] or match[6]),
                ):
                    if label:
                        labels[name] = label
                edges.add((a, b))
    return graphs


def reachable(edges: set[tuple[str, str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        here = todo.pop()
        for a, b in edges:
            if a == here and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def test_the_pipeline_diagram_puts_reasoning_rl_before_preference_tuning():
    start, labels, edges = mermaid_graphs(LESSON)[0]

    def node(word):
        return next(n for n, label in labels.items() if label.startswith(word))

    pre, rl, preference = (
        node("Pre-training"),
        node("RL for reasoning"),
        node("Preference"),
    )
    assert rl not in reachable(edges, preference), wrong(
        LESSON,
        start,
        "the pipeline draws reasoning RL after preference tuning; in R1 v1 (§2.3) reasoning RL is"
        " stage 2 and the preference-aware RL stage 4",
    )
    assert (pre, rl) in edges, wrong(
        LESSON,
        start,
        "the pipeline must show R1-Zero's path from pre-training straight to RL (no SFT, R1 v1 §2.2)",
    )


# --- 11 and 19. every figure's source says where in it -----------------------------------------


def figure_groups() -> dict[str, dict]:
    return yaml.safe_load(FIGURES.read_text(encoding="utf-8"))


def test_every_figure_group_cites_a_locator_and_a_version():
    problems = []
    for group, entries in figure_groups().items():
        source = entries["source"]
        line = line_of(FIGURES, f"\n{group}:") + 1
        if not LOCATOR.search(source):
            problems.append(
                wrong(
                    FIGURES,
                    line,
                    f"group {group!r}: the source names no section, table,"
                    " figure, file or commit",
                )
            )
        if ARXIV.search(source) and not VERSION.search(source):
            problems.append(
                wrong(
                    FIGURES,
                    line,
                    f"group {group!r}: name the arXiv version read (e.g. v1)",
                )
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "value, where",
    [
        (
            "15.6%",
            "2.2.4",
        ),  # R1-Zero's start: in the text of R1 v1 (§1, §2.2.4), not in Table 2
        ("128K", "README"),  # R1's context: the repository's README, not the v1 paper
        ("10K", "4.1"),  # the RL run on Qwen-32B-Base: §4.1's text, not Tables 5 and 6
    ],
)
def test_each_figure_is_sourced_where_it_is_stated(value, where):
    groups = figure_groups()
    holding = [
        g for g, entries in groups.items() if value in map(str, entries.values())
    ]
    assert holding, f"docs/data/figures.yml: no figure holds {value}"
    for group in holding:
        assert where in groups[group]["source"], wrong(
            FIGURES,
            line_of(FIGURES, f"\n{group}:") + 1,
            f"{value} is stated in {where} of its source (issue 25, item 11); group {group!r},"
            f" which holds it, cites: {groups[group]['source']}",
        )


# --- 12. where R1's two versions differ, the text names the version -----------------------------


def test_r1_zero_figures_name_the_paper_version_in_the_text():
    problems = []
    for path in markdown_sources():
        for start, text in blocks(path):
            groups = {m[1] for m in PLACEHOLDER.finditer(text)}
            if groups & R1_VERSIONED_GROUPS and not re.search(
                r"first version|\bv1\b|Nature", FOOTNOTE_REF.sub("", text)
            ):
                problems.append(
                    wrong(
                        path,
                        start,
                        "R1-Zero's figures differ between R1 v1 and its Nature"
                        " version: say in the text which one a figure is from",
                    )
                )
    for path in (FLASHCARDS, QUIZZES):
        for line, where, text in data_texts(path):
            groups = {m[1] for m in PLACEHOLDER.finditer(text)}
            if groups & R1_VERSIONED_GROUPS and not re.search(
                r"first version|\bv1\b|Nature", text
            ):
                problems.append(
                    wrong(
                        path,
                        line,
                        f"{where}: say which version of the R1 paper the figure is from",
                    )
                )
    assert not problems, "\n".join(problems)
    nature = figure_groups()["r1_zero_nature"]["source"]
    assert "Nature" in nature and "Fig. 1" in nature, (
        "docs/data/figures.yml: r1_zero_nature must cite the Nature version's Fig. 1 (cons@16)"
    )


# --- 13. comparisons and versions that drift -----------------------------------------------------


def test_the_rl_baseline_is_compared_with_the_papers_comparison_not_with_zero():
    assert_nowhere(
        r"is far from 0\b",
        "compare R1's RL run with what the paper compares it with, QwQ-32B-Preview (R1 v1,"
        " Table 6: 47.0 against 50.0), inserted as {{ distill.rl_qwen_32b }} and"
        " {{ distill.qwq_32b }}",
    )


# --- 14. the GRPO deeper dive and the OpenR1-Math-220k description -----------------------------


def test_the_grpo_deeper_dive_names_the_reference_reset_and_the_loss_it_averages():
    assert_nowhere(
        r"against a fixed reference",
        "DeepSeekMath resets π_ref to the current policy at each outer iteration (Algorithm 1,"
        " as the GRPO page says); do not call it fixed",
    )
    found = []
    for path in markdown_sources():
        for start, text in blocks(path):
            if re.search(r"averaged over the tokens of each answer", text) and (
                'loss_type="grpo"' not in text
            ):
                found.append(
                    wrong(
                        path,
                        start,
                        'averaging over each answer\'s tokens is loss_type="grpo",'
                        " not TRL's default: say which loss it describes",
                    )
                )
    assert not found, "\n".join(found)


def test_openr1_math_is_described_as_its_card_describes_it():
    assert_nowhere(
        r"kept only when Math-Verify or a judge",
        "the OpenR1-Math-220k card (revision 075afe0): a problem is kept if at least one of its"
        " 2-4 traces verifies, the failing traces stay with flags, and there are two splits",
    )
    open_r1 = section(page_source("lesson.md"), "open-r1")
    for needed in (
        "two to four",
        "open_r1_math.default_split",
        "open_r1_math.extended_split",
    ):
        assert needed in open_r1, wrong(
            LESSON,
            line_of(LESSON, "OpenR1-Math-220k"),
            f"the OpenR1-Math-220k description must give {needed!r}",
        )


# --- 15. what did not work in R1 ------------------------------------------------------------------


def test_the_lesson_teaches_r1s_unsuccessful_attempts_with_their_section():
    notes = footnote_definitions(LESSON)
    where = [
        (line, " ".join(text.split()))
        for line, text in blocks(LESSON)
        if re.search("process reward model", " ".join(text.split()), re.I)
        and re.search("Monte Carlo tree search", " ".join(text.split()), re.I)
    ]
    assert where, wrong(
        LESSON,
        line_of(LESSON, "### Distillation into small models"),
        "the lesson must say what did not work for DeepSeek and why: a process reward model and"
        " Monte Carlo tree search (R1 v1 §4.2)",
    )
    line, text = where[0]
    assert any("§4.2" in notes[label][1] for label in FOOTNOTE_REF.findall(text)), (
        wrong(LESSON, line, "the unsuccessful attempts must cite R1 v1 §4.2")
    )
    for reason in ("reward hacking", "search space", "value model"):
        assert reason in text, wrong(
            LESSON, line, f"say why they failed: {reason!r} is missing"
        )


# --- 16. the lesson reads in about 11 minutes ----------------------------------------------------

READING_WORDS = 2650  # about 11 minutes, as the lesson's header promises
WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")


def visible_source_words(text: str) -> int:
    """Words a reader sees in the source, footnotes and the reading list included: no code, no
    diagram, no collapsed block, no markup, no link targets; a placeholder counts as one word."""
    text = re.sub(r"^(`{3,}).*?^\1\s*$", "", text, flags=re.M | re.S)
    text = re.sub(r"^\?\?\?.*\n(?:(?: {4}.*)?\n)*", "", text, flags=re.M)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\{[:#.][^}]*\}", "", text)
    text = PLACEHOLDER.sub("X", text)
    text = re.sub(r"\[\^[\w-]+\]:?", " ", text)
    return len(WORD.findall(text))


def test_the_lesson_source_fits_an_eleven_minute_read():
    words = visible_source_words(page_source("lesson.md"))
    assert words <= READING_WORDS, wrong(
        LESSON,
        1,
        f"{words} words a reader sees (footnotes and the reading list included); about"
        f" {READING_WORDS} fit the 11 minutes the header promises: say things once",
    )


def test_the_lesson_says_each_thing_once():
    lesson = page_source("lesson.md")
    stages = section(lesson, "r1-four-stages")
    assert not re.search(r"^\d+\. \*\*", stages, re.M), wrong(
        LESSON,
        line_of(LESSON, "### DeepSeek-R1 in four stages"),
        "the four stages are drawn in the diagram; do not list them again",
    )
    warnings = re.findall(r"(do|does) not compare|not comparable", lesson)
    assert len(warnings) == 1, wrong(
        LESSON,
        1,
        f"the pass@1-versus-cons@64 warning appears {len(warnings)} times; say it once",
    )
    meta = [b for _, b in blocks(LESSON) if "Track 14" in b and "Module 09" in b]
    assert meta and "Lesson 12" in meta[0], wrong(
        LESSON,
        line_of(LESSON, "## Where this fits"),
        "say once, in one paragraph, how Lesson 12, Module 09 and Track 14 relate",
    )


# --- 17. rendering: a bullet and a numbered answer that did not render ---------------------------


class _Paragraphs(html.parser.HTMLParser):
    """The text of every <p> in an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.paragraphs: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._depth += 1
            self.paragraphs.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.paragraphs[-1] += data


def render(markdown_text: str) -> str:
    """Markdown to HTML with the site's own extensions, as MkDocs configures them."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.markdown(
        markdown_text,
        extensions=config["markdown_extensions"],
        extension_configs=config["mdx_configs"],
    )


def stray_list_markers(html_text: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(html_text)
    return [p for p in parser.paragraphs if re.search(r"\n\s*(?:[-*+]|\d+\.) \S", p)]


def test_no_page_renders_a_list_item_inside_a_paragraph():
    """The contributing page's "- quizzes.yml:" ran on inside the paragraph above it."""
    problems = []
    for page in pages():
        source = page.read_text(encoding="utf-8")
        for paragraph in stray_list_markers(render(source)):
            for row in paragraph.splitlines()[1:]:
                marker = re.match(r"\s*(?:[-*+]|\d+\.) (\S.{0,24})", row)
                if marker:
                    number = next(
                        (
                            n
                            for n, line in enumerate(source.splitlines(), start=1)
                            if marker[1] in re.sub(r"[*`]", "", line)
                        ),
                        1,
                    )
                    problems.append(
                        wrong(
                            page,
                            number,
                            "this list item renders inside the paragraph above"
                            f" it, as text: put a blank line before it: {row.strip()[:60]!r}",
                        )
                    )
    assert not problems, "\n".join(problems)


def test_numbered_answers_render_as_lists():
    problems = []
    for path in (FLASHCARDS, QUIZZES):
        for line, where, text in data_texts(path):
            for row in text.splitlines():
                if re.match(r"\s*\d+\. ", row) and re.search(
                    r"\s\d+\. \S", row.strip()[3:]
                ):
                    problems.append(
                        wrong(
                            path,
                            line,
                            f"{where}: numbered items on one line render as one"
                            " list item; write the text as a literal block (|-), one item a line",
                        )
                    )
    assert not problems, "\n".join(problems)


# --- 18. versions come from the installed packages or from figures.yml ---------------------------

# A version number typed next to a library's name, after "version", or as a range after one.
TYPED_VERSION = re.compile(
    r"\b(?:TRL|trl|transformers|torch|PyTorch|vLLM|vllm|accelerate|PEFT|peft|datasets|DeepSpeed"
    r"|math-verify)(?:\[\w+\])?(?:==|>=|~=|<=|\s+v?|\s*\()\d+\.\d+"
    r"|\bversions?\s+v?\d+\.\d+"
    r"|\b(?:TRL|trl|transformers|torch)\b[^.;]*?\b(?:from|to|until|since|through|and|up to)\s+v?\d+\.\d+\b"
)


def typed_versions(lines) -> list[tuple[int, str]]:
    return [
        (n, line)
        for n, line in lines
        if TYPED_VERSION.search(PLACEHOLDER.sub("X", line))
    ]


def test_no_page_types_a_version_number():
    problems = []
    for path in [*markdown_sources(), FLASHCARDS, QUIZZES, DATA / "glossary.yml"]:
        lines = prose_lines(path)
        if path.suffix != ".md":  # YAML comments are not shown
            lines = [
                (n, line.split(" #")[0])
                for n, line in lines
                if not line.lstrip().startswith("#")
            ]
        for number, line in typed_versions(lines):
            problems.append(
                wrong(
                    path,
                    number,
                    "a version typed into the text: insert {{ trl.version }},"
                    " {{ transformers.version }} or {{ torch.version }} (the versions the runs were"
                    " recorded with) or a figure from docs/data/figures.yml with its source:"
                    f" {line.strip()}",
                )
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "planted",
    [
        "checked with TRL 1.16, where it is a regular trainer",
        "garbage in our runs (TRL 1.16, transformers 5.23)",
        "TRL's default up to version 0.18; since 0.19 it is 0.0",
        "it is absent from TRL 1.0 and was experimental from 1.1 to 1.9",
        "Open R1 pins `trl[vllm]==0.18.0`",
    ],
)
def test_a_typed_version_is_caught(planted):
    assert typed_versions([(1, planted)]), planted


def test_the_versions_are_those_the_runs_were_recorded_with():
    runs = ROOT / "docs" / "generated" / "runs.yml"
    known = hook("course_figures").load_spread(runs, "docs/generated/runs.yml")
    measured = yaml.safe_load(runs.read_text(encoding="utf-8"))["measured_on"]
    for library in ("trl", "transformers", "torch"):
        recorded = ".".join(re.findall(r"\d+", measured[library])[:2])
        assert known[f"{library}.version"] == recorded, (library, known, recorded)


def test_a_version_typed_into_figures_yml_is_refused(tmp_path):
    planted = tmp_path / "figures.yml"
    planted.write_text(
        'trl:\n  source: TRL, trl/trainer/grpo_config.py\n  version: "1.16"\n'
    )
    with pytest.raises(hook("course_figures").CourseDataError) as caught:
        hook("course_figures").load_figures(planted, "docs/data/figures.yml")
    assert str(caught.value) == (
        "docs/data/figures.yml:3: trl.version is read from docs/generated/runs.yml, the version"
        " the recorded runs were measured with; remove it from the file"
    )


def test_the_trl_defaults_the_example_pages_name_hold_for_the_installed_trl():
    """The example pages state these defaults "in TRL {{ trl.version }}", the installed TRL."""
    from trl import DistillationConfig, GRPOConfig, SFTConfig

    def defaults(config):
        return {f.name: f.default for f in dataclasses.fields(config)}

    stated = {
        # docs/examples/distillation.md
        (DistillationConfig, "beta"): 1.0,  # "1 the reverse KL (TRL's default)"
        (DistillationConfig, "learning_rate"): 1e-6,
        (DistillationConfig, "max_completion_length"): 512,
        (SFTConfig, "gradient_checkpointing"): True,
        # docs/examples/grpo.md
        (GRPOConfig, "num_iterations"): 1,
        (GRPOConfig, "use_bias_correction_kl"): True,
    }
    for (config, field), value in stated.items():
        assert defaults(config)[field] == value, (
            f"TRL {metadata.version('trl')}: {config.__name__}.{field} defaults to"
            f" {defaults(config)[field]!r}, not {value!r}; reread the example pages that state it"
        )


# --- 19. every reference has a locator, every paper result a reference ------------------------


def test_every_footnote_has_a_locator_and_names_the_papers_version():
    problems = []
    for path in markdown_sources():
        notes = footnote_definitions(path)
        text = path.read_text(encoding="utf-8")
        for label in set(FOOTNOTE_REF.findall(text)) - set(notes):
            problems.append(
                wrong(
                    path,
                    line_of(path, f"[^{label}]"),
                    f"footnote {label!r} has no text",
                )
            )
        for label, (line, note) in notes.items():
            note = unlinked(note)
            if not LOCATOR.search(note):
                problems.append(
                    wrong(
                        path,
                        line,
                        f"footnote {label!r} names no section, table, figure, file"
                        f" or commit: {note}",
                    )
                )
            if (ARXIV.search(note) or CITES_R1.search(note)) and not VERSION.search(
                note
            ):
                problems.append(
                    wrong(
                        path,
                        line,
                        f"footnote {label!r} cites a paper without its version"
                        f" (arXiv vN, or R1's Nature version): {note}",
                    )
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "note, ok",
    [
        ("R1 v1, §2.2.4 and Fig. 3.", True),
        ("DeepSeek-R1, arXiv 2501.12948.", False),  # no locator, no version
        ("DeepSeek-R1, Table 2.", False),  # no version
        ("Open R1 README.md, commit 1416fa0.", True),
    ],
)
def test_a_reference_without_a_locator_or_version_is_caught(note, ok):
    caught = not LOCATOR.search(note) or (
        (ARXIV.search(note) or CITES_R1.search(note)) and not VERSION.search(note)
    )
    assert caught != ok, note


def test_every_paper_result_on_a_page_carries_a_reference():
    problems = []
    for path in markdown_sources():
        notes = footnote_definitions(path)
        for start, text in blocks(path):
            if FOOTNOTE_DEF.match(text):
                continue
            groups = {m[1] for m in PLACEHOLDER.finditer(text)} & PAPER_GROUPS
            if not groups:
                continue
            cited = unlinked(
                " ".join(
                    notes.get(label, (0, ""))[1] for label in FOOTNOTE_REF.findall(text)
                )
            )
            inline = unlinked(FOOTNOTE_REF.sub("", text))
            if not (LOCATOR.search(cited) or LOCATOR.search(inline)):
                problems.append(
                    wrong(
                        path,
                        start,
                        f"states a result from {sorted(groups)} without a reference"
                        " to where in the source (a footnote, or '(R1 v1, §2.4)' inline)",
                    )
                )
            elif groups & {"r1_zero", "r1", "r1_eval", "distill"} and not (
                VERSION.search(cited) or VERSION.search(inline)
            ):
                problems.append(
                    wrong(
                        path,
                        start,
                        "cites the R1 paper without saying which version (v1 or"
                        " Nature)",
                    )
                )
    assert not problems, "\n".join(problems)


# --- the built lesson ----------------------------------------------------------------------------


class _VisibleText(html.parser.HTMLParser):
    """The text a reader sees in the article: no code, no collapsed block, no diagram, no quiz."""

    SKIP = {"pre", "details", "svg", "script", "style"}

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self._in_article = 0
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "article":
            self._in_article += 1
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.append(tag)
            return
        if tag in self.SKIP or "highlight" in classes.split() or "quiz" in classes:
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()
        elif tag == "article":
            self._in_article -= 1

    def handle_data(self, data):
        if self._in_article and not self._skip:
            self.text.append(data)


@pytest.mark.slow
def test_the_built_lesson_reads_in_about_eleven_minutes(built_site):
    parser = _VisibleText()
    parser.feed((built_site / "lesson" / "index.html").read_text(encoding="utf-8"))
    words = len(WORD.findall(" ".join(parser.text)))
    assert words <= READING_WORDS, (
        f"site/lesson/index.html: {words} visible words outside code and collapsed blocks; about"
        f" {READING_WORDS} fit the 11 minutes docs/lesson.md promises"
    )
