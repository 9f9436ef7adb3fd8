"""Evidence files, handed out to those who may see the school's cycle (never served directly)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from ..access import school_for
from ..evidence import CONTENT_TYPES
from ..models import EvidenceFile


@login_required
def evidence_file(request, code, pk):
    school = school_for(request.user, code, "spmi.view")
    found = get_object_or_404(EvidenceFile, pk=pk, school=school)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    kind = CONTENT_TYPES.get(found.kind, "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=found.name, content_type=kind)
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns = [path("spmi/sekolah/<str:code>/bukti/<int:pk>/", evidence_file, name="evidence")]
