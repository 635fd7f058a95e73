"""Checks for uploaded evidence: type by extension *and* content, and size."""

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024  # 20 MB: enough for a survey export or a photo series

# extension -> (content type, magic-byte prefixes or None for text)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", [b"%PDF-"]),
    "png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    "jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "gif": ("image/gif", [b"GIF87a", b"GIF89a"]),
    "webp": ("image/webp", [b"RIFF"]),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [b"PK\x03\x04"],
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [b"PK\x03\x04"]),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [b"PK\x03\x04"],
    ),
    "odt": ("application/vnd.oasis.opendocument.text", [b"PK\x03\x04"]),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", [b"PK\x03\x04"]),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
    "md": ("text/markdown", None),
}


def allowed_extensions_display() -> str:
    return ", ".join(sorted(ALLOWED_TYPES))


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """Both sizes readable; in bytes when rounding would show a file just over the
    limit as the limit itself ("20,0 MB; at most 20,0 MB")."""
    shown, most = filesizeformat(size), filesizeformat(limit)
    if shown != most:
        return shown, most
    return _in_bytes(size), _in_bytes(limit)


def _in_bytes(size: int) -> str:
    return _("%(bytes)s bytes") % {"bytes": number_format(size, force_grouping=True)}


def validate_attachment(upload: "File[bytes]") -> str:
    """Return the content type to store, or raise a ValidationError saying why not."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > MAX_ATTACHMENT_SIZE:
        size, most = _sizes(upload.size, MAX_ATTACHMENT_SIZE)
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(max)s.")
            % {"name": name, "size": size, "max": most},
            code="too_large",
        )
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not an allowed file type. Allowed: %(allowed)s.")
            % {"name": name, "allowed": allowed_extensions_display()},
            code="bad_type",
        )
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(
                _("“%(name)s” does not look like a text file.") % {"name": name}, code="bad_content"
            )
    elif not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("The content of “%(name)s” does not match its .%(ext)s extension.")
            % {"name": name, "ext": extension},
            code="bad_content",
        )
    return content_type
