# Logit distillation: instead of copying the teacher's sampled text, the student learns
# the teacher's whole next-token distribution at every position, with TRL's
# DistillationTrainer (on-policy: the student writes the completions it is graded on).
# Run it on the tiny models with their recipe, which the package ships (the default):
#   COURSE_TEACHER="$(course-models path teacher)" \
#   COURSE_MODEL="$(course-models path student)" \
#   python snippets/distillation/logit_distillation.py
# on SmolLM2-135M-Instruct, taught by itself after the GRPO example, on a CPU:
#   COURSE_MODEL="$(course-models path smollm2)" \
#   python snippets/distillation/logit_distillation.py \
#     --config recipes/SmolLM2-135M-Instruct/distillation/logit_distillation.yaml
# or on larger models, which must share a vocabulary, with their own recipe, on a GPU:
#   python snippets/distillation/logit_distillation.py \
#     --config recipes/Qwen2.5-0.5B-Instruct/distillation/logit_distillation.yaml

# --8<-- [start:data]
import torch
from datasets import Dataset
from transformers import TrainerCallback

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, TRAIN_PROBLEMS
from reasoning_course.sampling import chat_prompt
from reasoning_course.training import RUN_SETTINGS

# --8<-- [end:data]


# --8<-- [start:divergence]
def teacher_completions(
    teacher, tokenizer, pairs, max_new_tokens=16, system_prompt=None
):
    """The teacher's greedy answers to the prompts, as (prompt ids, completion ids)."""
    rows = []
    for a, b in pairs:
        prompt_ids = tokenizer.apply_chat_template(
            chat_prompt(a, b, system_prompt),
            add_generation_prompt=True,
            return_tensors="pt",
        )["input_ids"].to(teacher.device)
        output = teacher.generate(
            prompt_ids, do_sample=False, max_new_tokens=max_new_tokens
        )
        rows.append((prompt_ids, output[:, prompt_ids.shape[1] :]))
    return rows


@torch.no_grad()
def divergence(teacher, student, rows):
    """Mean KL(teacher || student) per completion token, in nats (0: identical)."""
    sequences = [torch.cat([p, c], dim=1)[0].cpu() for p, c in rows]
    # One forward pass per model for all the rows, padded on the right: a causal model's
    # logits at a position never depend on the padding after it.
    ids = torch.nn.utils.rnn.pad_sequence(sequences, batch_first=True)
    teacher_logp, student_logp = log_probs(teacher, ids), log_probs(student, ids)
    total, tokens = 0.0, 0
    for row, (prompt_ids, completion_ids) in enumerate(rows):
        # The logits at position t predict token t + 1: keep the completion's.
        start = prompt_ids.shape[1] - 1
        end = start + completion_ids.shape[1]
        t, s = teacher_logp[row, start:end], student_logp[row, start:end]
        kl = (t.exp() * (t - s)).sum(-1)
        total, tokens = total + kl.sum().item(), tokens + kl.numel()
    return total / tokens


def log_probs(model, ids):
    """Next-token log-probabilities at every position, in float32 on the CPU: the ids go
    to the model's device, wherever a trainer has moved it (a GPU, in bf16)."""
    logits = model(ids.to(model.device)).logits
    return logits.float().log_softmax(-1).cpu()


class HeldOutDivergence(TrainerCallback):
    """The held-out divergence after every optimizer step: the curve the page plots."""

    def __init__(self, teacher, rows):
        self.teacher, self.rows, self.curve = teacher, rows, []

    def on_step_end(self, args, state, control, model=None, **kwargs):
        model.eval()  # no dropout while measuring; the trainer sets train() each step
        self.curve.append(
            (state.global_step, divergence(self.teacher, model, self.rows))
        )
        model.train()


# --8<-- [end:divergence]


# --8<-- [start:train]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import DistillationConfig, DistillationTrainer

    from reasoning_course.recipes import parse_recipe

    recipe, config = parse_recipe(
        DistillationConfig,
        "tiny/distillation/logit_distillation.yaml",
        **RUN_SETTINGS,
        bf16=torch.cuda.is_available(),  # (1)
    )
    tokenizer = AutoTokenizer.from_pretrained(  # (2)
        recipe.model_name_or_path, padding_side="left"
    )
    teacher = AutoModelForCausalLM.from_pretrained(recipe.teacher_name_or_path).eval()
    student = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path)

    held_out = teacher_completions(
        teacher,
        tokenizer,
        HELD_OUT_PROBLEMS,
        max_new_tokens=config.max_completion_length,
        system_prompt=recipe.system_prompt,
    )
    before = divergence(teacher, student.eval(), held_out)
    measured = HeldOutDivergence(teacher, held_out)

    trainer = DistillationTrainer(
        model=student,
        teacher_model=teacher,
        args=config,
        train_dataset=Dataset.from_list(
            [
                {"prompt": chat_prompt(a, b, recipe.system_prompt)}
                for a, b in TRAIN_PROBLEMS
            ]
        ),
        processing_class=tokenizer,
        callbacks=[measured],
    )
    trainer.train()
    after = divergence(teacher, trainer.model.eval(), held_out)
    curve = [(0, before), *measured.curve]  # (step, nats/token), for the plot

    print(f"held-out KL(teacher || student): {before:.3f} -> {after:.3f} nats/token")
    print(f"fall: {1 - after / before:.0%}")
# --8<-- [end:train]
