"""Report downloads of a city."""

import io
from itertools import chain
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from civitas.accounts.models import User
from civitas.cities.selectors import city_for
from civitas.reports.summary import (
    FORMATS,
    summary_filename,
    summary_text,
    summary_xlsx,
)
from civitas.stakeholders.selectors import summary_rows


@login_required
def summary_export(request: HttpRequest, city_slug: str, format: str) -> HttpResponseBase:
    """Download the Appendix I summary table of a city as csv, xlsx, md or json."""
    if format not in FORMATS:
        raise Http404("No such format.")
    user = cast(User, request.user)  # signed in: login_required
    city = city_for(slug=city_slug, user=user)
    rows = summary_rows(city=city, user=user)
    export_format = FORMATS[format]
    response: HttpResponseBase
    if format == "xlsx":
        buffer = io.BytesIO()
        summary_xlsx(rows, buffer, city=city)
        response = HttpResponse(buffer.getvalue(), content_type=export_format.content_type)
    elif format == "csv":
        # The byte-order mark lets spreadsheet programs recognize the file as UTF-8.
        response = StreamingHttpResponse(
            chain(["\ufeff"], summary_text(rows, format, city=city)),
            content_type=export_format.content_type,
        )
    else:
        response = HttpResponse(
            "".join(summary_text(rows, format, city=city)),
            content_type=export_format.content_type,
        )
    response["Content-Disposition"] = f'attachment; filename="{summary_filename(city, format)}"'
    response["Cache-Control"] = "private, no-store"
    return response
