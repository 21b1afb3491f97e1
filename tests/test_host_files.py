"""commands/host_files.py: what every build writes for the hosts besides the pages.

Reproducible `.gz` copies for nginx's `gzip_static` and `.nojekyll` for GitHub
Pages; the `_headers` file it writes is checked against its definition in
test_security_headers.py.
"""

from __future__ import annotations

import gzip

from commands.host_files import COMPRESSED_SUFFIXES


def test_text_files_have_reproducible_gzip_copies(site):
    texts = [p for p in site.root.rglob("*") if p.is_file() and p.suffix in COMPRESSED_SUFFIXES]
    assert texts
    for path in texts:
        packed = path.with_name(path.name + ".gz").read_bytes()
        assert gzip.decompress(packed) == path.read_bytes()
        assert packed[4:8] == b"\0\0\0\0", f"{path.name}.gz has a time stamp"
        assert not packed[3] & 0x08, f"{path.name}.gz stores a file name"


def test_github_pages_gets_a_nojekyll_file(site):
    assert (site.root / ".nojekyll").is_file()
