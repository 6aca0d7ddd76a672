import csv
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = Path(__file__).parent / "reference" / "probabilities.npz"


def fixture_labels() -> dict[str, str]:
    """File name -> manifest label (dog, cat, other, other_animal)."""
    with (FIXTURES / "MANIFEST.csv").open(newline="") as handle:
        return {row["file"]: row["label"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="session")
def ml_runtime():
    """The Keras model, built once for the whole test session (a few seconds: TF import + build)."""
    from ml import runtime

    return runtime.get_runtime()
