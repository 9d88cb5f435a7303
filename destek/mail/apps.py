from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "destek.mail"
    label = "mail"
    verbose_name = _("E-posta")

    def ready(self) -> None:
        from destek.mail import merge, notify, outbox
        from destek.tickets import signals

        # Inside the reply's transaction: the reply and the mail carrying it commit together.
        signals.reply_written.connect(outbox.on_reply_written, dispatch_uid="mail.outbox.reply")
        # Inside a merge or split: mail ids follow the moved messages.
        signals.messages_moved.connect(merge.on_messages_moved, dispatch_uid="mail.merge.moved")
        # On commit: notifications about what is already stored.
        signals.ticket_created.connect(notify.on_ticket_created, dispatch_uid="mail.notify.new")
        signals.message_created.connect(notify.on_message_created, dispatch_uid="mail.notify.reply")
