# Budget forcing, as in s1: control how long a model thinks at inference time. Cap the
# thinking by writing </think> for the model after N tokens; extend it by replacing the
# model's own </think> with "Wait" so that it keeps thinking.
# Run it on the tiny teacher with its recipe, which the package ships (the default):
#   COURSE_MODEL="$(course-models path teacher)" \
#   python snippets/inference-time-scaling/budget_forcing.py
# or on SmolLM2-135M-Instruct, with its own recipe:
#   COURSE_MODEL="$(course-models path smollm2)" \
#   python snippets/inference-time-scaling/budget_forcing.py \
#     --config recipes/SmolLM2-135M-Instruct/inference-time-scaling/budget_forcing.yaml

# --8<-- [start:force]
import re

import torch

TAG = re.compile(r"</?(?:think|answer)>")


def generate_with_budget(
    model, tokenizer, messages, max_thinking=None, waits=0, max_new_tokens=64
):
    """Greedy completion whose thinking holds at most `max_thinking` tokens, and which
    is sent back to thinking with "Wait" the first `waits` times it tries to stop."""
    prompt = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=False
    )

    def tokens(text):
        return tokenizer.encode(text, add_special_tokens=False)

    def continue_from(text, budget, stops):  # (1)!
        ids = tokens(text)
        output = model.generate(
            torch.tensor([ids], device=model.device),
            do_sample=False,
            max_new_tokens=budget,
            stop_strings=stops,
            tokenizer=tokenizer,
        )
        new = output[0, len(ids) :].tolist()
        ended = bool(new) and new[-1] == tokenizer.eos_token_id  # end of its turn
        return tokenizer.decode(new, skip_special_tokens=True), ended

    thinking = ""  # the text between <think> and </think>
    while True:
        budget = max_new_tokens
        if max_thinking is not None:
            budget = max_thinking - len(tokens(thinking))
        if budget <= 0:
            break  # the cap: no room left, so </think> is forced below
        # Stop where the model closes its thinking, or ends its turn.
        new, ended = continue_from(prompt + "<think>" + thinking, budget, ["</think>"])
        stopped = ended or "</think>" in new
        thinking += new.split("</think>")[0]
        if not (stopped and waits > 0):
            break
        waits -= 1
        thinking += "Wait"  # the model wanted to stop; make it think on
    if max_thinking is not None:  # "Wait" itself must not break the cap
        thinking = tokenizer.decode(tokens(thinking)[:max_thinking])
    # Close the thinking and open the answer, as s1 appends "Final Answer:"; the answer
    # ends at the model's first tag or end of turn, and is closed for it.
    head = "<think>" + thinking + "</think><answer>"
    answer, _ = continue_from(
        prompt + head, 8, ["<think>", "</think>", "<answer>", "</answer>"]
    )
    completion = head + TAG.split(answer)[0] + "</answer>"
    return completion, len(tokens(thinking))


# --8<-- [end:force]


# --8<-- [start:run]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, answer_of, prompt_of
    from reasoning_course.recipes import parse_recipe

    recipe, _ = parse_recipe(None, "tiny/inference-time-scaling/budget_forcing.yaml")
    tokenizer = AutoTokenizer.from_pretrained(recipe.model_name_or_path)
    model = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path).eval()

    settings = {
        "free": {},
        "capped at 2": {"max_thinking": 2},
        "capped at 4": {"max_thinking": 4},
        "1 Wait": {"waits": 1},
        "2 Waits": {"waits": 2},
    }
    results = {}
    for name, setting in settings.items():
        runs = [
            generate_with_budget(
                model,
                tokenizer,
                prompt_of(a, b),
                max_new_tokens=recipe.max_new_tokens,
                **setting,
            )
            for a, b in HELD_OUT_PROBLEMS
        ]
        results[name] = runs
        longest = max(n for _, n in runs)
        mean = sum(n for _, n in runs) / len(runs)
        right = sum(
            answer_of(c, recipe.answer_check) == str(a + b)
            for (c, _), (a, b) in zip(runs, HELD_OUT_PROBLEMS, strict=True)
        )
        print(
            f"{name:12} thinking tokens: mean {mean:4.1f}, max {longest:2}; "
            f"right {right}/{len(runs)}"
        )
    print("capped at 2: ", repr(results["capped at 2"][-1][0]))
    print("2 Waits:     ", repr(results["2 Waits"][-1][0]))
# --8<-- [end:run]
