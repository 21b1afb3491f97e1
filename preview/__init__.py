"""The editor's preview (`invoke serve`): the server, live reload and its script,
and the rebuild after each save.

The preview builds with the commands' own functions (the one strict build in
commands/build.py, photo cleaning, `.gz` copies), so what it serves is what
`invoke build` writes; nothing in commands/, plugins/ or rules/ imports the
preview (docs/architecture.md).
"""
