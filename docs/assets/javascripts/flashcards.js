// Flashcards: turns the page's list of <details class="flashcard"> (readable without JavaScript)
// into a deck shown one card at a time, with Leitner boxes kept in localStorage.
//
// Spaced repetition, kept simple: every card sits in a box from 1 to 5. "Again" puts it in box 1
// and back into the queue AGAIN_GAP cards later; "Got it" moves it up a box and 2^box cards later
// (box 2: 4 cards on, box 5: 32). Missed cards therefore come back soonest.
(function () {
  "use strict";

  const STORAGE_KEY = "reasoning-course:flashcards:v1";
  const TOP_BOX = 5;
  const AGAIN_GAP = 2;

  const list = document.querySelector(".flashcard-list");
  const app = document.getElementById("flashcard-app");
  if (!list || !app) return;

  const cards = Array.from(list.querySelectorAll("details.flashcard")).map((el) => {
    const back = el.cloneNode(true);
    back.querySelector("summary").remove();
    back.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
    return {
      id: el.dataset.card,
      topic: el.dataset.topic,
      topicLabel: el.dataset.topicLabel,
      front: el.querySelector("summary").innerHTML,
      back: back.innerHTML,
    };
  });
  if (!cards.length) return;
  const byId = new Map(cards.map((card) => [card.id, card]));
  const topics = new Map(cards.map((card) => [card.topic, card.topicLabel]));

  // ---- state ------------------------------------------------------------------------------
  function freshState() {
    return {
      order: cards.map((card) => card.id),
      pos: 0,
      boxes: {},
      tally: { known: 0, again: 0 },
      topic: "all",
    };
  }

  function loadState() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(STORAGE_KEY));
    } catch (error) {
      saved = null; // unreadable or blocked storage: start afresh
    }
    const state = freshState();
    if (!saved || !Array.isArray(saved.order)) return state;
    // Keep the saved order for cards that still exist; new cards join at the end.
    const kept = saved.order.filter((id) => byId.has(id));
    state.order = kept.concat(state.order.filter((id) => !kept.includes(id)));
    for (const [id, box] of Object.entries(saved.boxes || {})) {
      if (byId.has(id) && Number.isInteger(box)) state.boxes[id] = Math.min(Math.max(box, 1), TOP_BOX);
    }
    state.tally.known = Number(saved.tally && saved.tally.known) || 0;
    state.tally.again = Number(saved.tally && saved.tally.again) || 0;
    state.topic = topics.has(saved.topic) ? saved.topic : "all";
    state.pos = Number.isInteger(saved.pos) ? saved.pos : 0;
    return state;
  }

  function saveState() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // Private browsing may refuse storage; the deck still works for this visit.
    }
  }

  let state = loadState();
  let flipped = false;

  const visible = () =>
    state.order.filter((id) => state.topic === "all" || byId.get(id).topic === state.topic);
  const boxOf = (id) => state.boxes[id] || 1;

  // ---- the interface ------------------------------------------------------------------------
  app.innerHTML = `
    <div class="flashcard-toolbar">
      <label class="flashcard-filter">Topic
        <select id="flashcard-topic"></select>
      </label>
      <button type="button" class="md-button" id="flashcard-shuffle">Shuffle</button>
      <button type="button" class="md-button" id="flashcard-reset">Reset progress</button>
    </div>
    <p class="flashcard-status">
      <span id="flashcard-position"></span> ·
      <span id="flashcard-tally" aria-live="polite"></span>
    </p>
    <div class="flashcard-card" id="flashcard-card" tabindex="0" role="group"
         aria-roledescription="flashcard">
      <p class="flashcard-meta"><span id="flashcard-topic-label"></span> ·
        <span id="flashcard-box"></span></p>
      <p class="flashcard-side" id="flashcard-side"></p>
      <div class="flashcard-face" id="flashcard-face" aria-live="polite"></div>
      <p class="flashcard-hint">Click the card or press Space to flip it.</p>
    </div>
    <div class="flashcard-controls">
      <button type="button" class="md-button" id="flashcard-prev" aria-label="Previous card">← Previous</button>
      <button type="button" class="md-button" id="flashcard-flip" aria-pressed="false">Show answer</button>
      <button type="button" class="md-button" id="flashcard-again">Again</button>
      <button type="button" class="md-button md-button--primary" id="flashcard-known">Got it</button>
      <button type="button" class="md-button" id="flashcard-next" aria-label="Next card">Next →</button>
    </div>`;
  const $ = (id) => document.getElementById(id);
  const topicSelect = $("flashcard-topic");
  topicSelect.add(new Option(`All topics (${cards.length})`, "all"));
  for (const [topic, label] of topics) {
    const count = cards.filter((card) => card.topic === topic).length;
    topicSelect.add(new Option(`${label} (${count})`, topic));
  }

  function render() {
    const ids = visible();
    if (state.pos >= ids.length || state.pos < 0) state.pos = 0;
    const card = byId.get(ids[state.pos]);
    const cardEl = $("flashcard-card");
    cardEl.dataset.card = card.id;
    cardEl.dataset.side = flipped ? "answer" : "question";
    cardEl.setAttribute("aria-label", `Card ${state.pos + 1} of ${ids.length}, ${flipped ? "answer" : "question"}`);
    $("flashcard-side").textContent = flipped ? "Answer" : "Question";
    $("flashcard-face").innerHTML = flipped ? card.back : card.front;
    $("flashcard-topic-label").textContent = card.topicLabel;
    $("flashcard-box").textContent = `box ${boxOf(card.id)} of ${TOP_BOX}`;
    $("flashcard-position").textContent = `Card ${state.pos + 1} of ${ids.length}`;
    $("flashcard-tally").textContent = `Got it: ${state.tally.known} · Again: ${state.tally.again}`;
    const flip = $("flashcard-flip");
    flip.textContent = flipped ? "Show question" : "Show answer";
    flip.setAttribute("aria-pressed", String(flipped));
    topicSelect.value = state.topic;
  }

  function go(step) {
    const count = visible().length;
    state.pos = (state.pos + step + count) % count;
    flipped = false;
    saveState();
    render();
  }

  function flipCard() {
    flipped = !flipped;
    render();
  }

  function mark(known) {
    const ids = visible();
    const id = ids[state.pos];
    const box = known ? Math.min(boxOf(id) + 1, TOP_BOX) : 1;
    state.boxes[id] = box;
    state.tally[known ? "known" : "again"] += 1;
    // Move the card later in the queue: missed cards a little, known cards further each box.
    const rest = ids.filter((other) => other !== id);
    const target = state.pos + (known ? 2 ** box : AGAIN_GAP);
    state.order = state.order.filter((other) => other !== id);
    if (target >= rest.length) {
      state.order.push(id);
    } else {
      state.order.splice(state.order.indexOf(rest[target]), 0, id);
    }
    // The card that followed now sits at the same position.
    if (state.pos >= rest.length) state.pos = 0;
    flipped = false;
    saveState();
    render();
  }

  function shuffle() {
    for (let i = state.order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [state.order[i], state.order[j]] = [state.order[j], state.order[i]];
    }
    state.pos = 0;
    flipped = false;
    saveState();
    render();
  }

  function reset() {
    state = freshState();
    flipped = false;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // nothing stored, nothing to remove
    }
    render();
  }

  $("flashcard-card").addEventListener("click", (event) => {
    if (!event.target.closest("a")) flipCard(); // a link on the back still opens
  });
  $("flashcard-card").addEventListener("keydown", (event) => {
    if ((event.key === " " || event.key === "Enter") && !event.target.closest("a")) {
      event.preventDefault();
      flipCard();
    }
  });
  $("flashcard-flip").addEventListener("click", flipCard);
  $("flashcard-prev").addEventListener("click", () => go(-1));
  $("flashcard-next").addEventListener("click", () => go(1));
  $("flashcard-known").addEventListener("click", () => mark(true));
  $("flashcard-again").addEventListener("click", () => mark(false));
  $("flashcard-shuffle").addEventListener("click", shuffle);
  $("flashcard-reset").addEventListener("click", reset);
  topicSelect.addEventListener("change", () => {
    state.topic = topicSelect.value;
    state.pos = 0;
    flipped = false;
    saveState();
    render();
  });

  // Arrow keys move between cards unless the reader is typing or choosing something.
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, select, textarea, [contenteditable]")) return;
    if (event.key === "ArrowRight") go(1);
    else if (event.key === "ArrowLeft") go(-1);
    else return;
    event.preventDefault();
  });

  // Printing shows the full list, answers open, rather than the single card on screen.
  window.addEventListener("beforeprint", () => {
    list.querySelectorAll("details.flashcard").forEach((el) => {
      el.dataset.wasOpen = String(el.open);
      el.open = true;
    });
  });
  window.addEventListener("afterprint", () => {
    list.querySelectorAll("details.flashcard").forEach((el) => {
      el.open = el.dataset.wasOpen === "true";
    });
  });

  list.classList.add("flashcard-list--enhanced");
  app.hidden = false;
  render();
})();
