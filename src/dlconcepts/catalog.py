"""The twenty questions: the single source for the CLI, the README table and the tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Topics used to group the questions (navigation in the CLI and the site).
TOPICS = ("foundations", "training", "generalization", "sequences", "generative", "beyond")
#: The topic of the questions beyond the classic twenty (21 onwards).
BEYOND = "beyond"

NOTEBOOKS_ENV = "DLCONCEPTS_NOTEBOOKS"


def notebooks_dir() -> Path:
    """The notebooks' folder: ``$DLCONCEPTS_NOTEBOOKS`` or the repository's ``notebooks/``."""
    override = os.environ.get(NOTEBOOKS_ENV)
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2] / "notebooks"


@dataclass(frozen=True)
class Entry:
    """One interview question and the notebook that answers it."""

    number: int
    slug: str
    question: str
    answer: str
    topic: str

    @property
    def code(self) -> str:
        """Two-digit number, as in the file name (``"05"``)."""
        return f"{self.number:02d}"

    @property
    def filename(self) -> str:
        return f"{self.code}_{self.slug}.ipynb"

    @property
    def path(self) -> Path:
        return notebooks_dir() / self.filename

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    @property
    def title(self) -> str:
        """The notebook's title line, ``NN · Question?``."""
        return f"{self.code} · {self.question}"


def _e(number: int, slug: str, question: str, answer: str, topic: str) -> Entry:
    return Entry(number, slug, question, answer, topic)


CATALOG: tuple[Entry, ...] = (
    _e(1, "what_is_deep_learning", "What is deep learning?",
       "Machine learning with many-layered networks that learn a hierarchy of features.",
       "foundations"),
    _e(2, "supervised_vs_unsupervised",
       "How does supervised learning differ from unsupervised learning?",
       "Supervised fits given targets; unsupervised finds structure in inputs alone.",
       "foundations"),
    _e(3, "backpropagation", "What is backpropagation?",
       "The chain rule run backwards: every parameter's gradient for a few forward passes.",
       "foundations"),
    _e(4, "activation_functions", "Why do networks need activation functions?",
       "Without a nonlinearity any stack of layers collapses to one linear map.",
       "foundations"),
    _e(5, "vanishing_gradients", "What is the vanishing gradient problem?",
       "Gradients shrink layer by layer in deep nets, so early layers stop learning.",
       "training"),
    _e(6, "dropout", "What is dropout?",
       "Randomly zeroing units in training: a regularizer that slows memorization.",
       "generalization"),
    _e(7, "data_augmentation", "What is data augmentation?",
       "Random label-preserving transforms: an assumed invariance, taught by example.",
       "generalization"),
    _e(8, "transfer_learning", "What is transfer learning?",
       "Reuse a network trained on a related task; it helps most when labels are few.",
       "generalization"),
    _e(9, "recurrent_neural_networks", "What is a recurrent neural network?",
       "A network whose hidden state loops from step to step, carrying memory.",
       "sequences"),
    _e(10, "lstm", "What is an LSTM and why does it help?",
       "A gated cell state that keeps information over long spans.",
       "sequences"),
    _e(11, "cnn_vs_rnn", "When would you use a CNN rather than an RNN?",
       "CNNs for spatial neighbourhoods, RNNs for order; it is the inductive bias.",
       "sequences"),
    _e(12, "batch_normalization", "What is batch normalization?",
       "Normalize activations over the mini-batch, then scale and shift; allows larger rates.",
       "training"),
    _e(13, "sgd_vs_minibatch",
       "How does SGD differ from mini-batch gradient descent?",
       "Mini-batches balance gradient variance, vectorization and wall-clock time.",
       "training"),
    _e(14, "optimizers", "What does the optimizer do?",
       "Turns gradients into updates; momentum and Adam handle ill-conditioning.",
       "training"),
    _e(15, "learning_rate", "Why does the learning rate matter?",
       "The step size: too large fails, too small crawls; the best one moves with the optimizer.",
       "training"),
    _e(16, "overfitting", "What is overfitting and how do you mitigate it?",
       "Fitting noise; fight it with data, regularization and early stopping.",
       "generalization"),
    _e(17, "universal_approximation", "What is the universal approximation theorem?",
       "One wide hidden layer can approximate any continuous function on a compact set.",
       "foundations"),
    _e(18, "generative_vs_discriminative", "How do generative and discriminative models differ?",
       "Generative models learn p(x, y); discriminative ones learn p(y | x).",
       "generative"),
    _e(19, "autoencoders", "What is an autoencoder?",
       "Compress to a small code and reconstruct; learns features without labels.",
       "generative"),
    _e(20, "deep_learning_vs_machine_learning",
       "How does deep learning differ from classic machine learning?",
       "Deep learning learns features from raw data; classic ML often wins on small tables.",
       "foundations"),
    # Beyond the twenty: what interviews ask most today.
    _e(21, "attention", "What is attention?",
       "A learned, content-based weighted average: each query reads the values it matches.",
       "beyond"),
    _e(22, "transformers", "Why did transformers replace RNNs?",
       "Self-attention links any two positions in one step and runs all positions at once.",
       "beyond"),
    _e(23, "residual_connections", "Why do residual connections help?",
       "Each block adds to an identity path, so deep nets stay trainable.",
       "beyond"),
    _e(24, "cross_entropy", "Why cross-entropy for classification?",
       "Its gradient is p - y: large when confidently wrong, unlike squared error's.",
       "beyond"),
)  # fmt: skip

_BY_NUMBER = {e.number: e for e in CATALOG}


def numbers() -> list[int]:
    """All question numbers, in order."""
    return [e.number for e in CATALOG]


def get(number: int | str) -> Entry:
    """The entry for a question number (``5`` or ``"05"``).

    Raises ``ValueError`` naming the valid numbers when there is no such question.
    """
    try:
        key = int(number)
    except (TypeError, ValueError):
        key = None
    if key is None or key not in _BY_NUMBER:
        raise ValueError(
            f"number: no question {number!r}; questions are numbered 1 to {len(CATALOG)}"
        )
    return _BY_NUMBER[key]


def available() -> list[Entry]:
    """Entries whose notebook has been written."""
    return [e for e in CATALOG if e.exists]


def classic() -> list[Entry]:
    """The twenty classic questions."""
    return [e for e in CATALOG if e.topic != BEYOND]


def beyond() -> list[Entry]:
    """The questions beyond the classic twenty."""
    return [e for e in CATALOG if e.topic == BEYOND]


def markdown_table() -> str:
    """The README tables, generated from the catalog: the twenty classic questions, then
    "Beyond the twenty" under its own heading."""

    def table(entries: list[Entry]) -> list[str]:
        lines = ["| # | Question | Short answer | Notebook |", "|---|---|---|---|"]
        for e in entries:
            link = f"[{e.filename}](notebooks/{e.filename})" if e.exists else "planned"
            cells = [e.code, e.question, e.answer, link]
            # a bare "|" inside a cell (as in p(y | x)) would end the cell early
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return lines

    return "\n".join([*table(classic()), "", "### Beyond the twenty", "", *table(beyond())])
