from django.core.management import CommandError, call_command

from destek.search.engines import engine
from destek.search.query import search
from destek.tickets.models import Ticket


def test_search_rebuild_restores_the_index(workspace, ticket, capsys):
    engine().clear()
    call_command("search_rebuild")
    assert capsys.readouterr().out == "search index rebuilt: 1 tickets\n"
    results = search(workspace, "odeme", Ticket.objects.all(), filtered=False)
    assert [hit.ticket.code for hit in results.hits] == ["DST-1"]


def test_search_rebuild_of_one_workspace(workspace, ticket, capsys):
    call_command("search_rebuild", "--workspace", "anadolu")
    assert capsys.readouterr().out == "search index rebuilt: 1 tickets\n"


def test_search_rebuild_refuses_an_unknown_workspace(db):
    try:
        call_command("search_rebuild", "--workspace", "yok")
    except CommandError as exc:
        assert str(exc) == "no workspace 'yok'"
    else:
        raise AssertionError("no error")
