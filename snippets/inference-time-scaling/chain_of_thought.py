# Chain-of-thought prompting: ask for the reasoning in <think> tags and the result in
# <answer> tags, then split what comes back into its thinking and its answer.
# Run it on the tiny teacher with its recipe, which the package ships:
#   COURSE_MODEL="$(course-models path teacher)" \
#   python snippets/inference-time-scaling/chain_of_thought.py
# or on SmolLM2-135M-Instruct, with its own recipe:
#   COURSE_MODEL="$(course-models path smollm2)" \
#   python snippets/inference-time-scaling/chain_of_thought.py --config \
#     recipes/SmolLM2-135M-Instruct/inference-time-scaling/chain_of_thought.yaml

# --8<-- [start:prompt]
INSTRUCTION = (
    "Think step by step. Put your reasoning between <think> and </think>, "
    "then the final answer between <answer> and </answer>."
)


def chain_of_thought_prompt(tokenizer, question):
    """The question and the instruction, rendered by the model's own chat template."""
    messages = [{"role": "user", "content": f"{question} {INSTRUCTION}"}]
    return tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=False
    )


# --8<-- [end:prompt]


# --8<-- [start:parse]
import re
from dataclasses import dataclass

THINK = re.compile(r"<think>(.*?)(?:</think>|(?=<answer>)|$)", re.DOTALL)
ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)


@dataclass
class Reasoning:
    thinking: str | None  # None: the text has no <think> block
    answer: str | None  # None: the text has no complete <answer> block


def parse_reasoning(text):
    """Split a completion into its thinking and its final answer; never raises.

    - An unclosed <think> runs to the first <answer> tag, or to the end of the text.
    - With several <answer> blocks, the last one counts (a model may correct itself).
    - An <answer> that never closes is no answer: the text was cut off.
    """
    think = THINK.search(text)
    answers = ANSWER.findall(text)
    return Reasoning(
        thinking=think.group(1).strip() if think else None,
        answer=answers[-1].strip() if answers else None,
    )


# --8<-- [end:parse]


# --8<-- [start:parse-demo]
for text in [
    "<think>3+4=7</think><answer>7</answer>",  # well formed
    "<think>3+4=7<answer>7</answer>",  # the thinking never closes
    "<answer>7</answer>",  # no thinking at all
    "<think>3+4=8? No: 7</think><answer>8</answer><answer>7</answer>",  # two answers
    "",  # nothing
]:
    print(repr(text), "->")
    print("   ", parse_reasoning(text))
# --8<-- [end:parse-demo]


# --8<-- [start:generate]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasoning_course.recipes import parse_recipe

    recipe, _ = parse_recipe(None, "tiny/inference-time-scaling/chain_of_thought.yaml")
    tokenizer = AutoTokenizer.from_pretrained(recipe.model_name_or_path)
    model = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path)


def complete(model, tokenizer, prompts, max_new_tokens):
    """Greedy completions of already rendered prompts, all in one batch."""
    tokenizer.padding_side = "left"
    inputs = tokenizer(
        prompts, return_tensors="pt", padding=True, add_special_tokens=False
    ).to(model.device)
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    new = output[:, inputs["input_ids"].shape[1] :]
    return tokenizer.batch_decode(new, skip_special_tokens=True)


if __name__ == "__main__":
    prompt = chain_of_thought_prompt(tokenizer, "What is 3+4?")
    (completion,) = complete(model, tokenizer, [prompt], recipe.max_new_tokens)
    reasoning = parse_reasoning(completion)
    print("prompt:    ", repr(prompt))
    print("completion:", repr(completion))
    print("thinking:  ", repr(reasoning.thinking))
    print("answer:    ", repr(reasoning.answer))
# --8<-- [end:generate]


# --8<-- [start:compare]
if __name__ == "__main__":
    from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, answer_of, prompt_of

    # The held-out sums, asked directly and with the instruction, answered greedily.
    questions = [prompt_of(a, b) for a, b in HELD_OUT_PROBLEMS]
    prompts = {
        "direct": [
            tokenizer.apply_chat_template(q, add_generation_prompt=True, tokenize=False)
            for q in questions
        ],
        "chain of thought": [
            chain_of_thought_prompt(tokenizer, q[0]["content"]) for q in questions
        ],
    }
    right = {}
    for name, texts in prompts.items():
        answers = complete(model, tokenizer, texts, recipe.max_new_tokens)
        right[name] = sum(
            answer_of(text, recipe.answer_check) == str(a + b)
            for text, (a, b) in zip(answers, HELD_OUT_PROBLEMS, strict=True)
        )
        print(f"{name:16} right {right[name]}/{len(questions)}")
# --8<-- [end:compare]
