# Chain-of-thought prompting: ask for the reasoning in <think> tags and the result in
# <answer> tags, then split what comes back into its thinking and its answer.
# Run it:
#   export COURSE_MODEL="$(tiny-models path teacher)"
#   python snippets/inference-time-scaling/chain_of_thought.py

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
    import os

    from transformers import AutoModelForCausalLM, AutoTokenizer

    MODEL_ID = os.environ.get(
        "COURSE_MODEL", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    )
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID)

    prompt = chain_of_thought_prompt(tokenizer, "What is 3+4?")
    inputs = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
    output = model.generate(
        **inputs.to(model.device), do_sample=False, max_new_tokens=32
    )
    completion = tokenizer.decode(
        output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True
    )
    reasoning = parse_reasoning(completion)
    print("prompt:    ", repr(prompt))
    print("completion:", repr(completion))
    print("thinking:  ", repr(reasoning.thinking))
    print("answer:    ", repr(reasoning.answer))
# --8<-- [end:generate]
