from destek.mail.models.envelope import MessageEnvelope, Participant
from destek.mail.models.inbound import (
    IgnoredReason,
    InboundEmail,
    InboundSource,
    InboundStatus,
)
from destek.mail.models.mailbox import Mailbox, Security
from destek.mail.models.outbound import CopyState, OutboundEmail, OutboundKind, OutboundStatus

__all__ = [
    "CopyState",
    "IgnoredReason",
    "InboundEmail",
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
