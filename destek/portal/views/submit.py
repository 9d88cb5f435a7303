from django.http import Http404

from destek.portal.access import portal_view


@portal_view
def new_ticket(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def suggestions(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def open_suggestion(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def submitted(request, workspace, *args, **kwargs):
    raise Http404
