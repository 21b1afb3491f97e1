"""Mind Balance's own Pelican plugins, one concern each.

Every module here is named in pelicanconf.PLUGINS and works through Pelican's
signals. Code that is not a Pelican plugin lives elsewhere: the commands that
tasks.py runs in commands/, the content rules in rules/ (docs/architecture.md).
"""
