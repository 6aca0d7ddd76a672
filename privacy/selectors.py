from django.core.cache import cache

from .models import Consent, DataExport, LegalPage

CURRENT_DOCUMENTS_KEY = "privacy:current-documents"


def current_documents() -> list[LegalPage]:
    """The live legal pages, one per document (the highest version), required ones first."""
    documents = cache.get(CURRENT_DOCUMENTS_KEY)
    if documents is None:
        latest: dict[str, LegalPage] = {}
        for page in LegalPage.objects.live().order_by("document", "-version", "-pk"):
            latest.setdefault(page.document, page)
        documents = sorted(latest.values(), key=lambda page: (not page.required, page.document))
        cache.set(CURRENT_DOCUMENTS_KEY, documents, 300)
    return documents


def forget_current_documents(**kwargs) -> None:
    cache.delete(CURRENT_DOCUMENTS_KEY)


def missing_documents(*, member) -> list[LegalPage]:
    """The required documents whose current version the member has not agreed to."""
    required = [page for page in current_documents() if page.required]
    if not required:
        return []
    agreed = set(
        Consent.objects.filter(member=member, document__in=[page.document for page in required]).values_list(
            "document", "version"
        )
    )
    return [page for page in required if (page.document, page.version) not in agreed]


def member_exports(*, member):
    return DataExport.objects.filter(member=member)[:10]
