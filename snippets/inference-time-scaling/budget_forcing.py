# Budget forcing, as in s1: control how long a model thinks at inference time. Cap the
# thinking by writing </think> for the model after N tokens; extend it by replacing the
# model's own </think> with "Wait" so that it keeps thinking.
# Run it:
#   export COURSE_MODEL="$(tiny-models path teacher)"
#   python snippets/inference-time-scaling/budget_forcing.py

# --8<-- [start:force]
import torch


def generate_with_budget(model, tokenizer, messages, max_thinking=None, waits=0):
    """Greedy completion whose thinking holds at most `max_thinking` tokens, and which
    is sent back to thinking with "Wait" the first `waits` times it tries to stop."""
    think_open, think_close, answer_open, answer_close = (
        tokenizer.convert_tokens_to_ids(
            ["<think>", "</think>", "<answer>", "</answer>"]
        )
    )
    wait = tokenizer.encode("Wait", add_special_tokens=False)
    chat = tokenizer.apply_chat_template(messages, add_generation_prompt=True)
    prompt = chat["input_ids"]
    thinking = []  # the token ids between <think> and </think>

    def continue_from(ids, stop, budget):
        output = model.generate(
            torch.tensor([ids], device=model.device),
            do_sample=False,
            max_new_tokens=budget,
            eos_token_id=stop,
        )
        return output[0, len(ids) :].tolist()

    while True:
        budget = 64 if max_thinking is None else max_thinking - len(thinking)
        if budget <= 0:
            break  # the cap: no room left, so </think> is forced below
        # Stop where the model closes its thinking, or ends its turn.
        stops = [think_close, tokenizer.eos_token_id]
        new = continue_from(prompt + [think_open] + thinking, stops, budget)
        stopped = bool(new) and new[-1] in stops
        thinking += new[:-1] if stopped else new
        if not (stopped and waits > 0):
            break
        waits -= 1
        thinking += wait  # the model wanted to stop; make it think on
    thinking = thinking[:max_thinking]  # "Wait" itself must not break the cap
    # Close the thinking and open the answer, as s1 appends "Final Answer:"; the answer
    # ends at the model's first tag or end of turn, and is closed for it.
    head = prompt + [think_open] + thinking + [think_close, answer_open]
    tags = [think_open, think_close, answer_open, answer_close]
    answer = continue_from(head, [*tags, tokenizer.eos_token_id], 8)
    if answer and answer[-1] in [*tags, tokenizer.eos_token_id]:
        answer = answer[:-1]
    completion = tokenizer.decode(
        head[len(prompt) :] + answer + [answer_close], skip_special_tokens=True
    )
    return completion, len(thinking)


# --8<-- [end:force]


# --8<-- [start:run]
if __name__ == "__main__":
    import os

    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, final_answer, prompt_of

    MODEL_ID = os.environ.get(
        "COURSE_MODEL", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    )
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID).eval()

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
            generate_with_budget(model, tokenizer, prompt_of(a, b), **setting)
            for a, b in HELD_OUT_PROBLEMS
        ]
        results[name] = runs
        longest = max(n for _, n in runs)
        mean = sum(n for _, n in runs) / len(runs)
        right = sum(
            final_answer(c) == str(a + b)
            for (c, _), (a, b) in zip(runs, HELD_OUT_PROBLEMS, strict=True)
        )
        print(
            f"{name:12} thinking tokens: mean {mean:4.1f}, max {longest:2}; "
            f"right {right}/{len(runs)}"
        )
    print("capped at 2: ", repr(results["capped at 2"][-1][0]))
    print("2 Waits:     ", repr(results["2 Waits"][-1][0]))
# --8<-- [end:run]
