"""Documents attached to access requests: the protocol, the ethics approval letter, the analysis plan, others.

Files live in the private ``request_documents`` storage (``settings.STORAGES``; ``REQUEST_DOCUMENTS_ROOT``), under
a name the registry chooses, and are only ever streamed by :func:`document_open` to those who may read the request
(governance.policy.can_view_request_documents). A file's type is what its content shows (magic bytes, read by the
``filetype`` library; plain text is UTF-8 without NUL bytes), never its name: PDF, DOCX, ODT and plain text are
accepted, anything else — a renamed executable included — is refused. Each document records its size and SHA-256.

Documents may be added and removed while the request is editable (every item a draft, or an item returned for
changes); from submission they are frozen, and each review round's basis lists them (governance.review_basis), so
"what changed" names the documents added and removed since the committee last saw the request. Every upload,
download and removal writes its audit event in the same transaction.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from governance import policy
from governance.models import CLOSED_STATES, AccessRequest, DocumentKind, ItemState, RequestDocument
from harmony.errors import InvalidInput, InvalidState

#: What the content may be: the media type ``filetype`` names → how the page calls it.
ACCEPTED_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "text/plain": "TXT",
}
PLAIN_TEXT = "text/plain"
_SNIFF_BYTES = 8192  # what filetype reads of a file's start


def _storage() -> Storage:
    return storages["request_documents"]


def documents_frozen_reason(access_request: AccessRequest) -> str | None:
    """Why the request's documents cannot change now, or None while they can: every item a draft (a request
    without datasets yet included), or an item returned for changes while no other open item stands on the
    review of the documents as submitted — the rule the intended use follows too
    (governance.services.requests.request_update)."""
    states = set(access_request.items.values_list("state", flat=True))
    if states <= {ItemState.DRAFT}:
        return None
    if ItemState.CHANGES_REQUESTED not in states:
        return _("The documents of a submitted request cannot change until a committee returns it for changes.")
    if states - {ItemState.DRAFT, ItemState.CHANGES_REQUESTED} - CLOSED_STATES:
        return _(
            "The documents cannot change while other datasets of this request stand on the documents their "
            "committee reviewed; withdraw them first."
        )
    return None


def _clean_filename(name: str) -> str:
    """The uploaded name without any path, control characters or surrounding blanks, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 200:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 199 - len(extension)] + dot + extension) if dot and len(extension) < 20 else base[:200]
    return base or "document"


@dataclass(frozen=True)
class _Inspection:
    sha256: str
    media_type: str | None  # None: not an accepted type
    found: str  # what the content is, for the refusal


def _inspect(upload: UploadedFile) -> _Inspection:
    """Read the upload once: its SHA-256, and its type from its content (magic bytes, else strict UTF-8 text)."""
    digest = hashlib.sha256()
    head = b""
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = True
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        if len(head) < _SNIFF_BYTES:
            head += chunk[: _SNIFF_BYTES - len(head)]
        if text:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                text = False
            text = text and b"\x00" not in chunk
    if text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            text = False
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        media_type = kind.mime if kind.mime in ACCEPTED_TYPES else None
        return _Inspection(digest.hexdigest(), media_type, f"{kind.mime} (.{kind.extension})")
    if text:
        return _Inspection(digest.hexdigest(), PLAIN_TEXT, PLAIN_TEXT)
    return _Inspection(digest.hexdigest(), None, _("binary data of no known type"))


def _lock_request(access_request: AccessRequest) -> AccessRequest:
    # The same row lock workflow.submit takes first: a document cannot slip in while the request is submitted.
    return AccessRequest.objects.select_for_update().select_related("partner").get(pk=access_request.pk)


def _summary(document: RequestDocument) -> dict[str, Any]:
    return {
        "document_id": document.pk,
        "kind": document.kind,
        "filename": document.filename,
        "media_type": document.media_type,
        "byte_size": document.byte_size,
        "sha256": document.sha256,
    }


def document_add(
    *, access_request: AccessRequest, actor: AbstractBaseUser, kind: str, upload: UploadedFile | None
) -> RequestDocument:
    """Attach ``upload`` to the request as a document of ``kind``; audited as ``document.add``.

    Refused: anyone but the requester (403, governance.policy.can_change_request_documents); a request whose
    documents are frozen (409, :func:`documents_frozen_reason`); no file, an empty one, one larger than
    ``REQUEST_DOCUMENT_MAX_BYTES``, or one whose content is not PDF, DOCX, ODT or plain text (400 on ``file``); an
    unknown ``kind`` (400 on ``kind``). The file is written to the private storage under a fresh name before the
    row, and removed again if the row is not committed.
    """
    policy.require(policy.can_change_request_documents(actor, access_request))
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Choose the kind of document."), field="kind")
    if upload is None:
        raise InvalidInput(_("Choose a file to attach."), field="file")
    limit = settings.REQUEST_DOCUMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise InvalidInput(_("The file is empty."), field="file")
    if upload.size > limit:
        raise InvalidInput(
            _("The file is %(size)s; a document may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            field="file",
        )
    inspection = _inspect(upload)
    if inspection.media_type is None:
        raise InvalidInput(
            _(
                "The file's content is %(found)s, whatever its name says: attach a PDF, a Word (DOCX) or "
                "OpenDocument (ODT) text, or plain text."
            )
            % {"found": inspection.found},
            field="file",
        )
    storage = _storage()
    stored_name = storage.save(f"{access_request.pk}/{uuid.uuid4().hex}", upload)
    try:
        with transaction.atomic(durable=True):
            access_request = _lock_request(access_request)
            frozen = documents_frozen_reason(access_request)
            if frozen:
                raise InvalidState(frozen)
            document = RequestDocument.objects.create(
                request=access_request,
                kind=kind,
                filename=_clean_filename(upload.name or ""),
                media_type=inspection.media_type,
                byte_size=upload.size,
                sha256=inspection.sha256,
                stored_name=stored_name,
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                action="document.add",
                obj=document,
                after=_summary(document),
                access_request_id=access_request.pk,
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


@transaction.atomic(durable=True)
def document_remove(*, document: RequestDocument, actor: AbstractBaseUser) -> None:
    """Remove a document while the request's documents may change; audited as ``document.remove``.

    A draft's document (the request was never submitted) is deleted with its file once the removal commits; a
    document of a request returned for changes is only marked removed — a committee reviewed it, and the next
    round's "what changed" names it — and its file kept for those who may read the request.
    """
    access_request = _lock_request(document.request)
    policy.require(policy.can_change_request_documents(actor, access_request))
    document = RequestDocument.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is not None:
        raise InvalidState(_("This document was already removed."))
    frozen = documents_frozen_reason(access_request)
    if frozen:
        raise InvalidState(frozen)
    audit_record(
        actor=actor,
        action="document.remove",
        obj=document,
        before=_summary(document),
        access_request_id=access_request.pk,
    )
    if access_request.submitted_at is None:
        stored_name = document.stored_name
        document.delete()
        transaction.on_commit(lambda: _storage().delete(stored_name))
    else:
        document.removed_at, document.removed_by = timezone.now(), actor
        document.save(update_fields=["removed_at", "removed_by"])


@dataclass
class DocumentFile:
    """An open document for a response: the file, the name to offer, its stored type and size."""

    file: IO[bytes]
    filename: str
    media_type: str
    byte_size: int


def document_open(*, document: RequestDocument, actor: AbstractBaseUser) -> DocumentFile:
    """Open a document's file for someone who may read the request; audited as ``document.download`` (the event
    is written before the file is handed over). Refused (403) for anyone else."""
    policy.require(policy.can_view_request_documents(actor, document.request))
    handle = _storage().open(document.stored_name, "rb")
    try:
        with transaction.atomic(durable=True):
            audit_record(
                actor=actor,
                action="document.download",
                obj=document,
                after={"document_id": document.pk, "sha256": document.sha256},
                access_request_id=document.request_id,
            )
    except BaseException:
        handle.close()
        raise
    return DocumentFile(handle, document.filename, document.media_type, document.byte_size)


def documents_delete_files(access_request: AccessRequest) -> None:
    """Once the current transaction commits, delete the stored files of a request being deleted (a draft: its
    documents go with it). For governance.services.requests.request_delete."""
    names = list(access_request.documents.values_list("stored_name", flat=True))
    if names:
        transaction.on_commit(lambda: [_storage().delete(name) for name in names])
