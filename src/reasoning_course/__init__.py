"""The course's own code, which a reader installs beside TRL to run the examples.

- ``reasoning_course.arithmetic``: the toy task every example trains or evaluates on
  (single-digit sums): the problems, their fixed train/held-out split, the prompt, and the
  ``<think>``/``<answer>`` format a completion is checked against.
- ``reasoning_course.rewards``: R1-Zero's rule-based rewards for it, as TRL reward functions.
- ``reasoning_course.sampling``: sampling completions from a model, and scoring them.
- ``reasoning_course.training``: the trainer settings every training example shares.
- ``reasoning_course.tiny_models``: tiny models built offline and cached on disk, so the
  examples run on a laptop without the Hugging Face Hub (the ``tiny-models`` command).
"""
