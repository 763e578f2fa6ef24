"""Synthetic sample, fixed content: code lists, labels, question wording and the sample design."""

from __future__ import annotations

from datetime import date

# Respondent dimensions: code -> canonical label (the codebook's `codes`).
SECTORS: dict[str, str] = {
    "large_pharma": "Large pharmaceutical company",
    "sme_developer": "Small or medium-sized ATMP developer",
    "cdmo": "Contract development and manufacturing organisation (CDMO)",
    "hospital_region": "Hospital or healthcare region",
    "academia": "University or research institute",
    "public_authority": "Public authority or agency",
}
SIZE_BANDS: dict[str, str] = {
    "small": "Small (1–49 employees)",
    "medium": "Medium (50–249 employees)",
    "large": "Large (250+ employees)",
}
REGIONS: dict[str, str] = {
    "stockholm": "Stockholm",
    "uppsala": "Uppsala",
    "vastra_gotaland": "Västra Götaland",
    "skane": "Skåne",
    "vasterbotten": "Västerbotten",
    "ostergotland": "Östergötland",
    "other_region": "Other region in Sweden",
}
TRAINING_FORMATS: dict[str, str] = {
    "short_course": "Short course (1-5 days)",
    "university_course": "University course with credits",
    "e_learning": "Online, self-paced e-learning",
    "on_the_job": "On-the-job training, mentoring, or job rotation",
    "research_school": "Doctoral or research school",
    "gmp_placement": "Placement in a GMP facility",
    "other": "Other",
}
# Themes the answers to "What is special about training ...?" are coded to (codes.training_theme)
# and the further terms the coder matches for each (synonyms.training_theme), English and Swedish.
TRAINING_THEMES: dict[str, str] = {
    "gmp_access": "Access to GMP facilities and cleanrooms",
    "regulatory_complexity": "Complex and changing regulation",
    "few_patients": "Few patients and individualised products",
    "interdisciplinary": "Interdisciplinary skills",
    "hands_on": "Hands-on practical training",
    "few_courses": "Few courses in Sweden",
}
TRAINING_THEME_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gmp_access": ("cleanroom", "clean room", "GMP facility", "GMP lab", "renrum"),
    "regulatory_complexity": ("regulation", "regulations", "regulatory", "regulated",
                              "hospital exemption", "EMA", "regelverk", "regelverket"),
    "few_patients": ("few patients", "one patient", "autologous", "individualised",
                     "personalised", "få patienter"),
    "interdisciplinary": ("interdisciplinary", "multidisciplinary", "tvärvetenskaplig"),
    "hands_on": ("hands-on", "hands on", "practical training", "learning by doing",
                 "praktisk träning"),
    "few_courses": ("few courses", "no courses", "abroad", "utomlands",
                    "kurser saknas"),
}  # fmt: skip
# Synonyms the codebook adds to the skill taxonomy's own (synonyms.skill): an extension a survey
# team makes without editing the shared skills.csv.
CODEBOOK_SKILL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gmp": ("cleanroom behaviour", "grade A/B cleanrooms"),
    "hospital_exemption": ("sjukhusundantaget",),
}
# Reviewed quotes (quotes.<question>): the only free text the reports print.
QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "training_special": (
        ("2022", "Hands-on time in the cleanroom & GMP > any e-learning"),
        ("2024", "Vi skickar personal utomlands eftersom kurser saknas i Sverige."),
    ),
}
QUOTE_REVIEWER = "skillgap maintainers (synthetic sample: no real respondent)"

# Answer texts as respondents saw them (identical in both waves unless listed below).
SECTOR_CHOICES: dict[str, str] = dict(SECTORS)
SECTOR_CHOICES_2024: dict[str, str] = {
    **SECTORS,
    "sme_developer": "Small or medium-sized company developing ATMPs",
}
SIZE_CHOICES: dict[str, str] = {
    "small": "1-49 employees",
    "medium": "50-249 employees",
    "large": "250 or more employees",
}
REGION_CHOICES: dict[str, str] = {**REGIONS, "other_region": "Other region"}

# Ordinal scales: value -> answer text.
DIFFICULTY: dict[int, str] = {
    1: "Not difficult",
    2: "Somewhat difficult",
    3: "Very difficult",
    4: "Extremely difficult",
}
NOT_APPLICABLE = "Not applicable"
IMPORTANCE: dict[int, str] = {
    1: "Not important",
    2: "Slightly important",
    3: "Moderately important",
    4: "Very important",
    5: "Critical",
}
SHORTAGE: dict[int, str] = {
    1: "No shortage",
    2: "Minor shortage",
    3: "Moderate shortage",
    4: "Severe shortage",
}

# Role and skill items as the questionnaire lists them (codes = reference taxonomy codes).
ROLE_ITEMS: dict[str, str] = {
    "qc_analyst": "QC analyst",
    "qa_specialist": "QA specialist",
    "qualified_person": "Qualified Person (QP)",
    "gmp_manufacturing": "GMP manufacturing operator or technician",
    "process_development": "Process development scientist",
    "viral_vector": "Viral vector specialist",
    "regulatory_affairs": "Regulatory affairs specialist",
    "data_bioinformatics": "Data scientist or bioinformatician",
    "atmp_nurse": "ATMP nurse (cell therapy unit)",
    "hospital_pharmacist": "Hospital pharmacist",
    "clinical_research": "Clinical research coordinator or investigator",
    "health_economics": "Health economist or market access specialist",
}
SKILL_ITEMS: dict[str, str] = {
    "gmp": "Good Manufacturing Practice (GMP)",
    "glp_gdp": "Good Laboratory and Distribution Practice (GLP/GDP)",
    "qc_qa": "Quality control and quality assurance (QC/QA)",
    "jacie": "JACIE accreditation and standards",
    "sop_writing": "Writing standard operating procedures (SOPs)",
    "gmp_transfer": "Pre-GMP to GMP process transfer",
    "closed_bioreactor": "Closed bioreactor systems",
    "mrna_production": "mRNA production",
    "viral_vector_production": "Viral vector production",
    "potency_purity_assays": "Potency and purity assays",
    "cryo_logistics": "Cryopreservation and logistics",
    "clinical_administration": "Clinical administration of ATMPs",
    "hospital_exemption": "Hospital exemption",
    "health_economics": "Health economics and reimbursement",
    "regulatory_strategy": "Regulatory strategy",
    "bioinformatics": "Bioinformatics",
}

# Question wording per wave (2022 Qualtrics, 2024 SurveyMonkey); the codebook maps both.
QUESTIONS_2022: dict[str, str] = {
    "org_sector": "Which of the following best describes your organisation?",
    "org_size_band": "How many employees does your organisation have in Sweden?",
    "region": "In which region is your organisation mainly located?",
    "hires_1y": (
        "How many people with specialist ATMP knowledge do you expect to hire within 1 year? "
        "Please give a number for each role (0 if none)."
    ),
    "hires_5y": (
        "How many people with specialist ATMP knowledge do you expect to hire within 5 years "
        "(including those within 1 year)?"
    ),
    "recruitment_difficulty": (
        "How difficult is it to recruit people with suitable skills for each of these roles?"
    ),
    "skill_importance": (
        "How important are the following skills for your organisation over the next five years?"
    ),
    "skill_shortage": (
        "How large is the shortage of the following skills in your organisation today?"
    ),
    "training_format": (
        "Which training formats would your organisation prefer for upskilling staff in ATMP? "
        "Select all that apply."
    ),
    "other_skills": "Which other skills does your organisation need that are not listed above?",
    "training_special": "What is special about training for ATMP in your organisation?",
}
QUESTIONS_2024: dict[str, str] = {
    **QUESTIONS_2022,
    "org_sector": "Which type of organisation do you represent?",
    "hires_1y": (
        "How many people with specialist ATMP knowledge do you expect to hire within 12 months? "
        "Please give a number for each role (0 if none)."
    ),
    "hires_5y": (
        "How many people with specialist ATMP knowledge do you expect to hire within 5 years "
        "(including those within 12 months)?"
    ),
}

WAVES: tuple[str, ...] = ("2022", "2024")
FIELDWORK: dict[str, tuple[date, date]] = {
    "2022": (date(2022, 3, 7), date(2022, 4, 29)),
    "2024": (date(2024, 3, 11), date(2024, 4, 26)),
}

# Sample design: organisations in the frame, and respondents per wave, per sector x size cell.
# Every cell with organisations has respondents in both waves (response rates 50-80 %).
FRAME: dict[tuple[str, str], int] = {
    ("large_pharma", "medium"): 5,
    ("large_pharma", "large"): 11,
    ("sme_developer", "small"): 28,
    ("sme_developer", "medium"): 10,
    ("cdmo", "small"): 8,
    ("cdmo", "medium"): 10,
    ("cdmo", "large"): 6,
    ("hospital_region", "medium"): 16,
    ("hospital_region", "large"): 32,
    ("academia", "small"): 44,
    ("academia", "medium"): 30,
    ("academia", "large"): 14,
    ("public_authority", "small"): 4,
    ("public_authority", "medium"): 8,
    ("public_authority", "large"): 6,
}
RESPONDENTS: dict[str, dict[tuple[str, str], int]] = {
    "2022": {
        ("large_pharma", "medium"): 3,
        ("large_pharma", "large"): 8,
        ("sme_developer", "small"): 18,
        ("sme_developer", "medium"): 7,
        ("cdmo", "small"): 5,
        ("cdmo", "medium"): 7,
        ("cdmo", "large"): 4,
        ("hospital_region", "medium"): 11,
        ("hospital_region", "large"): 22,
        ("academia", "small"): 26,
        ("academia", "medium"): 19,
        ("academia", "large"): 9,
        ("public_authority", "small"): 2,
        ("public_authority", "medium"): 5,
        ("public_authority", "large"): 4,
    },
    "2024": {
        ("large_pharma", "medium"): 3,
        ("large_pharma", "large"): 7,
        ("sme_developer", "small"): 17,
        ("sme_developer", "medium"): 7,
        ("cdmo", "small"): 5,
        ("cdmo", "medium"): 6,
        ("cdmo", "large"): 4,
        ("hospital_region", "medium"): 10,
        ("hospital_region", "large"): 20,
        ("academia", "small"): 24,
        ("academia", "medium"): 17,
        ("academia", "large"): 8,
        ("public_authority", "small"): 2,
        ("public_authority", "medium"): 5,
        ("public_authority", "large"): 4,
    },
}
