"""Rule families. Each module declares its rules in the registry and exposes check functions."""
