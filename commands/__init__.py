"""What tasks.py runs: the strict build and its swap, publishing, a new article,
photo cleaning and the review report.

Commands may use the plugins' and the rules' public functions and Pelican's
API; nothing in plugins/ or rules/ imports a command, and no command imports
the preview, which builds with them (docs/architecture.md).
"""
