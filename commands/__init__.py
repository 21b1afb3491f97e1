"""What tasks.py runs: the strict build and its swap, the preview server,
publishing, a new article and the review report.

Commands may use the plugins' and the rules' public functions and Pelican's
API; nothing in plugins/ or rules/ imports a command (docs/architecture.md).
"""
