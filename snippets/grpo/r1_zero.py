# An R1-Zero-style run: GRPO straight from a base model, with no supervised fine-tuning,
# rewarded only by rules: one for the format (think, then answer), one for the answer.
# Run it: COURSE_MODEL="$(tiny-models path arithmetic)" python snippets/grpo/r1_zero.py

# --8<-- [start:reward-demo]
from reasoning_course.rewards import accuracy_reward, format_reward

completions = [
    [{"role": "assistant", "content": "<think>3+4=7</think><answer>7</answer>"}],
    [{"role": "assistant", "content": "<think>3+4=8</think><answer>8</answer>"}],
    [{"role": "assistant", "content": "<think>3+4=7</think> The answer is 7."}],
    [{"role": "assistant", "content": "<answer>7</answer><think>easy</think>"}],
]
print("format:  ", format_reward(completions))
print("accuracy:", accuracy_reward(completions, answer=[7, 7, 7, 7]))
# --8<-- [end:reward-demo]


# --8<-- [start:data]
import os

from datasets import Dataset

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, TRAIN_PROBLEMS, prompt_of
from reasoning_course.sampling import evaluate
from reasoning_course.training import RUN_SETTINGS


def as_dataset(pairs):
    # A "prompt" column in chat form; every other column reaches the reward functions.
    return Dataset.from_list(
        [{"prompt": prompt_of(a, b), "answer": a + b} for a, b in pairs]
    )


# --8<-- [end:data]


# --8<-- [start:train]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    MODEL_ID = os.environ.get("COURSE_MODEL", "Qwen/Qwen2.5-0.5B")  # (1)!
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID)
    before = evaluate(model, tokenizer, HELD_OUT_PROBLEMS)

    config = GRPOConfig(
        output_dir="r1-zero-toy",
        num_generations=8,  # G: completions sampled per prompt
        per_device_train_batch_size=128,  # 16 prompts x 8 completions per step
        max_completion_length=16,
        learning_rate=5e-4,  # (2)!
        beta=0.0,  # no KL penalty, no reference model (TRL 1.16's default)
        max_steps=40,
        logging_steps=5,
        **RUN_SETTINGS,
    )
    trainer = GRPOTrainer(
        model=model,
        processing_class=tokenizer,
        reward_funcs=[format_reward, accuracy_reward],  # (3)!
        args=config,
        train_dataset=as_dataset(TRAIN_PROBLEMS),
    )
    trainer.train()
    after = evaluate(trainer.model, tokenizer, HELD_OUT_PROBLEMS)

    print(f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}")
    print(f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}")
# --8<-- [end:train]
