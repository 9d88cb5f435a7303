from destek.mail.models.envelope import MessageEnvelope, Participant
from destek.mail.models.inbound import (
    IgnoredReason,
    InboundEmail,
    InboundRaw,
    InboundSource,
    InboundStatus,
)
from destek.mail.models.mailbox import Mailbox, Security
from destek.mail.models.outbound import CopyState, OutboundEmail, OutboundKind, OutboundStatus

__all__ = [
    "CopyState",
    "IgnoredReason",
    "InboundEmail",
    "InboundRaw",
    "InboundSource",
    "InboundStatus",
    "Mailbox",
    "MessageEnvelope",
    "OutboundEmail",
    "OutboundKind",
    "OutboundStatus",
    "Participant",
    "Security",
]
