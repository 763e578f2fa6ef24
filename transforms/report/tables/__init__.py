"""Report step, tables: mart rows for one survey wave → the tables the report shows.

Each table function takes the frame its report query returned (transforms/report/sql/) and the
report's `TableBuilder` (builder), and returns a `Table`; the same object feeds HTML, PDF and
tables.xlsx, so every published table is the same everywhere. One module per topic: hiring,
difficulty, skills (shortage and importance), training, gap (the skill-gap index), waves
(change between waves), sample (sample and weighting), quality (data quality).
"""
