"""Graph optimization passes over plans; `pipeline.run` applies them in order."""
