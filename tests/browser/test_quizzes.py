"""The quizzes in chromium: answers are checked and explained, by mouse or keyboard alone; the score
survives a reload until Reset; without JavaScript every question and answer is still on the page;
and axe finds nothing once questions are answered, in either palette.

(tests/browser/test_accessibility.py runs axe on every page as it loads, quizzes unanswered.)
"""

import re

import pytest
from support.content import DATA, figures, hook

pytestmark = pytest.mark.slow

LESSON = "lesson/"
SYLLABUS = "syllabus/"


@pytest.fixture(scope="module")
def quizzes():
    """Quiz name -> its questions, by id, with their texts as the page shows them."""
    book = hook("course_quizzes").load_quizzes(
        DATA / "quizzes.yml", DATA / "quizzes.schema.json", "quizzes.yml"
    )
    known = figures()

    def shown(
        text,
    ):  # figures filled in, one line, code marks and sub/superscript tags gone
        text = " ".join(known.substitute(text, "quizzes.yml").split())
        return re.sub(r"</?(?:sub|sup)>", "", text).replace("`", "")

    return {
        name: {
            question["id"]: {
                "answer": next(
                    i for i, o in enumerate(question["options"]) if o.get("correct")
                ),
                "question": shown(question["question"]),
                "options": [shown(o["text"]) for o in question["options"]],
                "explanations": [shown(o["explanation"]) for o in question["options"]],
            }
            for question in quiz["questions"]
        }
        for name, quiz in book.quizzes.items()
    }


def question(page, qid):
    return page.locator(f"#quiz-q-{qid}")


def choose(page, qid, index):
    page.locator(f"label[for='quiz-{qid}-{index}']").click()


def check(page, qid):
    question(page, qid).locator("button.quiz-check").click()


def score(page):
    return page.locator(".quiz-score").inner_text()


def answered(page, qid) -> bool:
    form = question(page, qid)
    locked = form.locator("fieldset").evaluate("fieldset => fieldset.disabled")
    return locked and form.get_attribute("data-state") in ("right", "wrong")


def focused(page) -> dict:
    """The focused element's id and classes, and whether its focus shows."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            // Material marks keyboard focus with a class of its own: not one of ours.
            return {id: el.id, classes: [...el.classList].filter(c => c !== "focus-visible"),
                    visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
                             && parseFloat(style.outlineWidth) > 0};
        }"""
    )


def test_a_right_and_a_wrong_answer_get_their_own_explanations(open_page, quizzes):
    page = open_page(LESSON)
    lesson = quizzes["lesson"]
    first, second = list(lesson)[:2]
    total = len(lesson)
    assert score(page) == f"Score: 0 of {total} correct ({total} to go)"
    form = question(page, first)
    assert form.locator(
        "details.quiz-answer"
    ).is_hidden()  # the answer waits for a choice
    assert form.locator(".quiz-feedback").inner_text() == ""

    # Checking with nothing chosen asks for a choice and records nothing.
    check(page, first)
    assert form.locator(".quiz-feedback").inner_text() == "Choose an answer first."
    assert not answered(page, first)

    right = lesson[first]["answer"]
    choose(page, first, right)
    check(page, first)
    feedback = form.locator(".quiz-feedback")
    assert feedback.get_attribute("aria-live") == "polite"
    text = feedback.inner_text()
    assert text.startswith("Right.")
    assert lesson[first]["explanations"][right] in text
    assert "The right answer" not in text
    link = feedback.locator("a")
    assert link.inner_text().startswith("Read more: ")
    assert link.get_attribute("href") == "./#grpo-in-trl"
    assert answered(page, first) and form.get_attribute("data-state") == "right"
    assert form.locator("details.quiz-answer").is_visible()

    wrong = (lesson[second]["answer"] + 1) % len(lesson[second]["options"])
    choose(page, second, wrong)
    check(page, second)
    form = question(page, second)
    text = form.locator(".quiz-feedback").inner_text()
    assert text.startswith("Not quite.")
    yours, _, theirs = text.partition("The right answer: ")
    assert lesson[second]["explanations"][wrong] in yours
    assert lesson[second]["explanations"][lesson[second]["answer"]] in theirs
    assert form.get_attribute("data-state") == "wrong"
    assert "quiz-option--chosen" in form.locator(
        f".quiz-option[data-option='{wrong}']"
    ).get_attribute("class")
    assert "quiz-option--answer" in form.locator(
        f".quiz-option[data-option='{lesson[second]['answer']}']"
    ).get_attribute("class")

    assert score(page) == f"Score: 1 of {total} correct ({total - 2} to go)"
    page.assert_no_problems()


def test_a_quiz_can_be_answered_with_the_keyboard_alone(open_page, quizzes):
    page = open_page(SYLLABUS)
    syllabus = quizzes["syllabus"]
    first, second = list(syllabus)[:2]
    page.locator(".quiz-reset").focus()

    # Tab enters the first question's radio group; the arrow keys choose within it.
    page.keyboard.press("Tab")
    assert focused(page) == {
        "id": f"quiz-{first}-0",
        "classes": [],
        "visible": True,
    }
    for _ in range(syllabus[first]["answer"]):
        page.keyboard.press("ArrowDown")
    now = focused(page)
    assert now["id"] == f"quiz-{first}-{syllabus[first]['answer']}" and now["visible"]
    assert page.locator(f"#{now['id']}").is_checked()
    page.keyboard.press("Enter")  # answers
    assert answered(page, first)
    now = focused(page)  # the reader lands on the verdict
    assert now["classes"] == ["quiz-feedback"], now
    assert (
        question(page, first)
        .locator(".quiz-feedback")
        .inner_text()
        .startswith("Right.")
    )

    # On through the feedback's link and the answers' summary to the next question.
    for _ in range(4):
        page.keyboard.press("Tab")
        if focused(page)["id"].startswith(f"quiz-{second}-"):
            break
    assert focused(page)["id"] == f"quiz-{second}-0"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")  # a radio button is chosen with Space too
    page.keyboard.press("Tab")
    button = focused(page)
    assert "quiz-check" in button["classes"] and button["visible"]
    page.keyboard.press("Space")  # the button answers as well as Enter
    assert answered(page, second)
    right = int(syllabus[second]["answer"] == 0)
    assert score(page) == (
        f"Score: {1 + right} of {len(syllabus)} correct ({len(syllabus) - 2} to go)"
    )
    page.assert_no_problems()


def test_the_score_survives_a_reload_until_reset(open_page, quizzes):
    page = open_page(LESSON)
    lesson = quizzes["lesson"]
    ids = list(lesson)
    total = len(ids)
    choose(page, ids[2], lesson[ids[2]]["answer"])
    check(page, ids[2])
    wrong = (lesson[ids[3]]["answer"] + 1) % len(lesson[ids[3]]["options"])
    choose(page, ids[3], wrong)
    check(page, ids[3])
    assert score(page) == f"Score: 1 of {total} correct ({total - 2} to go)"

    page.reload()
    assert score(page) == f"Score: 1 of {total} correct ({total - 2} to go)"
    assert answered(page, ids[2]) and answered(page, ids[3])
    assert page.locator(f"#quiz-{ids[3]}-{wrong}").is_checked()
    assert (
        question(page, ids[3])
        .locator(".quiz-feedback")
        .inner_text()
        .startswith("Not quite.")
    )
    assert not answered(page, ids[4])
    # Each quiz keeps its own score: the syllabus's is untouched.
    other = open_page(SYLLABUS)
    syllabus_total = len(quizzes["syllabus"])
    assert score(other) == (
        f"Score: 0 of {syllabus_total} correct ({syllabus_total} to go)"
    )

    page.locator(".quiz-reset").click()
    assert score(page) == f"Score: 0 of {total} correct ({total} to go)"
    for qid in ids[2:4]:
        form = question(page, qid)
        assert not answered(page, qid)
        assert form.locator("input:checked").count() == 0
        assert form.locator(".quiz-feedback").inner_text() == ""
        assert form.locator("details.quiz-answer").is_hidden()
    page.reload()
    assert score(page) == f"Score: 0 of {total} correct ({total} to go)"
    page.assert_no_problems()


def test_without_javascript_every_question_and_answer_is_on_the_page(
    browser, site_url, quizzes
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for path, name in ((LESSON, "lesson"), ("examples/grpo/", "grpo")):
            page.goto(site_url + path)
            assert page.locator(".quiz-scorebar").count() == 0
            for number, (qid, data) in enumerate(quizzes[name].items(), start=1):
                form = question(page, qid)
                legend = form.locator("legend").inner_text()
                assert legend == f"{number}. {data['question']}", legend
                radios = form.locator("input[type=radio]")
                assert radios.count() == len(data["options"])
                for index, option in enumerate(data["options"]):
                    label = page.locator(f"label[for='quiz-{qid}-{index}']")
                    assert label.inner_text() == f"{'ABCDEF'[index]}. {option}"
                assert form.locator("button.quiz-check").is_hidden()
                details = form.locator("details.quiz-answer")
                assert details.is_visible() and not details.evaluate("d => d.open")
                answers = re.sub(r"\s+", " ", details.text_content())
                letter = "ABCDEF"[data["answer"]]
                assert f"Answer: {letter}. {data['options'][data['answer']]}" in answers
                for explanation in data["explanations"]:
                    assert explanation in answers
                assert details.locator(".quiz-link a").count() == 1
            # A reader can still choose, and open the answers.
            first = next(iter(quizzes[name]))
            page.locator(f"label[for='quiz-{first}-0']").click()
            assert page.locator(f"#quiz-{first}-0").is_checked()
            question(page, first).locator("summary").click()
            assert question(page, first).locator(".quiz-explanations").is_visible()
    finally:
        context.close()


def test_answered_quizzes_have_no_axe_violation_in_either_palette(open_page, quizzes):
    # The sweep (page_visits) runs axe on every whole page, quizzes unanswered; answering
    # changes only the quiz, so axe audits the quiz here, in one palette and then the other.
    failures = []
    for path, name in ((LESSON, "lesson"), ("examples/distillation/", "distillation")):
        page = open_page(path, color_scheme="light", viewport="phone")
        ids = list(quizzes[name])
        for qid, wrong in ((ids[0], False), (ids[1], True)):
            index = quizzes[name][qid]["answer"]
            if wrong:
                index = (index + 1) % len(quizzes[name][qid]["options"])
            choose(page, qid, index)
            check(page, qid)
        question(page, ids[0]).locator("details.quiz-answer summary").click()
        for color_scheme in ("light", "dark"):
            page.switch_palette(color_scheme)
            where = f"/{path} ({color_scheme})"
            failures += [f"{where}: {v}" for v in page.axe_violations(["section.quiz"])]
            overflow = page.horizontal_overflow()
            if overflow:
                failures.append(f"{where}: scrolls {overflow}px sideways")
        failures += [f"/{path}: {p}" for p in page.problems()]
    assert not failures, "\n".join(failures)
