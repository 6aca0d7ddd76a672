from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
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
        for section in outcome.pages:
            if section.search_type.prepare is not None:
                section.search_type.prepare(section.results, outcome.query)
    status = 400 if form.errors else 200
    context = {"form": form, "outcome": outcome, "search_query": outcome.query if outcome else None}
    return render(request, "search/search.html", context, status=status)


@require_safe
def suggest(request):
    """Hashtags, members and pet words (for 초성: ㅁㅌ → 말티즈) for the search box, as the visitor types."""
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
    items += [
        {"label": word, "detail": _("Search"), "url": f"{reverse('search:search')}?{urlencode({'q': word})}"}
        for word in selectors.word_suggestions(prefix=prefix)
    ]
    return JsonResponse({"query": prefix, "suggestions": items})
