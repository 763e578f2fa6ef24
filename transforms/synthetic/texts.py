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

# Answers to "What is special about training for ATMP in your organisation?": most name one or
# two of the codebook's training themes (GMP access, regulation, few patients, interdisciplinary
# skills, hands-on training, few courses in Sweden), in English or Swedish, some with typos;
# a few name none, and a few say nothing at all.
TRAINING_SPECIAL: tuple[str, ...] = (
    "Staff can only learn aseptic work inside the cleanroom, and our GMP facility is booked "
    "for production most weeks.",
    "Access to a GMP lab for training is the bottleneck: we cannot train on live batches.",
    "Träning kräver tillgång till renrum, som vi sällan har.",
    "The regulation keeps changing and every product is regulated differently.",
    "Regelverket för ATMP är komplext och ändras ofta.",
    "Understanding the hospital exemption and the EMA requirements takes years.",
    "Every batch is one patient: with so few patients there is little routine to learn from.",
    "Autologous products are individualised, so no two runs are the same.",
    "Få patienter per år, så personalen får sällan öva.",
    "It needs people who combine cell biology, engineering and clinical work - truly "
    "interdisciplinary.",
    "Our teams are multidisciplinary; courses treat the disciplines separately.",
    "Tvärvetenskaplig kompetens: biologi, teknik och vård i samma team.",
    "Hands-on practical training matters far more than lectures.",
    "Learning by doing under supervision is the only way that works for us.",
    "Praktisk träning på riktiga processer saknas.",
    "There are very few courses in Sweden; we send staff abroad.",
    "No courses are offered in Sweden for viral vector work, so we go to Germany.",
    "Vi skickar personal utomlands eftersom kurser saknas i Sverige.",
    "Hands on training in the cleanroom, because the regulatory demands are so high.",
    "Few patients and complex regulations: both make in-house training slow.",
    "Interdisciplinairy teams need practical training together, not separate courses.",
    "Acess to the clean room and few courses in Sweden.",
    "We are a small team and everyone does everything.",
    "Budget for training is limited.",
    "Nothing special.",
    "n/a",
    "Vet ej",
    "-",
)
# Planted answers to the training question: markup and a phone number (redacted at ingest).
TRAINING_ESCAPE_ANSWER = "<i>Hands-on</i> time in the cleanroom & GMP > any e-learning"
TRAINING_PHONE_ANSWER = (
    "Few courses in Sweden; call me on 070-123 45 67 and I can explain what we need."
)
