from django.http import Http404

from destek.portal.access import portal_view


@portal_view
def request_link(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def follow_link(request, workspace, *args, **kwargs):
    raise Http404


@portal_view
def sign_out_view(request, workspace, *args, **kwargs):
    raise Http404
