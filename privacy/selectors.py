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


def latest_agreed_versions(*, member) -> dict[str, int]:
    """The latest version of each document the member has agreed to."""
    latest: dict[str, int] = {}
    for document, version in Consent.objects.filter(member=member).values_list("document", "version"):
        latest[document] = max(version, latest.get(document, 0))
    return latest


def documents_to_agree(*, member) -> list[LegalPage]:
    """What the consent page asks for: every current document the first time; later, only the
    documents whose current version the member has not agreed to yet, required ones and optional
    ones they had agreed to before. A document that has not changed is not asked for again."""
    agreed = latest_agreed_versions(member=member)
    if not agreed:
        return current_documents()
    return [
        page
        for page in current_documents()
        if agreed.get(page.document) != page.version and (page.required or page.document in agreed)
    ]


def member_exports(*, member):
    return DataExport.objects.filter(member=member)[:10]
