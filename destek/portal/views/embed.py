from django.http import Http404

from destek.portal.access import portal_view


@portal_view
def embed_form(request, workspace, *args, **kwargs):
    raise Http404
