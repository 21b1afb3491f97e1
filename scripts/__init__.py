"""Set-up scripts that run before the virtual environment exists (standard library only)."""
