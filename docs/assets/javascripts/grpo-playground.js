// The GRPO playground of docs/examples/grpo.md ("Try it: a group of your own"). The page loads
// this script itself, beside the <div class="grpo-playground"> it fills, so no other page does.
//
// The reader marks each answer of a group right or wrong, or types its reward, and chooses a
// probability ratio and the clip epsilon; a table shows each answer's advantage divided by the
// group's standard deviation and not divided (Dr. GRPO), the clipped objective at that ratio, and
// whether the update pushes the answer up, down, or no further. The numbers are those of the
// page's snippets, which tests/browser/test_playground.py runs beside this script:
//
//   group_relative_advantages (snippets/grpo/advantages.py): (r - mean) / (std + 1e-4), with the
//     *sample* standard deviation (torch.std's default, dividing by G - 1): TRL's
//     scale_rewards="group";
//   centred_advantages (the same file): r - mean, Dr. GRPO's scale_rewards="none";
//   clipped_objective (snippets/grpo/objective.py): min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A).
//
// Without JavaScript the <div> holds a short text that points to the page's worked examples;
// this script replaces it with the form. The epsilon it starts from, and the TRL version that
// default holds for, come from the <div>'s data-epsilon and data-trl-version, which the build
// fills in from docs/data/figures.yml.
(function () {
  "use strict";

  const STD_EPS = 1e-4; // group_relative_advantages(..., eps=1e-4)
  const MIN_SIZE = 2; // the sample standard deviation needs two answers
  const MAX_SIZE = 16;
  // The page's worked example: eight answers, four right.
  const START_REWARDS = [1, 0, 1, 1, 0, 0, 1, 0];
  const START_RATIO = 1.3;
  const ZERO = 1e-6; // an advantage this small is the 0 of a group that agrees
  const MINUS = "\u2212";

  // --- the computation, as the snippets do it ---------------------------------------------------

  function mean(values) {
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  }

  function sampleStd(values) {
    const centre = mean(values);
    const squares = values.reduce((sum, value) => sum + (value - centre) ** 2, 0);
    return Math.sqrt(squares / (values.length - 1));
  }

  function groupRelativeAdvantages(rewards) {
    const centre = mean(rewards);
    const std = sampleStd(rewards);
    return rewards.map((reward) => (reward - centre) / (std + STD_EPS));
  }

  function centredAdvantages(rewards) {
    const centre = mean(rewards);
    return rewards.map((reward) => reward - centre);
  }

  function clippedObjective(ratio, advantage, eps) {
    const clipped = Math.min(Math.max(ratio, 1 - eps), 1 + eps);
    return Math.min(ratio * advantage, clipped * advantage);
  }

  // What the update does to a token of an answer with this advantage, moved by this ratio: the
  // gradient of the clipped objective is 0 where the clipped term is the smaller one.
  function direction(ratio, advantage, eps) {
    if (Math.abs(advantage) < ZERO) return { kind: "none", text: "no push: A = 0" };
    if (advantage > 0) {
      return ratio > 1 + eps
        ? { kind: "clipped", text: "clipped: no push" }
        : { kind: "up", text: "pushed up" };
    }
    return ratio < 1 - eps
      ? { kind: "clipped", text: "clipped: no push" }
      : { kind: "down", text: "pushed down" };
  }

  // --- formatting ---------------------------------------------------------------------------------

  function plain(value) {
    const text = Math.abs(value).toFixed(2);
    return (value < 0 && text !== "0.00" ? MINUS : "") + text;
  }

  function signed(value) {
    const text = Math.abs(value).toFixed(2);
    if (text === "0.00") return text;
    return (value < 0 ? MINUS : "+") + text;
  }

  function count(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  // --- the form -----------------------------------------------------------------------------------

  function element(tag, properties, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(properties || {})) {
      if (name === "className") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  function hidden(text) {
    return element("span", { className: "grpo-playground__hidden", text });
  }

  function numberInput(id, properties) {
    return element("input", { type: "number", id, inputmode: "decimal", ...properties });
  }

  function setUp(container) {
    const startEps = Number(container.dataset.epsilon);
    const trlVersion = container.dataset.trlVersion;
    const fallback = container.querySelector(".grpo-playground-fallback");
    if (!Number.isFinite(startEps) || !trlVersion || !fallback) return;

    const size = numberInput("grpo-size", {
      min: MIN_SIZE,
      max: MAX_SIZE,
      step: 1,
      value: START_REWARDS.length,
      inputmode: "numeric",
    });
    const sizeHint = element("span", {
      className: "grpo-playground__hint",
      id: "grpo-size-hint",
      text: `from ${MIN_SIZE} to ${MAX_SIZE}`,
    });
    size.setAttribute("aria-describedby", sizeHint.id);

    const ratio = numberInput("grpo-ratio", { min: 0.05, max: 5, step: 0.05, value: START_RATIO });
    const eps = numberInput("grpo-eps", { min: 0, max: 0.95, step: 0.01, value: startEps });
    const epsHint = element("span", {
      className: "grpo-playground__hint",
      id: "grpo-eps-hint",
      text: `TRL ${trlVersion}'s default is ${startEps}`,
    });
    eps.setAttribute("aria-describedby", epsHint.id);

    const scaling = element(
      "fieldset",
      { className: "grpo-playground__scaling" },
      element("legend", { text: "The objective uses the advantage" }),
    );
    const modes = [
      ["group", 'divided by the std (scale_rewards="group")'],
      ["none", 'not divided, Dr. GRPO (scale_rewards="none")'],
    ];
    for (const [value, text] of modes) {
      const radio = element("input", {
        type: "radio",
        name: "grpo-scaling",
        id: `grpo-scaling-${value}`,
        value,
      });
      radio.checked = value === "group";
      scaling.append(
        element(
          "div",
          { className: "grpo-playground__radio" },
          radio,
          element("label", { for: radio.id, text }),
        ),
      );
    }

    const settings = element(
      "fieldset",
      { className: "grpo-playground__settings" },
      element("legend", { text: "Group and update" }),
      element(
        "div",
        { className: "grpo-playground__field" },
        element("label", { for: size.id, text: "Answers in the group, G" }),
        size,
        sizeHint,
      ),
      element(
        "div",
        { className: "grpo-playground__field" },
        element(
          "label",
          { for: ratio.id },
          "Probability ratio ρ = π",
          element("sub", { text: "θ" }),
          " / π",
          element("sub", { text: "old" }),
        ),
        ratio,
      ),
      element(
        "div",
        { className: "grpo-playground__field" },
        element("label", { for: eps.id, text: "Clip ε" }),
        eps,
        epsHint,
      ),
      scaling,
    );

    const headings = [
      "Answer",
      "Right",
      "Reward",
      "Advantage ÷\u00a0std",
      "Advantage, Dr.\u00a0GRPO",
      "Objective at\u00a0ρ",
      "The update",
    ];
    const body = element("tbody");
    const table = element(
      "table",
      { className: "grpo-playground__table" },
      element("caption", {
        text: "The answers of the group",
      }),
      element(
        "thead",
        {},
        element("tr", {}, ...headings.map((text) => element("th", { scope: "col", text }))),
      ),
      body,
    );
    const summary = element("div", {
      className: "grpo-playground__summary",
      role: "status",
      "aria-live": "polite",
    });
    const form = element(
      "form",
      { className: "grpo-playground__form", novalidate: "" },
      settings,
      element("div", { className: "grpo-playground__scroll" }, table),
      summary,
    );

    const rows = [];

    function addRow(reward) {
      const n = rows.length + 1;
      const right = element("input", { type: "checkbox", id: `grpo-right-${n}` });
      const value = numberInput(`grpo-reward-${n}`, { step: "any", value: reward });
      const cells = {
        scaled: element("td", { className: "grpo-playground__scaled" }),
        centred: element("td", { className: "grpo-playground__centred" }),
        objective: element("td", { className: "grpo-playground__objective" }),
        update: element("td", { className: "grpo-playground__update" }),
      };
      const tr = element(
        "tr",
        { "data-answer": n },
        element("th", { scope: "row", text: String(n) }),
        element(
          "td",
          {},
          element(
            "label",
            { className: "grpo-playground__right", for: right.id },
            right,
            hidden(`Answer ${n} is right`),
          ),
        ),
        element(
          "td",
          {},
          element("label", { className: "grpo-playground__hidden", for: value.id, text: `Reward of answer ${n}` }),
          value,
        ),
        cells.scaled,
        cells.centred,
        cells.objective,
        cells.update,
      );
      const row = { tr, right, value, cells };
      right.addEventListener("change", () => {
        value.value = right.checked ? "1" : "0";
        showMark(row);
        update();
      });
      value.addEventListener("input", () => {
        showMark(row);
        update();
      });
      showMark(row);
      rows.push(row);
      body.append(tr);
    }

    // The box is ticked for a reward of 1, clear for 0, and half-ticked for any other reward.
    function showMark(row) {
      const reward = row.value.valueAsNumber;
      row.right.checked = reward === 1;
      row.right.indeterminate = Number.isFinite(reward) && reward !== 0 && reward !== 1;
    }

    function resize() {
      const wanted = size.valueAsNumber;
      const valid = Number.isInteger(wanted) && wanted >= MIN_SIZE && wanted <= MAX_SIZE;
      size.setAttribute("aria-invalid", String(!valid));
      if (!valid) return false;
      while (rows.length < wanted) addRow(0);
      while (rows.length > wanted) rows.pop().tr.remove();
      return true;
    }

    function clear(message) {
      for (const row of rows) {
        for (const cell of Object.values(row.cells)) {
          cell.textContent = "–";
          delete cell.dataset.value;
          delete cell.dataset.kind;
        }
      }
      summary.replaceChildren(element("p", { text: message }));
    }

    function update() {
      if (!resize()) {
        clear(`Type a whole number of answers from ${MIN_SIZE} to ${MAX_SIZE}.`);
        return;
      }
      const problems = [];
      const rewards = rows.map((row, index) => {
        const reward = row.value.valueAsNumber;
        const valid = Number.isFinite(reward);
        row.value.setAttribute("aria-invalid", String(!valid));
        if (!valid) problems.push(`answer ${index + 1}`);
        return reward;
      });
      const rho = ratio.valueAsNumber;
      const rhoValid = Number.isFinite(rho) && rho > 0;
      ratio.setAttribute("aria-invalid", String(!rhoValid));
      const epsilon = eps.valueAsNumber;
      const epsValid = Number.isFinite(epsilon) && epsilon >= 0 && epsilon < 1;
      eps.setAttribute("aria-invalid", String(!epsValid));
      if (problems.length) {
        clear(`Type a number as the reward of ${problems.join(", ")}.`);
        return;
      }
      if (!rhoValid || !epsValid) {
        clear("Type a ratio ρ above 0, and an ε from 0 to less than 1.");
        return;
      }

      const scaled = groupRelativeAdvantages(rewards);
      const centred = centredAdvantages(rewards);
      const mode = form.querySelector("input[name=grpo-scaling]:checked").value;
      const used = mode === "group" ? scaled : centred;
      const tally = { up: 0, down: 0, clipped: 0, none: 0 };
      rows.forEach((row, index) => {
        const objective = clippedObjective(rho, used[index], epsilon);
        const move = direction(rho, used[index], epsilon);
        tally[move.kind] += 1;
        const shown = [
          [row.cells.scaled, scaled[index]],
          [row.cells.centred, centred[index]],
          [row.cells.objective, objective],
        ];
        for (const [cell, value] of shown) {
          cell.textContent = signed(value);
          cell.dataset.value = String(value);
        }
        row.cells.update.textContent = move.text;
        row.cells.update.dataset.kind = move.kind;
      });

      const std = sampleStd(rewards);
      const stats = `Group mean ${plain(mean(rewards))}, sample standard deviation ${plain(std)}`;
      const agree =
        std === 0
          ? " Every answer has the same reward: each advantage is 0 (the 1e-4 keeps it from" +
            " being 0 / 0), so this group teaches the model nothing."
          : "";
      const moves = [
        tally.up && `${count(tally.up, "answer", "answers")} pushed up`,
        tally.down && `${count(tally.down, "answer", "answers")} pushed down`,
        tally.clipped &&
          `${count(tally.clipped, "answer", "answers")} clipped, not pushed further (ρ is` +
            " already past the clip range in the direction the advantage asks for)",
        tally.none && `${count(tally.none, "answer", "answers")} not pushed (advantage 0)`,
      ].filter(Boolean);
      const using = mode === "group" ? "divided by the std" : "not divided (Dr. GRPO)";
      summary.replaceChildren(
        element("p", { className: "grpo-playground__stats", text: `${stats}.${agree}` }),
        element("p", {
          className: "grpo-playground__moves",
          text: `At ρ = ${plain(rho)} and ε = ${plain(epsilon)}, with the advantage ${using}: ${moves.join(", ")}.`,
        }),
      );
    }

    START_REWARDS.forEach(addRow);
    size.addEventListener("input", update);
    ratio.addEventListener("input", update);
    eps.addEventListener("input", update);
    scaling.addEventListener("change", update);
    form.addEventListener("submit", (event) => event.preventDefault()); // Enter in a field

    fallback.replaceWith(form);
    container.classList.add("grpo-playground--ready");
    update();
  }

  // Built when it comes within a screen of the viewport, not while the page loads: building
  // the form makes the browser lay out this long page again, a second of a slow phone's time
  // that a reader who never scrolls this far should not pay (scripts/lighthouse.py).
  function whenNear(container, run) {
    if (!("IntersectionObserver" in window)) {
      run(container);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          run(container);
        }
      },
      { rootMargin: "100% 0px" },
    );
    observer.observe(container);
  }

  document.querySelectorAll(".grpo-playground").forEach((container) => whenNear(container, setUp));
})();
