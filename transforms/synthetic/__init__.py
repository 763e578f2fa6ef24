"""Synthetic sample: the committed ATMP2030 demonstration survey (exports, codebook, reference).

``generate_sample(out_dir)`` writes the whole ``data/raw`` content; the same seed gives
byte-identical files. Run ``uv run python -m transforms.synthetic [out_dir]`` to regenerate.
"""

from __future__ import annotations

from pathlib import Path

from transforms.synthetic.codebook_yaml import QUALTRICS_FILE, SURVEYMONKEY_FILE, write_codebook
from transforms.synthetic.qualtrics_export import write_qualtrics_export
from transforms.synthetic.readme import write_readme
from transforms.synthetic.reference import write_reference
from transforms.synthetic.sample import PARTIALS, build_sample
from transforms.synthetic.surveymonkey_export import write_surveymonkey_export

DEFAULT_SEED = 2030
SURVEY_FOLDER = "atmp2030"


def generate_sample(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the synthetic survey and reference data into ``out_dir`` (the data/raw folder)."""
    survey = out_dir / SURVEY_FOLDER
    responses = build_sample(seed)
    return [
        write_qualtrics_export(survey / QUALTRICS_FILE, responses["2022"], seed),
        write_surveymonkey_export(survey / SURVEYMONKEY_FILE, responses["2024"], seed),
        write_codebook(survey / "survey.yaml", seed),
        write_readme(survey / "README.md", seed, PARTIALS),
        *write_reference(out_dir / "reference"),
    ]


__all__ = ["DEFAULT_SEED", "generate_sample"]
