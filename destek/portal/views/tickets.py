from django.http import Http404

from destek.portal.access import portal_view


@portal_view
def ticket_list(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def ticket_detail(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def ticket_reply(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def ticket_status(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def attachment(request, workspace, *args, **kwargs):
    raise Http404
