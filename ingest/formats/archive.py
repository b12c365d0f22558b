"""Zip-based files (DOCX, and any file that is a zip archive) are checked before anything is
unpacked: an archive bomb is a few kilobytes that unpack to gigabytes.

Each member's declared size and compression ratio is checked against the limits, from the
archive's central directory alone (nothing is decompressed). Python's zipfile never unpacks
more than a member declares (a member that lies fails its CRC check), so a file that passes
cannot unpack to more than `max_unzipped` bytes while it is read.
"""

from __future__ import annotations

import io
import zipfile

from ingest.formats.base import ReadError

ZIP_SIGNATURE = b"PK\x03\x04"
MAX_RATIO = 100  # uncompressed : compressed, for a member big enough to matter
RATIO_FROM_BYTES = 1024 * 1024  # smaller members may compress as well as they like
MAX_MEMBERS = 10_000
BOMB = "mogelijk een zip-bom; het bestand is niet uitgepakt"


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURE)


def check_archive(data: bytes, max_unzipped: int, env_name: str = "REGIOWIJZER_MAX_UNZIPPED_MB") -> None:
    """Raise ReadError (Dutch, with the limit and how to change it) for an archive that would
    unpack to more than `max_unzipped` bytes in all, or with a member compressed more than
    MAX_RATIO times."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return  # not a readable zip: the format's reader says what is wrong with it
    if len(members) > MAX_MEMBERS:
        raise ReadError(f"het archief bevat {len(members)} onderdelen (limiet {MAX_MEMBERS}); {BOMB}")
    total = 0
    for member in members:
        total += member.file_size
        if total > max_unzipped:
            raise ReadError(f"uitgepakt groter dan de limiet van {_mb(max_unzipped)} "
                            f"({env_name}); {BOMB}")
        if member.file_size >= RATIO_FROM_BYTES and \
                member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise ReadError(f"onderdeel {member.filename} is {ratio} keer samengeperst "
                            f"(limiet {MAX_RATIO}); {BOMB}")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB".replace(".", ",")
