// Quizzes: checks the answers of each <section class="quiz"> (partials/quiz.html), explains them,
// and keeps a score per quiz in localStorage.
//
// Without this script the page still holds every question, its options and, in a <details>, the
// answer with each option's explanation. With it, that <details> stays hidden until the question
// is answered; answering (Enter on a radio button, or the "Check answer" button) locks the
// question and fills its aria-live feedback with the verdict, the chosen option's explanation,
// the right one's, and the link to the section that teaches it. Reset clears the quiz.
(function () {
  "use strict";

  const STORAGE_PREFIX = "reasoning-course:quiz:v1:";

  function load(name) {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_PREFIX + name));
      return saved && typeof saved.answers === "object" && saved.answers ? saved.answers : {};
    } catch (error) {
      return {}; // unreadable or blocked storage: start afresh
    }
  }

  function save(name, answers) {
    try {
      localStorage.setItem(STORAGE_PREFIX + name, JSON.stringify({ answers }));
    } catch (error) {
      // Private browsing may refuse storage; the quiz still works for this visit.
    }
  }

  function forget(name) {
    try {
      localStorage.removeItem(STORAGE_PREFIX + name);
    } catch (error) {
      // nothing stored, nothing to remove
    }
  }

  // A copy of some of the page's content for the feedback: no ids, so none is duplicated.
  function copyOf(element) {
    const copy = element.cloneNode(true);
    copy.removeAttribute("data-option");
    copy.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
    return copy;
  }

  function paragraph(className, ...children) {
    const p = document.createElement("p");
    p.className = className;
    p.append(...children);
    return p;
  }

  function setUp(quiz) {
    const name = quiz.dataset.quiz;
    const forms = Array.from(quiz.querySelectorAll("form.quiz-question"));
    if (!name || !forms.length) return;
    const answers = load(name);

    const bar = document.createElement("div");
    bar.className = "quiz-scorebar";
    const score = paragraph("quiz-score");
    const reset = document.createElement("button");
    reset.type = "button";
    reset.className = "md-button quiz-reset";
    reset.textContent = "Reset quiz";
    bar.append(score, reset);
    forms[0].before(bar);

    const optionOf = (form, index) => form.querySelector(`.quiz-option[data-option="${index}"]`);
    const explanationOf = (form, index) =>
      form.querySelector(`.quiz-explanations [data-option="${index}"]`);
    const rightAnswer = (form) => Number(form.dataset.answer);

    function showScore() {
      const answered = forms.filter((form) => form.dataset.question in answers);
      const right = answered.filter((form) => answers[form.dataset.question] === rightAnswer(form));
      let text = `Score: ${right.length} of ${forms.length} correct`;
      if (answered.length < forms.length) text += ` (${forms.length - answered.length} to go)`;
      score.textContent = text;
    }

    // Shows the question as answered with option `chosen`; `focus` after the reader answers.
    function showAnswered(form, chosen, focus) {
      const answer = rightAnswer(form);
      const feedback = form.querySelector(".quiz-feedback");
      form.querySelector(`input[value="${chosen}"]`).checked = true;
      form.querySelector("fieldset").disabled = true;
      form.querySelector(".quiz-actions").hidden = true;
      form.querySelector("details.quiz-answer").hidden = false;
      form.dataset.state = chosen === answer ? "right" : "wrong";
      optionOf(form, answer).classList.add("quiz-option--answer");
      optionOf(form, chosen).classList.add("quiz-option--chosen");

      const verdict = document.createElement("strong");
      verdict.textContent = chosen === answer ? "Right." : "Not quite.";
      const parts = [paragraph("quiz-verdict", verdict)];
      const yours = paragraph("quiz-yours", "Your answer: ");
      yours.append(...copyOf(explanationOf(form, chosen)).childNodes);
      parts.push(yours);
      if (chosen !== answer) {
        const right = paragraph("quiz-right", "The right answer: ");
        right.append(...copyOf(explanationOf(form, answer)).childNodes);
        parts.push(right);
      }
      parts.push(copyOf(form.querySelector(".quiz-link")));
      feedback.replaceChildren(...parts);
      if (focus) feedback.focus();
    }

    function showUnanswered(form) {
      const fieldset = form.querySelector("fieldset");
      fieldset.disabled = false;
      form.querySelectorAll("input[type=radio]").forEach((input) => {
        input.checked = false;
      });
      form.querySelectorAll(".quiz-option").forEach((option) => {
        option.classList.remove("quiz-option--answer", "quiz-option--chosen");
      });
      form.querySelector(".quiz-actions").hidden = false;
      form.querySelector("details.quiz-answer").hidden = true;
      form.querySelector("details.quiz-answer").open = false;
      form.querySelector(".quiz-feedback").replaceChildren();
      delete form.dataset.state;
    }

    function answer(form) {
      const checked = form.querySelector("input[type=radio]:checked");
      const feedback = form.querySelector(".quiz-feedback");
      if (!checked) {
        feedback.replaceChildren(paragraph("quiz-verdict", "Choose an answer first."));
        return;
      }
      const chosen = Number(checked.value);
      answers[form.dataset.question] = chosen;
      save(name, answers);
      showAnswered(form, chosen, true);
      showScore();
    }

    for (const form of forms) {
      const feedback = form.querySelector(".quiz-feedback");
      feedback.tabIndex = -1; // focused after answering, so the reader lands on the verdict
      const saved = answers[form.dataset.question];
      const options = form.querySelectorAll("input[type=radio]").length;
      if (Number.isInteger(saved) && saved >= 0 && saved < options) {
        showAnswered(form, saved, false);
      } else {
        delete answers[form.dataset.question]; // a question or option that no longer exists
        showUnanswered(form);
      }
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        answer(form);
      });
      // Enter on a radio button answers, as it would in most forms.
      form.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && event.target.matches("input[type=radio]")) {
          event.preventDefault();
          answer(form);
        }
      });
    }

    reset.addEventListener("click", () => {
      for (const key of Object.keys(answers)) delete answers[key];
      forget(name);
      forms.forEach(showUnanswered);
      showScore();
    });

    quiz.classList.add("quiz--enhanced");
    showScore();
  }

  document.querySelectorAll("section.quiz").forEach(setUp);
})();
