"""Alt text that says nothing: a file name, or only that there is a picture.

A screen reader reads `![IMG_2034.JPG](…)` out as "I M G underscore two zero
three four dot J P G", and `![photo](…)` as "photo, image": neither tells a
reader who cannot see it what the picture shows, which is the one thing alt
text is for (docs/editing.md, "Images"). `alt_text_problem` names which of the
two it is; a sentence that merely contains "photo" is a description and passes.
"""

from __future__ import annotations

import re

# The end of a picture's file name, as cameras, phones and editors save them.
FILE_SUFFIX = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg|heic|heif|tiff?|bmp)$", re.IGNORECASE)
# Names cameras and phones give: IMG_2034, DSC01234, PXL_20240101_101500, photo-1, Screenshot 2024-01-02.
CAMERA_NAME = re.compile(
    r"^(?:img|dsc[nf]?|pxl|mvimg|photo|image|pic|picture|screenshot|screen shot|scan|untitled)"
    r"[\s_-]*\d[\w\s.:-]*$",
    re.IGNORECASE,
)
# Words that say only that there is a picture (screen readers say "image" already).
PICTURE_WORDS = {
    "image", "images", "img", "photo", "photos", "photograph", "picture", "pictures", "pic",
    "graphic", "graphics", "screenshot", "screen shot", "figure", "fig", "illustration",
    "icon", "drawing", "diagram", "chart", "alt", "alt text", "placeholder", "untitled",
    "description", "image description", "insert image", "todo",
}  # fmt: skip
LEADING = re.compile(r"^(?:(?:a|an|the|this|my|our|see|insert)\s+)+")
TRAILING = re.compile(r"(?:\s+(?:of|here|below|above|\d+))+$")


def alt_text_problem(alt: str) -> str | None:
    """Why `alt` describes nothing ("is a file name"), or None when it is a description."""
    text = " ".join(alt.split())
    if not text:
        return None  # "has no alt text" is its own rule
    if FILE_SUFFIX.search(text) or CAMERA_NAME.match(text):
        return "is a file name, which a screen reader reads out as it is"
    words = re.sub(r"[^\w\s]", " ", text.casefold()).replace("_", " ")
    words = TRAILING.sub("", LEADING.sub("", " ".join(words.split())))
    if not words or words in PICTURE_WORDS:
        return "says only that there is a picture, which a screen reader says already"
    return None
