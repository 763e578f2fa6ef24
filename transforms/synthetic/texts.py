"""Synthetic sample, word pools: fake people, free-text answers and 'other' training formats."""

from __future__ import annotations

# Fake contact persons (the PII the pipeline must drop). Non-ASCII on purpose.
FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Åsa", "Björn", "Carina", "Daniel", "Elin", "Erik", "Fredrik", "Gunilla", "Hanna",
    "Ida", "Jonas", "Karin", "Lars", "Linnéa", "Magnus", "Maria", "Mikael", "Nils", "Olle",
    "Per", "Sara", "Sofia", "Stefan", "Ulrika", "Viktor", "Yasmin", "Zeynep", "Mehmet", "Johanna",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Andersson", "Berg", "Björk", "Dahl", "Ekström", "Forsberg", "Gustafsson", "Hedlund",
    "Holm", "Jönsson", "Karlsson", "Lindqvist", "Lundgren", "Nilsson", "Nyström", "Öberg",
    "Persson", "Sandberg", "Sjögren", "Söderberg", "Wallin", "Åkesson", "Yilmaz", "Ali",
)  # fmt: skip
EMAIL_DOMAINS: tuple[str, ...] = ("example.se", "example.com")

# Answers to "Which other skills does your organisation need ...?" (<, >, & on purpose).
OTHER_SKILLS: tuple[str, ...] = (
    "Aseptic technique & cleanroom behaviour",
    "Statistics for small batches (n < 10) & comparability studies",
    "Data integrity (ALCOA+) & computerised system validation",
    "Flow cytometry for release testing",
    "Project management across R&D and GMP",
    "Supply chain for autologous products: vein-to-vein > 3 weeks is too slow",
    "Environmental monitoring in grade A/B cleanrooms",
    "Kunskap om sjukhusundantaget och ersättningsmodeller",
    "Validering av analysmetoder för cellterapi",
    "Automation of fill & finish",
    "Legal & IP questions around gene editing",
    "Biostatistics for single-arm trials",
    "Leadership for small GMP teams",
    "Interaction with Läkemedelsverket and EMA (scientific advice)",
    "Apheresis and cell collection logistics",
    "Risk-based approach <ICH Q9> applied to ATMP",
    "Microbiology: sterility testing & mycoplasma",
    "Cell line development for vector production",
    "Quality by design for lentiviral processes",
    "Patient follow-up and long-term safety registers",
    "Operating closed systems (Prodigy, Sefia) in a hospital setting",
    "Nothing more than listed.",
    "Tech transfer between academic labs & CDMOs",
    "Pharmacovigilance for gene therapies",
    "Procurement and tendering for ATMP treatments in regions",
    "Understanding of the EU HTA regulation & joint clinical assessments",
    "Handling of GMO permits (contained use)",
)
# Answers to "Other, please specify" under the training-format question.
OTHER_FORMATS: tuple[str, ...] = (
    "Study visits to the Cell and Gene Therapy Catapult",
    "Webinars with Läkemedelsverket",
    "Joint industry & hospital training days",
    "Exchange of staff between hospital clean rooms",
    "Mentoring by a QP from another site",
)
# Planted answers that test redaction and multi-line cells.
EMAIL_ANSWER = (
    "QC staff with GMP experience are our main gap. Contact me at anna.berg@example.se "
    "if you want to discuss our needs."
)
ESCAPE_ANSWER = "<b>Risk-based</b> thinking (ICH Q9) & data integrity > paper records"
MULTILINE_ANSWER = "Two things:\nvalidation of potency assays\nand GMP documentation in Swedish"
