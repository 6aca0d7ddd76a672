from community.text import extract_hashtags, extract_mentions, linkify


def test_hashtags_are_found_once_each_in_order():
    assert extract_hashtags("#산책 좋아 #간식 그리고 또 #산책 #Walk #walk") == ["산책", "간식", "walk"]


def test_mentions_are_found_and_emails_are_not_mentions():
    assert extract_mentions("@Dubu 안녕 @kongi! mail me at a@b.com") == ["dubu", "kongi"]


def test_linkify_escapes_html_and_links_tags_mentions_and_urls():
    html = str(linkify('<b>hi</b> #산책 @dubu https://example.com/x?a=1&b="2" javascript:alert(1)'))

    assert "<b>" not in html
    assert "&lt;b&gt;hi&lt;/b&gt;" in html
    assert '<a class="hashtag" href="/tags/%EC%82%B0%EC%B1%85/">#산책</a>' in html
    assert '<a class="mention" href="/members/dubu/">@dubu</a>' in html
    assert 'href="https://example.com/x?a=1&amp;b=' in html
    assert 'href="javascript' not in html
