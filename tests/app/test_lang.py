from core.lang import default_lang


def test_the_locale_picks_korean_or_english():
    assert default_lang({"LANG": "ko_KR.UTF-8"}) == "ko"
    assert default_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert default_lang({}) == "en"
    # LC_ALL wins over LANG, as in every POSIX program
    assert default_lang({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}) == "en"
    assert default_lang({"LC_MESSAGES": "ko_KR", "LANG": "en_US"}) == "ko"


def test_a_korean_locale_gets_a_korean_summary(capsys, monkeypatch):
    from tui.__main__ import main

    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    assert main(["train", "xor", "--epochs", "10", "--log-every", "10"]) == 0
    assert "정확도 100%에 이르지 못함" in capsys.readouterr().err
