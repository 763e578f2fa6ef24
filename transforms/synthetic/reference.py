"""Synthetic sample, reference data: roles, skills, role-skill map, training offer, frame."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from transforms.synthetic.spec import FRAME, ROLE_ITEMS, SKILL_ITEMS

# role_code -> (role_family, ISCO-08 unit group; indicative)
ROLES: dict[str, tuple[str, str]] = {
    "qc_analyst": ("quality", "3141"),
    "qa_specialist": ("quality", "2149"),
    "qualified_person": ("quality", "2262"),
    "gmp_manufacturing": ("manufacturing", "3141"),
    "process_development": ("manufacturing", "2131"),
    "viral_vector": ("manufacturing", "2131"),
    "regulatory_affairs": ("regulatory", "2422"),
    "data_bioinformatics": ("data", "2131"),
    "atmp_nurse": ("clinical", "2221"),
    "hospital_pharmacist": ("clinical", "2262"),
    "clinical_research": ("clinical", "2212"),
    "health_economics": ("market_access", "2631"),
}
SKILL_FAMILY: dict[str, str] = {
    "gmp": "quality",
    "glp_gdp": "quality",
    "qc_qa": "quality",
    "jacie": "quality",
    "sop_writing": "quality",
    "gmp_transfer": "manufacturing",
    "closed_bioreactor": "manufacturing",
    "mrna_production": "manufacturing",
    "viral_vector_production": "manufacturing",
    "potency_purity_assays": "analytics",
    "cryo_logistics": "supply_chain",
    "clinical_administration": "clinical",
    "hospital_exemption": "regulatory",
    "health_economics": "market_access",
    "regulatory_strategy": "regulatory",
    "bioinformatics": "data",
}
# Other words for each skill (English and Swedish), "|"-joined in skills.csv: the free-text coder
# matches answers against them as well as against the label (transforms.model.text_coding).
SKILL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gmp": ("good manufacturing practice", "GMP compliance", "aseptic technique",
            "god tillverkningssed"),
    "glp_gdp": ("good laboratory practice", "good distribution practice", "GLP", "GDP"),
    "qc_qa": ("quality control", "quality assurance", "QC", "QA", "release testing",
              "sterility testing", "environmental monitoring", "data integrity",
              "kvalitetskontroll", "kvalitetssäkring"),
    "jacie": ("JACIE", "FACT-JACIE", "accreditation", "apheresis", "cell collection"),
    "sop_writing": ("SOP", "standard operating procedure", "GMP documentation",
                    "dokumentation"),
    "gmp_transfer": ("tech transfer", "technology transfer", "process transfer", "scale-up",
                     "uppskalning"),
    "closed_bioreactor": ("bioreactor", "closed system", "closed systems", "Prodigy",
                          "automation", "fill & finish"),
    "mrna_production": ("mRNA", "messenger RNA", "lipid nanoparticle"),
    "viral_vector_production": ("viral vector", "lentiviral", "AAV", "vector production",
                                "virusvektor"),
    "potency_purity_assays": ("potency assay", "purity assay", "assay validation",
                              "analytical method validation", "flow cytometry", "mycoplasma",
                              "validering av analysmetoder"),
    "cryo_logistics": ("cryopreservation", "cold chain", "supply chain", "vein-to-vein",
                       "kryokonservering"),
    "clinical_administration": ("clinical administration", "patient follow-up", "infusion",
                                "long-term safety"),
    "hospital_exemption": ("hospital exemption", "sjukhusundantaget", "sjukhusundantag"),
    "health_economics": ("health economics", "reimbursement", "HTA", "market access",
                         "procurement", "tendering", "ersättningsmodeller"),
    "regulatory_strategy": ("regulatory", "scientific advice", "EMA", "Läkemedelsverket",
                            "marketing authorisation", "GMO permits", "pharmacovigilance"),
    "bioinformatics": ("bioinformatics", "data analysis", "biostatistics", "statistics"),
}  # fmt: skip
ROLE_SKILLS: dict[str, tuple[str, ...]] = {
    "qc_analyst": ("gmp", "glp_gdp", "qc_qa", "sop_writing", "potency_purity_assays"),
    "qa_specialist": ("gmp", "glp_gdp", "qc_qa", "sop_writing", "jacie", "regulatory_strategy"),
    "qualified_person": ("gmp", "glp_gdp", "qc_qa", "regulatory_strategy", "hospital_exemption"),
    "gmp_manufacturing": (
        "gmp", "sop_writing", "closed_bioreactor", "cryo_logistics", "gmp_transfer",
    ),
    "process_development": (
        "gmp_transfer", "closed_bioreactor", "mrna_production", "viral_vector_production",
        "potency_purity_assays",
    ),
    "viral_vector": (
        "viral_vector_production", "gmp", "potency_purity_assays", "closed_bioreactor",
    ),
    "regulatory_affairs": ("regulatory_strategy", "hospital_exemption", "gmp", "health_economics"),
    "data_bioinformatics": ("bioinformatics", "potency_purity_assays"),
    "atmp_nurse": ("clinical_administration", "cryo_logistics", "jacie"),
    "hospital_pharmacist": (
        "clinical_administration", "cryo_logistics", "hospital_exemption", "gmp", "glp_gdp",
    ),
    "clinical_research": ("clinical_administration", "regulatory_strategy", "jacie"),
    "health_economics": ("health_economics", "regulatory_strategy"),
}  # fmt: skip

_ILLUSTRATIVE = "ILLUSTRATIVE: invented for the synthetic demonstration, not a real offer"
OFFER_COLUMNS = (
    "offer_id", "provider", "programme", "level", "credits", "places_per_year",
    "first_year", "last_year", "skills", "source", "illustrative",
)  # fmt: skip
# Public facts (../shared/DOMAIN.md) first, then clearly labelled illustrative offers.
TRAINING_OFFER: tuple[tuple[str, ...], ...] = (
    (
        "atmp_research_school", "National ATMP Research School (Lund, Umeå, Uppsala, "
        "Gothenburg universities and Karolinska Institutet)",
        "National research school in advanced therapies: courses for doctoral students",
        "doctoral", "", "6", "2023", "2027",
        "gmp;qc_qa;gmp_transfer;viral_vector_production;potency_purity_assays;"
        "regulatory_strategy;clinical_administration;bioinformatics",
        "Swedish Research Council, 46 MSEK for 2023-2027 at 1.5 MSEK per doctoral project "
        "(about 30 projects, so about 6 a year)",
    ),
    (
        "ki_atmp_course", "Karolinska Institutet",
        "ATMP from pre-GMP lab work to GMP transfer (two weeks, each October)",
        "course", "3", "24", "2025", "",
        "mrna_production;closed_bioreactor;sop_writing;potency_purity_assays;gmp_transfer;"
        "glp_gdp;gmp;qc_qa;jacie",
        "Karolinska Institutet course catalogue (runs each October; places per year assumed)",
    ),
    (
        "ramp_up_dn", "Lund University with Leiden University, Hannover Medical School and DTU",
        "RAMP-UP Marie Skłodowska-Curie doctoral network (one intake, 25 of 55 at Lund)",
        "doctoral", "", "55", "2026", "2026",
        "gmp_transfer;closed_bioreactor;viral_vector_production;regulatory_strategy;"
        "health_economics",
        "RAMP-UP announcement: 55 doctoral students from autumn 2026, 27 partners",
    ),
    (
        "illus_gmp_seminar", "Illustrative provider: university core facility",
        "One-day GMP awareness seminar for academic labs (illustrative)",
        "short_course", "", "12", "2019", "2022", "gmp;sop_writing", _ILLUSTRATIVE,
    ),
    (
        "illus_contract_gmp", "Illustrative provider: university contract education",
        "GMP and quality systems for advanced therapies (illustrative)",
        "continuing_education", "7.5", "20", "2023", "",
        "gmp;qc_qa;glp_gdp;sop_writing", _ILLUSTRATIVE,
    ),
    (
        "illus_master_module", "Illustrative provider: master's programme in biomedicine",
        "ATMP module within an existing master's course (illustrative)",
        "master", "7.5", "30", "2024", "",
        "gmp_transfer;viral_vector_production;mrna_production;potency_purity_assays",
        _ILLUSTRATIVE,
    ),
    (
        "illus_clinical_elearning", "Illustrative provider: regional healthcare training centre",
        "Handling and administering ATMPs for nurses and pharmacists (e-learning, illustrative)",
        "e_learning", "", "80", "2024", "",
        "clinical_administration;cryo_logistics;jacie;hospital_exemption", _ILLUSTRATIVE,
    ),
    (
        "illus_qp_programme", "Illustrative provider: professional association",
        "Qualified Person continuing education with ATMP focus (illustrative)",
        "continuing_education", "", "10", "2025", "",
        "gmp;qc_qa;regulatory_strategy;hospital_exemption", _ILLUSTRATIVE,
    ),
)  # fmt: skip


def write_reference(folder: Path) -> list[Path]:
    """Write the reference CSVs into ``folder`` (data/raw/reference)."""
    tables: dict[str, tuple[Sequence[str], list[Sequence[str]]]] = {
        "roles.csv": (
            ("role_code", "label", "role_family", "isco_code"),
            [(c, ROLE_ITEMS[c], fam, isco) for c, (fam, isco) in ROLES.items()],
        ),
        "skills.csv": (
            ("skill_code", "label", "skill_family", "esco_uri", "synonyms"),
            [
                (c, label, SKILL_FAMILY[c], "", "|".join(SKILL_SYNONYMS[c]))
                for c, label in SKILL_ITEMS.items()
            ],
        ),
        "role_skill.csv": (
            ("role_code", "skill_code"),
            [(r, s) for r, skills in ROLE_SKILLS.items() for s in skills],
        ),
        "training_offer.csv": (
            OFFER_COLUMNS,
            [(*offer, str(offer[-1] == _ILLUSTRATIVE).lower()) for offer in TRAINING_OFFER],
        ),
        "atmp2030_population_frame.csv": (
            ("org_sector", "org_size_band", "organisations"),
            [(s, z, str(n)) for (s, z), n in FRAME.items()],
        ),
    }
    return [write_csv(folder / name, header, rows) for name, (header, rows) in tables.items()]


def write_csv(path: Path, header: Sequence[str], rows: list[Sequence[str]]) -> Path:
    """A plain UTF-8 CSV (no BOM, LF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path
