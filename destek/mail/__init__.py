"""The email channel (DESIGN §5).

So far only the pure first stage exists: :mod:`destek.mail.parse` turns raw RFC 822 bytes into a
frozen :class:`~destek.mail.parse.ParsedEmail`, :mod:`destek.mail.quotes` separates the new part
of a reply from quoted text and signatures, and :mod:`destek.mail.classify` tells bounces and
automatic mail apart from mail a person wrote. None of them touches the database.
"""
