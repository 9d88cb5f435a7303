"""A ticket's conversation: list, reply (sent by email, like a reply typed in the UI), internal
note, and attachments — uploaded with a reply or note, downloaded with the ticket's access."""

from django.conf import settings
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from destek.accounts.permissions import Capability
from destek.api.core import idempotent, operation
from destek.api.endpoints.tickets import ticket_for
from destek.api.problems import Problem
from destek.api.schemas import MessageOut, NoteIn, ReplyIn
from destek.tickets import actions
from destek.tickets.access import get_attachment_for
from destek.tickets.models import Message

router = Router(tags=["messages"])
READ, WORK = Capability.READ_TICKETS, Capability.WORK_TICKETS


def _message_out(message: Message) -> Message:
    return Message.objects.prefetch_related("attachments").get(pk=message.pk)


@operation(router, "GET", "/tickets/{number}/messages", READ, response={200: list[MessageOut]})
def list_messages(request: HttpRequest, number: int):
    """Every message, oldest first: the customer's, replies and internal notes (``kind``)."""
    ticket = ticket_for(request, number)
    return ticket.messages.order_by("created_at", "pk").prefetch_related("attachments")


@operation(router, "POST", "/tickets/{number}/replies", WORK, response={201: MessageOut})
@idempotent
def create_reply(request: HttpRequest, number: int, payload: ReplyIn):
    """An answer to the customer (Markdown), mailed from the workspace's address."""
    ticket = ticket_for(request, number)
    message = actions.reply(
        ticket=ticket, actor=request.user, text=payload.text, status=payload.status
    )
    return Status(201, MessageOut.from_orm(_message_out(message)))


@operation(router, "POST", "/tickets/{number}/notes", WORK, response={201: MessageOut})
@idempotent
def create_note(request: HttpRequest, number: int, payload: NoteIn):
    """An internal note: never sent, never shown to the customer."""
    ticket = ticket_for(request, number)
    message = actions.add_note(ticket=ticket, actor=request.user, text=payload.text)
    return Status(201, MessageOut.from_orm(_message_out(message)))


@operation(router, "POST", "/tickets/{number}/attachments", WORK, response={201: MessageOut})
def upload_attachments(
    request: HttpRequest,
    number: int,
    text: Form[str],
    files: File[list[UploadedFile]],
    kind: Form[str] = "note",
):
    """Files with a note (``kind=note``, the default) or a reply to the customer
    (``kind=reply``), as multipart/form-data."""
    if "\x00" in text:
        raise Problem(
            422,
            "validation",
            "text: must not contain the NUL character",
            errors=[{"field": "form.text", "message": "must not contain the NUL character"}],
        )
    if kind not in {"note", "reply"}:
        raise Problem(
            422,
            "invalid-kind",
            "kind: note or reply.",
            errors=[{"field": "form.kind", "message": "note or reply"}],
        )
    if sum(upload.size for upload in files) > settings.MAX_ATTACHMENT_BYTES:
        raise Problem(413, "too-large", "The files are larger than the attachment limit.")
    ticket = ticket_for(request, number)
    action = actions.reply if kind == "reply" else actions.add_note
    message = action(ticket=ticket, actor=request.user, text=text, files=files)
    return Status(201, MessageOut.from_orm(_message_out(message)))


@operation(
    router,
    "GET",
    "/tickets/{number}/attachments/{attachment_id}",
    READ,
    response={200: bytes},
)
def download_attachment(request: HttpRequest, number: int, attachment_id: int):
    """The file's bytes, with the same check as the ticket page's download link."""
    attachment = get_attachment_for(request, number, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
