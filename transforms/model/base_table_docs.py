"""Model step, documentation: what the base tables (reference, weight and data-quality tables,
and the canonical tables' key columns) hold, for the data dictionary
(transforms.model.dictionary renders them)."""

from __future__ import annotations

KEY_NOTES = {
    "survey_id": "Survey identifier (the codebook's survey.id)",
    "wave": "Survey wave (a key of the codebook's waves)",
    "respondent_key": "Pseudonymous respondent key: salted SHA-256 of the platform id",
    "source_file": "Export file the row came from, relative to the survey folder",
    "source_sha256": "SHA-256 of the whole source file",
    "source_row": "1-based row in the source file as a spreadsheet shows it (headers included)",
}

# Base tables other than the canonical ones: (what the table is, its grain).
BASE_TABLE_NOTES: dict[str, tuple[str, str]] = {
    "ref_role": ("Role taxonomy (taxonomies.role CSV).", "one row per role"),
    "ref_skill": ("Skill taxonomy (taxonomies.skill CSV).", "one row per skill"),
    "ref_role_skill": ("Which skills each role needs.", "one row per role × skill"),
    "ref_training_offer": (
        "Training-supply catalogue (taxonomies.training_offer CSV).",
        "one row per training offer",
    ),
    "ref_population_frame": (
        "Organisations per sector × size band: the weighting targets.",
        "one row per survey × sector × size band",
    ),
    "text_code": (
        "The free-text coder's output (transforms.model.text_coding): the codes each answer to "
        "a coded question (codebook text_coding) got; an answer with no row is uncoded.",
        "one row per survey × wave × respondent × question × code",
    ),
    "ref_text_code": (
        "The codes of each coded free-text question's scheme (the skill taxonomy or a codebook "
        "code list), with their labels.",
        "one row per survey × question × code",
    ),
    "ref_code": (
        "The codebook's code lists (sector, size band, region, training format) with labels.",
        "one row per survey × code list × code",
    ),
    "ref_question_note": (
        "Codebook notes per wave: a question's wording change, or the wave's scope note.",
        "one row per survey × wave × note",
    ),
    "ref_question": (
        "Every codebook question in questionnaire order, with its text, type and target.",
        "one row per survey × question",
    ),
    "ref_answer_label": (
        "The answer text of each option of the generic questions (target answer.value).",
        "one row per survey × generic question × option",
    ),
    "ref_item_label": (
        "The text of each grid item of the generic numeric and ordinal questions.",
        "one row per survey × generic question × item",
    ),
    "respondent_weight": (
        "Each curated respondent's weight and variance stratum (transforms.model.weighting).",
        "one row per survey × wave × respondent",
    ),
    "weighting_summary": (
        "How each wave was weighted (the codebook's weighting section).",
        "one row per survey × wave",
    ),
    "dq_reconciliation": (
        "Rows in, curated and quarantined per canonical table (data-quality step).",
        "one row per survey × wave × canonical table",
    ),
    "dq_quarantine_reason": (
        "Quarantined rows per failed expectation (data-quality step).",
        "one row per survey × wave × table × stage × reason",
    ),
}

COLUMN_NOTES: dict[str, dict[str, str]] = {
    "respondent": {
        "org_sector": "Sector of the organisation (code list org_sector)",
        "org_size_band": "Size band of the organisation (code list org_size_band)",
        "region": "Region of the organisation (code list region)",
        "completed": "The platform marked the response complete",
        "platform_status": "normal, preview, test, spam, imported or offline",
        "submitted_at": "When the response was submitted",
    },
    "hiring_need": {
        "role_code": "Role hired for (ref_role)",
        "horizon": "1y (within a year) or 5y (within five years, cumulative)",
        "headcount": "People the organisation expects to hire",
    },
    "recruitment_difficulty": {
        "role_code": "Role rated (ref_role)",
        "difficulty": "1 not difficult … 4 extremely difficult",
    },
    "skill_need": {
        "skill_code": "Skill rated (ref_skill)",
        "importance": "Importance 1-5",
        "shortage": "Shortage 1 none … 4 severe",
    },
    "training_preference": {
        "format_code": "Training format offered (code list training_format)",
        "selected": "Whether the respondent chose the format",
    },
    "free_text": {
        "question_id": "Codebook question id",
        "text": "The answer as written (never published without review)",
    },
    "answer": {
        "question_id": "Codebook question id (a question with target answer.value)",
        "item_code": "Grid item; empty for a question without items",
        "option_code": "Option chosen (single and multi-select); empty for numbers, scale "
        "points and text",
        "value": "1 chosen / 0 not (multi-select), 1 (single choice), the number or scale "
        "point (grids), empty (text: counted, never stored)",
    },
    "ref_role": {
        "role_code": "Role code",
        "label": "Role name as published",
        "role_family": "Group of related roles",
        "isco_code": "ISCO-08 occupation code where known",
    },
    "ref_skill": {
        "skill_code": "Skill code",
        "label": "Skill name as published",
        "skill_family": "Group of related skills",
        "esco_uri": "ESCO skill URI where known",
        "synonyms": "Other words for the skill, |-joined, that the free-text coder matches",
    },
    "ref_role_skill": {"role_code": "Role code", "skill_code": "A skill the role needs"},
    "ref_training_offer": {
        "offer_id": "Training offer identifier",
        "provider": "Who runs it",
        "programme": "Programme or course name",
        "level": "Level of study",
        "credits": "Credits awarded",
        "places_per_year": "Places offered per year",
        "first_year": "First year the offer runs",
        "last_year": "Last year it runs (empty: still running)",
        "skills": "Skill codes it covers, ;-joined",
        "source": "Where the offer was found",
        "illustrative": "An invented example (a demonstration catalogue's), not a real offer",
    },
    "ref_population_frame": {
        "survey_id": KEY_NOTES["survey_id"],
        "org_sector": "Sector",
        "org_size_band": "Size band",
        "organisations": "Organisations in the population",
    },
    "ref_code": {
        "survey_id": KEY_NOTES["survey_id"],
        "code_list": "Code list name (org_sector, org_size_band, region, training_format, …)",
        "code": "Code",
        "label": "Label as published",
    },
    "ref_question_note": {
        "survey_id": KEY_NOTES["survey_id"],
        "wave": KEY_NOTES["wave"],
        "question_id": "Codebook question whose wording changed (NULL: the wave's scope note)",
        "target": "Canonical target of the question (table.column)",
        "horizon": "The question's constant horizon, if any",
        "note": "The note, as shown beside between-wave comparisons",
    },
    "ref_question": {
        "survey_id": KEY_NOTES["survey_id"],
        "question_id": "Codebook question id",
        "position": "Place in the questionnaire (codebook order, from 1)",
        "text": "Question text as plain text (platform HTML stripped)",
        "type": "single, multi, ordinal_grid, numeric_grid or text",
        "target": "Canonical target (table.column); answer.value for a generic question",
        "question_group": "Report chapter of a generic question (codebook group); NULL: none",
    },
    "ref_answer_label": {
        "survey_id": KEY_NOTES["survey_id"],
        "question_id": "Generic question id",
        "option_code": "Option code (as in answer and mart_answer_share)",
        "label": "The option's answer text",
        "position": "Place of the option in the question (value_map or items order, from 1)",
    },
    "ref_item_label": {
        "survey_id": KEY_NOTES["survey_id"],
        "question_id": "Generic question id",
        "item_code": "Item code (as in answer and mart_answer_mean)",
        "label": "The item's text (codebook item_labels, else the code made readable)",
        "position": "Place of the item in the question (items order, from 1)",
    },
    "text_code": {
        "survey_id": KEY_NOTES["survey_id"],
        "wave": KEY_NOTES["wave"],
        "respondent_key": KEY_NOTES["respondent_key"],
        "question_id": "Free-text question id (free_text.question_id)",
        "code": "A code of the question's scheme the answer matched",
        "score": "Match score 0-100 of the code's best term (rapidfuzz), at least min_score",
    },
    "ref_text_code": {
        "survey_id": KEY_NOTES["survey_id"],
        "question_id": "Free-text question id with a coding scheme",
        "scheme": "skill (the skill taxonomy) or the name of a codebook code list",
        "code": "Code of the scheme",
        "label": "Label as published",
        "position": "Place of the code in its scheme (from 1)",
    },
    "respondent_weight": {
        "survey_id": KEY_NOTES["survey_id"],
        "wave": KEY_NOTES["wave"],
        "respondent_key": KEY_NOTES["respondent_key"],
        "stratum": "Variance stratum: post-stratum (<sector>/all when collapsed) or raking cell",
        "weight": "Organisations the respondent stands for",
    },
    "weighting_summary": {
        "survey_id": KEY_NOTES["survey_id"],
        "wave": KEY_NOTES["wave"],
        "method": "poststratify or rake",
        "iterations": "Raking sweeps needed to meet every margin (NULL for post-stratification)",
    },
    "dq_reconciliation": {
        "survey_id": KEY_NOTES["survey_id"],
        "wave": KEY_NOTES["wave"],
        "table_name": "Canonical table",
        "rows_in": "Staged rows",
        "rows_curated": "Rows that passed validation",
        "rows_quarantined": "Rows quarantined",
        "reconciled": "rows_in = rows_curated + rows_quarantined",
    },
    "dq_quarantine_reason": {
        "survey_id": KEY_NOTES["survey_id"],
        "wave": KEY_NOTES["wave"],
        "table_name": "Canonical table",
        "stage": "Where the row was quarantined (validation stage)",
        "reason": "The failed expectation, naming the column and value",
        "rows": "Rows quarantined for the reason",
    },
}

# dq_* tables are stored as the data-quality step gives them, so their types are noted here.
FREE_FORM_TYPES: dict[str, dict[str, str]] = {
    "dq_reconciliation": {
        "survey_id": "VARCHAR",
        "wave": "VARCHAR",
        "table_name": "VARCHAR",
        "rows_in": "BIGINT",
        "rows_curated": "BIGINT",
        "rows_quarantined": "BIGINT",
        "reconciled": "BOOLEAN",
    },
    "dq_quarantine_reason": {
        "survey_id": "VARCHAR",
        "wave": "VARCHAR",
        "table_name": "VARCHAR",
        "stage": "VARCHAR",
        "reason": "VARCHAR",
        "rows": "BIGINT",
    },
}
