"""The content rules: everything an editor can get wrong, found before Pelican
runs and reported as `file:line: what to do`.

The rules read only the content folder and the settings; they import nothing
else of the site's (docs/architecture.md).
"""
