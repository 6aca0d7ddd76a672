import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import login_limits, personal_data

from . import services
from .consent import SESSION_KEY
from .forms import AccountDeleteForm, ConsentForm, DeleteContent, agreed_documents
from .models import DataExport
from .selectors import current_documents, documents_to_agree, latest_agreed_versions, member_exports
from .storage import signed_urls

EXPORT_PAGE_REFRESH_SECONDS = 10


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@require_safe
def legal_document(request, document: str):
    """A fixed address for the current version of a legal document, for links that must not read
    the database to be drawn (the footer, the error pages)."""
    for page in current_documents():
        if page.document == document:
            return redirect(page.url)
    raise Http404


@login_required
def consent(request):
    """Agreeing to the current terms: after sign-up with Kakao, or when a new version is out."""
    documents = documents_to_agree(member=request.user)
    form = ConsentForm(request.POST or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        services.consent_record(member=request.user, agreed=agreed_documents(form.cleaned_data))
        request.session.pop(SESSION_KEY, None)
        return redirect(_safe_next(request))
    agreed = latest_agreed_versions(member=request.user)
    asked = {page.document for page in documents}
    context = {
        "form": form,
        "changes": [(page, agreed.get(page.document)) for page in documents],
        "unchanged": [
            page for page in current_documents() if page.document not in asked and page.document in agreed
        ],
        "first_time": not agreed,
        "next": _safe_next(request),
    }
    return render(request, "privacy/consent.html", context, status=400 if form.errors else 200)


def _recently_signed_in_with_kakao(request) -> bool:
    """Members without a password confirm by signing in with Kakao again just before."""
    since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "socialaccount" and record.get("at", 0) >= since
        for record in get_authentication_records(request, request.user)
    )


@login_required
def account_delete(request):
    """Leaving: password members confirm with their password, Kakao members sign in with Kakao again.
    Wrong passwords count as failed logins (core/login_limits.py): no guessing without limit."""
    form = AccountDeleteForm(
        request.POST or None, member=request.user, social_confirmed=_recently_signed_in_with_kakao(request)
    )
    limits = login_limits.for_member(request, request.user)
    if request.method == "POST" and "password" in form.fields:
        login_limits.check(limits)
        if form.has_error("password", code="wrong_password"):
            login_limits.count_failure(limits)
    if request.method == "POST" and form.is_valid():
        services.member_delete(
            member=request.user, delete_content=form.cleaned_data["content"] == DeleteContent.DELETE
        )
        logout(request)
        return redirect("privacy:deleted")
    context = {"form": form, "retained": personal_data.retained()}
    return render(request, "privacy/account_delete.html", context, status=400 if form.errors else 200)


@require_safe
def account_deleted(request):
    return render(request, "privacy/account_deleted.html")


@login_required
@require_safe
def data(request):
    """The member's exports. While one is being prepared the page reloads itself until it is ready."""
    exports = list(member_exports(member=request.user))
    preparing = any(export.status == DataExport.Status.PENDING for export in exports)
    context = {"exports": exports, "refresh_seconds": EXPORT_PAGE_REFRESH_SECONDS if preparing else None}
    return render(request, "privacy/data.html", context)


@login_required
@require_POST
def export_request(request):
    services.export_request(member=request.user)
    messages.success(request, _("We are preparing your data. We will e-mail you when it is ready."))
    return redirect("privacy:data")


@login_required
@require_safe
def export_download(request, pk: int):
    export = get_object_or_404(DataExport, pk=pk, member=request.user)
    if not export.is_downloadable:
        raise Http404(_("This download has expired."))
    if signed_urls():
        filename = f"petrasche-{export.pk}.zip"
        disposition = {"ResponseContentDisposition": f'attachment; filename="{filename}"'}
        response = redirect(export.file.storage.url(export.file.name, parameters=disposition))
    else:
        response = FileResponse(
            export.file.open("rb"), as_attachment=True, filename=f"petrasche-{export.pk}.zip"
        )
    response["Cache-Control"] = "private, no-store"
    return response
