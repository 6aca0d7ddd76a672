import factory
from wagtail.models import Page

from home.models import HomePage
from privacy.models import Consent, LegalDocument, LegalPage


def legal_page(
    document: str = LegalDocument.TERMS, *, version: int = 1, required: bool = True, **fields
) -> LegalPage:
    """A published legal page under the home page; a new version replaces the page's content."""
    existing = LegalPage.objects.filter(document=document).first()
    if existing is not None:
        existing.version = version
        existing.required = required
        existing.save_revision().publish()
        return existing
    home = HomePage.objects.first() or Page.get_first_root_node()
    titles = {
        LegalDocument.TERMS: "이용약관",
        LegalDocument.PRIVACY: "개인정보 처리방침",
        LegalDocument.MARKETING: "소식 받기",
    }
    page = LegalPage(
        title=fields.pop("title", titles[document]),
        slug=fields.pop("slug", str(document)),
        document=document,
        version=version,
        required=required,
        summary=fields.pop("summary", f"{titles[document]}에 동의해요."),
        body=fields.pop("body", "<p>본문</p>"),
        **fields,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    document = LegalDocument.TERMS
    version = 1
    required = True
