# The rewards on a model's own samples: the package's rules and TRL's, side by side, on
# the completions a model really writes for the held-out sums.
# Run it on the tiny arithmetic model with its recipe, which the package ships:
#   COURSE_MODEL="$(course-models path arithmetic)" \
#   python snippets/grpo/sampled_rewards.py
# or on SmolLM2-135M-Instruct, asked for the tags as Open R1 asks its models:
#   COURSE_MODEL="$(course-models path smollm2)" \
#   python snippets/grpo/sampled_rewards.py \
#     --config recipes/SmolLM2-135M-Instruct/grpo/sampled_rewards.yaml

# --8<-- [start:score]
if __name__ == "__main__":
    import trl.rewards
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasoning_course.arithmetic import HELD_OUT_PROBLEMS
    from reasoning_course.recipes import parse_recipe
    from reasoning_course.rewards import REWARDS
    from reasoning_course.sampling import sample

    recipe, _ = parse_recipe(None, "tiny/grpo/sampled_rewards.yaml")
    tokenizer = AutoTokenizer.from_pretrained(recipe.model_name_or_path)
    model = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path)
    groups = sample(
        model,
        tokenizer,
        HELD_OUT_PROBLEMS,
        samples_per_prompt=4,
        max_new_tokens=recipe.max_new_tokens,
        system_prompt=recipe.system_prompt,
        temperature=recipe.sampling_temperature,
    )
    completions = [[{"role": "assistant", "content": c}] for g in groups for c in g]
    answers = [a + b for a, b in HELD_OUT_PROBLEMS for _ in range(4)]

    scores = {
        name: reward(completions, answer=answers) for name, reward in REWARDS.items()
    }
    scores["trl think_format"] = trl.rewards.think_format_reward(completions)
    scores["trl accuracy"] = trl.rewards.accuracy_reward(  # (1)
        completions, solution=[str(answer) for answer in answers]
    )
    for name, values in scores.items():
        print(f"{name:16} mean {sum(values) / len(values):.2f} over {len(values)}")
    print("a completion:", repr(completions[0][0]["content"]))
# --8<-- [end:score]
