"""The flashcards page in chromium: the deck works by mouse, touch and keyboard, remembers progress,
filters, exports, and without JavaScript or on paper every card is still there."""

import pytest
from support.content import flashcard_deck

pytestmark = pytest.mark.slow

PAGE = "flashcards/"


@pytest.fixture(scope="module")
def deck():
    return flashcard_deck()


@pytest.fixture
def flashcards(open_page):
    return open_page(PAGE)


def current(page) -> dict:
    card = page.locator("#flashcard-card")
    return {
        "id": card.get_attribute("data-card"),
        "side": card.get_attribute("data-side"),
        "position": page.locator("#flashcard-position").inner_text(),
        "tally": page.locator("#flashcard-tally").inner_text(),
        "box": page.locator("#flashcard-box").inner_text(),
    }


def test_the_deck_replaces_the_list_and_shows_the_first_card(flashcards, deck):
    assert flashcards.locator(".flashcard-list").is_hidden()
    assert flashcards.locator("#flashcard-app").is_visible()
    first = deck.cards[0]
    assert current(flashcards) == {
        "id": first["id"],
        "side": "question",
        "position": f"Card 1 of {len(deck.cards)}",
        "tally": "Got it: 0 · Again: 0",
        "box": "box 1 of 5",
    }
    assert "reasoning model" in flashcards.locator("#flashcard-face").inner_text()
    flashcards.assert_no_problems()


def test_a_card_flips_by_click_space_and_enter(flashcards):
    card = flashcards.locator("#flashcard-card")
    card.click()
    assert current(flashcards)["side"] == "answer"
    assert "thinking trace" in flashcards.locator("#flashcard-face").inner_text()
    card.focus()
    flashcards.keyboard.press("Space")
    assert current(flashcards)["side"] == "question"
    flashcards.keyboard.press("Enter")
    assert current(flashcards)["side"] == "answer"
    flashcards.locator("#flashcard-flip").click()  # the button does the same
    assert current(flashcards)["side"] == "question"
    flashcards.assert_no_problems()


def test_a_card_flips_by_tap_on_a_phone(browser, site_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(site_url + PAGE)
        page.locator("#flashcard-card").tap()
        assert page.locator("#flashcard-card").get_attribute("data-side") == "answer"
    finally:
        context.close()


def test_arrow_keys_and_buttons_move_between_cards(flashcards, deck):
    ids = [card["id"] for card in deck.cards]
    flashcards.keyboard.press("ArrowRight")
    assert current(flashcards)["id"] == ids[1]
    flashcards.keyboard.press("ArrowRight")
    assert current(flashcards)["position"] == f"Card 3 of {len(ids)}"
    flashcards.keyboard.press("ArrowLeft")
    assert current(flashcards)["id"] == ids[1]
    flashcards.locator("#flashcard-prev").click()
    assert current(flashcards)["id"] == ids[0]
    flashcards.locator("#flashcard-prev").click()  # wraps round to the last card
    assert current(flashcards)["id"] == ids[-1]
    flashcards.locator("#flashcard-next").click()
    assert current(flashcards)["id"] == ids[0]


def test_a_missed_card_comes_back_sooner_than_a_known_one(flashcards, deck):
    ids = [card["id"] for card in deck.cards]

    def walk(steps):
        seen = []
        for _ in range(steps):
            flashcards.keyboard.press("ArrowRight")
            seen.append(current(flashcards)["id"])
        return seen

    flashcards.locator("#flashcard-again").click()  # card 0 -> box 1, two cards on
    assert current(flashcards)["id"] == ids[1]
    assert walk(2)[-1] == ids[0]
    assert current(flashcards)["box"] == "box 1 of 5"
    flashcards.locator("#flashcard-known").click()  # card 0 -> box 2, four cards on
    after = walk(5)
    assert after.index(ids[0]) == 3  # the fourth card after the one that followed it
    assert current(flashcards)["tally"] == "Got it: 1 · Again: 1"


def test_progress_survives_a_reload_until_reset(flashcards, deck):
    ids = [card["id"] for card in deck.cards]
    flashcards.locator("#flashcard-known").click()
    flashcards.locator("#flashcard-known").click()
    flashcards.locator("#flashcard-again").click()
    before = current(flashcards)
    assert before["tally"] == "Got it: 2 · Again: 1"
    flashcards.reload()
    assert current(flashcards) == before
    flashcards.locator("#flashcard-reset").click()
    assert current(flashcards)["tally"] == "Got it: 0 · Again: 0"
    assert current(flashcards)["id"] == ids[0]
    flashcards.reload()
    assert current(flashcards)["tally"] == "Got it: 0 · Again: 0"
    flashcards.assert_no_problems()


def test_shuffle_reorders_the_deck_and_keeps_every_card(flashcards, deck):
    flashcards.locator("#flashcard-shuffle").click()
    seen = [current(flashcards)["id"]]
    for _ in range(len(deck.cards) - 1):
        flashcards.keyboard.press("ArrowRight")
        seen.append(current(flashcards)["id"])
    assert sorted(seen) == sorted(card["id"] for card in deck.cards)
    assert seen != [card["id"] for card in deck.cards]


def test_filtering_by_topic_shows_only_that_topic(flashcards, deck):
    grpo = [card["id"] for card in deck.cards if card["topic"] == "grpo"]
    flashcards.locator("#flashcard-topic").select_option("grpo")
    assert current(flashcards)["position"] == f"Card 1 of {len(grpo)}"
    # The arrow keys would change the focused select itself; move focus to the card first.
    flashcards.locator("#flashcard-card").focus()
    seen = [current(flashcards)["id"]]
    for _ in range(len(grpo) - 1):
        flashcards.keyboard.press("ArrowRight")
        seen.append(current(flashcards)["id"])
    assert seen == grpo
    before = current(flashcards)
    flashcards.reload()  # the filter and the place in the deck are remembered too
    assert current(flashcards) == before
    assert flashcards.locator("#flashcard-topic").input_value() == "grpo"


def test_the_export_downloads_every_card(flashcards, deck):
    with flashcards.expect_download() as download_info:
        flashcards.get_by_role("link", name="Download all cards for Anki (TSV)").click()
    download = download_info.value
    assert download.suggested_filename == "reasoning-models-flashcards.tsv"
    rows = [
        line.split("\t")
        for line in open(download.path(), encoding="utf-8").read().splitlines()
        if not line.startswith("#")
    ]
    assert [row[0] for row in rows] == [
        f"reasoning-course-{card['id']}" for card in deck.cards
    ]


def test_every_card_is_readable_without_javascript(browser, site_url, deck):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE)
        assert page.locator("#flashcard-app").is_hidden()
        cards = page.locator("details.flashcard")
        assert cards.count() == len(deck.cards)
        first = cards.first
        first.locator("summary").click()  # details opens without any script
        assert "thinking trace" in first.inner_text()
    finally:
        context.close()


def test_printing_shows_every_question_and_answer(flashcards, deck):
    flashcards.emulate_media(media="print")
    assert flashcards.locator("#flashcard-app").is_hidden()
    assert flashcards.locator("details.flashcard").count() == len(deck.cards)
    last = flashcards.locator("details.flashcard").last
    assert last.locator("summary").is_visible()
    answer = last.locator("p").first  # inside a closed <details>
    assert answer.is_visible(), "answers must print even when their card is closed"


def test_screenshots_of_the_deck_on_desktop_and_phone(open_page, screenshot_dir):
    for viewport in ("desktop", "phone"):
        page = open_page(PAGE, viewport=viewport)
        page.locator("#flashcard-card").click()
        page.screenshot(
            path=screenshot_dir / f"flashcards-answer-{viewport}.png", full_page=True
        )
        page.assert_no_problems()
