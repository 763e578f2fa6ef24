"""Codebook tools: draft a codebook from an export (`init`), check a codebook against its
exports (`check`), and the JSON Schema of the codebook format (`schema`)."""
