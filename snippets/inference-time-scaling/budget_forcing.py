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

TAG = re.compile(r"</?(?:think|answer)>")


def generate_with_budget(
    model, tokenizer, conversations, max_thinking=None, waits=0, max_new_tokens=64
):
    """Greedy completions, one per conversation, generated in batches: each one's
    thinking holds at most `max_thinking` tokens, and is sent back to thinking with
    "Wait" the first `waits` times it tries to stop. Returns (completion, number of
    thinking tokens) pairs."""
    prompts = [
        tokenizer.apply_chat_template(m, add_generation_prompt=True, tokenize=False)
        for m in conversations
    ]

    def tokens(text):
        return tokenizer.encode(text, add_special_tokens=False)

    def continue_from(texts, budget, stops):  # (1)
        batch = tokenizer(
            texts,
            return_tensors="pt",
            padding=True,
            padding_side="left",  # (2)
            add_special_tokens=False,
        ).to(model.device)
        output = model.generate(
            **batch,
            do_sample=False,
            max_new_tokens=budget,
            stop_strings=stops,
            tokenizer=tokenizer,
        )
        new = output[:, batch["input_ids"].shape[1] :]
        ended = (new == tokenizer.eos_token_id).any(dim=1).tolist()  # end of its turn
        return tokenizer.batch_decode(new, skip_special_tokens=True), ended

    thinking = [""] * len(prompts)  # the text between <think> and </think>, per row
    rows = range(len(prompts))  # the rows that may think on
    for attempt in range(waits + 1):
        by_room = {}  # rows by the tokens they may still think: one batch each
        for row in rows:
            room = max_new_tokens
            if max_thinking is not None:
                room = max_thinking - len(tokens(thinking[row]))
            if room > 0:  # no room left: the cap, so </think> is forced below
                by_room.setdefault(room, []).append(row)
        rows = []
        for room, batch in by_room.items():
            # Stop where the model closes its thinking, or ends its turn.
            texts = [prompts[r] + "<think>" + thinking[r] for r in batch]
            news, ended = continue_from(texts, room, ["</think>"])
            for row, new, end in zip(batch, news, ended, strict=True):
                thinking[row] += new.split("</think>")[0]
                if (end or "</think>" in new) and attempt < waits:
                    thinking[row] += "Wait"  # it wanted to stop; make it think on
                    rows.append(row)
    if max_thinking is not None:  # "Wait" itself must not break the cap
        thinking = [tokenizer.decode(tokens(t)[:max_thinking]) for t in thinking]
    # Close the thinking and open the answer, as s1 appends "Final Answer:"; each answer
    # ends at the model's first tag or end of turn, and is closed for it.
    heads = ["<think>" + t + "</think><answer>" for t in thinking]
    answers, _ = continue_from(
        [p + h for p, h in zip(prompts, heads, strict=True)],
        8,
        ["<think>", "</think>", "<answer>", "</answer>"],
    )
    return [
        (head + TAG.split(answer)[0] + "</answer>", len(tokens(t)))
        for head, answer, t in zip(heads, answers, thinking, strict=True)
    ]


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
    conversations = [prompt_of(a, b) for a, b in HELD_OUT_PROBLEMS]
    for name, setting in settings.items():
        runs = generate_with_budget(
            model,
            tokenizer,
            conversations,
            max_new_tokens=recipe.max_new_tokens,
            **setting,
        )
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
