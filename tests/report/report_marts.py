"""Hand-made mart rows for report tests: every mart of docs/ARCHITECTURE.md, two waves.

Wave 2022 is the one the report tests render; wave 2024 has different numbers so a test can
see the report reads only the wave it is asked for. Some cells are suppressed (and their
counts hidden, as the marts hide them) and every dimension has its 'all' row, as the marts
promise. mart_wave_comparison is computed from the two waves' rows, as the SQL would.
`low_precision` follows the marts' rules (docs/ARCHITECTURE.md, "Low precision"): totals with
a coefficient of variation above 0.30, shares failing the NCHS standards; NULL when suppressed.
"""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pandas as pd

from transforms.report.citation import Citation
from transforms.report.values import ReportMeta

SURVEY = "atmp2030"
WAVE = "2022"
OTHER_WAVE = "2024"

SECTORS = {
    "large_pharma": "Large pharmaceutical company",
    "sme": "SME ATMP developer",
    "cdmo": "Contract manufacturer (CDMO)",
    "hospital": "Hospital or healthcare region",
    "academia": "University or research institute",
}
SIZE_BANDS = {"small": "Fewer than 50 employees", "medium": "50–249 employees", "large": "250+"}

ROLES = {  # role_code: (label, 5-year total, 1-year total); None = suppressed
    "gmp_operator": ("GMP manufacturing operator", 150.0, 45.0),
    "qc_analyst": ("QC analyst", 120.0, 40.0),
    "process_dev": ("Process development scientist", 95.0, 30.0),
    "qa_specialist": ("QA specialist", 80.0, 25.0),
    "regulatory_affairs": ("Regulatory affairs specialist", 45.0, 14.0),
    "qualified_person": ("Qualified Person (QP)", 30.0, 9.0),
    "health_economist": ("Health economist", None, None),
}
TOTAL_5Y, TOTAL_1Y = 648.4, 191.2
HIRING_CV = {("qualified_person", "1y"): 0.36}  # coefficient of variation; else 0.12
MAX_CV, MIN_N_EFF = 0.30, 30.0

DIFFICULTY_BY_SECTOR = {  # share or None (suppressed), n_respondents
    "large_pharma": (0.22, 9),
    "sme": (0.78, 14),
    "cdmo": (0.70, 8),
    "hospital": (0.64, 11),
    "academia": (None, 3),
    "all": (0.62, 45),
}
DIFFICULTY_BY_ROLE = {
    "qc_analyst": 0.71,
    "gmp_operator": 0.66,
    "qa_specialist": 0.58,
    "qualified_person": 0.81,
    "regulatory_affairs": 0.49,
    "process_dev": 0.44,
    "health_economist": None,
}

SKILLS = {  # skill_code: (label, overall shortage share, 5-year demand, 5-year places)
    "gmp": ("GMP", 0.74, 310.0, 120.0),
    "qc_assays": ("Potency and purity assays", 0.69, 180.0, 30.0),
    "viral_vector": ("Viral vector production", 0.66, 90.0, 0.0),
    "closed_bioreactor": ("Closed bioreactor systems", 0.52, 75.0, 60.0),
    "cryo": ("Cryopreservation and logistics", 0.41, 60.0, 80.0),
    "regulatory": ("Regulatory affairs for ATMP", 0.38, 55.0, 25.0),
    "jacie": ("JACIE accreditation", None, None, 10.0),
    "health_econ": ("Health economics and reimbursement", 0.18, 20.0, 15.0),
}
SECTOR_SHIFT = {"large_pharma": -0.25, "sme": 0.12, "cdmo": 0.08, "hospital": 0.02}
DEMAND_CV = {"health_econ": 0.4}  # coefficient of variation of the demand; else 0.125

FORMATS = {  # format_code: (label, pct_cases or None, n_selected)
    "short_course": ("Short course (1–5 days)", 0.64, 27),
    "on_the_job": ("On-the-job training", 0.52, 22),
    "university_course": ("University course with credits", 0.38, 16),
    "e_learning": ("E-learning", 0.31, 13),
    "conference": ("Conferences and workshops", 0.19, 8),
    "other": ("Other", None, 2),
}
N_BASE = 42

POPULATION = {
    ("large_pharma", "large"): (12, 6),
    ("large_pharma", "medium"): (5, 3),
    ("sme", "small"): (25, 10),
    ("sme", "medium"): (8, 4),
    ("cdmo", "medium"): (10, 5),
    ("cdmo", "large"): (6, 3),
    ("hospital", "large"): (21, 11),
    ("academia", "medium"): (10, 6),
    ("academia", "large"): (15, 3),
}
SAMPLE_SUPPRESSION = {("academia", "large"): "primary", ("academia", "medium"): "secondary"}
FAMILIES = {"quality": 0.6, "manufacturing": 0.4}  # each skill's demand split over two families
Z = 1.96


def low_precision_share(n_eff: float, share: float, low: float, high: float) -> bool:
    """The NCHS standards for proportions, as int_share_estimates applies them."""
    width = high - low
    return n_eff < MIN_N_EFF or width >= 0.30 or (width > 0.05 and width > 1.3 * share)


def _hiring(scale: float) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(code: str, label: str, horizon: str, sector: str, total: float | None, n: int) -> None:
        suppressed = total is None
        estimate = None if total is None else total * scale
        cv = HIRING_CV.get((code, horizon), 0.12)
        rows.append(
            {
                "role_code": code,
                "role_label": label,
                "horizon": horizon,
                "org_sector": sector,
                "n_respondents": n if n >= 5 else None,
                "n_reporting": None if suppressed else max(n - 4, 5),
                "weighted_n": n * 3.6 if n >= 5 else None,
                "total": estimate,
                "se": None if estimate is None else estimate * cv,
                "ci_low": None if estimate is None else max(estimate * (1 - 2 * cv), 0.0),
                "ci_high": None if estimate is None else estimate * (1 + 2 * cv),
                "cv": None if estimate is None else cv,
                "low_precision": None if estimate is None else cv > MAX_CV,
                "suppressed": suppressed,
                "suppression": "primary" if suppressed else None,
            }
        )

    for code, (label, five, one) in ROLES.items():
        add(code, label, "5y", "all", five, 45)
        add(code, label, "1y", "all", one, 45)
    add("all", "All roles", "5y", "all", TOTAL_5Y, 45)
    add("all", "All roles", "1y", "all", TOTAL_1Y, 45)
    sector_totals = {"large_pharma": 210.0, "sme": 180.0, "cdmo": 120.0, "hospital": 95.0}
    for sector, total in sector_totals.items():
        add("all", "All roles", "5y", sector, total, 9)
        add("all", "All roles", "1y", sector, total * 0.3, 9)
    add("all", "All roles", "5y", "academia", None, 3)
    add("all", "All roles", "1y", "academia", None, 3)
    add("qc_analyst", "QC analyst", "5y", "large_pharma", 40.0, 9)  # a role × sector cell
    return rows


def _difficulty(shift: float) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(code: str, label: str, sector: str, share: float | None, n: int) -> None:
        suppressed = share is None
        value = None if share is None else min(share + shift, 0.99)
        rows.append(
            {
                "role_code": code,
                "role_label": label,
                "org_sector": sector,
                "n_respondents": None if suppressed else n,
                "n_difficult": None if value is None else round(n * value),
                "weighted_n": None if suppressed else n * 3.6,
                "n_eff": None if suppressed else n * 0.78,
                "share": value,
                "se": None if value is None else 0.06,
                "ci_low": None if value is None else max(value - 0.12, 0.0),
                "ci_high": None if value is None else min(value + 0.11, 1.0),
                "low_precision": None
                if value is None
                else low_precision_share(
                    n * 0.78, value, max(value - 0.12, 0.0), min(value + 0.11, 1.0)
                ),
                "suppressed": suppressed,
                "suppression": "primary" if suppressed else None,
            }
        )

    for sector, (share, n) in DIFFICULTY_BY_SECTOR.items():
        add("all", "All roles", sector, share, n)
    for code, share in DIFFICULTY_BY_ROLE.items():
        add(code, ROLES[code][0], "all", share, 4 if share is None else 30)
    return rows


def _skills(shift: float) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    shortage: list[dict[str, object]] = []
    supply: list[dict[str, object]] = []
    for code, (label, share, demand, places) in SKILLS.items():
        cells: dict[str, float | None] = {"all": share, "academia": None}
        for sector, delta in SECTOR_SHIFT.items():
            cells[sector] = None if share is None else min(max(share + delta, 0.0), 1.0)
        if code == "health_econ":
            cells["cdmo"] = None  # a second suppressed cell outside academia
        for sector, value in cells.items():
            suppressed = value is None
            value = None if value is None else min(value + shift, 1.0)
            n = 45 if sector == "all" else (3 if sector == "academia" else 9)
            shortage.append(
                {
                    "skill_code": code,
                    "skill_label": label,
                    "org_sector": sector,
                    "n_respondents": None if suppressed else n,
                    "n_shortage": None if value is None else round(n * value),
                    "weighted_n": None if suppressed else n * 3.6,
                    "n_eff": None if suppressed else n * 0.78,
                    "share": value,
                    "se": None if value is None else 0.07,
                    "ci_low": None if value is None else max(value - 0.13, 0.0),
                    "ci_high": None if value is None else min(value + 0.12, 1.0),
                    "low_precision": None
                    if value is None
                    else low_precision_share(
                        n * 0.78, value, max(value - 0.13, 0.0), min(value + 0.12, 1.0)
                    ),
                    "mean_importance": None if suppressed else 3.1 + (value or 0) * 1.5,
                    "suppressed": suppressed,
                    "suppression": "primary" if suppressed else None,
                }
            )
        hires = None if demand is None else demand * (1 + shift)
        cv = DEMAND_CV.get(code, 0.125)
        supply.append(
            {
                "skill_code": code,
                "skill_label": label,
                "demand_hires_5y": hires,
                "demand_ci_low": None if hires is None else hires * (1 - 2 * cv),
                "demand_ci_high": None if hires is None else hires * (1 + 2 * cv),
                "demand_cv": None if hires is None else cv,
                "low_precision": None if hires is None else cv > MAX_CV,
                "shortage_share": None if hires is None else share,
                "supply_places_5y": places,
                "gap_ratio": None if hires is None or places == 0 else hires / places,
                "suppressed": hires is None,
                "suppression": "primary" if hires is None else None,
            }
        )
    return shortage, supply


def _importance(shortage: list[dict[str, object]]) -> list[dict[str, object]]:
    """mart_skill_importance rows: the shortage cells with a higher share (same suppression)."""
    rows = []
    for row in shortage:
        share = row["share"]
        value = None if share is None else min(float(str(share)) + 0.1, 1.0)
        n = row["n_respondents"]
        low = None if value is None else max(value - 0.13, 0.0)
        high = None if value is None else min(value + 0.1, 1.0)
        rows.append(
            {
                **{k: v for k, v in row.items() if k != "n_shortage"},
                "n_important": None if value is None or n is None else round(int(str(n)) * value),
                "share": value,
                "ci_low": low,
                "ci_high": high,
                "low_precision": None
                if value is None or low is None or high is None
                else low_precision_share(float(str(row["n_eff"])), value, low, high),
            }
        )
    return rows


def _skill_gap(shift: float) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for code, (label, share, demand, places) in SKILLS.items():
        cv = DEMAND_CV.get(code, 0.125)
        for family, part in [("all", 1.0), *FAMILIES.items()]:
            hires = None if demand is None else demand * (1 + shift) * part
            low = None if hires is None else hires * (1 - 2 * cv)
            high = None if hires is None else hires * (1 + 2 * cv)

            def minus(value: float | None, places: float = places) -> float | None:
                return None if value is None else value - places

            def per(value: float | None, places: float = places) -> float | None:
                return None if value is None or places == 0 else value / places

            rows.append(
                {
                    "skill_code": code,
                    "skill_label": label,
                    "role_family": family,
                    "n_roles": 2 if family == "all" else 1,
                    "demand_hires_5y": hires,
                    "demand_ci_low": low,
                    "demand_ci_high": high,
                    "demand_cv": None if hires is None else cv,
                    "low_precision": None if hires is None else cv > MAX_CV,
                    "supply_places_5y": places,
                    "gap": minus(hires),
                    "gap_ci_low": minus(low),
                    "gap_ci_high": minus(high),
                    "gap_ratio": per(hires),
                    "gap_ratio_ci_low": per(low),
                    "gap_ratio_ci_high": per(high),
                    "shortage_share": share,
                    "shortage_weighted_gap": None
                    if hires is None or share is None
                    else hires * share - places,
                    "suppressed": hires is None,
                    "suppression": "primary" if hires is None else None,
                }
            )
    return rows


def _training(shift: float) -> list[dict[str, object]]:
    selections = sum(n for _, _, n in FORMATS.values())
    n_eff = N_BASE * 0.78
    return [
        {
            "format_code": code,
            "format_label": label,
            "n_base": N_BASE,
            "n_selected": None if pct is None else n,
            "weighted_n": None if pct is None else N_BASE * 3.6,
            "n_eff": None if pct is None else n_eff,
            "pct_cases": None if pct is None else pct + shift,
            "se": None if pct is None else 0.07,
            "ci_low": None if pct is None else pct + shift - 0.14,
            "ci_high": None if pct is None else pct + shift + 0.13,
            "low_precision": None
            if pct is None
            else low_precision_share(n_eff, pct + shift, pct + shift - 0.14, pct + shift + 0.13),
            "pct_responses": None if pct is None else n / selections,
            "suppressed": pct is None,
            "suppression": "primary" if pct is None else None,
        }
        for code, (label, pct, n) in FORMATS.items()
    ]


# Coded open answers: question -> (scheme, base, {code: (label, n_coded or None if hidden,
# share)}); 'uncoded' last. The training question's top code (gmp_access, 40-55%) is clearly
# above the next; the skill question has a base under the minimum cell size in no wave.
TEXT_CODES: dict[str, tuple[str, int, dict[str, tuple[str, int | None, float]]]] = {
    "other_skills": (
        "skill",
        27,
        {
            "gmp": ("Good Manufacturing Practice (GMP)", 6, 0.22),
            "qc_qa": ("Quality control and quality assurance (QC/QA)", 6, 0.21),
            "jacie": ("JACIE accreditation and standards", None, 0.1),
            "uncoded": ("No code matched", None, 0.1),
        },
    ),
    "training_special": (
        "training_theme",
        60,
        {
            "gmp_access": ("Access to GMP facilities and cleanrooms", 28, 0.47),
            "few_courses": ("Few courses in Sweden", 9, 0.15),
            "uncoded": ("No code matched", 12, 0.2),
        },
    ),
}


def _text_coding(shift: float) -> list[dict[str, object]]:
    rows = []
    for question_id, (scheme, base, codes) in TEXT_CODES.items():
        for position, (code, (label, n, share)) in enumerate(codes.items(), start=1):
            hidden = n is None
            value = share + shift
            rows.append(
                {
                    "question_id": question_id,
                    "scheme": scheme,
                    "code": code,
                    "code_label": label,
                    "code_position": 1_000_000 if code == "uncoded" else position,
                    "n_answered": base,
                    "n_coded": n,
                    "weighted_n": None if hidden else base * 3.5,
                    "n_eff": None if hidden else base * 0.8,
                    "share": None if hidden else value,
                    "se": None if hidden else 0.05,
                    "ci_low": None if hidden else value - 0.08,
                    "ci_high": None if hidden else value + 0.09,
                    "low_precision": None if hidden else base < 30,
                    "suppressed": hidden,
                    "suppression": "primary" if hidden else None,
                }
            )
    return rows


def _sample() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rows: list[dict[str, object]] = []
    for (sector, band), (population, n) in POPULATION.items():
        hidden = SAMPLE_SUPPRESSION.get((sector, band))
        rows.append(
            {
                "org_sector": sector,
                "org_size_band": band,
                "population": population,
                "n_respondents": None if hidden else n,
                "response_rate": None if hidden else n / population,
                "weight": None if hidden else population / n,
                "suppressed": hidden is not None,
                "suppression": hidden,
            }
        )
    population = sum(p for p, _ in POPULATION.values())
    respondents = sum(n for _, n in POPULATION.values())
    rows.append(
        {
            "org_sector": "all",
            "org_size_band": "all",
            "population": population,
            "n_respondents": respondents,
            "response_rate": respondents / population,
            "weight": population / respondents,
            "suppressed": False,
            "suppression": None,
        }
    )
    weighting: list[dict[str, object]] = [
        {
            "n_respondents": respondents,
            "population": population,
            "sum_weights": float(population),
            "kish_deff": 1.28,
            "weighting_efficiency": 1 / 1.28,
            "method": "poststratify",
        }
    ]
    return rows, weighting


HIRES_NOTE = "2024: Reworded in 2024: 'including those within 12 months' (2022: 'within 1 year')."
SCOPE_NOTE = "2022: Invitation list, spring 2022. 2024: Same frame, spring 2024."


def _shift(wave: str) -> float:
    return 0.0 if wave == WAVE else 0.05


def _estimates(wave: str) -> dict[tuple[str, str, str], dict[str, object]]:
    """(measure, item, sector) -> the wave's estimate, as mart_wave_comparison reads it."""
    shift = _shift(wave)
    found: dict[tuple[str, str, str], dict[str, object]] = {}
    sources = [
        ("hires_", "role_code", "role_label", "total", _hiring(1.0 + shift)),
        ("recruitment_difficulty", "role_code", "role_label", "share", _difficulty(shift)),
        ("skill_shortage", "skill_code", "skill_label", "share", _skills(shift)[0]),
    ]
    for measure, item, label, value, rows in sources:
        for r in rows:
            name = measure + str(r["horizon"]) if measure == "hires_" else measure
            found[(name, str(r[item]), str(r["org_sector"]))] = {
                "label": r[label],
                "n": r["n_respondents"],
                "estimate": r[value],
                "se": r["se"],
                "low": r["ci_low"],
                "high": r["ci_high"],
                "low_precision": r["low_precision"],
                "suppressed": r["suppressed"],
            }
    return found


def _difference(measure: str, a: dict[str, object], b: dict[str, object]) -> tuple[float, ...]:
    """later - earlier: (difference, se, low, high); Newcombe's interval for shares."""
    ea, eb = float(a["estimate"]), float(b["estimate"])  # type: ignore[arg-type]
    se = math.hypot(float(a["se"]), float(b["se"]))  # type: ignore[arg-type]
    d = eb - ea
    if measure.startswith("hires"):
        return d, se, d - Z * se, d + Z * se
    la, ha, lb, hb = (float(x) for x in (a["low"], a["high"], b["low"], b["high"]))  # type: ignore[arg-type]
    return d, se, d - math.hypot(eb - lb, ha - ea), d + math.hypot(hb - eb, ea - la)


def _comparison(wave: str) -> list[dict[str, object]]:
    other = OTHER_WAVE if wave == WAVE else WAVE
    earlier, later = sorted((wave, other))
    before, after = _estimates(earlier), _estimates(later)
    rows: list[dict[str, object]] = []
    for key in sorted(set(before) | set(after)):
        measure, item, sector = key
        a, b = before.get(key), after.get(key)
        hidden = bool(a and a["suppressed"]) or bool(b and b["suppressed"])
        diff: tuple[float | None, ...] = (None, None, None, None)
        if a and b and not hidden:
            diff = _difference(measure, a, b)
        rows.append(
            {
                "compared_wave": other,
                "earlier_wave": earlier,
                "later_wave": later,
                "measure": measure,
                "item_code": item,
                "item_label": (b or a or {}).get("label"),
                "org_sector": sector,
                **{
                    f"{name}_{side}": (est or {}).get(field)
                    for side, est in (("earlier", a), ("later", b))
                    for name, field in (
                        ("n", "n"),
                        ("estimate", "estimate"),
                        ("se", "se"),
                        ("ci_low", "low"),
                        ("ci_high", "high"),
                        ("low_precision", "low_precision"),
                    )
                },
                "suppressed_earlier": bool(a and a["suppressed"]),
                "suppression_earlier": "primary" if a and a["suppressed"] else None,
                "suppressed_later": bool(b and b["suppressed"]),
                "suppression_later": "primary" if b and b["suppressed"] else None,
                "difference": diff[0],
                "difference_se": diff[1],
                "difference_ci_low": diff[2],
                "difference_ci_high": diff[3],
                "question_note": HIRES_NOTE if measure == "hires_5y" else None,
                "scope_note": SCOPE_NOTE,
                "suppressed": hidden,
                "suppression": "secondary" if hidden else None,
            }
        )
    return rows


def _offers(wave: str) -> list[dict[str, object]]:
    """Two real programmes (one planned in 2022) and an illustrative one, not counted."""
    year = int(wave)
    offers = [
        ("phd_school", "Research school", "Doctoral courses in ATMP", "doctoral", 6, 2020, 2027,
         "GMP; Quality control", "Research council", False),
        ("gmp_course", "University", "GMP transfer course", "course", 24, 2023, None,
         "GMP", "Course catalogue", False),
        ("illus_elearning", "Illustrative provider", "E-learning for nurses (illustrative)",
         "e_learning", 80, 2021, None, "Clinical administration", "ILLUSTRATIVE", True),
    ]  # fmt: skip
    return [
        {
            "offer_id": offer_id,
            "provider": provider,
            "programme": programme,
            "level": level,
            "places_per_year": places,
            "first_year": first,
            "last_year": last,
            "status": "planned" if first > year else "ended" if last and last < year else "running",
            "n_skills": skills.count(";") + 1,
            "skills_covered": skills,
            "source": source,
            "illustrative": illustrative,
            "in_supply": not illustrative,
        }
        for (
            offer_id, provider, programme, level, places, first, last, skills, source, illustrative
        ) in offers
    ]  # fmt: skip


def mart_frames(wave: str = WAVE) -> dict[str, pd.DataFrame]:
    """Every mart for one wave, as frames with survey_id and wave first."""
    shift = _shift(wave)
    shortage, supply = _skills(shift)
    sample, weighting = _sample()
    marts = {
        "mart_hiring_demand": _hiring(1.0 + shift),
        "mart_recruitment_difficulty": _difficulty(shift),
        "mart_skill_shortage": shortage,
        "mart_skill_importance": _importance(shortage),
        "mart_training_preference": _training(shift),
        "mart_text_coding": _text_coding(shift),
        "mart_demand_vs_supply": supply,
        "mart_training_offer": _offers(wave),
        "mart_skill_gap": _skill_gap(shift),
        "mart_wave_comparison": _comparison(wave),
        "mart_sample": sample,
        "mart_weighting": weighting,
    }
    frames = {}
    for name, rows in marts.items():
        frame = pd.DataFrame(rows)
        frame.insert(0, "wave", wave)
        frame.insert(0, "survey_id", SURVEY)
        frames[name] = frame
    return frames


def mart_connection(
    overrides: dict[str, pd.DataFrame] | None = None,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding every mart for both waves (optionally with wave-2022 frames
    replaced by `overrides`)."""
    con = duckdb.connect(":memory:")
    current = {**mart_frames(WAVE), **(overrides or {})}
    other = mart_frames(OTHER_WAVE)
    for name, frame in current.items():
        both = pd.concat([frame, other[name]], ignore_index=True)
        con.register("incoming", both)
        con.execute(f"create table {name} as select * from incoming")
        con.unregister("incoming")
    for name, columns in GENERIC_TABLES.items():  # the synthetic survey has no generic questions
        if name not in current:
            con.execute(f"create table {name} ({columns})")
    return con


# The generic-question marts and references, empty: (name, DuckDB columns).
_ESTIMATE = "n_eff double, se double, ci_low double, ci_high double, low_precision boolean"
GENERIC_TABLES = {
    "mart_answer_share": "survey_id varchar, wave varchar, question_id varchar, "
    "item_code varchar, option_code varchar, dimension varchar, answer_key varchar, "
    "level varchar, "
    f"n_respondents bigint, n_selected bigint, weighted_n double, share double, {_ESTIMATE}, "
    "suppressed boolean, suppression varchar",
    "mart_answer_mean": "survey_id varchar, wave varchar, question_id varchar, "
    "item_code varchar, dimension varchar, answer_key varchar, level varchar, "
    "n_respondents bigint, "
    f"weighted_n double, mean double, {_ESTIMATE}, suppressed boolean, suppression varchar",
    "mart_answer_text": "survey_id varchar, wave varchar, question_id varchar, "
    "item_code varchar, n_respondents bigint, n_answered bigint, suppressed boolean, "
    "suppression varchar",
    "ref_question": "survey_id varchar, question_id varchar, position bigint, text varchar, "
    "type varchar, target varchar, question_group varchar",
    "ref_answer_label": "survey_id varchar, question_id varchar, option_code varchar, "
    "label varchar, position bigint",
    "ref_item_label": "survey_id varchar, question_id varchar, item_code varchar, "
    "label varchar, position bigint",
}


CITATION = Citation(
    title="ATMP2030 competence-needs survey",
    edition=f"report of wave {WAVE}",
    source_name="ATMP2030 survey",
    waves_label=f"wave {WAVE}",
    publisher="Agency for Skills",
    contact="stats@agency.example",
    licence="CC BY 4.0",
    url="https://agency.example/atmp2030",
    published=date(2022, 11, 3),
    version="1.1",
)


def report_meta(**changes: object) -> ReportMeta:
    """Metadata as the lead passes it, for wave 2022 of the synthetic survey."""
    values: dict[str, object] = {
        "survey_title": "ATMP2030 competence-needs survey",
        "wave": WAVE,
        "synthetic": True,
        "fieldwork_start": date(2022, 3, 14),
        "fieldwork_end": date(2022, 4, 29),
        "min_cell_size": 5,
        "confidence_level": 0.95,
        "max_cv": MAX_CV,
        "min_n_eff": MIN_N_EFF,
        "scope_notes": (
            "Industry and healthcare organisations in Sweden.",
            "The question on training formats allowed several answers.",
        ),
        "hires_description": "people with specialist ATMP knowledge",
        "citation": CITATION,
        "code_labels": {"org_sector": SECTORS, "org_size_band": SIZE_BANDS},
        "data_quality": [
            {"table": "respondent", "rows_in": 52, "curated": 45, "quarantined": 7},
            {"table": "hiring_need", "rows_in": 1460, "curated": 1290, "quarantined": 170},
        ],
        "quarantine_reasons": [
            {"table": "respondent", "reason": "platform_status: preview response", "count": 4},
            {"table": "respondent", "reason": "completed: response not finished", "count": 3},
            {"table": "hiring_need", "reason": "respondent quarantined", "count": 170},
        ],
    }
    values.update(changes)
    return ReportMeta(**values)  # type: ignore[arg-type]
