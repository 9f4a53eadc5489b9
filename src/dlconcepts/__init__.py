"""dlconcepts: executable answers to twenty classic deep-learning interview questions.

The notebooks in ``notebooks/`` import the plumbing from here: ``repro`` (seeding),
``data``, ``models``, ``training``, ``probes``, ``plotting`` and ``claims``.
"""

from .claims import claim, summary
from .repro import device, seed_everything

__all__ = ["claim", "device", "seed_everything", "summary"]
__version__ = "0.1.0"
