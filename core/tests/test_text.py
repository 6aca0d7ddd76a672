from core.text import normalize_text


def test_text_is_normalized_without_control_characters():
    assert normalize_text("  안녕 \r\n하세요\x00\x07  ") == "안녕\n하세요"
    assert normalize_text("a\r\nb\rc") == "a\nb\nc"


def test_emoji_sequences_survive_normalization():
    family = "\U0001f469\u200d\U0001f467"
    assert normalize_text(f"우리 가족 {family}") == f"우리 가족 {family}"
