from lessons.words import search_words, segment


def test_a_thai_run_is_searched_as_its_words_without_stop_words():
    assert segment("การสื่อสารในทีม") == ["การสื่อสาร", "ใน", "ทีม"]
    assert search_words("การสื่อสารในทีม") == ["การสื่อสาร", "ทีม"]


def test_short_thai_and_english_stay_as_typed():
    assert search_words("ทีม") == ["ทีม"]
    assert search_words("feedback") == ["feedback"]
    assert search_words("ไม่") == ["ไม่"]


def test_a_run_of_stop_words_stays_whole():
    assert search_words("และของที่") == ["และของที่"]
