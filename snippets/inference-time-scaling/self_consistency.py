# Self-consistency: sample several reasoning paths for one question and answer with the
# most common final answer, instead of trusting a single sample.
# Run it on the tiny arithmetic model with its recipe, which the package ships:
#   COURSE_MODEL="$(course-models path arithmetic)" \
#   python snippets/inference-time-scaling/self_consistency.py
# or on SmolLM2-135M-Instruct, with its own recipe:
#   COURSE_MODEL="$(course-models path smollm2)" \
#   python snippets/inference-time-scaling/self_consistency.py --config \
#     recipes/SmolLM2-135M-Instruct/inference-time-scaling/self_consistency.yaml

# --8<-- [start:vote]
from collections import Counter


def majority_answer(answers):
    """The most common answer; None (no answer) never votes.

    Tie rule: among equally common answers, the one sampled first wins.
    """
    votes = Counter(a for a in answers if a is not None)
    if not votes:
        return None
    top = max(votes.values())
    return next(a for a in answers if votes.get(a) == top)


# --8<-- [end:vote]


# --8<-- [start:vote-demo]
print(majority_answer(["7", "8", "7", None, "9"]))  # 7: two votes
print(majority_answer(["8", "7", "7", "8"]))  # 8: a tie, and 8 came first
print(majority_answer([None, None]))  # None: nobody answered
# --8<-- [end:vote-demo]


# --8<-- [start:compare]
from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, answer_of
from reasoning_course.sampling import sample


def accuracies(paths, references, answer_check="tags"):
    """Single-sample accuracy (mean over all samples) and majority-vote accuracy."""
    single = majority = 0.0
    for group, reference in zip(paths, references, strict=True):
        answers = [answer_of(c, answer_check) for c in group]
        single += sum(a == reference for a in answers) / len(answers)
        majority += majority_answer(answers) == reference
    return single / len(paths), majority / len(paths)


if __name__ == "__main__":
    import os

    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasoning_course.recipes import parse_recipe

    recipe, _ = parse_recipe(None, "tiny/inference-time-scaling/self_consistency.yaml")
    tokenizer = AutoTokenizer.from_pretrained(recipe.model_name_or_path)
    model = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path).eval()
    SEED = int(os.environ.get("COURSE_SEED", "0"))  # the sampling seed

    # The held-out sums of the other examples.
    references = [str(a + b) for a, b in HELD_OUT_PROBLEMS]
    results = {}
    for k in (1, 4, 16):
        paths = sample(
            model,
            tokenizer,
            HELD_OUT_PROBLEMS,
            k,
            seed=SEED,
            max_new_tokens=recipe.max_new_tokens,
            system_prompt=recipe.system_prompt,
            temperature=recipe.sampling_temperature,
        )
        results[k] = accuracies(paths, references, recipe.answer_check)
        single, majority = results[k]
        print(f"k={k:2}: single sample {single:.2f}, majority of {k} {majority:.2f}")
# --8<-- [end:compare]
