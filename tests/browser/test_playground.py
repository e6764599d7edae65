"""The GRPO playground (docs/examples/grpo.md, assets/javascripts/grpo-playground.js) in chromium.

Fed a table of groups (right and wrong answers, typed rewards, groups that agree) and ratios inside
and outside the clip range, it shows, to two decimals, what the page's own snippets compute in
this test run: ``group_relative_advantages`` and ``centred_advantages`` (snippets/grpo/advantages.py)
and ``clipped_objective`` (snippets/grpo/objective.py). It works by keyboard alone, says what it
does without JavaScript, starts from TRL's default epsilon, is loaded by the GRPO page alone, and
axe finds nothing in it in either palette.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import torch
from support.content import figures
from support.harness import run_snippet

pytestmark = pytest.mark.slow

GRPO = "examples/grpo/"
SCRIPT = "grpo-playground.js"
STYLE = "grpo-playground.css"
MINUS = "\u2212"

# Each group as the reader enters it: ticks for right and wrong, or typed rewards.
GROUPS = {
    "four of eight right": {"right": [1, 0, 1, 1, 0, 0, 1, 0]},
    "one of eight right": {"right": [1, 0, 0, 0, 0, 0, 0, 0]},
    "all right": {"right": [1, 1, 1, 1]},
    "all wrong (std 0)": {"right": [0, 0, 0, 0, 0, 0]},
    "typed rewards": {"rewards": [0.5, -1.0, 2.25, 0.0, 1.75]},
    "typed, one apart": {"rewards": [0.3, 0.3, 0.3, 1.2]},
}
# (ratio, eps): inside the clip range, above it, below it; and DAPO's wider upper bound.
RATIOS = [(1.1, None), (0.9, None), (1.5, None), (0.6, None), (1.25, 0.28)]
# TRL's scale_rewards: divided by the std, or not (Dr. GRPO).
SCALINGS = ["group", "none"]


@pytest.fixture(scope="module")
def snippets():
    """The page's own functions, from the snippets it shows."""
    advantages = run_snippet("grpo/advantages.py", as_main=False).module
    objective = run_snippet("grpo/objective.py", as_main=False).module
    return advantages, objective


@pytest.fixture(scope="module")
def default_eps() -> float:
    return float(figures().values["trl.epsilon"])


def rewards_of(group: dict) -> list[float]:
    return [float(r) for r in group.get("right") or group["rewards"]]


def expected(snippets, rewards, ratio, eps, scaling) -> dict:
    """What the snippets compute for this group, ratio, eps and scaling."""
    advantages, objective = snippets
    r = torch.tensor(rewards)
    scaled = advantages.group_relative_advantages(r, group_size=len(rewards))
    centred = advantages.centred_advantages(r, group_size=len(rewards))
    used = scaled if scaling == "group" else centred
    rho = torch.tensor(ratio)
    clipped = objective.clipped_objective(rho, used, eps=eps)
    kinds = []
    for a, value, plain in zip(used, clipped, rho * used, strict=True):
        if a.abs() < 1e-6:
            kinds.append("none")
        elif not torch.isclose(value, plain, rtol=0, atol=1e-6):
            kinds.append("clipped")  # the clipped term is the smaller one: no gradient
        else:
            kinds.append("up" if a > 0 else "down")
    return {
        "scaled": scaled.tolist(),
        "centred": centred.tolist(),
        "objective": clipped.tolist(),
        "kinds": kinds,
        "mean": r.mean().item(),
        "std": r.std().item(),
        "signs": [1 if a > 0 else -1 if a < 0 else 0 for a in used.tolist()],
    }


def number(text: str) -> float:
    return float(text.strip().replace(MINUS, "-"))


# Two decimals: the page rounds a float64 and the snippets compute in float32, so a value that
# sits on a half (0.225) may round either way; a hair more than half a hundredth allows that.
TWO_DECIMALS = 0.005 + 1e-6


READ_TABLE = """() => [...document.querySelectorAll('.grpo-playground tbody tr')].map(row => {
    const cell = name => row.querySelector('.grpo-playground__' + name);
    const read = name => ({text: cell(name).textContent, value: cell(name).dataset.value});
    return {scaled: read('scaled'), centred: read('centred'), objective: read('objective'),
            kind: cell('update').dataset.kind, update: cell('update').textContent,
            reward: row.querySelector('input[type=number]').value,
            right: row.querySelector('input[type=checkbox]').checked};
})"""


def open_playground(open_page, **options):
    """The GRPO page, scrolled to the playground, once its script has built it (it waits until
    the playground comes near the viewport)."""
    page = open_page(GRPO, **options)
    page.locator(".grpo-playground").scroll_into_view_if_needed()
    page.wait_for_selector(".grpo-playground--ready")
    return page


def shown(page) -> tuple[list[dict], str]:
    """The playground's rows and its live summary, as the page shows them now."""
    return page.evaluate(READ_TABLE), page.locator(
        ".grpo-playground__summary"
    ).inner_text()


def enter(page, group: dict) -> None:
    rewards = rewards_of(group)
    page.fill("#grpo-size", str(len(rewards)))
    for n, reward in enumerate(rewards, start=1):
        if "right" in group:
            page.locator(f"#grpo-right-{n}").set_checked(bool(reward))
        else:
            page.fill(f"#grpo-reward-{n}", str(reward))


def compare(rows, summary, want, where) -> list[str]:
    """Every difference between what the page shows and what the snippets computed."""
    faults = []
    if len(rows) != len(want["scaled"]):
        return [f"{where}: {len(rows)} rows, want {len(want['scaled'])}"]
    for n, row in enumerate(rows, start=1):
        for name in ("scaled", "centred", "objective"):
            value = want[name][n - 1]
            text, full = row[name]["text"], float(row[name]["value"])
            if abs(number(text) - value) > TWO_DECIMALS or abs(full - value) > 1e-5:
                faults.append(
                    f"{where}, answer {n}, {name}: shows {text}, want {value:+.4f}"
                )
        if row["kind"] != want["kinds"][n - 1]:
            faults.append(
                f"{where}, answer {n}: {row['update']!r}, want {want['kinds'][n - 1]}"
            )
    stats = re.search(
        rf"Group mean ({MINUS}?\d+\.\d\d), sample standard deviation (\d+\.\d\d)",
        summary,
    )
    if not stats:
        return [*faults, f"{where}: no mean and std in the summary {summary!r}"]
    for text, value in zip(stats.groups(), (want["mean"], want["std"]), strict=True):
        if abs(number(text) - value) > TWO_DECIMALS:
            faults.append(f"{where}: summary shows {text}, want {value:.4f}")
    if want["std"] == 0 and "teaches the model nothing" not in summary:
        faults.append(f"{where}: a group that agrees is not called out: {summary!r}")
    return faults


def test_the_playground_shows_what_the_snippets_compute(
    open_page, snippets, default_eps
):
    page = open_playground(open_page)
    assert page.locator(".grpo-playground form").count() == 1
    assert page.locator(".grpo-playground-fallback").count() == 0
    # It opens on the page's worked example, with TRL's default epsilon.
    assert page.input_value("#grpo-eps") == figures().values["trl.epsilon"]
    assert page.input_value("#grpo-size") == "8"
    rows, summary = shown(page)
    assert [row["reward"] for row in rows] == ["1", "0", "1", "1", "0", "0", "1", "0"]
    assert [row["text"] for row in (r["scaled"] for r in rows)][:2] == [
        "+0.94",
        f"{MINUS}0.94",
    ]

    faults, kinds = [], set()
    for name, group in GROUPS.items():
        enter(page, group)
        rewards = rewards_of(group)
        for ratio, eps in RATIOS:
            page.fill("#grpo-ratio", str(ratio))
            page.fill("#grpo-eps", str(eps or default_eps))
            for scaling in SCALINGS:
                page.check(f"#grpo-scaling-{scaling}")
                want = expected(snippets, rewards, ratio, eps or default_eps, scaling)
                where = f"{name} {rewards}, ratio {ratio}, eps {eps or default_eps}, {scaling}"
                rows, summary = shown(page)
                faults += compare(rows, summary, want, where)
                kinds |= {
                    (kind, sign)
                    for kind, sign in zip(want["kinds"], want["signs"], strict=True)
                }
                # The boxes stay as ticked, and the rewards follow them.
                if "right" in group:
                    assert [row["right"] for row in rows] == [bool(r) for r in rewards]
                    assert [float(row["reward"]) for row in rows] == rewards
    assert not faults, "\n".join(faults)
    # The table covered a ratio inside and outside the clip range for either sign of advantage.
    covered = {("up", 1), ("down", -1), ("clipped", 1), ("clipped", -1), ("none", 0)}
    assert covered <= kinds
    page.assert_no_problems()


def test_a_reward_that_is_not_a_number_is_reported_not_computed(open_page):
    page = open_playground(open_page)
    page.fill("#grpo-reward-3", "")
    rows, summary = shown(page)
    assert "Type a number as the reward of answer 3" in summary
    assert page.get_attribute("#grpo-reward-3", "aria-invalid") == "true"
    assert all(row["scaled"]["value"] is None for row in rows)
    page.fill("#grpo-reward-3", "0.5")  # a reward that is neither right nor wrong
    assert page.get_attribute("#grpo-reward-3", "aria-invalid") == "false"
    assert page.locator("#grpo-right-3").evaluate("box => box.indeterminate")
    page.fill("#grpo-size", "1")  # no sample standard deviation for one answer
    assert "whole number of answers from 2 to 16" in shown(page)[1]
    assert page.locator(".grpo-playground tbody tr").count() == 8
    page.fill("#grpo-size", "3")
    assert page.locator(".grpo-playground tbody tr").count() == 3
    page.assert_no_problems()


def focus(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {id: el.id, visible: el.matches(':focus-visible')
                    && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
        }"""
    )


def test_the_playground_works_with_the_keyboard_alone(open_page, snippets, default_eps):
    page = open_playground(open_page)
    page.focus("#grpo-size")  # then keys only
    stops = []

    def tab():
        page.keyboard.press("Tab")
        stops.append(focus(page))
        return stops[-1]["id"]

    # 8 answers -> 4: the worked example's first four.
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.locator(".grpo-playground tbody tr").count() == 4
    assert tab() == "grpo-ratio"
    page.keyboard.press("Control+A")
    page.keyboard.type("1.5")
    assert tab() == "grpo-eps"
    assert tab() == "grpo-scaling-group"
    page.keyboard.press("ArrowDown")  # Dr. GRPO
    assert page.is_checked("#grpo-scaling-none")
    page.keyboard.press("ArrowUp")
    assert page.is_checked("#grpo-scaling-group")
    assert tab() == "grpo-right-1"
    page.keyboard.press("Space")  # answer 1: right -> wrong
    assert tab() == "grpo-reward-1"
    page.keyboard.press("Control+A")
    page.keyboard.type("0.5")
    assert tab() == "grpo-right-2"
    page.keyboard.press("Space")  # answer 2: wrong -> right
    page.keyboard.press("Enter")  # submits nothing, reloads nothing
    assert all(stop["visible"] for stop in stops), stops

    rewards = [0.5, 1.0, 1.0, 1.0]
    rows, summary = shown(page)
    want = expected(snippets, rewards, 1.5, default_eps, "group")
    assert not compare(rows, summary, want, "by keyboard")
    assert [row["kind"] for row in rows] == ["down", "clipped", "clipped", "clipped"]
    live = page.locator(".grpo-playground__summary")
    assert live.get_attribute("aria-live") == "polite"
    assert "1 answer pushed down, 3 answers clipped" in summary
    page.assert_no_problems()


def test_without_javascript_a_short_text_points_to_the_worked_examples(
    browser, site_url
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + GRPO)
        fallback = page.locator(".grpo-playground .grpo-playground-fallback")
        assert fallback.is_visible()
        assert "needs JavaScript" in fallback.inner_text()
        assert page.locator(".grpo-playground input").count() == 0
        for link in fallback.locator("a").all():
            anchor = link.get_attribute("href")
            assert anchor.startswith("#")
            assert page.locator(anchor).count() == 1, anchor
    finally:
        context.close()


def test_the_script_and_style_are_loaded_by_the_grpo_page_alone(built_site, open_page):
    loading = sorted(
        html.relative_to(built_site).as_posix()
        for html in built_site.rglob("*.html")
        if SCRIPT in html.read_text(encoding="utf-8")
        or STYLE in html.read_text(encoding="utf-8")
    )
    assert loading == [f"{GRPO}index.html"]
    page = open_playground(open_page)
    loaded = page.evaluate(
        "performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    for name in (SCRIPT, STYLE):
        found = [url for url in loaded if urlsplit(url).path.endswith(f"/{name}")]
        assert len(found) == 1, (name, loaded)
    page.assert_no_problems()  # no 404: the relative path resolves


def test_the_playground_has_no_axe_violation_in_either_palette(open_page):
    # On a phone, where the table is widest for its screen. The sweep (page_visits) runs axe on
    # the whole page as it loads; the playground is built and filled in here, so axe audits it
    # here, in each palette, with every reward given and with one left out.
    page = open_playground(open_page, color_scheme="light", viewport="phone")
    failures = []
    for color_scheme in ("light", "dark"):
        page.switch_palette(color_scheme)
        enter(page, GROUPS["typed rewards"])  # boxes half-ticked
        # Above the clip range: pushed down, and clipped.
        page.fill("#grpo-ratio", "1.5")
        assert {row["kind"] for row in shown(page)[0]} == {"down", "clipped"}
        audit = page.axe_violations([".grpo-playground"])
        failures += [f"({color_scheme}) {v}" for v in audit]
        page.fill("#grpo-reward-2", "")  # a reward left out: invalid, nothing computed
        audit = page.axe_violations([".grpo-playground"])
        failures += [f"({color_scheme}, a reward left out) {v}" for v in audit]
        overflow = page.horizontal_overflow()
        if overflow:
            failures.append(f"({color_scheme}) the page scrolls {overflow}px sideways")
    failures += page.problems()
    assert not failures, "\n".join(failures)


def test_the_playground_is_built_only_when_the_reader_comes_near_it(open_page):
    page = open_page(GRPO)  # at the top of the page, far above the playground
    page.wait_for_timeout(500)
    assert page.locator(".grpo-playground--ready").count() == 0
    assert page.locator(".grpo-playground form").count() == 0
    page.locator(".grpo-playground").scroll_into_view_if_needed()
    page.wait_for_selector(".grpo-playground--ready")
    assert page.locator(".grpo-playground form").count() == 1
    page.assert_no_problems()
