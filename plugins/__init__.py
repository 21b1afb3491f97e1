"""Mind Balance's own Pelican plugins and the build that drives them.

Each module has one concern; pelicanconf.PLUGINS lists the ones Pelican loads.
"""
