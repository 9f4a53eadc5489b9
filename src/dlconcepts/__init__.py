"""dlconcepts: executable answers to twenty classic deep-learning interview questions.

The notebooks in ``notebooks/`` import the plumbing from here: ``repro`` (seeding),
``data``, ``models``, ``training``, ``probes``, ``plotting`` and ``claims``.
"""

from .claims import check, claim, exercise, measure, summary
from .repro import device, seed_everything

__all__ = ["check", "claim", "device", "exercise", "measure", "seed_everything", "summary"]
__version__ = "0.1.0"
