"""The analysis pipeline above the rule families: `analyze()` and the project configuration."""
