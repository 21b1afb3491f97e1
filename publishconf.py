"""Production settings: used by `invoke build --production` and every publish.

The public address comes from the SITEURL environment variable. Its default,
http://127.0.0.1:8000, lets the same production build be checked on the local
preview server; CI and every publish task set SITEURL explicitly.
"""

import os
import sys

sys.path.append(os.curdir)  # Pelican's quickstart idiom: builds run from the repository root

from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "http://127.0.0.1:8000").rstrip("/")
PRODUCTION = True

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
LANGUAGE_FEED_ATOM = "feeds/{lang}.atom.xml"

# Drafts are a preview for their editor; a production build never writes them.
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
# The components reference is a development aid, like drafts.
COMPONENT_REFERENCE_SAVE_AS = ""
