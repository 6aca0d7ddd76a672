from django import template

from search.selectors import highlighted

register = template.Library()


@register.simple_tag(takes_context=True)
def highlight(context, text):
    """The text escaped, with what the page's query matched in <mark> (search results)."""
    query = context.get("search_query")
    return highlighted(str(text or ""), query) if query else text
