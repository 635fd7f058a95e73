"""Thumbnails of uploaded evidence: the first page of a PDF, the first frame of an image.

Files come from users, so everything here assumes hostile input: the pixel count is
checked *before* anything is decoded (a 50 KB PNG can claim 100,000 × 100,000
pixels), Pillow only opens the formats we accept, and PDFium only renders page 1 at a
scale bounded by the thumbnail size. Any failure is a ``PreviewError``; the caller
logs it and shows the file without a preview.
"""

import io
import warnings

import pypdfium2 as pdfium
from PIL import Image

THUMBNAIL_SIZE = (320, 320)
#: Larger than any photo a phone takes (≈ 50 MP), far below what fills memory.
MAX_IMAGE_PIXELS = 60_000_000
#: A page larger than A0 (2384 × 3370 pt) is not a document page; refuse it before rendering.
MAX_PAGE_POINTS = 3400
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


class PreviewError(Exception):
    """The file cannot be previewed (broken, encrypted, a decompression bomb…)."""


def make_thumbnail(data: bytes, content_type: str) -> bytes:
    """A JPEG of at most THUMBNAIL_SIZE showing the first page or frame of ``data``."""
    if content_type == "application/pdf":
        image = _first_pdf_page(data)
    elif content_type.startswith("image/"):
        image = _first_frame(data)
    else:
        raise PreviewError(f"no preview for {content_type}")
    return _as_jpeg(image)


def _first_frame(data: bytes) -> Image.Image:
    try:
        # A DecompressionBombWarning becomes an error too: a thumbnail is never
        # worth decoding an image of that size.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise PreviewError(f"image of {width}×{height} pixels is too large")
            image.seek(0)
            # JPEG can decode at 1/2, 1/4, 1/8 scale directly: much less memory.
            image.draft("RGB", THUMBNAIL_SIZE)
            image.thumbnail(THUMBNAIL_SIZE)
            return image
    except PreviewError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise PreviewError(f"image cannot be read: {error}") from error
    except Image.DecompressionBombWarning as error:
        raise PreviewError(f"image is a decompression bomb: {error}") from error


def _first_pdf_page(data: bytes) -> Image.Image:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PreviewError(f"PDF cannot be opened: {error}") from error
    try:
        if len(document) == 0:
            raise PreviewError("PDF has no pages")
        page = document[0]
        width, height = page.get_size()
        if not (0 < width <= MAX_PAGE_POINTS and 0 < height <= MAX_PAGE_POINTS):
            raise PreviewError(f"PDF page of {width:.0f}×{height:.0f} pt is out of bounds")
        scale = min(THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)
        return page.render(scale=scale).to_pil()
    except pdfium.PdfiumError as error:
        raise PreviewError(f"PDF page cannot be rendered: {error}") from error
    finally:
        document.close()


def _as_jpeg(image: Image.Image) -> bytes:
    """Flatten transparency on white (JPEG has none) and encode."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, "JPEG", quality=80, optimize=True)
    return output.getvalue()
