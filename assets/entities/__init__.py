"""Entity resolution: which source rows are one real entity, under which stable id, active when.

`clusters` decides which rows belong together, `stable_ids` names the result across refreshes,
`assets` writes the core tables (docs/entity_model.md describes the model they follow).
"""
