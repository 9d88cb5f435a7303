"""@mentions in internal notes: which agents a note names.

An agent is named by ``@`` and their email's local part (``@ayse``, ``@ayse.yilmaz``), their
first name or their whole name written together (``@ayseyilmaz``), compared folded, so
``@Ayşe`` and ``@ayse`` name the same person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from destek.accounts.models import User
from destek.lib.turkish import fold

_MENTION = re.compile(r"(?<![\w@])@([\w][\w.\-]*\w|\w)", re.UNICODE)


def handles(user: User) -> set[str]:
    """The folded words that name ``user`` after an ``@``."""
    local = user.email.split("@", 1)[0]
    words = fold(user.name or "").split()
    names = {fold(local)}
    if words:
        names |= {words[0], "".join(words)}
    return {name for name in names if name}


def mentioned(text: str, agents: Iterable[User]) -> list[User]:
    """The agents ``text`` mentions, in the order of ``agents``."""
    wanted = {fold(match) for match in _MENTION.findall(text)}
    if not wanted:
        return []
    return [agent for agent in agents if handles(agent) & wanted]
