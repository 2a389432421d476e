"""Reading an uploaded CSV file, shared by every importer (the property register and SoR codes).

People export these files from spreadsheets, so the usual mistakes are uploading the spreadsheet
itself, an empty file, or something else entirely. Every importer rejects those the same way with the
same words, before any row is read. Text is UTF-8 (with or without Excel's byte order mark) or, when
that fails, Windows-1252, the encoding Excel on Windows uses for its plain "CSV (comma delimited)".
"""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO, TextIO

HEAD_BYTES = 4096
SCAN_BYTES = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx and .ods are zip files
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

EMPTY_MESSAGE = "The file is empty. Choose the CSV file with a header line and a line for each row."
SPREADSHEET_MESSAGE = (
    "The file is a spreadsheet (Excel or OpenDocument), not a CSV file. In the spreadsheet choose "
    "Save As, pick 'CSV UTF-8 (comma delimited)', and upload that file."
)
UNICODE_TEXT_MESSAGE = (
    "The file is saved as 'Unicode Text' (UTF-16), not CSV. In the spreadsheet choose Save As, "
    "pick 'CSV UTF-8 (comma delimited)', and upload that file."
)
BINARY_MESSAGE = (
    "The file is not a CSV file (it looks like a picture, PDF or other binary file). "
    "Upload a CSV file saved as 'CSV UTF-8 (comma delimited)'."
)


class CsvUploadError(ValueError):
    """The upload is not a CSV file we can read (empty, a spreadsheet, binary); the message says why."""


def check_head(head: bytes, *, whole_file: bool) -> None:
    """Refuse a file from its first bytes; whole_file says that head is all there is."""
    if not head.strip() and (whole_file or len(head) < HEAD_BYTES):
        raise CsvUploadError(EMPTY_MESSAGE)
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise CsvUploadError(SPREADSHEET_MESSAGE)
    if head.startswith(UTF16_BOMS):
        raise CsvUploadError(UNICODE_TEXT_MESSAGE)
    if b"\x00" in head[:HEAD_BYTES]:
        raise CsvUploadError(BINARY_MESSAGE)


def decode_upload(data: bytes) -> str:
    """The text of a whole uploaded file, or CsvUploadError saying why it is not a CSV file."""
    if not data.strip():
        raise CsvUploadError(EMPTY_MESSAGE)
    check_head(data[:HEAD_BYTES], whole_file=False)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def open_upload(binary: BinaryIO) -> TextIO:
    """A text stream over a seekable binary file, checked and decoded without reading it all into memory.

    The file is read once to choose the encoding (a byte that is not UTF-8 may come late in a large
    extract), then rewound; the returned stream reads it again as rows are wanted.
    """
    head = binary.read(HEAD_BYTES)
    check_head(head, whole_file=len(head) < HEAD_BYTES)
    binary.seek(0)
    encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(SCAN_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        encoding = "cp1252"
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
