# TRL's own reward functions, in trl.rewards: a format check for <think> tags, and a
# math-aware accuracy check (it needs the math-verify package).
# Run it: python snippets/grpo/trl_rewards.py

# --8<-- [start:trl-rewards]
import trl.rewards

completions = [
    [{"role": "assistant", "content": "<think>3+4=7</think><answer>7</answer>"}],
    [{"role": "assistant", "content": "<think>3+4=7</think> The answer is 7."}],
    [{"role": "assistant", "content": "<answer>7</answer><think>easy</think>"}],
]
print("think_format_reward:", trl.rewards.think_format_reward(completions))  # (1)

answers = [
    [{"role": "assistant", "content": r"<think>3+4=7</think> \boxed{7}"}],
    [{"role": "assistant", "content": r"<think>14/2</think> \boxed{\frac{14}{2}}"}],
    [{"role": "assistant", "content": "<think>3+4=7</think> The answer is $7$."}],
    [{"role": "assistant", "content": "<think>3+4=7</think> The answer is 7."}],
    [{"role": "assistant", "content": "<think>3+4=7</think><answer>7</answer>"}],
]
scores = trl.rewards.accuracy_reward(answers, solution=["7"] * 5)  # (2)
print("accuracy_reward:", scores)
# --8<-- [end:trl-rewards]
