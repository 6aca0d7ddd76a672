from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import selectors
from .forms import SearchForm

RESULTS_PER_TYPE = 5
RESULTS_PER_PAGE = 20


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    outcome = None
    if form.is_valid() and form.cleaned_data["q"]:
        chosen = form.cleaned_data["type"]
        outcome = selectors.site_search(
            viewer=request.user,
            raw_query=form.cleaned_data["q"],
            types=[chosen] if chosen else None,
            page=form.cleaned_data["page"] or 1,
            page_size=RESULTS_PER_PAGE if chosen else RESULTS_PER_TYPE,
        )
    status = 400 if form.errors else 200
    return render(request, "search/search.html", {"form": form, "outcome": outcome}, status=status)


@require_safe
def suggest(request):
    """Hashtags and members for the search box, as the visitor types."""
    prefix = request.GET.get("q", "")[:50]
    items = [
        {
            "label": f"#{tag.name}",
            "detail": tag.use_count,
            "url": reverse("community:hashtag", args=[tag.name]),
        }
        for tag in selectors.hashtag_suggestions(prefix=prefix)
    ] + [
        {
            "label": member.display_name,
            "detail": f"@{member.username}",
            "url": reverse("community:profile", args=[member.username]),
        }
        for member in selectors.member_suggestions(prefix=prefix, viewer=request.user)
    ]
    return JsonResponse({"query": prefix, "suggestions": items})
